import type { Dataset, PrismaClient } from '../generated/prisma/client.js';
import type { QualitySummary, Readiness, ScaffoldingSummary, TokenStats } from './types.js';

/** One measure of two datasets side by side; `difference` is b − a (null when either is unknown). */
export interface MeasureComparison {
  measure: ComparedMeasure;
  a: number | null;
  b: number | null;
  difference: number | null;
}

export type ComparedMeasure =
  | 'CONVERSATIONS'
  | 'TRAINING_PAIRS'
  | 'TRAINABLE_PAIRS'
  | 'TOTAL_TOKENS'
  | 'TARGET_TOKENS'
  | 'MEAN_TOKENS_PER_PAIR'
  | 'P95_TOKENS_PER_PAIR'
  | 'AVERAGE_QUALITY'
  | 'HUMAN_REVIEWED_SHARE'
  | 'SIZE_BYTES';

/** Which scaffolding keys (personas, arcs, topics) both datasets cover, and which only one. */
export interface KeyOverlap {
  dimension: 'PERSONA' | 'EMOTIONAL_ARC' | 'TRAINING_TOPIC';
  shared: string[];
  onlyInA: string[];
  onlyInB: string[];
}

export interface DatasetComparison {
  a: Dataset;
  b: Dataset;
  measures: MeasureComparison[];
  scaffolding: KeyOverlap[];
  /** Conversations (by their uuid) present in both files. */
  sharedConversationCount: number;
  /** Readiness check keys that pass in one dataset and fail in the other. */
  readinessDifferences: { key: string; passedInA: boolean; passedInB: boolean }[];
}

/** Compares two imported datasets of one workspace from their stored statistics and index (no file is read). */
export async function compareDatasets(prisma: PrismaClient, a: Dataset, b: Dataset): Promise<DatasetComparison> {
  const [shared] = await prisma.$queryRaw<{ count: bigint }[]>`
    SELECT count(*)::bigint AS count FROM (
      SELECT DISTINCT "conversationId" FROM "DatasetConversation" WHERE "datasetId" = ${a.id}
      INTERSECT SELECT DISTINCT "conversationId" FROM "DatasetConversation" WHERE "datasetId" = ${b.id}) AS both_files`;
  const tokens = (d: Dataset) => d.tokenStats as TokenStats | null;
  const quality = (d: Dataset) => d.qualitySummary as QualitySummary | null;
  const measure = (m: ComparedMeasure, pick: (d: Dataset) => number | null | undefined): MeasureComparison => {
    const va = pick(a) ?? null;
    const vb = pick(b) ?? null;
    return { measure: m, a: va, b: vb, difference: va === null || vb === null ? null : vb - va };
  };
  return {
    a,
    b,
    measures: [
      measure('CONVERSATIONS', (d) => d.conversationCount),
      measure('TRAINING_PAIRS', (d) => d.trainingPairCount),
      measure('TRAINABLE_PAIRS', (d) => d.trainablePairCount),
      measure('TOTAL_TOKENS', (d) => tokens(d)?.totalTokens),
      measure('TARGET_TOKENS', (d) => tokens(d)?.targetTokens),
      measure('MEAN_TOKENS_PER_PAIR', (d) => tokens(d)?.perPair.mean),
      measure('P95_TOKENS_PER_PAIR', (d) => tokens(d)?.perPair.p95),
      measure('AVERAGE_QUALITY', (d) => d.averageQuality),
      measure('HUMAN_REVIEWED_SHARE', (d) => quality(d)?.humanReviewedShare),
      measure('SIZE_BYTES', (d) => Number(d.sizeBytes)),
    ],
    scaffolding: [
      overlap('PERSONA', a, b, (s) => s.personas),
      overlap('EMOTIONAL_ARC', a, b, (s) => s.emotionalArcs),
      overlap('TRAINING_TOPIC', a, b, (s) => s.trainingTopics),
    ],
    sharedConversationCount: Number(shared?.count ?? 0),
    readinessDifferences: readinessDifferences(a.readiness as Readiness | null, b.readiness as Readiness | null),
  };
}

function overlap(dimension: KeyOverlap['dimension'], a: Dataset, b: Dataset, pick: (s: ScaffoldingSummary) => Record<string, number>): KeyOverlap {
  const keysOf = (d: Dataset) => new Set(Object.keys(d.scaffolding ? pick(d.scaffolding as unknown as ScaffoldingSummary) : {}));
  const [ka, kb] = [keysOf(a), keysOf(b)];
  const sorted = (keys: Iterable<string>) => [...keys].sort();
  return {
    dimension,
    shared: sorted([...ka].filter((k) => kb.has(k))),
    onlyInA: sorted([...ka].filter((k) => !kb.has(k))),
    onlyInB: sorted([...kb].filter((k) => !ka.has(k))),
  };
}

function readinessDifferences(a: Readiness | null, b: Readiness | null) {
  const passed = (r: Readiness | null) => new Map((r?.checks ?? []).map((c) => [c.key as string, c.passed]));
  const [pa, pb] = [passed(a), passed(b)];
  return [...pa.keys()].filter((key) => pb.has(key) && pa.get(key) !== pb.get(key)).map((key) => ({ key, passedInA: pa.get(key)!, passedInB: pb.get(key)! }));
}
