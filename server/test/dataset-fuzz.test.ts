import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../src/auth/bootstrap.js';
import { DatasetInvalidError, DuplicateDatasetError } from '../src/datasets/errors.js';
import { LocalStorage } from '../src/storage/local.js';
import { startTestServer, type TestServer } from './harness.js';
import { buildVariants, type FuzzVariant } from './support/dataset-fuzz.js';

// The dataset fuzzer: every variant of test/support/dataset-fuzz.ts goes through the real import
// pipeline (storage, analyzer, conversation index, database) of a running server. For each one:
// no crash (the import resolves; a throw would be an INTERNAL error), a typed error or a correct
// import, and after a refusal no dataset row, no index row, no stored object and no staging file.
// (The 383-variant probe that found 9 crashes and 11 unclean answers covered these classes.)

const variants = buildVariants();

describe('dataset fuzzer', () => {
  let server: TestServer;
  const outcomes = new Map<string, number>();

  beforeAll(async () => {
    server = await startTestServer(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite', { BRIGHTRUN_MAX_UPLOAD_MB: '64' });
  });
  afterAll(async () => {
    const summary = [...outcomes.entries()].sort().map(([k, n]) => `${k}: ${n}`).join(', ');
    console.log(`[fuzz] ${variants.length} variants — ${summary}`);
    await server?.stop();
  });

  it(`has at least 300 variants covering every class (${variants.length})`, () => {
    expect(variants.length).toBeGreaterThanOrEqual(300);
    expect(new Set(variants.map((v) => v.kind))).toEqual(
      new Set(['valid', 'line ends', 'BOM', 'truncation', 'bad UTF-8', 'NUL', 'huge string', 'deep nesting', 'wrong type', 'missing field', 'duplicate ids', 'not a dataset', 'mutation']),
    );
    expect(new Set(variants.map((v) => v.name)).size).toBe(variants.length);
  });

  const stagingFiles = async () => {
    const storage = server.services.storage;
    return storage instanceof LocalStorage ? await readdir(path.join(storage.root, '.staging')).catch(() => []) : [];
  };

  async function leftovers(workspaceId: string) {
    const prisma = server.services.db.prisma;
    return {
      datasets: await prisma.dataset.count({ where: { workspaceId } }),
      conversations: await prisma.datasetConversation.count({ where: { dataset: { workspaceId } } }),
      objects: (await server.services.storage.list(`datasets/${workspaceId}`)).length,
    };
  }

  // Each variant has a workspace of its own, so that variants can run side by side.
  async function check(variant: FuzzVariant) {
    const { workspaceId } = await createWorkspace(server.services.db.prisma, 'fuzz');
    const bytes = variant.bytes();
    const outcome = await server.services.datasets.importStream(workspaceId, Readable.from([bytes]), { name: variant.name.slice(0, 100), fileName: 'fuzz.data' });
    const tag = outcome.ok ? 'ok' : outcome.error instanceof DatasetInvalidError ? outcome.error.kind : outcome.error.code;
    outcomes.set(tag, (outcomes.get(tag) ?? 0) + 1);
    const explain = outcome.ok ? 'imported' : `${tag}: ${outcome.error.message.slice(0, 300)}`;
    if (outcome.ok) {
      const dataset = outcome.dataset;
      const indexRows = await server.services.db.prisma.datasetConversation.count({ where: { datasetId: dataset.id } });
      // Removed first, so that a failed check does not spill into the next variant, nor its bytes make a duplicate.
      await server.services.db.prisma.datasetConversation.deleteMany({ where: { datasetId: dataset.id } });
      await server.services.db.prisma.dataset.delete({ where: { id: dataset.id } });
      await server.services.storage.deletePrefix(`datasets/${workspaceId}/${dataset.id}`);
      expect(['ok', 'any'], `${variant.name} → ${explain}`).toContain(variant.expect);
      expect(dataset.status).toBe('READY');
      if (variant.conversations !== undefined) expect(dataset.conversationCount).toBe(variant.conversations);
      // The index holds one row per conversation, the count the dataset reports.
      expect(indexRows).toBe(dataset.conversationCount);
      expect(Number(dataset.sizeBytes)).toBe(bytes.length);
    } else {
      expect(variant.expect, `${variant.name} was refused: ${explain}`).not.toBe('ok');
      const error = outcome.error;
      expect(error).toBeInstanceOf(DatasetInvalidError);
      if (error instanceof DuplicateDatasetError) return; // cannot happen: one import per workspace
      const invalid = error as DatasetInvalidError;
      if (!['refused', 'any'].includes(variant.expect)) expect(invalid.kind, `${variant.name}: ${explain}`).toBe(variant.expect);
      expect(invalid.problems.length).toBeGreaterThan(0);
      expect(invalid.problemCount).toBeGreaterThanOrEqual(invalid.problems.length);
      for (const problem of invalid.problems) {
        expect(problem.message.length).toBeGreaterThan(10);
        expect(problem.message.length).toBeLessThan(2_000); // never echoes a huge value back
        if (problem.line !== undefined) expect(problem.line).toBeGreaterThanOrEqual(1);
      }
      if (variant.line !== undefined) expect(invalid.problems[0]!.line, `${variant.name}: ${explain}`).toBe(variant.line);
    }
    expect(await leftovers(workspaceId), `${variant.name} left something behind`).toEqual({ datasets: 0, conversations: 0, objects: 0 });
  }

  it.concurrent.each(variants.map((v) => [v.name, v] as const))('%s', async (_name, variant) => {
    await check(variant);
  });

  // Runs after the concurrent variants (vitest runs a suite's concurrent tests before the next one).
  it('leaves no staging file behind', async () => {
    expect(await stagingFiles()).toEqual([]);
  });
});
