import llama3Tokenizer from 'llama3-tokenizer-js';
import { describe, expect, it } from 'vitest';
import { historyWithoutRepeatedInput, toChatMessages } from './messages.js';
import { BEGIN_OF_TEXT_TOKENS, TEMPLATE_TOKENS_PER_MESSAGE, TokenStatsAccumulator } from './token-stats.js';
import type { TrainingPair } from './types.js';

const count = (text: string) => llama3Tokenizer.encode(text, { bos: false, eos: false }).length;

function pair(history: [role: 'user' | 'assistant', content: string][], input: string, target: string | null): TrainingPair {
  return {
    id: 'p',
    turnNumber: history.length + 1,
    systemPrompt: 'You are a warm, precise financial planner.',
    conversationHistory: history.map(([role, content], index) => ({ turn: index + 1, role, content, emotionalState: null })),
    currentUserInput: input,
    targetResponse: target,
    qualityScore: 4,
    humanReviewed: false,
    emotionalContext: null,
    trainingMetadata: {},
  };
}

const question = 'Should I pay off the mortgage early?';
const answer = 'It depends on your rate and your emergency fund; let us look at both.';

describe('the duplicated trailing user turn (FORMAT.md quirk)', () => {
  it('is dropped when the history ends with the same text as current_user_input', () => {
    const quirky = pair([['user', question]], question, answer);
    expect(historyWithoutRepeatedInput(quirky)).toEqual([]);
    expect(toChatMessages(quirky).map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
  });

  it('is kept when the last history entry is different or is not the user', () => {
    expect(historyWithoutRepeatedInput(pair([['user', 'Earlier question']], question, answer))).toHaveLength(1);
    expect(historyWithoutRepeatedInput(pair([['assistant', question]], question, answer))).toHaveLength(1);
  });

  it('is not counted twice in token statistics', () => {
    const quirky = pair([['user', question]], question, answer);
    const clean = pair([], question, answer);
    const quirkyStats = new TokenStatsAccumulator();
    const cleanStats = new TokenStatsAccumulator();
    const expected = BEGIN_OF_TEXT_TOKENS + 3 * TEMPLATE_TOKENS_PER_MESSAGE + count(quirky.systemPrompt) + count(question) + count(answer);
    expect(quirkyStats.addTrainablePair(quirky)).toBe(expected);
    expect(cleanStats.addTrainablePair(clean)).toBe(expected);
    expect(quirkyStats.stats()).toEqual(cleanStats.stats());
  });
});

describe('TokenStatsAccumulator', () => {
  it('reports totals, target tokens, exact percentiles and pairs over each length', () => {
    const stats = new TokenStatsAccumulator();
    const lengths: number[] = [];
    for (let i = 1; i <= 20; i++) lengths.push(stats.addTrainablePair(pair([], 'word '.repeat(i * 30), 'reply '.repeat(i * 20))));
    const result = stats.stats();
    const sorted = [...lengths].sort((a, b) => a - b);
    expect(result.totalTokens).toBe(lengths.reduce((a, b) => a + b, 0));
    expect(result.targetTokens).toBe(Array.from({ length: 20 }, (_, i) => count('reply '.repeat((i + 1) * 20))).reduce((a, b) => a + b, 0));
    expect(result.perPair).toEqual({ mean: Math.round((result.totalTokens / 20) * 10) / 10, p50: sorted[9], p95: sorted[18], max: sorted[19] });
    for (const limit of [512, 1024, 2048, 4096] as const) expect(result.pairsOverLength[limit]).toBe(lengths.filter((l) => l > limit).length);
    expect(result.tokenizer).toBe('llama3-tokenizer-js (Llama 3 BPE)');
  });

  it('reports zeros when there are no trainable pairs', () => {
    expect(new TokenStatsAccumulator().stats().perPair).toEqual({ mean: 0, p50: 0, p95: 0, max: 0 });
  });
});
