import { DocumentWalker, type JsonDocumentEvent } from './document-walker.js';
import { JsonPositionError, JsonTokenizer } from './json-tokenizer.js';

export type { JsonDocumentEvent } from './document-walker.js';
export { OversizedValueError, MAX_CONVERSATION_CHARS } from './document-walker.js';

// Reads a full brightrun-lora-v4 JSON file with JsonTokenizer and hands out its parts one at a
// time (see DocumentWalker). Every token before a problem has been seen by the walker when the
// problem is reported, so it is located both by line and column and by its path in the document.

/**
 * The JSON is broken (`syntax`) or holds something refused (`content`: a text too long, nesting
 * too deep, invalid UTF-8, \u0000). `atEnd`: the input ended inside a value (a truncated file).
 */
export class JsonReadError extends Error {
  constructor(
    readonly kind: 'syntax' | 'content',
    readonly reason: string,
    readonly atEnd: boolean,
    readonly where: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} (${where}, line ${line}, column ${column})`);
    this.name = 'JsonReadError';
  }
}

// Bounds the tokens held at once (a few thousand for 64 KiB).
const SLICE_BYTES = 64 * 1024;

export async function* readJsonDocument(chunks: AsyncIterable<Buffer>): AsyncGenerator<JsonDocumentEvent> {
  const tokenizer = new JsonTokenizer();
  const walker = new DocumentWalker();

  function* drain(): Generator<JsonDocumentEvent> {
    for (const token of tokenizer.tokens.splice(0)) {
      const event = walker.consume(token);
      if (event) yield event;
    }
  }
  const located = (error: unknown): unknown => {
    if (!(error instanceof JsonPositionError)) return error;
    return new JsonReadError(error.kind, error.reason, error.atEnd, walker.where(), error.line, error.column);
  };

  for await (const chunk of chunks) {
    for (let offset = 0; offset < chunk.length; offset += SLICE_BYTES) {
      let failure: unknown = null;
      try {
        tokenizer.write(chunk.subarray(offset, offset + SLICE_BYTES));
      } catch (error) {
        failure = error;
      }
      yield* drain(); // the tokens before the problem, so that `where` names its place
      if (failure !== null) throw located(failure);
    }
  }
  let failure: unknown = null;
  try {
    tokenizer.end();
  } catch (error) {
    failure = error;
  }
  yield* drain();
  if (failure !== null) throw located(failure);
}
