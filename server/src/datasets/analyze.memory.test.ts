import { describe, expect, it } from 'vitest';
import { generateDatasetBytes, sizedDemoSpec } from '../demo/generate.js';
import { analyzeDataset } from './analyze.js';
import type { ConversationRecord } from './types.js';

// A large generated file streamed straight into the analyzer (never written to disk, never
// held whole): memory must stay flat whatever the size. BRIGHTRUN_MEMORY_TEST_MB overrides the
// size; the product's promise is a 500 MB file under 512 MB RSS for the whole process.
const SIZE_MB = Number(process.env.BRIGHTRUN_MEMORY_TEST_MB ?? 150);
const MAX_RSS_GROWTH_MB = 256;
const MB = 1e6;

describe('analyzeDataset on a large file', () => {
  it(`streams ~${SIZE_MB} MB in bounded memory`, { timeout: 180_000 }, async () => {
    const spec = sizedDemoSpec(SIZE_MB * MB, 'memory-test');
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let conversations = 0;
    let pairs = 0;
    const started = performance.now();
    const result = await analyzeDataset(generateDatasetBytes(spec), {
      maxBytes: 2 * SIZE_MB * MB,
      onConversation: (conversation: ConversationRecord) => {
        conversations += 1;
        pairs += conversation.pairCount;
        if (conversations % 10 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);

    if (!result.ok) throw new Error(`analysis failed: ${JSON.stringify(result.problems.slice(0, 3))}`);
    const growthMb = (peak - baseline) / MB;
    console.log(
      `[memory] ${(result.sizeBytes / MB).toFixed(1)} MB, ${result.conversationCount} conversations, ${result.trainablePairCount} trainable pairs ` +
        `in ${seconds.toFixed(1)} s (generation included) = ${(result.sizeBytes / MB / seconds).toFixed(1)} MB/s; ` +
        `RSS ${(baseline / MB).toFixed(0)} MB before, peak ${(peak / MB).toFixed(0)} MB (+${growthMb.toFixed(0)} MB); ` +
        `${result.tokenStats.totalTokens.toLocaleString('en-US')} tokens`,
    );
    expect(result.sizeBytes).toBeGreaterThan(SIZE_MB * MB * 0.9);
    expect(result.conversationCount).toBe(spec.conversations);
    expect(conversations).toBe(spec.conversations);
    expect(result.trainablePairCount).toBe(spec.trainablePairs);
    expect(pairs).toBe(result.trainingPairCount);
    expect(growthMb).toBeLessThan(MAX_RSS_GROWTH_MB);
  });
});
