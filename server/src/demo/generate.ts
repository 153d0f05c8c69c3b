import { FORMAT_SPEC } from '../datasets/schema.js';
import { ARCS } from './arcs.js';
import { buildConversation } from './conversation.js';
import { PERSONAS } from './personas.js';
import { planDataset, type ConversationPlan, type PlanSpec } from './plan.js';
import { CONSULTANT_PROFILE } from './profile.js';
import { TOPICS } from './topics.js';

// Deterministic generator of brightrun-lora-v4 FULL JSON files for demos and benchmarks.
// Output is produced conversation by conversation, so any size can be streamed.

export interface DemoSpec extends PlanSpec {
  /** Dataset name; the file_name in the metadata is this plus " (generated)". */
  name: string;
  /** Timestamp written into the file, fixed so the bytes are reproducible. @default '2025-12-09T12:00:00.000Z' */
  createdAt?: string;
}

export const GENERATED_BY = 'brightrun demo generator';

/** Passes every readiness check: 242 conversations, 1,567 trainable pairs, quality ≈ 3.8. */
export const READY_DEMO: DemoSpec = {
  name: 'Demo: ready to train',
  seed: 242,
  conversations: 242,
  trainablePairs: 1567,
  qualityMean: 3.8,
};

/** Fails readiness twice over: too few trainable pairs and average quality below 3.0. */
export const LOW_QUALITY_DEMO: DemoSpec = {
  name: 'Demo: needs more work',
  seed: 18,
  conversations: 18,
  trainablePairs: 70,
  qualityMean: 2.6,
  qualitySpread: 0.45,
};

const TRAINABLE_PER_CONVERSATION = 6.5;

/** A spec whose file is about `sizeBytes` long (for memory and throughput benchmarks). */
export function sizedDemoSpec(sizeBytes: number, seed: number | string = 'large'): DemoSpec {
  const probeConversations = 24;
  const probe: DemoSpec = { name: 'probe', seed, conversations: probeConversations, trainablePairs: probeConversations * TRAINABLE_PER_CONVERSATION, qualityMean: 3.8 };
  let probeBytes = 0;
  for (const chunk of datasetChunks(probe)) probeBytes += Buffer.byteLength(chunk);
  const conversations = Math.max(1, Math.round(sizeBytes / (probeBytes / probeConversations)));
  return {
    name: `Benchmark: ${Math.round(sizeBytes / 1e6)} MB`,
    seed,
    conversations,
    trainablePairs: Math.round(conversations * TRAINABLE_PER_CONVERSATION),
    qualityMean: 3.8,
  };
}

function countBy(plans: ConversationPlan[], keyOf: (plan: ConversationPlan) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const plan of plans) counts[keyOf(plan)] = (counts[keyOf(plan)] ?? 0) + 1;
  return counts;
}

function fileMetadata(spec: DemoSpec, plans: ConversationPlan[], createdAt: string) {
  const scores = plans.flatMap((plan) => plan.scores);
  const reviewed = plans.reduce((sum, plan) => sum + plan.humanReviewed.filter(Boolean).length, 0);
  const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
  return {
    file_name: `${spec.name} (generated)`,
    version: '4.0.0',
    created_date: createdAt,
    last_updated: createdAt,
    format_spec: FORMAT_SPEC,
    target_model: 'meta-llama/Meta-Llama-3-8B-Instruct',
    vertical: 'financial_planning_consultant',
    total_conversations: plans.length,
    total_training_pairs: plans.reduce((sum, plan) => sum + plan.turns, 0),
    quality_summary: {
      avg_quality_score: Math.round(mean * 100) / 100,
      min_quality_score: scores.reduce((min, score) => Math.min(min, score), 5),
      max_quality_score: scores.reduce((max, score) => Math.max(max, score), 1),
      human_reviewed_count: reviewed,
      human_reviewed_percentage: Math.round((reviewed / scores.length) * 1000) / 10,
    },
    scaffolding_distribution: {
      personas: countBy(plans, (plan) => PERSONAS[plan.personaIndex]!.key),
      emotional_arcs: countBy(plans, (plan) => ARCS[plan.arcIndex]!.key),
      training_topics: countBy(plans, (plan) => TOPICS[plan.topicIndex]!.key),
    },
    generated_by: GENERATED_BY,
    generator_seed: spec.seed,
  };
}

/** JSON.stringify with 2-space indentation, shifted right to sit at `depth` in the file. */
function indented(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${' '.repeat(depth)}`);
}

/** The file as text chunks: the header, then one chunk per conversation, then the closing. */
export function* datasetChunks(spec: DemoSpec): Generator<string> {
  const createdAt = spec.createdAt ?? '2025-12-09T12:00:00.000Z';
  const plans = planDataset(spec);
  yield '{\n' +
    `  "training_file_metadata": ${indented(fileMetadata(spec, plans, createdAt), 2)},\n` +
    `  "consultant_profile": ${indented(CONSULTANT_PROFILE, 2)},\n` +
    '  "conversations": [\n';
  const createdDate = createdAt.slice(0, 10);
  for (const plan of plans) {
    const separator = plan.index === plans.length - 1 ? '\n' : ',\n';
    yield `    ${indented(buildConversation(plan, spec.seed, createdDate), 4)}${separator}`;
  }
  yield '  ]\n}\n';
}

/** The file as an async stream of text chunks (what storage and Readable.from take). */
export async function* generateDataset(spec: DemoSpec): AsyncGenerator<string> {
  yield* datasetChunks(spec);
}

/** The file as UTF-8 byte chunks (what analyzeDataset takes). */
export async function* generateDatasetBytes(spec: DemoSpec): AsyncGenerator<Uint8Array> {
  for (const chunk of datasetChunks(spec)) yield Buffer.from(chunk, 'utf8');
}
