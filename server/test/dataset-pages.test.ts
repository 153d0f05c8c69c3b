import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONVERSATION_INFLIGHT_BUDGET_BYTES, CONVERSATION_PAGE_BUDGET_BYTES, CONVERSATION_REQUEST_BUDGET_BYTES } from '../src/datasets/service.js';
import { startTestServer, type TestServer } from './harness.js';

// Conversation pages are bounded in bytes. Before: 24 concurrent `conversations(first: 100) { pairs }`
// queries (the documented maximum page) or 10 aliases of one crashed the server (heap out of
// memory), because each page was read, parsed and rendered whole whatever its size.

const SAMPLE = new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.jsonl', import.meta.url);
const CONVERSATIONS = 80;

/** A JSONL file of large conversations (~150 kB each in the index: two pairs of 60,000-character answers). */
async function bigConversationsFile(): Promise<Buffer> {
  const [meta, first] = (await readFile(SAMPLE, 'utf8')).split('\n');
  const pair = JSON.parse(first!);
  const lines = [meta];
  for (let c = 0; c < CONVERSATIONS; c++) {
    for (let turn = 1; turn <= 2; turn++) {
      lines.push(
        JSON.stringify({
          ...pair,
          id: `pair-${c}-${turn}`,
          conversation_id: `00000000-0000-4000-8000-${String(c).padStart(12, '0')}`,
          turn_number: turn,
          target_response: `Answer ${c}.${turn}: ${'we plan the budget together and review it monthly. '.repeat(1_150)}`,
        }),
      );
    }
  }
  return Buffer.from(lines.join('\n'));
}

describe('conversation pages bounded in bytes', () => {
  let server: TestServer;
  let datasetId: string;
  let rowBytes: Map<number, number>;

  beforeAll(async () => {
    server = await startTestServer('pglite', { BRIGHTRUN_MAX_UPLOAD_MB: '64' });
    const outcome = await server.services.datasets.importStream(server.bootstrap.workspaceId, Readable.from([await bigConversationsFile()]), { name: 'Big conversations', fileName: 'big.jsonl' });
    if (!outcome.ok) throw outcome.error;
    datasetId = outcome.dataset.id;
    const rows = await server.services.db.prisma.datasetConversation.findMany({ where: { datasetId }, select: { ordinal: true, byteLength: true } });
    rowBytes = new Map(rows.map((r) => [r.ordinal, r.byteLength]));
    // The whole index is far more than one page may hold.
    expect([...rowBytes.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(2 * CONVERSATION_PAGE_BUDGET_BYTES);
  }, 120_000);
  afterAll(() => server?.stop());

  const page = (args: string) =>
    server.gql(`query($id: ID!) { dataset(id: $id) { conversations(${args}) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
      edges { node { ordinal pairs { targetResponse } } } } } }`, { id: datasetId });
  const bytesOf = (edges: { node: { ordinal: number } }[]) => edges.reduce((sum, e) => sum + rowBytes.get(e.node.ordinal)!, 0);

  it('answers first: 100 with a shorter page within the page budget, and pageInfo pages through all of it in order', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const result = await page(after ? `first: 100, after: "${after}"` : 'first: 100');
      expect(result.errors).toBeUndefined();
      const connection = result.data!.dataset.conversations;
      expect(connection.totalCount).toBe(CONVERSATIONS);
      expect(connection.edges.length).toBeGreaterThan(0);
      expect(bytesOf(connection.edges)).toBeLessThanOrEqual(CONVERSATION_PAGE_BUDGET_BYTES);
      seen.push(...connection.edges.map((e: { node: { ordinal: number } }) => e.node.ordinal));
      pages += 1;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual(Array.from({ length: CONVERSATIONS }, (_, i) => i));
  });

  it('keeps the end of a backward page and says there is more before it', async () => {
    const result = await page('last: 100');
    const connection = result.data!.dataset.conversations;
    const ordinals = connection.edges.map((e: { node: { ordinal: number } }) => e.node.ordinal);
    expect(ordinals.at(-1)).toBe(CONVERSATIONS - 1);
    expect(ordinals.length).toBeLessThan(CONVERSATIONS);
    expect(connection.pageInfo.hasPreviousPage).toBe(true);
    expect(bytesOf(connection.edges)).toBeLessThanOrEqual(CONVERSATION_PAGE_BUDGET_BYTES);
  });

  it('gives aliases past the request budget empty pages that say where to continue (10 aliases crashed the server)', async () => {
    const aliases = Array.from({ length: 10 }, (_, i) => `a${i}: conversations(first: 100) { pageInfo { hasNextPage endCursor } edges { node { ordinal pairs { targetResponse } } } }`).join('\n');
    const result = await server.gql(`query($id: ID!) { dataset(id: $id) { ${aliases} } }`, { id: datasetId });
    expect(result.errors).toBeUndefined();
    const pages = Object.values(result.data!.dataset) as { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { ordinal: number } }[] }[];
    const served = pages.filter((p) => p.edges.length > 0);
    const empty = pages.filter((p) => p.edges.length === 0);
    expect(served.length).toBeGreaterThan(0);
    expect(empty.length).toBeGreaterThan(0);
    expect(served.reduce((sum, p) => sum + bytesOf(p.edges), 0)).toBeLessThanOrEqual(CONVERSATION_REQUEST_BUDGET_BYTES);
    for (const p of empty) expect(p.pageInfo).toEqual({ hasNextPage: true, endCursor: null }); // asked from the start: start again there
    // A later request gets its own budget.
    expect((await page('first: 100')).data!.dataset.conversations.edges.length).toBeGreaterThan(0);
  });

  it('serves 24 concurrent maximum pages without holding more than the in-flight budget', async () => {
    server.services.datasets.conversationBytesPeak = 0;
    const results = await Promise.all(Array.from({ length: 24 }, () => page('first: 100')));
    for (const result of results) {
      expect(result.errors).toBeUndefined();
      expect(result.data!.dataset.conversations.edges.length).toBeGreaterThan(0);
    }
    expect(server.services.datasets.conversationBytesPeak).toBeGreaterThan(0);
    expect(server.services.datasets.conversationBytesPeak).toBeLessThanOrEqual(CONVERSATION_INFLIGHT_BUDGET_BYTES);
  }, 120_000);
});
