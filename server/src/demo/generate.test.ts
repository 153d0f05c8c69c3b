import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { analyzeDataset } from '../datasets/analyze.js';
import type { DatasetAnalysis, DatasetProblems } from '../datasets/types.js';
import { GENERATED_BY, LOW_QUALITY_DEMO, READY_DEMO, datasetChunks, generateDataset, generateDatasetBytes, sizedDemoSpec, type DemoSpec } from './generate.js';
import { planDataset } from './plan.js';

async function sha256(spec: DemoSpec): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of generateDataset(spec)) hash.update(chunk);
  return hash.digest('hex');
}

async function analyzed(spec: DemoSpec): Promise<DatasetAnalysis> {
  const result: DatasetAnalysis | DatasetProblems = await analyzeDataset(generateDatasetBytes(spec), { maxBytes: 1e9, onConversation: () => {} });
  if (!result.ok) throw new Error(`generated file is invalid: ${JSON.stringify(result.problems.slice(0, 3))}`);
  return result;
}

const check = (analysis: DatasetAnalysis, key: string) => analysis.readiness.checks.find((c) => c.key === key)!;

describe('generateDataset', () => {
  it('is deterministic: the same seed gives the same bytes, another seed other bytes', async () => {
    const first = await sha256(READY_DEMO);
    expect(await sha256(READY_DEMO)).toBe(first);
    expect(await sha256({ ...READY_DEMO, seed: 243 })).not.toBe(first);
  });

  it('READY_DEMO: 242 conversations, 1,567 trainable pairs, quality ≥ 3.5, ready to train', async () => {
    const analysis = await analyzed(READY_DEMO);
    expect(analysis.encoding).toBe('JSON');
    expect(analysis.conversationCount).toBe(242);
    expect(analysis.trainablePairCount).toBe(1567);
    expect(analysis.qualitySummary.average).toBeGreaterThanOrEqual(3.5);
    expect(analysis.readiness.ready).toBe(true);
    expect(Object.keys(analysis.scaffolding.personas).sort()).toEqual(['anxious_planner', 'overwhelmed_avoider', 'pragmatic_optimist']);
    expect(Object.keys(analysis.scaffolding.emotionalArcs)).toHaveLength(7);
    expect(Object.keys(analysis.scaffolding.trainingTopics).length).toBeGreaterThanOrEqual(18);
    // The file's own totals agree with what the analyzer counts.
    expect(analysis.fileMetadata).toMatchObject({
      file_name: 'Demo: ready to train (generated)',
      generated_by: GENERATED_BY,
      total_conversations: 242,
      total_training_pairs: analysis.trainingPairCount,
    });
    expect(analysis.qualitySummary.declared).toMatchObject({ avg_quality_score: analysis.qualitySummary.average, human_reviewed_count: analysis.qualitySummary.humanReviewedCount });
  });

  it('LOW_QUALITY_DEMO: fails readiness on both volume and quality', async () => {
    const analysis = await analyzed(LOW_QUALITY_DEMO);
    expect(analysis.conversationCount).toBe(18);
    expect(analysis.trainablePairCount).toBe(LOW_QUALITY_DEMO.trainablePairs);
    expect(analysis.qualitySummary.average).toBeLessThan(3);
    expect(analysis.readiness.ready).toBe(false);
    expect(check(analysis, 'trainable_volume').passed).toBe(false);
    expect(check(analysis, 'average_quality').passed).toBe(false);
    expect(check(analysis, 'format').passed).toBe(true);
    expect(analysis.qualitySummary.tierCounts.rejected).toBeGreaterThan(0);
  });

  it('reproduces the quirks of real files', () => {
    const file = JSON.parse([...datasetChunks(LOW_QUALITY_DEMO)].join(''));
    for (const conversation of file.conversations) {
      const { conversation_id: uuid, total_turns: turns } = conversation.conversation_metadata;
      expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(conversation.training_pairs).toHaveLength(turns);
      conversation.training_pairs.forEach((pair: any, index: number) => {
        expect(['educational', 'fp_conversation']).toContain(pair.conversation_id); // a template name, not the uuid
        expect(pair.turn_number).toBe(index + 1);
        expect(pair.conversation_history).toHaveLength(index);
        if (pair.turn_number % 2 === 1) {
          expect(pair.target_response).toBeNull();
        } else {
          expect(typeof pair.target_response).toBe('string');
          const last = pair.conversation_history.at(-1);
          expect(last).toMatchObject({ role: 'user', content: pair.current_user_input }); // the repeated user turn
        }
      });
    }
  });

  it('sizes a benchmark file to about the size asked for', () => {
    const spec = sizedDemoSpec(5e6, 'size-check');
    let bytes = 0;
    for (const chunk of datasetChunks(spec)) bytes += Buffer.byteLength(chunk);
    expect(bytes).toBeGreaterThan(4e6);
    expect(bytes).toBeLessThan(6e6);
  });

  it('refuses specs it cannot honour', () => {
    expect(() => planDataset({ seed: 1, conversations: 10, trainablePairs: 9, qualityMean: 3 })).toThrow(/no smaller than conversations/);
    expect(() => planDataset({ seed: 1, conversations: 0, trainablePairs: 9, qualityMean: 3 })).toThrow(/at least 1/);
    expect(() => planDataset({ seed: 1, conversations: 2, trainablePairs: 9, qualityMean: 6 })).toThrow(/between 1 and 5/);
  });
});
