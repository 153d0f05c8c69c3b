import { Readable, Transform, type TransformCallback } from 'node:stream';
import { StorageError } from './storage.js';

export function toReadable(body: Readable | Uint8Array): Readable {
  if (body instanceof Uint8Array) {
    // Wrapped in an array: Readable.from(buffer) would emit one byte at a time.
    return Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)], { objectMode: false });
  }
  if (body instanceof Readable) return body;
  throw new StorageError('Object bodies must be a Node Readable stream or a Uint8Array.', {
    code: 'invalid_argument',
  });
}

export class TooLargeError extends StorageError {
  override name = 'TooLargeError';
  readonly maxBytes: number;
  constructor(maxBytes: number) {
    super(`The upload is larger than the ${maxBytes} bytes this link allows.`, { code: 'too_large' });
    this.maxBytes = maxBytes;
  }
}

/** Passes bytes through, counting them, and fails as soon as more than `maxBytes` went by. */
export class ByteCounter extends Transform {
  bytes = 0;
  readonly #maxBytes: number | undefined;

  constructor(maxBytes?: number) {
    super();
    this.#maxBytes = maxBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.#maxBytes !== undefined && this.bytes > this.#maxBytes) {
      callback(new TooLargeError(this.#maxBytes));
      return;
    }
    callback(null, chunk);
  }
}
