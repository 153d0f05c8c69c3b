import type { PositionedToken } from './json-tokenizer.js';
import { ValueBuilder } from './value-builder.js';

// Walks the token stream of a full brightrun-lora-v4 file: the two small top-level objects
// are built whole, `conversations` one element at a time, anything else is skipped. Only
// one conversation is held in memory.

export type JsonDocumentEvent =
  | { type: 'fileMetadata'; value: unknown }
  | { type: 'consultantProfile'; value: unknown }
  /** `line`: where the conversation's object starts in the file. */
  | { type: 'conversation'; index: number; value: unknown; line: number }
  /** `conversations` is there but is not a list. */
  | { type: 'conversationsNotList'; value: unknown }
  /** The top-level object is complete; its keys, in order. */
  | { type: 'end'; keys: string[] };

/** One value holds more text than any real conversation; building it would exhaust memory. */
export class OversizedValueError extends Error {
  constructor(
    readonly where: string,
    readonly limitChars: number,
    /** Where the value starts. */
    readonly line: number,
  ) {
    super(`${where} exceeds ${limitChars} characters`);
    this.name = 'OversizedValueError';
  }
}

/** Characters of text in one conversation (all its pairs, histories repeated). */
export const MAX_CONVERSATION_CHARS = 32 * 1024 * 1024;
/** Characters of text in training_file_metadata or consultant_profile (kept in the database). */
export const MAX_METADATA_CHARS = 1024 * 1024;

type Capture = 'fileMetadata' | 'consultantProfile' | 'conversation' | 'conversationsNotList';

const TOP_LEVEL_CAPTURES: Record<string, Capture> = {
  training_file_metadata: 'fileMetadata',
  consultant_profile: 'consultantProfile',
  conversations: 'conversationsNotList', // reached only when `conversations` is not a list
};

const isStart = (token: PositionedToken) => token.name === 'startObject' || token.name === 'startArray';
const isEnd = (token: PositionedToken) => token.name === 'endObject' || token.name === 'endArray';

export class DocumentWalker {
  private opened = false; // the top-level "{" has been read
  complete = false; // ... and its "}"
  private topKey: string | null = null; // the top-level key whose value is being read
  private inConversations = false;
  private conversationIndex = 0;
  private skipDepth = 0; // nesting inside a top-level value nobody needs
  private readonly keys: string[] = [];
  private capture: { kind: Capture; builder: ValueBuilder; line: number } | null = null;

  /** Where the last token was, as a path such as `conversations[3].training_pairs[1].id`. */
  where(): string {
    if (!this.opened) return 'the start of the file';
    if (this.topKey === null && !this.inConversations) return this.complete ? 'the end of the file' : 'the top-level object';
    const inner = this.capture?.builder.path() ?? '';
    const base = this.inConversations ? `conversations[${this.conversationIndex}]` : (this.topKey ?? '');
    return inner === '' ? base : `${base}${inner.startsWith('[') ? '' : '.'}${inner}`;
  }

  consume(token: PositionedToken): JsonDocumentEvent | null {
    if (this.capture) return this.continueCapture(token);
    if (this.skipDepth > 0) {
      if (isStart(token)) this.skipDepth += 1;
      else if (isEnd(token)) this.skipDepth -= 1;
      if (this.skipDepth === 0) this.topKey = null;
      return null;
    }
    if (!this.opened) {
      this.opened = true; // detect.ts only sends files that start with "{"
      return null;
    }
    if (this.inConversations) {
      if (token.name === 'endArray') {
        this.inConversations = false;
        this.topKey = null;
        return null;
      }
      return this.startCapture('conversation', token);
    }
    if (token.name === 'keyValue') {
      this.topKey = token.value ?? '';
      this.keys.push(this.topKey);
      return null;
    }
    if (token.name === 'endObject') {
      this.complete = true;
      return { type: 'end', keys: this.keys };
    }
    if (this.topKey === 'conversations' && token.name === 'startArray') {
      this.inConversations = true;
      return null;
    }
    const kind = TOP_LEVEL_CAPTURES[this.topKey ?? ''];
    if (kind !== undefined) return this.startCapture(kind, token);
    if (isStart(token)) this.skipDepth = 1;
    else this.topKey = null;
    return null;
  }

  private startCapture(kind: Capture, token: PositionedToken): JsonDocumentEvent | null {
    this.capture = { kind, builder: new ValueBuilder(), line: token.line ?? 1 };
    return this.continueCapture(token);
  }

  private continueCapture(token: PositionedToken): JsonDocumentEvent | null {
    const capture = this.capture!;
    if (!capture.builder.consume(token)) {
      const limit = capture.kind === 'conversation' ? MAX_CONVERSATION_CHARS : MAX_METADATA_CHARS;
      if (capture.builder.textLength > limit) throw new OversizedValueError(this.where(), limit, capture.line);
      return null;
    }
    this.capture = null;
    const value = capture.builder.value;
    if (capture.kind === 'conversation') return { type: 'conversation', index: this.conversationIndex++, value, line: capture.line };
    this.topKey = null;
    return { type: capture.kind, value };
  }
}
