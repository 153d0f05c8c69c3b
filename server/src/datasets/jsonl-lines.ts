import { isUtf8 } from 'node:buffer';

export interface Line {
  /** 1-based line number in the file. */
  number: number;
  text: string;
  /** False for a last line that has no newline after it. */
  terminated: boolean;
  /** The line's bytes, for locating a problem inside it (valid until the next line is read). */
  bytes: Buffer;
  /** Set when the bytes are not valid UTF-8: the 1-based column of the first bad byte; `text` is then ''. */
  invalidUtf8Column?: number;
}

/** A single line longer than any real training pair: reading on would exhaust memory. */
export class LineTooLongError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly maxBytes: number,
  ) {
    super(`line ${lineNumber} is longer than ${maxBytes} bytes`);
    this.name = 'LineTooLongError';
  }
}

/** A JSONL line holds one pair (its history included); real ones are a few kB. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** 1-based column (in characters) of the first byte that breaks UTF-8 in `bytes`. */
export function invalidUtf8Column(bytes: Buffer): number {
  let column = 1;
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    let need = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (byte < 0x80) need = 0;
    else if (byte >= 0xc2 && byte <= 0xdf) need = 1;
    else if (byte >= 0xe0 && byte <= 0xef) {
      need = 2;
      if (byte === 0xe0) lower = 0xa0;
      if (byte === 0xed) upper = 0x9f;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      need = 3;
      if (byte === 0xf0) lower = 0x90;
      if (byte === 0xf4) upper = 0x8f;
    } else return column;
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < lower || next > upper) return column;
      lower = 0x80;
      upper = 0xbf;
    }
    i += need + 1;
    column += 1;
  }
  return column;
}

/**
 * Splits a byte stream into lines ended by LF, CRLF or a lone CR, holding at most one partial
 * line. Each line's bytes are checked to be UTF-8; a byte-order mark before the first is dropped.
 */
export async function* readLines(chunks: AsyncIterable<Buffer>, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<Line> {
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let number = 0;
  let skipLF = false; // the previous chunk ended with CR: an LF at the start of this one belongs to it

  const make = (bytes: Buffer, terminated: boolean): Line => {
    const start = number === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const body = start === 0 ? bytes : bytes.subarray(start);
    if (!isUtf8(body)) return { number, text: '', terminated, bytes: body, invalidUtf8Column: invalidUtf8Column(body) };
    return { number, text: body.toString('utf8'), terminated, bytes: body };
  };

  for await (const chunk of chunks) {
    let start = 0;
    if (skipLF && chunk.length > 0) {
      if (chunk[0] === NEWLINE) start = 1;
      skipLF = false;
    }
    let at = start;
    // The next CR is searched again only once it is passed: most files have none.
    let cr = chunk.indexOf(CARRIAGE_RETURN, at);
    while (at < chunk.length) {
      let end = chunk.indexOf(NEWLINE, at);
      if (cr !== -1 && cr < at) cr = chunk.indexOf(CARRIAGE_RETURN, at);
      if (cr !== -1 && (end === -1 || cr < end)) end = cr;
      if (end === -1) break;
      number += 1;
      const piece = chunk.subarray(start, end);
      const bytes = partial.length === 0 ? piece : Buffer.concat([...partial, piece]);
      partial = [];
      partialBytes = 0;
      if (bytes.length > maxLineBytes) throw new LineTooLongError(number, maxLineBytes);
      yield make(bytes, true);
      start = end + 1;
      if (chunk[end] === CARRIAGE_RETURN) {
        if (start < chunk.length) {
          if (chunk[start] === NEWLINE) start += 1;
        } else skipLF = true;
      }
      at = start;
    }
    if (start < chunk.length) {
      partial.push(chunk.subarray(start));
      partialBytes += chunk.length - start;
      if (partialBytes > maxLineBytes) throw new LineTooLongError(number + 1, maxLineBytes);
    }
  }
  if (partialBytes > 0) {
    number += 1;
    yield make(Buffer.concat(partial), false);
  }
}
