import { builder } from '../builder.js';
import { ErrorInterface } from './errors.js';
import { DatasetRef } from './dataset-ref.js';
import { DatasetInvalidError, DuplicateDatasetError, UploadStateError } from '../datasets/errors.js';
import type { DatasetProblem } from '../datasets/analyze.js';

import type { QualitySummary, Readiness, ReadinessCheck, ScaffoldingSummary as Scaffolding, TokenStats } from '../datasets/analyze.js';

// Shapes stored as JSON on Dataset (written by datasets/analyze.ts), typed for clients.

const display = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export const ReadinessCheckKeyEnum = builder.enumType('ReadinessCheckKey', {
  values: {
    FORMAT: { description: 'The file is brightrun-lora-v4.' },
    TRAINABLE_VOLUME: { description: 'Enough trainable pairs.' },
    AVERAGE_QUALITY: { description: 'Average quality score high enough.' },
    HUMAN_REVIEWED: { description: 'Share of human-reviewed pairs (information only).' },
  } as const,
});
export const readinessKey = (key: string) => key.toUpperCase() as 'FORMAT';

export const ReadinessCheckRef = builder.objectRef<ReadinessCheck>('ReadinessCheck').implement({
  description: 'One check a dataset must pass before training, with its measured value and the bar it is held to.',
  fields: (t) => ({
    key: t.field({ type: ReadinessCheckKeyEnum, resolve: (c) => readinessKey(c.key) }),
    passed: t.exposeBoolean('passed'),
    blocking: t.exposeBoolean('blocking', { description: 'False for information-only checks (they never block training).' }),
    value: t.string({ resolve: (c) => display(c.value), description: 'The measured value, for display.' }),
    threshold: t.string({ resolve: (c) => display(c.threshold), description: 'The bar, for display (e.g. "> 500").' }),
    numericValue: t.float({ nullable: true, resolve: (c) => (typeof c.value === 'number' ? c.value : null) }),
    message: t.exposeString('message', { description: 'Plain-language reason, with what to do when it fails.' }),
  }),
});

export const ReadinessRef = builder.objectRef<Readiness>('DatasetReadiness').implement({
  fields: (t) => ({
    ready: t.exposeBoolean('ready', { description: 'True when every blocking check passed.' }),
    checks: t.field({ type: [ReadinessCheckRef], resolve: (r) => r.checks }),
  }),
});


const LengthCountRef = builder.objectRef<{ maxSequenceLength: number; pairs: number }>('PairsOverLength').implement({
  fields: (t) => ({ maxSequenceLength: t.exposeInt('maxSequenceLength'), pairs: t.exposeInt('pairs') }),
});

export const TokenStatsRef = builder.objectRef<TokenStats>('TokenStats').implement({
  description: 'Token counts of the trainable pairs (system prompt + history + input + target), from a real Llama 3 BPE tokenizer.',
  fields: (t) => ({
    tokenizer: t.exposeString('tokenizer'),
    counting: t.exposeString('counting', { description: 'What one pair counts (template tokens included or not).' }),
    totalTokens: t.field({ type: 'SafeInt', resolve: (s) => s.totalTokens }),
    targetTokens: t.field({ type: 'SafeInt', description: 'Tokens the loss is computed on (assistant targets).', resolve: (s) => s.targetTokens }),
    meanPerPair: t.float({ resolve: (s) => s.perPair.mean }),
    p50PerPair: t.float({ resolve: (s) => s.perPair.p50 }),
    p95PerPair: t.float({ resolve: (s) => s.perPair.p95 }),
    maxPerPair: t.float({ resolve: (s) => s.perPair.max }),
    pairsOverLength: t.field({
      type: [LengthCountRef],
      description: 'How many pairs a given max sequence length would truncate.',
      resolve: (s) => Object.entries(s.pairsOverLength).map(([len, pairs]) => ({ maxSequenceLength: Number(len), pairs })),
    }),
  }),
});

const TierCountsRef = builder.objectRef<QualitySummary['tierCounts']>('QualityTierCounts').implement({
  description: 'Pairs per quality tier: ≥4.5 seed, ≥3.5 production, 2.5–3.5 experimental, <2.5 rejected.',
  fields: (t) => ({ seed: t.exposeInt('seed'), production: t.exposeInt('production'), experimental: t.exposeInt('experimental'), rejected: t.exposeInt('rejected') }),
});
export const QualitySummaryRef = builder.objectRef<QualitySummary>('QualitySummary').implement({
  fields: (t) => ({
    average: t.exposeFloat('average', { nullable: true }),
    min: t.exposeFloat('min', { nullable: true }),
    max: t.exposeFloat('max', { nullable: true }),
    humanReviewedCount: t.exposeInt('humanReviewedCount'),
    humanReviewedShare: t.exposeFloat('humanReviewedShare', { description: '0–1.' }),
    tiers: t.field({ type: TierCountsRef, resolve: (q) => q.tierCounts }),
  }),
});

const KeyCountRef = builder.objectRef<{ key: string; count: number }>('KeyCount').implement({
  fields: (t) => ({ key: t.exposeString('key'), count: t.exposeInt('count') }),
});
const CombinationRef = builder.objectRef<Scaffolding['combinations'][number]>('ScaffoldingCombination').implement({
  fields: (t) => ({ persona: t.exposeString('persona'), arc: t.exposeString('arc'), topic: t.exposeString('topic'), conversations: t.exposeInt('conversations') }),
});
const counts = (m: Record<string, number>) => Object.entries(m).map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count);
export const ScaffoldingRef = builder.objectRef<Scaffolding>('ScaffoldingDistribution').implement({
  description: 'Conversations per persona, emotional arc and training topic, and per combination of the three.',
  fields: (t) => ({
    personas: t.field({ type: [KeyCountRef], resolve: (s) => counts(s.personas) }),
    emotionalArcs: t.field({ type: [KeyCountRef], resolve: (s) => counts(s.emotionalArcs) }),
    trainingTopics: t.field({ type: [KeyCountRef], resolve: (s) => counts(s.trainingTopics) }),
    combinations: t.field({ type: [CombinationRef], resolve: (s) => s.combinations }),
  }),
});

const ProblemRef = builder.objectRef<DatasetProblem>('DatasetProblem').implement({
  description: 'One problem in an uploaded file, located as precisely as the file allows.',
  fields: (t) => ({
    line: t.int({ nullable: true, description: '1-based line in the file, where known.', resolve: (p) => p.line ?? null }),
    column: t.int({
      nullable: true,
      description: '1-based column (in characters) on that line, where the exact place is known: syntax errors, bytes that are not UTF-8, values over a limit.',
      resolve: (p) => p.column ?? null,
    }),
    conversation: t.string({ nullable: true, resolve: (p) => (p.conversation === undefined ? null : String(p.conversation)) }),
    field: t.string({ nullable: true, resolve: (p) => p.field ?? null }),
    message: t.exposeString('message'),
  }),
});
const ProblemKindEnum = builder.enumType('DatasetProblemKind', {
  values: ['INVALID_JSON', 'WRONG_FORMAT', 'INVALID_CONTENT', 'TOO_LARGE', 'EMPTY'] as const,
});

builder.objectType(DatasetInvalidError, {
  name: 'DatasetInvalidError',
  description: 'The file is not a usable brightrun-lora-v4 dataset. Nothing was kept.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    kind: t.field({ type: ProblemKindEnum, resolve: (e) => e.kind }),
    problemCount: t.exposeInt('problemCount', { description: 'All problems found; `problems` lists the first 50.' }),
    problems: t.field({ type: [ProblemRef], resolve: (e) => e.problems }),
  }),
});
builder.objectType(DuplicateDatasetError, {
  name: 'DuplicateDatasetError',
  description: 'A dataset with the same bytes (sha256) already exists in this workspace.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ existingDataset: t.field({ type: DatasetRef, resolve: (e) => e.existingDataset }) }),
});
builder.objectType(UploadStateError, {
  name: 'UploadStateError',
  description: 'The signed upload cannot be finalized: it expired, no bytes arrived, or it was finalized already.',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});
