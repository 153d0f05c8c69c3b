// Writes a generated brightrun-lora-v4 file to disk, streaming (any size, constant memory).
//   tsx src/demo/generate-cli.ts --spec ready|low-quality|large --out FILE [--size-mb N] [--seed S]
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { LOW_QUALITY_DEMO, READY_DEMO, generateDataset, sizedDemoSpec, type DemoSpec } from './generate.js';

export const USAGE = 'usage: tsx src/demo/generate-cli.ts --spec ready|low-quality|large --out FILE [--size-mb N] [--seed S]';
const DEFAULT_LARGE_MB = 200;

export class UsageError extends Error {}

export function specFromArgs(argv: string[]): { spec: DemoSpec; out: string } {
  const { values } = parseArgs({
    args: argv,
    options: { spec: { type: 'string' }, out: { type: 'string' }, 'size-mb': { type: 'string' }, seed: { type: 'string' } },
    strict: true,
  });
  if (!values.out) throw new UsageError('--out FILE is required');
  const seed = values.seed === undefined ? undefined : /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  switch (values.spec) {
    case 'ready':
      return { spec: seed === undefined ? READY_DEMO : { ...READY_DEMO, seed }, out: values.out };
    case 'low-quality':
      return { spec: seed === undefined ? LOW_QUALITY_DEMO : { ...LOW_QUALITY_DEMO, seed }, out: values.out };
    case 'large': {
      const sizeMb = values['size-mb'] === undefined ? DEFAULT_LARGE_MB : Number(values['size-mb']);
      if (!(sizeMb > 0)) throw new UsageError(`--size-mb must be a positive number of megabytes (got ${values['size-mb']})`);
      return { spec: sizedDemoSpec(sizeMb * 1e6, seed ?? 'large'), out: values.out };
    }
    default:
      throw new UsageError(`--spec must be ready, low-quality or large (got ${values.spec ?? 'nothing'})`);
  }
}

export async function main(argv: string[]): Promise<{ out: string; bytes: number; spec: DemoSpec }> {
  const { spec, out } = specFromArgs(argv);
  let bytes = 0;
  const counted = Readable.from(generateDataset(spec)).map((chunk: string) => {
    bytes += Buffer.byteLength(chunk);
    return chunk;
  });
  await pipeline(counted, createWriteStream(out));
  return { out, bytes, spec };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    ({ out, bytes, spec }) => {
      console.log(`wrote ${out}: ${(bytes / 1e6).toFixed(1)} MB, ${spec.conversations} conversations, ${spec.trainablePairs} trainable pairs (seed ${spec.seed})`);
    },
    (error: unknown) => {
      console.error(error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) ? `${error.message}\n${USAGE}` : error);
      process.exitCode = 2;
    },
  );
}
