import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ResumableDownload } from './download.svelte';

const bytes = new Uint8Array(Array.from({ length: 5000 }, (_, i) => (i * 31) % 256));
const sha = createHash('sha256').update(bytes).digest('hex');
const target = { name: 'adapter_model.safetensors', sizeBytes: bytes.length, sha256: sha };

/** A server honouring single ranges, whose first answer is cut off after `cut` bytes. */
function server(cut: number | null, { honourRange = true } = {}) {
  const requests: (string | null)[] = [];
  const fetcher = (async (_url: string, init?: RequestInit) => {
    const range = (init?.headers as Record<string, string>)?.Range ?? null;
    requests.push(range);
    const from = honourRange && range ? Number(/bytes=(\d+)-/.exec(range)![1]) : 0;
    let body = bytes.subarray(from);
    if (requests.length === 1 && cut !== null) body = body.subarray(0, cut);
    const headers = new Headers(from > 0 ? { 'content-range': `bytes ${from}-${bytes.length - 1}/${bytes.length}` } : {});
    return new Response(body.slice(), { status: from > 0 ? 206 : 200, headers });
  }) as unknown as typeof fetch;
  return { fetcher, requests };
}

describe('resumable download with HTTP Range and SHA-256 check', () => {
  it('continues a cut-off stream from the byte it stopped at and verifies the whole file', async () => {
    const { fetcher, requests } = server(2250);
    const d = new ResumableDownload(target, async () => 'http://files/x', fetcher);
    await d.start();
    expect(requests).toEqual([null, 'bytes=2250-']);
    expect([d.status, d.received, d.resumes, d.verified, d.actualSha256]).toEqual(['done', 5000, 1, true, sha]);
    expect(new Uint8Array(await d.blob().arrayBuffer())).toEqual(bytes);
  });

  it('starts over when the server ignores the range, and fails a checksum mismatch without keeping the bytes', async () => {
    const ignoring = server(1000, { honourRange: false });
    const d = new ResumableDownload(target, async () => 'u', ignoring.fetcher);
    await d.start();
    expect([d.status, d.received, d.verified]).toEqual(['done', 5000, true]);

    const wrong = new ResumableDownload({ ...target, sha256: 'f'.repeat(64) }, async () => 'u', server(null).fetcher);
    await wrong.start();
    expect(wrong.status).toBe('failed');
    expect(wrong.error).toMatch(/checksum mismatch/);
    expect(wrong.received).toBe(0);
  });

  it('asks for a fresh link when the signed one is refused', async () => {
    const links: boolean[] = [];
    const fetcher = (async (url: string) => (url === 'old' ? new Response('expired', { status: 403 }) : new Response(bytes.slice(), { status: 200 }))) as unknown as typeof fetch;
    const d = new ResumableDownload(target, async (fresh) => (links.push(fresh), fresh ? 'new' : 'old'), fetcher);
    await d.start();
    expect([d.status, links]).toEqual(['done', [false, true]]);
  });
});
