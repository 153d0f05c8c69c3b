import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, SDK_VERSION } from '../src/index.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('generated from the contract', () => {
  it('states the package version and the released API version it was generated from', async () => {
    const pkg = JSON.parse(await readFile(path.join(repo, 'sdk/package.json'), 'utf8')) as { version: string };
    expect(SDK_VERSION).toBe(pkg.version);
    const released = (await readdir(path.join(repo, 'schema/released'))).map((f) => /^v(.+)\.graphql$/.exec(f)?.[1]).filter(Boolean);
    expect(released).toContain(SCHEMA_VERSION);
  });

  it('has operation types that match schema.graphql (else: run `npm run codegen` and commit sdk/src/graphql/generated)', async () => {
    const previous = process.cwd();
    process.chdir(repo); // codegen.ts and its paths are relative to the repository root
    try {
      const { default: config } = (await import('../../codegen.js')) as { default: { schema: string; generates: Record<string, unknown> } };
      const sdkOnly = Object.fromEntries(Object.entries(config.generates).filter(([target]) => target.startsWith('sdk/')));
      const outputs = (await generate({ ...config, generates: sdkOnly, silent: true } as never, false)) as { filename: string; content: string }[];
      expect(outputs.length).toBeGreaterThanOrEqual(3);
      for (const output of outputs) {
        const committed = await readFile(path.join(repo, output.filename), 'utf8').catch(() => '(missing)');
        expect(committed, `${output.filename} is stale: run \`npm run codegen\` and commit it`).toBe(output.content);
      }
    } finally {
      process.chdir(previous);
    }
  });
});
