export interface Line {
  /** 1-based line number in the file. */
  number: number;
  text: string;
  /** False for a last line that has no newline after it. */
  terminated: boolean;
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

export const MAX_LINE_BYTES = 64 * 1024 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** Splits a byte stream into UTF-8 lines (LF or CRLF), holding at most one partial line. */
export async function* readLines(chunks: AsyncIterable<Buffer>, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<Line> {
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let number = 0;

  const decode = (bytes: Buffer): string => {
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === CARRIAGE_RETURN) end -= 1;
    // A UTF-8 byte-order mark before the first line is not part of the data.
    const start = number === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return bytes.toString('utf8', start, end);
  };

  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      number += 1;
      const piece = chunk.subarray(start, end);
      const bytes = partial.length === 0 ? piece : Buffer.concat([...partial, piece]);
      partial = [];
      partialBytes = 0;
      if (bytes.length > maxLineBytes) throw new LineTooLongError(number, maxLineBytes);
      yield { number, text: decode(bytes), terminated: true };
      start = end + 1;
    }
    if (start < chunk.length) {
      partial.push(chunk.subarray(start));
      partialBytes += chunk.length - start;
      if (partialBytes > maxLineBytes) throw new LineTooLongError(number + 1, maxLineBytes);
    }
  }
  if (partialBytes > 0) {
    number += 1;
    yield { number, text: decode(Buffer.concat(partial)), terminated: false };
  }
}
