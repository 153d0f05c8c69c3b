import llama3Tokenizer from 'llama3-tokenizer-js';
import { describe, expect, it } from 'vitest';
import { SAMPLE_JSON, readSample } from './test-support.js';
import { TokenCounter } from './token-counter.js';

const plain = { bos: false, eos: false } as const;

function sampleMessages(): string[] {
  const data = JSON.parse(readSample(SAMPLE_JSON).toString('utf8'));
  const texts = new Set<string>();
  for (const conversation of data.conversations) {
    for (const pair of conversation.training_pairs) {
      texts.add(pair.system_prompt);
      texts.add(pair.current_user_input);
      if (pair.target_response) texts.add(pair.target_response);
      for (const turn of pair.conversation_history) texts.add(turn.content);
    }
  }
  return [...texts];
}

describe('TokenCounter', () => {
  it('counts exactly what llama3-tokenizer-js counts, on every message of the sample', () => {
    const counter = new TokenCounter();
    const messages = sampleMessages();
    expect(messages.length).toBeGreaterThan(80);
    for (const text of messages) expect(counter.count(text)).toBe(llama3Tokenizer.encode(text, plain).length);
  });

  it('logs its throughput on distinct text against encoding whole messages', () => {
    const messages = sampleMessages();
    const megabytes = messages.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 1e6;
    const rate = (rounds: number, run: () => void) => {
      const started = performance.now();
      for (let round = 0; round < rounds; round++) run();
      return ((rounds * megabytes) / ((performance.now() - started) / 1000)).toFixed(1);
    };
    let counted = 0;
    let encoded = 0;
    const cold = rate(1, () => {
      const counter = new TokenCounter();
      for (const text of messages) counted += counter.count(text);
    });
    // Mid-import: words are known, but every message is new (no message cache).
    const warmCounter = new TokenCounter({ maxMessages: 1 });
    const warmUp = () => {
      for (const text of messages) warmCounter.count(text);
    };
    rate(3, warmUp); // let the JIT settle
    const warm = rate(20, () => {
      for (const text of messages) warmCounter.count(text);
    });
    const library = rate(1, () => {
      for (const text of messages) encoded += llama3Tokenizer.encode(text, plain).length;
    });
    console.log(
      `[tokenizer] distinct text: TokenCounter ${cold} MB/s cold, ${warm} MB/s with known words; ` +
        `llama3-tokenizer-js encode ${library} MB/s (${messages.length} messages, ${(megabytes * 1000).toFixed(0)} kB)`,
    );
    expect(counted).toBe(encoded);
  });

  it.each([
    ['numbers and money', 'We owe $312,450.75 at 6.125% over 30 years (360 payments).'],
    ['contractions and quotes', "I'm sure they'll say it's fine — \"don't worry\", they'd said. WE'LL SEE."],
    ['whitespace runs and newlines', 'First line\n\n\n   indented\tTabbed   \r\n  trailing   '],
    ['non-English text and emoji', 'Añadir 10 € — 日本語のテキスト، مرحبا 👍🏽 café'],
    ['special-token look-alikes', 'literal <|eot_id|> and <|begin_of_text|> in user text'],
    ['empty text', ''],
  ])('matches the library on %s', (_label, text) => {
    expect(new TokenCounter().count(text)).toBe(llama3Tokenizer.encode(text, plain).length);
  });

  it('tokenizes each distinct message once and stays within its cache bounds', () => {
    const counter = new TokenCounter({ maxMessages: 3, maxPieces: 50 });
    const texts = ['alpha beta', 'gamma delta', 'epsilon zeta', 'eta theta'];
    for (const text of texts) counter.count(text);
    counter.count('eta theta');
    expect(counter.messageHits).toBe(1);
    counter.count('alpha beta'); // evicted: the oldest of four with room for three
    expect(counter.messageMisses).toBe(5);
    for (let i = 0; i < 200; i++) expect(counter.count(`word${i} other${i}`)).toBe(llama3Tokenizer.encode(`word${i} other${i}`, plain).length);
  });

  it('counts a 1 MB run of non-whitespace in linear time (it crashed the process; 100 kB took 2 s)', () => {
    const counter = new TokenCounter();
    const time = (text: string) => {
      const started = performance.now();
      const count = counter.count(text);
      return { count, ms: performance.now() - started };
    };
    const letters = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26))).join('');
    const small = time(letters(100_000));
    const large = time(letters(1_000_000));
    console.log(`[tokenizer] 100 kB of letters in ${small.ms.toFixed(0)} ms, 1 MB in ${large.ms.toFixed(0)} ms`);
    expect(large.ms).toBeLessThan(15_000);
    // Linear: ten times the text costs about ten times the time, not a hundred.
    expect(large.ms).toBeLessThan(Math.max(small.ms, 50) * 30);
    // Sliced counts stay close to the library's on text it can still count.
    const sample = letters(4_000);
    const exact = llama3Tokenizer.encode(sample, plain).length;
    expect(Math.abs(new TokenCounter().count(sample) - exact)).toBeLessThanOrEqual(Math.ceil(sample.length / 256));
  });

  it('keeps special-token look-alikes exact inside long text', () => {
    const text = `${'intro words '.repeat(50)}<|eot_id|>${'more text here '.repeat(50)}<|start_header_id|>user<|end_header_id|> tail`;
    expect(new TokenCounter().count(text)).toBe(llama3Tokenizer.encode(text, plain).length);
  });
});
