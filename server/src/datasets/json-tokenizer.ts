import type { JsonToken } from './value-builder.js';

// A streaming JSON tokenizer that knows where it is. It replaces a general-purpose parser for
// the import because the import needs, per byte and in linear time:
// - the exact line and column of a syntax error (a real export broken in one place must say
//   where, not "lines 1–610");
// - limits enforced while reading, before anything large is built: the length of one string,
//   the nesting depth, the length of a number;
// - strict UTF-8 (an invalid sequence is refused with its line and column, never replaced);
// - `\u0000` refused (PostgreSQL text cannot hold it) with its place;
// - LF, CRLF and CR-only line ends all counted as line ends.
// Tokens have the shape of stream-json's packed tokens, so ValueBuilder builds values from them.

/** Deepest nesting accepted anywhere in a file; real brightrun-lora-v4 files nest 8 levels. */
export const MAX_DEPTH = 64;
/**
 * Longest text accepted in one string, in UTF-16 code units (characters for most text). About
 * 25,000 Llama 3 tokens at ~4 characters per token: six times the longest maxSequenceLength a
 * job can use (4,096 tokens), so such a string cannot be trained on. The longest string in the
 * real sample is 3,056 characters.
 */
export const MAX_STRING_CHARS = 100_000;
/** Longest object key. */
export const MAX_KEY_CHARS = 1_000;
const MAX_NUMBER_CHARS = 100;

/** A byte-exact place in the file: 1-based line and column (columns count characters). */
export interface JsonPosition {
  line: number;
  column: number;
}

/**
 * The JSON is malformed (`syntax`), or well-formed but beyond a limit or holding something the
 * product cannot store (`content`). `atEnd`: the input ended inside a value (a truncated file).
 */
export class JsonPositionError extends Error {
  constructor(
    readonly kind: 'syntax' | 'content',
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly atEnd = false,
  ) {
    super(`${reason} (line ${line}, column ${column})`);
    this.name = 'JsonPositionError';
  }
}

/** Tokens of values (and of the start of an object or list) carry the line they start on. */
export type PositionedToken = JsonToken & { line?: number };

const S_VALUE = 0; // a value is expected (top level, after ":" or after "," in a list)
const S_VALUE_OR_CLOSE = 1; // just after "["
const S_KEY_OR_CLOSE = 2; // just after "{"
const S_KEY = 3; // after "," in an object
const S_COLON = 4;
const S_AFTER_VALUE = 5; // "," or the closing bracket
const S_DONE = 6; // the top-level value is complete: only whitespace may follow
const S_STRING = 7;
const S_NUMBER = 8;
const S_LITERAL = 9;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LF = 0x0a;
const CR = 0x0d;

const ESCAPES: Record<number, string> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };
const NUMBER_PATTERN = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function describeByte(byte: number): string {
  if (byte === LF || byte === CR) return 'a line break';
  if (byte === 0) return 'a NUL byte';
  if (byte < 0x20 || byte === 0x7f) return `the control character 0x${byte.toString(16).padStart(2, '0')}`;
  if (byte >= 0x80) return 'a non-ASCII character';
  return JSON.stringify(String.fromCharCode(byte));
}

function isNumberByte(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === 0x2b || byte === 0x2e || byte === 0x65 || byte === 0x45;
}

export class JsonTokenizer {
  /** Tokens produced so far; the caller takes them (splice) after each `write`. */
  readonly tokens: PositionedToken[] = [];
  line = 1;
  column = 1;
  private lastWasCR = false;
  private state = S_VALUE;
  private readonly stack: number[] = []; // 0x7b "{" or 0x5b "["
  private started = false;

  // The string being read.
  private isKey = false;
  private parts: Buffer[] = [];
  private escaped = '';
  private stringBytes = 0;
  private escape = 0; // 0 none, 1 after "\", 2–5 reading the nth hex digit of \uXXXX
  private hex = 0;
  private utf8Pending = 0; // continuation bytes still expected
  private utf8Lower = 0x80;
  private utf8Upper = 0xbf;
  private utf8LeadLine = 0;
  private utf8LeadColumn = 0;
  private startLine = 0;
  private startColumn = 0;

  private number = '';
  private literal = '';
  private literalAt = 0;

  constructor(private readonly limits: { maxDepth: number; maxStringChars: number; maxKeyChars: number } = { maxDepth: MAX_DEPTH, maxStringChars: MAX_STRING_CHARS, maxKeyChars: MAX_KEY_CHARS }) {}

  /** True once a complete top-level value has been read. */
  get complete(): boolean {
    return this.state === S_DONE;
  }

  private syntax(reason: string): never {
    throw new JsonPositionError('syntax', reason, this.line, this.column);
  }

  private content(reason: string, line = this.line, column = this.column): never {
    throw new JsonPositionError('content', reason, line, column);
  }

  write(chunk: Buffer): void {
    const n = chunk.length;
    let i = 0;
    if (!this.started && n > 0) {
      this.started = true;
      if (n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3; // byte-order mark
    }
    while (i < n) {
      const state = this.state;
      if (state === S_STRING) {
        i = this.scanString(chunk, i);
        continue;
      }
      const byte = chunk[i]!;
      if (state === S_NUMBER) {
        if (isNumberByte(byte)) {
          if (this.number.length >= MAX_NUMBER_CHARS) this.syntax(`a number longer than ${MAX_NUMBER_CHARS} characters`);
          this.number += String.fromCharCode(byte);
          this.column += 1;
          i += 1;
          continue;
        }
        this.finishNumber();
        continue; // the byte ends the number and is read again
      }
      if (state === S_LITERAL) {
        if (byte !== this.literal.charCodeAt(this.literalAt)) this.syntax(`invalid literal: expected "${this.literal}" (true, false and null are lower case; text goes in double quotes)`);
        this.literalAt += 1;
        this.column += 1;
        i += 1;
        if (this.literalAt === this.literal.length) {
          this.tokens.push({ name: this.literal === 'null' ? 'nullValue' : this.literal === 'true' ? 'trueValue' : 'falseValue', line: this.line });
          this.afterValue();
        }
        continue;
      }
      // Whitespace, counting line ends: LF, CRLF (once) and a lone CR.
      if (byte === 0x20 || byte === 0x09) {
        this.lastWasCR = false;
        this.column += 1;
        i += 1;
        continue;
      }
      if (byte === LF) {
        if (!this.lastWasCR) this.line += 1;
        this.lastWasCR = false;
        this.column = 1;
        i += 1;
        continue;
      }
      if (byte === CR) {
        this.line += 1;
        this.lastWasCR = true;
        this.column = 1;
        i += 1;
        continue;
      }
      this.lastWasCR = false;
      this.structural(byte); // errors point at this byte's column
      this.column += 1;
      i += 1;
    }
  }

  private structural(byte: number): void {
    switch (this.state) {
      case S_VALUE:
      case S_VALUE_OR_CLOSE:
        if (byte === 0x5d /* ] */ && this.state === S_VALUE_OR_CLOSE) return this.close(byte);
        return this.startValue(byte);
      case S_KEY_OR_CLOSE:
        if (byte === 0x7d /* } */) return this.close(byte);
        if (byte === QUOTE) return this.startString(true);
        return this.syntax(`expected a key in double quotes or "}", found ${describeByte(byte)}`);
      case S_KEY:
        if (byte === QUOTE) return this.startString(true);
        if (byte === 0x7d) return this.syntax('a comma before "}" (trailing commas are not JSON): remove it');
        return this.syntax(`expected a key in double quotes after ",", found ${describeByte(byte)}`);
      case S_COLON:
        if (byte === 0x3a /* : */) {
          this.state = S_VALUE;
          return;
        }
        return this.syntax(`expected ":" after the key, found ${describeByte(byte)}`);
      case S_AFTER_VALUE: {
        const top = this.stack[this.stack.length - 1];
        if (byte === 0x2c /* , */) {
          this.state = top === 0x7b ? S_KEY : S_VALUE;
          return;
        }
        if ((byte === 0x7d && top === 0x7b) || (byte === 0x5d && top === 0x5b)) return this.close(byte);
        const expected = top === 0x7b ? '"," or "}"' : '"," or "]"';
        return this.syntax(`expected ${expected} after a value, found ${describeByte(byte)}`);
      }
      case S_DONE:
        return this.syntax(`unexpected ${describeByte(byte)} after the end of the JSON object`);
    }
  }

  private startValue(byte: number): void {
    if (byte === 0x7b || byte === 0x5b) {
      if (this.stack.length >= this.limits.maxDepth) {
        this.content(`values nested more than ${this.limits.maxDepth} levels deep (real files nest about 8): flatten this value`);
      }
      this.stack.push(byte);
      this.tokens.push({ name: byte === 0x7b ? 'startObject' : 'startArray', line: this.line });
      this.state = byte === 0x7b ? S_KEY_OR_CLOSE : S_VALUE_OR_CLOSE;
      return;
    }
    if (byte === QUOTE) return this.startString(false);
    if (byte === 0x2d || (byte >= 0x30 && byte <= 0x39)) {
      this.number = String.fromCharCode(byte);
      this.state = S_NUMBER;
      return;
    }
    if (byte === 0x74 || byte === 0x66 || byte === 0x6e) {
      this.literal = byte === 0x74 ? 'true' : byte === 0x66 ? 'false' : 'null';
      this.literalAt = 1;
      this.state = S_LITERAL;
      return;
    }
    if (byte === 0x5d && this.stack[this.stack.length - 1] === 0x5b) this.syntax('a comma before "]" (trailing commas are not JSON): remove it');
    this.syntax(`expected a value, found ${describeByte(byte)}`);
  }

  private close(byte: number): void {
    this.stack.pop();
    this.tokens.push({ name: byte === 0x7d ? 'endObject' : 'endArray' });
    this.afterValue();
  }

  private afterValue(): void {
    this.state = this.stack.length === 0 ? S_DONE : S_AFTER_VALUE;
  }

  private finishNumber(): void {
    if (!NUMBER_PATTERN.test(this.number)) {
      this.column -= this.number.length;
      this.syntax(`invalid number ${JSON.stringify(this.number)}`);
    }
    this.tokens.push({ name: 'numberValue', value: this.number, line: this.line });
    this.afterValue();
  }

  private startString(isKey: boolean): void {
    this.isKey = isKey;
    this.parts = [];
    this.escaped = '';
    this.stringBytes = 0;
    this.escape = 0;
    this.utf8Pending = 0;
    this.startLine = this.line;
    this.startColumn = this.column;
    this.state = S_STRING;
  }

  private get maxChars(): number {
    return this.isKey ? this.limits.maxKeyChars : this.limits.maxStringChars;
  }

  private tooLong(): never {
    const what = this.isKey ? 'an object key' : 'a text';
    this.content(
      `${what} longer than ${this.maxChars.toLocaleString('en-US')} characters` +
        (this.isKey ? '' : `, more than any training pair can hold (maxSequenceLength is at most 4,096 tokens)`) +
        ': shorten or split it',
      this.startLine,
      this.startColumn,
    );
  }

  private flushEscaped(): void {
    if (this.escaped === '') return;
    this.parts.push(Buffer.from(this.escaped, 'utf8'));
    this.escaped = '';
  }

  /** Reads string bytes from `i`; returns where it stopped (the end of the chunk or after the quote). */
  private scanString(chunk: Buffer, i: number): number {
    const n = chunk.length;
    const byteLimit = this.maxChars * 3 + 8; // a UTF-16 unit is at most 3 UTF-8 bytes
    let start = i;
    while (i < n) {
      const byte = chunk[i]!;
      if (this.escape !== 0) {
        this.column += 1;
        i += 1;
        start = i;
        if (this.escape === 1) {
          if (byte === 0x75 /* u */) {
            this.escape = 2;
            this.hex = 0;
            continue;
          }
          const char = ESCAPES[byte];
          if (char === undefined) {
            this.column -= 1;
            this.syntax(`invalid escape "\\${String.fromCharCode(byte)}" in a string (valid: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`);
          }
          this.escaped += char;
          this.stringBytes += 1;
          this.escape = 0;
          continue;
        }
        const digit = byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : byte >= 0x61 && byte <= 0x66 ? byte - 0x57 : byte >= 0x41 && byte <= 0x46 ? byte - 0x37 : -1;
        if (digit < 0) {
          this.column -= 1;
          this.syntax('invalid \\u escape: it takes four hexadecimal digits');
        }
        this.hex = this.hex * 16 + digit;
        if (this.escape < 5) {
          this.escape += 1;
          continue;
        }
        this.escape = 0;
        if (this.hex === 0) {
          this.content('the NUL character (\\u0000), which cannot be stored: remove it', this.line, this.column - 6);
        }
        this.escaped += String.fromCharCode(this.hex);
        this.stringBytes += 3;
        if (this.stringBytes > byteLimit) this.tooLong();
        continue;
      }
      if (this.utf8Pending > 0) {
        if (byte < this.utf8Lower || byte > this.utf8Upper) this.invalidUtf8();
        this.utf8Pending -= 1;
        this.utf8Lower = 0x80;
        this.utf8Upper = 0xbf;
        i += 1;
        continue;
      }
      if (byte === QUOTE || byte === BACKSLASH) {
        if (i > start) {
          this.flushEscaped();
          this.parts.push(chunk.subarray(start, i));
        }
        this.column += 1;
        i += 1;
        if (byte === BACKSLASH) {
          this.escape = 1;
          start = i;
          continue;
        }
        this.finishString();
        return i;
      }
      if (byte < 0x20) {
        this.syntax(
          byte === LF || byte === CR
            ? 'a line break inside a string: write it as \\n (the string is not closed on its line)'
            : `${describeByte(byte)} inside a string: control characters must be escaped`,
        );
      }
      this.column += 1;
      i += 1;
      this.stringBytes += 1;
      if (byte >= 0x80) {
        this.utf8LeadLine = this.line;
        this.utf8LeadColumn = this.column - 1;
        this.utf8Lead(byte);
      }
      if (this.stringBytes > byteLimit) this.tooLong();
    }
    if (i > start) {
      this.flushEscaped();
      this.parts.push(chunk.subarray(start, i));
    }
    return i;
  }

  private utf8Lead(byte: number): void {
    this.utf8Lower = 0x80;
    this.utf8Upper = 0xbf;
    if (byte >= 0xc2 && byte <= 0xdf) this.utf8Pending = 1;
    else if (byte >= 0xe0 && byte <= 0xef) {
      this.utf8Pending = 2;
      if (byte === 0xe0) this.utf8Lower = 0xa0; // overlong
      if (byte === 0xed) this.utf8Upper = 0x9f; // UTF-16 surrogates
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      this.utf8Pending = 3;
      if (byte === 0xf0) this.utf8Lower = 0x90;
      if (byte === 0xf4) this.utf8Upper = 0x8f;
    } else this.invalidUtf8();
  }

  private invalidUtf8(): never {
    throw new JsonPositionError(
      'content',
      'bytes that are not valid UTF-8 (the file may be saved as Latin-1 or Windows-1252): save or export it as UTF-8',
      this.utf8LeadLine,
      this.utf8LeadColumn,
    );
  }

  private finishString(): void {
    if (this.utf8Pending > 0) this.invalidUtf8();
    this.flushEscaped();
    const parts = this.parts;
    const text = parts.length === 0 ? '' : parts.length === 1 ? parts[0]!.toString('utf8') : Buffer.concat(parts).toString('utf8');
    this.parts = [];
    if (text.length > this.maxChars) this.tooLong();
    if (this.isKey) {
      this.tokens.push({ name: 'keyValue', value: text });
      this.state = S_COLON;
    } else {
      this.tokens.push({ name: 'stringValue', value: text, line: this.startLine });
      this.afterValue();
    }
  }

  /** The input is complete; throws if it ended inside a value. */
  end(): void {
    if (this.state === S_NUMBER) this.finishNumber();
    if (this.state === S_DONE) return;
    const inside = this.state === S_STRING ? 'a string' : this.stack.length > 0 ? (this.stack[this.stack.length - 1] === 0x7b ? 'an object' : 'a list') : 'a value';
    throw new JsonPositionError('syntax', this.started ? `the file ends inside ${inside}` : 'the input is empty', this.line, this.column, true);
  }
}

/** Reads one complete JSON text held in memory; throws JsonPositionError on the first problem. */
export function tokenizeWhole(bytes: Buffer, options?: { firstLine?: number }): PositionedToken[] {
  const tokenizer = new JsonTokenizer();
  if (options?.firstLine) tokenizer.line = options.firstLine;
  tokenizer.write(bytes);
  tokenizer.end();
  return tokenizer.tokens;
}
