import Parser from 'stream-json/Parser.js';
import type { TransformCallback } from 'node:stream';
import { DocumentWalker, type JsonDocumentEvent } from './document-walker.js';
import type { JsonToken } from './value-builder.js';

export type { JsonDocumentEvent } from './document-walker.js';
export { OversizedValueError, MAX_CONVERSATION_CHARS } from './document-walker.js';

// Reads a full brightrun-lora-v4 JSON file with stream-json's tokenizer and hands out its
// parts one at a time (see DocumentWalker). The parser is fed one slice at a time and its
// tokens are taken as it makes them, so that on a syntax error every token before it has
// been seen: the error is then located by its path in the document and by line range.

/** The JSON itself is broken. `atEnd`: the input ended inside a value (a truncated file). */
export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly atEnd: boolean,
    readonly where: string,
    readonly firstLine: number,
    readonly lastLine: number,
  ) {
    super(`${reason} (${where}, lines ${firstLine}–${lastLine})`);
    this.name = 'JsonSyntaxError';
  }
}

// Tokens of one slice are held at once (a few thousand for 64 KiB); the slice also bounds the
// line range given for a syntax error.
const SLICE_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/** stream-json's parser, with its tokens collected in an array instead of a readable buffer. */
class CollectingParser extends Parser {
  readonly tokens: JsonToken[] = [];
  finishing = false;

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    this.tokens.push(chunk as JsonToken);
    return true;
  }

  override _flush(callback: TransformCallback): void {
    this.finishing = true;
    super._flush(callback);
  }
}

function write(parser: CollectingParser, slice: Buffer): Promise<void> {
  return new Promise((resolve, reject) => parser.write(slice, (error) => (error ? reject(error) : resolve())));
}

function end(parser: CollectingParser): Promise<void> {
  return new Promise((resolve, reject) => {
    parser.once('error', reject);
    parser.once('finish', resolve);
    parser.end();
  });
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count += 1;
  return count;
}

function syntaxReason(error: unknown): string | null {
  const message = error instanceof Error ? error.message : String(error);
  if (!message.startsWith('Parser ')) return null;
  return message.replace(/^Parser cannot parse input:\s*/, '').replace(/^Parser has /, '') || 'invalid JSON';
}

export async function* readJsonDocument(chunks: AsyncIterable<Buffer>): AsyncGenerator<JsonDocumentEvent> {
  const parser = new CollectingParser({ packValues: true, streamValues: false });
  parser.on('error', () => {
    // Reported through the write and end callbacks below.
  });
  const walker = new DocumentWalker();
  let line = 1; // line at the start of the next slice
  let sliceFirstLine = 1;
  let endsWithNewline = false;

  function* drain(): Generator<JsonDocumentEvent> {
    for (const token of parser.tokens.splice(0)) {
      const event = walker.consume(token);
      if (event) yield event;
    }
  }
  const fail = (error: unknown, atEnd: boolean): never => {
    const reason = syntaxReason(error);
    if (reason === null) throw error;
    throw new JsonSyntaxError(reason, atEnd, walker.where(), sliceFirstLine, line);
  };

  try {
    for await (const chunk of chunks) {
      for (let offset = 0; offset < chunk.length; offset += SLICE_BYTES) {
        const slice = chunk.subarray(offset, offset + SLICE_BYTES);
        sliceFirstLine = line;
        line += countNewlines(slice);
        endsWithNewline = slice[slice.length - 1] === NEWLINE;
        let failure: unknown = null;
        await write(parser, slice).catch((error: unknown) => (failure = error ?? new Error('Parser failed')));
        yield* drain();
        if (failure !== null) fail(failure, false);
      }
    }
    // At the end, the place is the last line that has content.
    if (endsWithNewline && line > 1) line -= 1;
    sliceFirstLine = line;
    let failure: unknown = null;
    await end(parser).catch((error: unknown) => (failure = error ?? new Error('Parser failed')));
    yield* drain();
    if (failure !== null) fail(failure, parser.finishing);
    if (!walker.complete) throw new JsonSyntaxError('the JSON is incomplete', true, walker.where(), line, line);
  } finally {
    parser.destroy(); // also when the caller stops early
  }
}
