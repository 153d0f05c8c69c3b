import { Sha256 } from './sha256';

export type DownloadStatus = 'idle' | 'downloading' | 'paused' | 'done' | 'failed';

export interface DownloadTarget {
  name: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * One file's download, resumable with HTTP Range: the bytes received so far are kept (and hashed
 * as they arrive), so a pause, a dropped connection or a stream that ends early continues with
 * `Range: bytes=<received>-` instead of starting over. When every byte is in, the SHA-256 of
 * what arrived is compared with the one the API lists; only a match counts as done.
 */
export class ResumableDownload {
  status = $state<DownloadStatus>('idle');
  received = $state(0);
  /** Times the download continued from a byte offset (a resume). */
  resumes = $state(0);
  error = $state<string | null>(null);
  /** The SHA-256 of the received bytes, once complete. */
  actualSha256 = $state<string | null>(null);

  #chunks: Uint8Array[] = [];
  #hash = new Sha256();
  #controller: AbortController | null = null;
  #retriesLeft = 0;

  constructor(
    readonly target: DownloadTarget,
    /** The signed link; `fresh` asks for a new one (the old one may have expired). */
    private readonly link: (fresh: boolean) => Promise<string>,
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
    private readonly maxRetries = 3,
  ) {}

  get total() {
    return this.target.sizeBytes;
  }
  get fraction() {
    return this.total === 0 ? (this.status === 'done' ? 1 : 0) : this.received / this.total;
  }
  get verified() {
    return this.status === 'done' && this.actualSha256 === this.target.sha256;
  }

  /** Starts, or continues from the bytes already received. Resolves when it stops (done, paused or failed). */
  async start(): Promise<void> {
    if (this.status === 'downloading' || this.status === 'done') return;
    this.error = null;
    this.status = 'downloading';
    this.#retriesLeft = this.maxRetries;
    let fresh = false;
    while (this.status === 'downloading') {
      const controller = new AbortController();
      this.#controller = controller;
      try {
        const url = await this.link(fresh);
        fresh = false;
        const from = this.received;
        if (from > 0) this.resumes++;
        const response = await this.fetcher(url, { headers: from > 0 ? { Range: `bytes=${from}-` } : {}, signal: controller.signal, cache: 'no-store' });
        if (response.status === 416 && from === this.total) {
          this.#finish();
          return;
        }
        if (response.status === 403 || response.status === 401) {
          // The signed link expired: ask for a new one once.
          if (this.#retriesLeft-- <= 0) throw new Error(`the server refused the download link (HTTP ${response.status}); reload the page for new links`);
          fresh = true;
          continue;
        }
        if (!response.ok || !response.body) throw new Error(`the server answered HTTP ${response.status}`);
        if (from > 0 && response.status !== 206) {
          // The server ignored the range: start over rather than append the start twice.
          this.#reset();
        } else if (from > 0) {
          const start = Number(/bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1]);
          if (start !== from) throw new Error(`the server resumed at byte ${start}, not ${from}`);
        }
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          this.#chunks.push(value);
          this.#hash.update(value);
          this.received += value.length;
          if (this.received > this.total) throw new Error(`received more than the ${this.total} bytes listed`);
        }
        if (this.received === this.total) {
          this.#finish();
          return;
        }
        // The stream ended early (a dropped connection): continue from here.
        if (this.#retriesLeft-- <= 0) throw new Error(`the connection kept dropping (${this.received} of ${this.total} bytes received); resume to continue`);
      } catch (error) {
        if (controller.signal.aborted) return; // paused
        if ((error as Error).name === 'TypeError' && this.#retriesLeft-- > 0) {
          await new Promise((r) => setTimeout(r, 500));
          continue; // a network failure: retry from the bytes we have
        }
        this.status = 'failed';
        this.error = (error as Error).message;
        return;
      } finally {
        if (this.#controller === controller) this.#controller = null;
      }
    }
  }

  pause() {
    if (this.status !== 'downloading') return;
    this.status = 'paused';
    this.#controller?.abort();
  }

  /** The file as received (call when done). */
  blob(): Blob {
    return new Blob(this.#chunks as BlobPart[], { type: 'application/octet-stream' });
  }

  #finish() {
    const actual = this.#hash.digest();
    this.actualSha256 = actual;
    if (actual === this.target.sha256) {
      this.status = 'done';
    } else {
      this.status = 'failed';
      this.error = `checksum mismatch: received SHA-256 ${actual.slice(0, 12)}…, expected ${this.target.sha256.slice(0, 12)}… — download it again`;
      this.#reset();
    }
  }

  #reset() {
    this.#chunks = [];
    this.#hash = new Sha256();
    this.received = 0;
  }
}

/** Hands a blob to the browser as a saved file. */
export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
