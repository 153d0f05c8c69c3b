import { createHash } from 'node:crypto';

/** The input went past the size limit; analysis stops at once. */
export class TooLargeError extends Error {
  constructor(
    readonly maxBytes: number,
    readonly bytesRead: number,
  ) {
    super(`input exceeds ${maxBytes} bytes`);
    this.name = 'TooLargeError';
  }
}

/**
 * Wraps the upload's byte stream: hashes and measures it as it is read, stops at the size
 * limit and on abort, and lets the encoding detector look at the start before the parser
 * takes over (`take` then `rest`). Nothing is kept beyond what was peeked.
 */
export class MeteredInput {
  /** Bytes read so far (all of them once `finished`). */
  sizeBytes = 0;
  finished = false;
  private readonly hash = createHash('sha256');
  private readonly iterator: AsyncIterator<Uint8Array>;
  private readonly peeked: Buffer[] = [];

  constructor(
    input: AsyncIterable<Uint8Array>,
    private readonly maxBytes: number,
    private readonly signal?: AbortSignal,
  ) {
    this.iterator = input[Symbol.asyncIterator]();
  }

  private async read(): Promise<Buffer | null> {
    this.signal?.throwIfAborted();
    if (this.finished) return null;
    const next = await this.iterator.next();
    this.signal?.throwIfAborted();
    if (next.done) {
      this.finished = true;
      return null;
    }
    const chunk = next.value;
    this.sizeBytes += chunk.byteLength;
    if (this.sizeBytes > this.maxBytes) throw new TooLargeError(this.maxBytes, this.sizeBytes);
    this.hash.update(chunk);
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    return buffer;
  }

  /** Reads one more chunk into the peeked prefix and returns it; null at the end of the input. */
  async peekMore(): Promise<Buffer | null> {
    const chunk = await this.read();
    if (chunk !== null && chunk.byteLength > 0) this.peeked.push(chunk);
    return chunk;
  }

  /** Everything peeked so far, as one buffer. */
  prefix(): Buffer {
    return this.peeked.length === 1 ? this.peeked[0]! : Buffer.concat(this.peeked);
  }

  /** The whole input from the start: the peeked prefix, then the rest as it arrives. */
  async *chunks(): AsyncGenerator<Buffer> {
    while (this.peeked.length > 0) yield this.peeked.shift()!;
    for (;;) {
      const chunk = await this.read();
      if (chunk === null) return;
      if (chunk.byteLength > 0) yield chunk;
    }
  }

  /** Stops reading the upload (it is closed; the hash is then meaningless). */
  async close(): Promise<void> {
    await this.iterator.return?.();
  }

  /** sha256 of the whole input; only meaningful once `finished`. */
  digest(): string {
    return this.hash.digest('hex');
  }
}
