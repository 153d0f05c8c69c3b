import llama3Tokenizer from 'llama3-tokenizer-js';
import { ownCopy } from './own-copy.js';

// Counting tokens is the slow part of an import, so it is done in two cached layers:
//
// 1. Per message. System prompts and history turns repeat in every pair of a conversation;
//    each distinct message is tokenized once. Keys are a 53-bit hash, not the text itself:
//    the texts are slices of the parser's input buffers, and keeping them as keys would keep
//    those buffers alive.
// 2. Per pre-token. Llama 3 splits text with a regex before BPE, and BPE never merges across
//    pieces, so a message's count is the sum of its pieces' counts. Words repeat endlessly,
//    so each distinct piece is run through the tokenizer once. This is ~10x faster than
//    encoding whole messages and gives identical counts (see token-counter.test.ts).

// The pre-tokenizer regex of Llama 3, as llama3-tokenizer-js cleans it for JavaScript.
const PRETOKEN =
  /(?:'([sS]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD]))|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;
// Text that may hold special tokens (<|eot_id|> …): each candidate is left to the library, the
// text between them is counted like any other.
const SPECIAL_TOKEN_MARK = '<|';
const SPECIAL_TOKEN = /(<\|[^|<>\s]{1,64}\|>)/;
// BPE time grows quadratically with a piece's length (a 100 kB run of letters took 2 s, 1 MB
// crashed the process), so a longer piece is counted in slices of this many characters: the
// count is then linear in time and differs from the exact one by at most a token per slice
// boundary (0.07% on 16 kB of random base64, measured). Real text has no piece this long.
export const MAX_PIECE_CHARS = 256;
// Only short pieces are remembered: a cache of long ones would pin megabytes.
const MAX_CACHED_PIECE_CHARS = 64;

const NO_SPECIAL_TOKENS = { bos: false, eos: false } as const;

export interface TokenCounterOptions {
  /** Distinct messages remembered. @default 50_000 */
  maxMessages?: number;
  /** Distinct pre-token pieces remembered. @default 200_000 */
  maxPieces?: number;
}

/** cyrb53: a fast 53-bit string hash; the length is mixed in as the seed. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef ^ text.length;
  let h2 = 0x41c6ce57 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Counts Llama 3 tokens of plain text (no BOS/EOS), with bounded caches. */
export class TokenCounter {
  private readonly messages = new Map<number, number>();
  private readonly pieces = new Map<string, number>();
  private readonly maxMessages: number;
  private readonly maxPieces: number;
  messageHits = 0;
  messageMisses = 0;

  constructor(options: TokenCounterOptions = {}) {
    this.maxMessages = options.maxMessages ?? 50_000;
    this.maxPieces = options.maxPieces ?? 200_000;
  }

  count(text: string): number {
    if (text.length === 0) return 0;
    const key = hash53(text);
    const cached = this.messages.get(key);
    if (cached !== undefined) {
      this.messageHits += 1;
      return cached;
    }
    this.messageMisses += 1;
    const count = text.includes(SPECIAL_TOKEN_MARK) ? this.countWithSpecialTokens(text) : this.countPieces(text);
    // Oldest first: history turns are reused within a conversation, so recent entries matter.
    if (this.messages.size >= this.maxMessages) {
      const oldest = this.messages.keys().next();
      if (!oldest.done) this.messages.delete(oldest.value);
    }
    this.messages.set(key, count);
    return count;
  }

  private countWithSpecialTokens(text: string): number {
    let total = 0;
    const parts = text.split(SPECIAL_TOKEN);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part === '') continue;
      total += i % 2 === 1 ? llama3Tokenizer.encode(part, NO_SPECIAL_TOKENS).length : this.countPieces(part);
    }
    return total;
  }

  private countPieces(text: string): number {
    let total = 0;
    let end = 0;
    for (const match of text.matchAll(PRETOKEN)) {
      if (match.index > end) total += this.countPiece(text.slice(end, match.index));
      total += this.countPiece(match[0]);
      end = match.index + match[0].length;
    }
    if (end < text.length) total += this.countPiece(text.slice(end));
    return total;
  }

  private countPiece(piece: string): number {
    if (piece.length > MAX_CACHED_PIECE_CHARS) {
      let total = 0;
      for (let at = 0; at < piece.length; at += MAX_PIECE_CHARS) {
        total += llama3Tokenizer.encode(piece.slice(at, at + MAX_PIECE_CHARS), NO_SPECIAL_TOKENS).length;
      }
      return total;
    }
    const cached = this.pieces.get(piece);
    if (cached !== undefined) return cached;
    const count = llama3Tokenizer.encode(piece, NO_SPECIAL_TOKENS).length;
    if (this.pieces.size >= this.maxPieces) this.pieces.clear();
    // A copy, so the cache does not pin the message (and its input buffer) in memory.
    this.pieces.set(ownCopy(piece), count);
    return count;
  }
}
