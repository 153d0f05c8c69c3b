// Helpers shared by the dataset tests (not used by the product code).
import { readFileSync } from 'node:fs';
import { analyzeDataset } from './analyze.js';
import type { ConversationRecord, DatasetAnalysis, DatasetProblems } from './types.js';

/** The real CC-BY sample: shared/data/brightrun-v4 beside the repository. */
export const SAMPLE_DIR = new URL('../../../../shared/data/brightrun-v4/', import.meta.url);
export const SAMPLE_JSON = 'EQ-12-conversations-demo.json';
export const SAMPLE_JSONL = 'EQ-12-conversations-demo.jsonl';

export function readSample(name: string): Buffer {
  return readFileSync(new URL(name, SAMPLE_DIR));
}

/** Bytes as a stream of chunks, the way an upload arrives. */
export async function* chunked(data: Buffer | string, chunkSize = 64 * 1024): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.subarray(offset, offset + chunkSize);
}

export async function analyze(
  data: Buffer | string,
  options: { maxBytes?: number; chunkSize?: number } = {},
): Promise<{ result: DatasetAnalysis | DatasetProblems; conversations: ConversationRecord[] }> {
  const conversations: ConversationRecord[] = [];
  const result = await analyzeDataset(chunked(data, options.chunkSize), {
    maxBytes: options.maxBytes ?? 1024 * 1024 * 1024,
    onConversation: (conversation) => {
      conversations.push(conversation);
    },
  });
  return { result, conversations };
}

export function expectOk(result: DatasetAnalysis | DatasetProblems): DatasetAnalysis {
  if (!result.ok) throw new Error(`expected an analysis, got ${result.kind}: ${JSON.stringify(result.problems.slice(0, 3))}`);
  return result;
}

export function expectProblems(result: DatasetAnalysis | DatasetProblems): DatasetProblems {
  if (result.ok) throw new Error('expected problems, got a valid analysis');
  return result;
}
