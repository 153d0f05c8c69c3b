import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LocalStorage } from './local.js';
import { startLocalFileServer } from './local.fixture.js';
import { describeStorageContract } from './storage.contract.js';

describeStorageContract('local', async () => {
  const server = await startLocalFileServer();
  return { storage: server.storage, enforcesUploadMaxBytes: true, close: server.close };
});

describe('LocalStorage', () => {
  it('refuses a short secret or a bad public URL', () => {
    expect(() => new LocalStorage({ root: '/tmp/x', publicUrl: 'http://localhost', secret: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => new LocalStorage({ root: '/tmp/x', publicUrl: 'not a url', secret: 'x'.repeat(32) })).toThrow(/not a URL/);
  });

  it('never shows a half-written object, and removes the partial file when the body fails', async () => {
    const server = await startLocalFileServer();
    try {
      const { storage, root } = server;
      await storage.put('datasets/d1/data.jsonl', new TextEncoder().encode('old'));
      const body = new PassThrough();
      const pending = storage.put('datasets/d1/data.jsonl', body);
      body.write('new content, partly');
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Mid-upload, readers still see the old object.
      const during = await storage.read('datasets/d1/data.jsonl');
      let seen = '';
      for await (const chunk of during) seen += String(chunk);
      expect(seen).toBe('old');
      body.destroy(new Error('source failed'));
      await expect(pending).rejects.toThrow(/source failed/);
      expect((await storage.stat('datasets/d1/data.jsonl'))?.sizeBytes).toBe(3);
      expect(await readdir(join(root, '.staging'))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('explains a file/folder clash', async () => {
    const server = await startLocalFileServer();
    try {
      await server.storage.put('exports/e1', new Uint8Array([1]));
      await expect(server.storage.put('exports/e1/inner.bin', new Uint8Array([1]))).rejects.toMatchObject({
        code: 'conflict',
      });
      expect(await readdir(join(server.root, '.staging'))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('prunes folders emptied by deletes', async () => {
    const server = await startLocalFileServer();
    try {
      await server.storage.put('checkpoints/j1/step-1/a.bin', new Uint8Array([1]));
      await server.storage.delete(['checkpoints/j1/step-1/a.bin']);
      expect(await readdir(join(server.root, 'checkpoints'))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
