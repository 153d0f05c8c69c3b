import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { analyzeDataset } from './analyze.js';
import { SAMPLE_JSON, SAMPLE_JSONL, analyze, chunked, expectOk, expectProblems, readSample } from './test-support.js';

const json = readSample(SAMPLE_JSON);
const jsonl = readSample(SAMPLE_JSONL);

describe('analyzeDataset on the real sample', () => {
  it.each([
    ['JSON', json],
    ['JSONL', jsonl],
  ] as const)('reads the %s encoding: 12 conversations, 89 pairs, 44 trainable', async (encoding, bytes) => {
    const { result, conversations } = await analyze(bytes);
    const analysis = expectOk(result);
    expect(analysis.encoding).toBe(encoding);
    expect(analysis.conversationCount).toBe(12);
    expect(analysis.trainingPairCount).toBe(89);
    expect(analysis.trainablePairCount).toBe(44);
    expect(analysis.sizeBytes).toBe(bytes.length);
    expect(analysis.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(conversations.map((c) => c.ordinal)).toEqual([...Array(12).keys()]);
    expect(conversations.reduce((sum, c) => sum + c.trainablePairCount, 0)).toBe(44);
    expect(analysis.scaffolding.personas).toEqual({ anxious_planner: 4, overwhelmed_avoider: 4, pragmatic_optimist: 4 });
    expect(analysis.scaffolding.emotionalArcs).toEqual({ confusion_to_clarity: 9, crisis_to_referral: 3 });
    expect(analysis.scaffolding.trainingTopics).toEqual({ mortgage_payoff_strategy: 6, estate_planning_basics: 3, negotiating_compensation: 3 });
    expect(analysis.scaffolding.combinations.reduce((sum, c) => sum + c.conversations, 0)).toBe(12);
    expect(analysis.qualitySummary).toMatchObject({ average: 3, min: 3, max: 3, humanReviewedCount: 0, humanReviewedShare: 0 });
    expect(analysis.qualitySummary.tierCounts).toEqual({ seed: 0, production: 0, experimental: 44, rejected: 0 });
    expect(analysis.readiness.ready).toBe(false);
    expect(analysis.readiness.checks.find((c) => c.key === 'trainable_volume')?.message).toBe(
      '44 trainable pairs; at least 501 are needed for a stable LoRA run — add conversations or merge datasets.',
    );
    expect(analysis.readiness.checks.find((c) => c.key === 'format')?.passed).toBe(true);
  });

  it('keeps the file metadata and the consultant profile of the full JSON', async () => {
    const analysis = expectOk((await analyze(json)).result);
    expect(analysis.vertical).toBe('financial_planning_consultant');
    expect(analysis.fileMetadata).toMatchObject({ format_spec: 'brightrun-lora-v4', total_training_pairs: 89 });
    expect(analysis.consultantProfile).toMatchObject({ name: 'Elena Morales, CFP' });
    expect(analysis.qualitySummary.declared).toMatchObject({ avg_quality_score: 3, human_reviewed_count: 0 });
  });

  it('takes trainingPairCount from the JSONL _meta line', async () => {
    const analysis = expectOk((await analyze(jsonl)).result);
    expect(analysis.fileMetadata).toEqual({ file_name: 'EQ-12-conversations-demo', total_pairs: 89, version: '4.0.0' });
    // Without _meta, only the lines themselves can be counted.
    const withoutMeta = jsonl.toString('utf8').split('\n').slice(1).join('\n');
    expect(expectOk((await analyze(withoutMeta)).result).trainingPairCount).toBe(44);
  });

  it('uses the uuid from conversation_metadata, not the template name in the pairs', async () => {
    const raw = JSON.parse(json.toString('utf8'));
    const templateIds = new Set(raw.conversations.flatMap((c: any) => c.training_pairs.map((p: any) => p.conversation_id)));
    expect(templateIds).toEqual(new Set(['fp_conversation', 'educational']));
    const { conversations } = await analyze(json);
    expect(conversations.map((c) => c.conversationId)).toEqual(raw.conversations.map((c: any) => c.conversation_metadata.conversation_id));
    expect(new Set(conversations.map((c) => c.conversationId)).size).toBe(12);
  });

  it('gives the same conversations, scaffolding and token counts for both encodings', async () => {
    const fromJson = await analyze(json);
    const fromJsonl = await analyze(jsonl);
    expect(expectOk(fromJsonl.result).tokenStats).toEqual(expectOk(fromJson.result).tokenStats);
    expect(fromJsonl.conversations.map((c) => [c.conversationId, c.personaKey, c.emotionalArcKey, c.trainingTopicKey])).toEqual(
      fromJson.conversations.map((c) => [c.conversationId, c.personaKey, c.emotionalArcKey, c.trainingTopicKey]),
    );
    const trainable = fromJson.conversations.flatMap((c) => c.pairs.filter((p) => p.targetResponse !== null));
    expect(fromJsonl.conversations.flatMap((c) => c.pairs.map((p) => p.targetResponse))).toEqual(trainable.map((p) => p.targetResponse));
  });

  it('normalizes pairs to camelCase and keeps training_metadata as it was', async () => {
    const { conversations } = await analyze(json);
    const pair = conversations[0]!.pairs[1]!;
    expect(pair).toMatchObject({ id: 'fp_conversation_turn2', turnNumber: 2, qualityScore: 3, humanReviewed: false });
    expect(pair.conversationHistory[0]).toMatchObject({ turn: 1, role: 'user', emotionalState: { primary: 'despair', secondary: 'hopelessness', intensity: 0.95 } });
    expect(pair.emotionalContext).toEqual({ primary: 'concern', primaryConfidence: 0.8, secondary: 'compassion', secondaryConfidence: 0.7, intensity: 0.85, valence: 'mixed' });
    expect(pair.trainingMetadata).toMatchObject({ difficulty_level: 'intermediate_conversation_turn_2', reviewer_notes: null });
    expect(conversations[0]!.pairs[0]!.targetResponse).toBeNull();
    expect(conversations[0]).toMatchObject({ personaName: 'Marcus Chen', emotionalArc: 'Crisis → Referral', qualityTier: 'experimental', pairCount: 6, trainablePairCount: 3, averageQuality: 3 });
  });

  it('does not depend on how the bytes are chunked', async () => {
    const big = expectOk((await analyze(json, { chunkSize: 1 << 20 })).result);
    const tiny = expectOk((await analyze(json, { chunkSize: 7 })).result);
    expect(tiny).toEqual(big);
    const tinyLines = expectOk((await analyze(jsonl, { chunkSize: 5 })).result);
    expect(tinyLines.trainablePairCount).toBe(44);
  });

  it('accepts a minified single-line JSON, a byte-order mark and CRLF line ends', async () => {
    const minified = JSON.stringify(JSON.parse(json.toString('utf8')));
    expect(expectOk((await analyze(minified)).result)).toMatchObject({ encoding: 'JSON', trainablePairCount: 44 });
    expect(expectOk((await analyze(`\ufeff${json.toString('utf8')}`)).result).encoding).toBe('JSON');
    const crlf = `\ufeff${jsonl.toString('utf8').replace(/\n/g, '\r\n')}`;
    expect(expectOk((await analyze(crlf)).result)).toMatchObject({ encoding: 'JSONL', conversationCount: 12, trainablePairCount: 44 });
  });

  it('refuses a JSONL conversation id repeated in non-adjacent places, naming both places', async () => {
    // Before: counted once (conversationCount 12) but handed out twice, so indexed twice.
    const [meta, ...pairs] = jsonl.toString('utf8').trimEnd().split('\n');
    const moved = [meta, ...pairs.slice(1), pairs[0]].join('\n'); // first pair of conversation 1 moved to the end
    const id = JSON.parse(pairs[0]!).conversation_id as string;
    const lastLine = pairs.length + 1;
    const { result } = await analyze(moved);
    const problems = expectProblems(result);
    expect(problems.kind).toBe('INVALID_CONTENT');
    expect(problems.problems).toHaveLength(1);
    const firstRun = pairs.slice(1).filter((line) => JSON.parse(line).conversation_id === id).length;
    expect(problems.problems[0]).toMatchObject({ line: lastLine, conversation: id });
    expect(problems.problems[0]!.message).toContain(`line ${lastLine}: conversation ${id} already appeared at ${firstRun === 1 ? 'line 2' : `lines 2–${firstRun + 1}`}`);
  });

  it('refuses a JSON conversation id that appears twice, naming both lines', async () => {
    const data = JSON.parse(json.toString('utf8'));
    data.conversations.push(data.conversations[2]);
    const text = JSON.stringify(data, null, 1);
    const problems = expectProblems((await analyze(text)).result);
    expect(problems.kind).toBe('INVALID_CONTENT');
    const id = data.conversations[2].conversation_metadata.conversation_id;
    expect(problems.problems).toEqual([expect.objectContaining({ conversation: id, message: expect.stringMatching(new RegExp(`^line \\d+: conversation ${id} already appeared at line \\d+`)) })]);
  });

  it('waits for onConversation before reading on (backpressure)', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const seen: number[] = [];
    await analyzeDataset(chunked(json, 4096), {
      maxBytes: 10_000_000,
      onConversation: async (conversation) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        seen.push(conversation.ordinal);
        inFlight -= 1;
      },
    });
    expect(maxInFlight).toBe(1);
    expect(seen).toEqual([...Array(12).keys()]);
  });

  it('stops with the abort reason when aborted, and when onConversation fails', async () => {
    const controller = new AbortController();
    const aborted = analyzeDataset(chunked(json, 4096), {
      maxBytes: 10_000_000,
      signal: controller.signal,
      onConversation: () => controller.abort(new Error('cancelled by user')),
    });
    await expect(aborted).rejects.toThrow('cancelled by user');
    const failing = analyzeDataset(chunked(jsonl), {
      maxBytes: 10_000_000,
      onConversation: () => {
        throw new Error('storage is full');
      },
    });
    await expect(failing).rejects.toThrow('storage is full');
  });
});
