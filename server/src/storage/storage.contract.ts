import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageError, StorageNotFoundError, StoragePathError, type Storage } from './storage.js';

/** The behaviour every `Storage` must share; run by local.test.ts and supabase.test.ts. */

export interface StorageFixture {
  storage: Storage;
  /** Whether signed upload links refuse bodies over `maxBytes` (Supabase cannot). */
  enforcesUploadMaxBytes: boolean;
  close(): Promise<void>;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const bytes = (text: string) => new TextEncoder().encode(text);

export function describeStorageContract(name: string, factory: () => Promise<StorageFixture>): void {
  describe(`${name}: storage contract`, () => {
    let fixture: StorageFixture;
    let storage: Storage;
    const folder = (area = 'datasets') => `${area}/t-${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      fixture = await factory();
      storage = fixture.storage;
    });
    afterAll(async () => fixture?.close());

    it('stores bytes and streams, reads them back, stats and overwrites', async () => {
      const dir = folder();
      expect(await storage.put(`${dir}/a.txt`, bytes('hello world'), { contentType: 'text/plain' })).toEqual({
        sizeBytes: 11,
      });
      expect((await readAll(await storage.read(`${dir}/a.txt`))).toString()).toBe('hello world');
      const info = await storage.stat(`${dir}/a.txt`);
      expect(info).toMatchObject({ path: `${dir}/a.txt`, sizeBytes: 11 });
      expect(info?.updatedAt?.getTime()).toBeGreaterThan(Date.now() - 60_000);

      const streamed = Readable.from([Buffer.from('one,'), Buffer.from('two,'), Buffer.from('three')]);
      expect(await storage.put(`${dir}/a.txt`, streamed)).toEqual({ sizeBytes: 13 });
      expect((await readAll(await storage.read(`${dir}/a.txt`))).toString()).toBe('one,two,three');
      expect(await storage.put(`${dir}/empty.bin`, new Uint8Array(0))).toEqual({ sizeBytes: 0 });
      expect((await readAll(await storage.read(`${dir}/empty.bin`))).length).toBe(0);
    });

    it('keeps nothing from a body that fails midway, and reports why', async () => {
      const dir = folder();
      await storage.put(`${dir}/kept.txt`, bytes('previous'));
      const failing = () =>
        Readable.from(
          (async function* () {
            yield Buffer.alloc(256 * 1024, 1);
            await sleep(20);
            throw new Error('disk read failed');
          })(),
        );
      await expect(storage.put(`${dir}/new.txt`, failing())).rejects.toThrow(/disk read failed/);
      await expect(storage.put(`${dir}/kept.txt`, failing())).rejects.toThrow(/disk read failed/);
      await sleep(50); // let the server notice the aborted request
      expect(await storage.stat(`${dir}/new.txt`)).toBeNull();
      expect((await readAll(await storage.read(`${dir}/kept.txt`))).toString()).toBe('previous');
      expect((await storage.list(dir)).map((o) => o.path)).toEqual([`${dir}/kept.txt`]);
    });

    it('reports missing objects', async () => {
      const dir = folder();
      await expect(storage.read(`${dir}/missing.txt`)).rejects.toBeInstanceOf(StorageNotFoundError);
      expect(await storage.stat(`${dir}/missing.txt`)).toBeNull();
      await expect(storage.signedDownloadUrl(`${dir}/missing.txt`, { expiresInSeconds: 60 })).rejects.toBeInstanceOf(
        StorageNotFoundError,
      );
    });

    it('reads byte ranges', async () => {
      const path = `${folder()}/digits.txt`;
      await storage.put(path, bytes('0123456789'));
      const read = async (range: { start: number; end?: number }) => (await readAll(await storage.read(path, range))).toString();
      expect(await read({ start: 2, end: 5 })).toBe('2345');
      expect(await read({ start: 7 })).toBe('789');
      expect(await read({ start: 0, end: 0 })).toBe('0');
      expect(await read({ start: 8, end: 100 })).toBe('89');
      await expect(storage.read(path, { start: 10 })).rejects.toMatchObject({ code: 'range_not_satisfiable' });
      await expect(storage.read(path, { start: 5, end: 2 })).rejects.toMatchObject({ code: 'invalid_argument' });
    });

    it('lists a folder recursively without touching its look-alike siblings', async () => {
      const dir = folder('checkpoints');
      await storage.put(`${dir}/b.bin`, bytes('bb'));
      await storage.put(`${dir}/a/step-1/weights.bin`, bytes('aaaa'));
      await storage.put(`${dir}/a/step-2/weights.bin`, bytes('aaaaa'));
      await storage.put(`${dir}0/other.bin`, bytes('x'));
      const listed = await storage.list(dir);
      expect(listed.map((o) => [o.path, o.sizeBytes])).toEqual([
        [`${dir}/a/step-1/weights.bin`, 4],
        [`${dir}/a/step-2/weights.bin`, 5],
        [`${dir}/b.bin`, 2],
      ]);
      expect((await storage.list(`${dir}/`)).length).toBe(3);
      expect((await storage.list(`${dir}/a/step-2`)).map((o) => o.path)).toEqual([`${dir}/a/step-2/weights.bin`]);
      expect(await storage.list(`${dir}/nothing-here`)).toEqual([]);
      expect((await storage.list('checkpoints')).some((o) => o.path === `${dir}0/other.bin`)).toBe(true);
    });

    it('deletes objects (ignoring missing ones) and whole folders', async () => {
      const dir = folder('artifacts');
      await storage.put(`${dir}/keep.bin`, bytes('k'));
      await storage.put(`${dir}/drop.bin`, bytes('d'));
      await storage.delete([`${dir}/drop.bin`, `${dir}/never-existed.bin`]);
      expect((await storage.list(dir)).map((o) => o.path)).toEqual([`${dir}/keep.bin`]);
      await storage.delete([]);
      await storage.put(`${dir}/folder/inside.bin`, bytes('i'));
      await storage.delete([`${dir}/folder`]); // a folder is not an object
      expect(await storage.stat(`${dir}/folder/inside.bin`)).not.toBeNull();
      await storage.delete([`${dir}/folder/inside.bin`]);

      await storage.put(`${dir}/job/x/1.bin`, bytes('1'));
      await storage.put(`${dir}/job/2.bin`, bytes('2'));
      await storage.put(`${dir}/job0/3.bin`, bytes('3'));
      await storage.deletePrefix(`${dir}/job`);
      expect((await storage.list(dir)).map((o) => o.path)).toEqual([`${dir}/job0/3.bin`, `${dir}/keep.bin`]);
      await storage.deletePrefix(`${dir}/no-such-folder`);
      await storage.deletePrefix(dir);
      expect(await storage.list(dir)).toEqual([]);
    });

    it('streams a 50 MB put without holding it in memory', async () => {
      const path = `${folder('exports')}/big.bin`;
      const chunkSize = 64 * 1024;
      const chunks = (50 * 1024 * 1024) / chunkSize;
      const written = createHash('sha256');
      async function* generate() {
        for (let i = 0; i < chunks; i++) {
          const chunk = Buffer.alloc(chunkSize, i % 251);
          chunk.writeUInt32BE(i, 0);
          written.update(chunk);
          yield chunk;
        }
      }
      // Garbage is collected while sampling, so what grows is memory the upload really holds; often
      // (every ~25 ms), since sampling less often made the "live" figure swing from 0.5 to 27 MB
      // between runs of the same code: buffers freed since the last GC were still counted.
      const gc = exposeGc();
      gc();
      const baseline = process.memoryUsage();
      let peakRss = baseline.rss;
      let peakLive = baseline.arrayBuffers + baseline.heapUsed;
      // A chain of timeouts, not setInterval: 25 ms of free event loop after each GC. (An interval
      // fires again at once when a GC takes longer than 25 ms, as on a loaded box, and the upload in
      // this same process then crawled: 62–66 s instead of ~1 s at load ~9.)
      let sampler: NodeJS.Timeout | undefined;
      let sampling = true;
      const sample = () => {
        if (!sampling) return;
        gc();
        const now = process.memoryUsage();
        peakRss = Math.max(peakRss, now.rss);
        peakLive = Math.max(peakLive, now.arrayBuffers + now.heapUsed);
        sampler = setTimeout(sample, 25);
      };
      sampler = setTimeout(sample, 25);
      try {
        expect(await storage.put(path, Readable.from(generate()))).toEqual({ sizeBytes: chunks * chunkSize });
      } finally {
        sampling = false;
        clearTimeout(sampler);
      }
      expect(peakRss - baseline.rss).toBeLessThan(50 * 1024 * 1024);
      expect(peakLive - (baseline.arrayBuffers + baseline.heapUsed)).toBeLessThan(20 * 1024 * 1024);

      const readBack = createHash('sha256');
      for await (const chunk of (await storage.read(path)) as AsyncIterable<Buffer>) readBack.update(chunk);
      expect(readBack.digest('hex')).toBe(written.digest('hex'));
      expect((await storage.stat(path))?.sizeBytes).toBe(chunks * chunkSize);
      await storage.delete([path]);
    }, 180_000); // ~1 s on a quiet machine; the margin is for a loaded one

    it('signs download links that plain fetch can use, with ranges and a file name', async () => {
      const path = `${folder()}/data.jsonl`;
      await storage.put(path, bytes('{"a":1}\n{"b":2}\n'));
      const url = await storage.signedDownloadUrl(path, { expiresInSeconds: 60 });
      const whole = await fetch(url);
      expect(whole.status).toBe(200);
      expect(await whole.text()).toBe('{"a":1}\n{"b":2}\n');

      const part = await fetch(url, { headers: { Range: 'bytes=8-15' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe('bytes 8-15/16');
      expect(await part.text()).toBe('{"b":2}\n');

      const named = await fetch(await storage.signedDownloadUrl(path, { expiresInSeconds: 60, downloadName: 'my data.jsonl' }));
      expect(named.headers.get('content-disposition')).toContain(encodeURIComponent('my data.jsonl'));
      await named.arrayBuffer();
    });

    it('refuses expired download links', async () => {
      const path = `${folder()}/soon-gone.txt`;
      await storage.put(path, bytes('secret'));
      const url = await storage.signedDownloadUrl(path, { expiresInSeconds: 1 });
      await sleep(2100);
      const response = await fetch(url);
      expect(response.ok).toBe(false);
      expect(await response.text()).not.toContain('secret');
    });

    it('signs upload links that plain fetch can PUT to', async () => {
      const path = `${folder()}/uploaded.bin`;
      const upload = await storage.signedUploadUrl(path, { expiresInSeconds: 600, maxBytes: 1024 });
      expect(upload.method).toBe('PUT');
      expect(upload.expiresAt.getTime()).toBeGreaterThan(Date.now());
      const first = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: 'first version' });
      expect(first.ok).toBe(true);
      expect((await readAll(await storage.read(path))).toString()).toBe('first version');
      const again = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: 'second' });
      expect(again.ok).toBe(true);
      expect(await storage.stat(path)).toMatchObject({ sizeBytes: 6 });
    });

    it('makes createOnly upload links single-use: a second PUT is refused and the first bytes stay', async () => {
      const path = `${folder()}/once.bin`;
      const upload = await storage.signedUploadUrl(path, { expiresInSeconds: 600, maxBytes: 1024, createOnly: true });
      const first = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: 'the real bytes' });
      expect(first.ok).toBe(true);
      const again = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: 'replaced' });
      expect(again.ok).toBe(false);
      expect(await again.text()).toMatch(/already|Duplicate|exists/i);
      expect((await readAll(await storage.read(path))).toString()).toBe('the real bytes');
      // A second link for the same path cannot replace it either.
      const other = await storage.signedUploadUrl(path, { expiresInSeconds: 600, createOnly: true });
      expect((await fetch(other.url, { method: 'PUT', headers: other.headers, body: 'other' })).ok).toBe(false);
      expect(await storage.stat(path)).toMatchObject({ sizeBytes: 14 });
    });

    it('refuses uploads over the link size limit where the backend can enforce it', async () => {
      if (!fixture.enforcesUploadMaxBytes) return;
      const path = `${folder()}/too-big.bin`;
      const upload = await storage.signedUploadUrl(path, { expiresInSeconds: 600, maxBytes: 10 });
      const response = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: 'x'.repeat(11) });
      expect(response.status).toBe(413);
      expect(await storage.stat(path)).toBeNull();
    });

    it('rejects invalid paths and arguments with clear errors', async () => {
      const bad = ['../etc/passwd', '/datasets/a', 'datasets\\a', 'datasets//a', 'datasets/a/', 'secrets/a', 'datasets', 'datasets/a b', 'datasets/./a', ''];
      for (const path of bad) {
        await expect(storage.put(path, bytes('x')), path).rejects.toBeInstanceOf(StoragePathError);
        await expect(storage.read(path), path).rejects.toBeInstanceOf(StoragePathError);
        await expect(storage.stat(path), path).rejects.toBeInstanceOf(StoragePathError);
        await expect(storage.delete([path]), path).rejects.toBeInstanceOf(StoragePathError);
        await expect(storage.signedDownloadUrl(path, { expiresInSeconds: 60 }), path).rejects.toBeInstanceOf(StoragePathError);
        await expect(storage.signedUploadUrl(path, { expiresInSeconds: 60 }), path).rejects.toBeInstanceOf(StoragePathError);
      }
      for (const prefix of ['../datasets', 'unknown', 'datasets//x', '']) {
        await expect(storage.list(prefix), prefix).rejects.toBeInstanceOf(StoragePathError);
        await expect(storage.deletePrefix(prefix), prefix).rejects.toBeInstanceOf(StoragePathError);
      }
      await expect(storage.put('datasets/../x', bytes('x'))).rejects.toThrow(/"\.\." segments are not allowed/);
      await expect(storage.list('secrets')).rejects.toThrow(/"secrets" is not a storage area/);
      const path = `${folder()}/x.bin`;
      await expect(storage.signedUploadUrl(path, { expiresInSeconds: 0 })).rejects.toBeInstanceOf(StorageError);
    });
  });
}
