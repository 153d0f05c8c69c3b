import { toChatMessages } from './messages.js';
import { round } from './quality.js';
import { TokenCounter } from './token-counter.js';
import type { TokenStats, TrainingPair } from './types.js';

// Llama 3 chat template: <|begin_of_text|> once, then per message
// <|start_header_id|>{role}<|end_header_id|>\n\n{content}<|eot_id|>  — 5 tokens around the
// content (role names and "\n\n" are single tokens).
export const BEGIN_OF_TEXT_TOKENS = 1;
export const TEMPLATE_TOKENS_PER_MESSAGE = 5;
const LENGTH_LIMITS = [512, 1024, 2048, 4096] as const;

// Exact counts for pair lengths below this; longer pairs share one overflow bucket, and a
// percentile landing there is reported as the maximum. 256 KiB of memory, whatever the size.
const HISTOGRAM_SIZE = 65_536;

/** Token figures over the trainable pairs, in constant memory. */
export class TokenStatsAccumulator {
  private readonly histogram = new Uint32Array(HISTOGRAM_SIZE);
  private overflow = 0;
  private pairs = 0;
  private total = 0;
  private target = 0;
  private max = 0;
  private readonly overLength: Record<'512' | '1024' | '2048' | '4096', number> = {
    '512': 0,
    '1024': 0,
    '2048': 0,
    '4096': 0,
  };

  constructor(readonly counter: TokenCounter = new TokenCounter()) {}

  /** Adds one trainable pair; returns its token count (template included). */
  addTrainablePair(pair: TrainingPair): number {
    let tokens = BEGIN_OF_TEXT_TOKENS;
    for (const message of toChatMessages(pair)) {
      tokens += TEMPLATE_TOKENS_PER_MESSAGE + this.counter.count(message.content);
    }
    this.target += pair.targetResponse === null ? 0 : this.counter.count(pair.targetResponse);
    this.pairs += 1;
    this.total += tokens;
    if (tokens > this.max) this.max = tokens;
    if (tokens < HISTOGRAM_SIZE) this.histogram[tokens]! += 1;
    else this.overflow += 1;
    for (const limit of LENGTH_LIMITS) if (tokens > limit) this.overLength[limit] += 1;
    return tokens;
  }

  private percentile(fraction: number): number {
    if (this.pairs === 0) return 0;
    const rank = Math.max(1, Math.ceil(fraction * this.pairs));
    let seen = 0;
    for (let tokens = 0; tokens < HISTOGRAM_SIZE; tokens++) {
      seen += this.histogram[tokens]!;
      if (seen >= rank) return tokens;
    }
    return this.max;
  }

  stats(): TokenStats {
    return {
      tokenizer: 'llama3-tokenizer-js (Llama 3 BPE)',
      counting:
        'per trainable pair: system prompt, history (without the repeated last user turn), user input and target, ' +
        `each wrapped in the Llama 3 chat template (${TEMPLATE_TOKENS_PER_MESSAGE} tokens per message, plus ${BEGIN_OF_TEXT_TOKENS} begin-of-text)`,
      percentiles: `exact, from a histogram of pair lengths (1-token buckets below ${HISTOGRAM_SIZE})`,
      totalTokens: this.total,
      targetTokens: this.target,
      perPair: {
        mean: this.pairs === 0 ? 0 : round(this.total / this.pairs, 1),
        p50: this.percentile(0.5),
        p95: this.percentile(0.95),
        max: this.max,
      },
      pairsOverLength: { ...this.overLength },
    };
  }
}
