import { qualityTier } from '../datasets/quality.js';
import { ARCS } from './arcs.js';
import { PERSONAS } from './personas.js';
import { Random } from './prng.js';
import { TOPICS } from './topics.js';

// The numbers of a generated dataset, decided up front (a few numbers per conversation) so
// the file's metadata can state exact totals before any conversation text is produced.

export interface PlanSpec {
  seed: number | string;
  conversations: number;
  trainablePairs: number;
  qualityMean: number;
  /** Spread of scores between conversations. @default 0.35 */
  qualitySpread?: number;
  /** Share of trainable pairs marked human_reviewed. @default 0.04 */
  humanReviewedShare?: number;
}

export interface ConversationPlan {
  index: number;
  conversationId: string;
  /** The template name real files put in each pair's conversation_id. */
  template: string;
  personaIndex: number;
  nameIndex: number;
  arcIndex: number;
  topicIndex: number;
  turns: number;
  /** quality_score of each trainable (even) turn, in order. */
  scores: number[];
  humanReviewed: boolean[];
  /** Score given to the user turns (context only). */
  contextScore: number;
  qualityTier: string;
}

const TEMPLATES = ['educational', 'fp_conversation'];
const roundTenth = (value: number) => Math.round(value * 10) / 10;
const clampScore = (value: number) => Math.min(5, Math.max(1, value));

function trainableCounts(spec: PlanSpec, random: Random): number[] {
  const { conversations, trainablePairs } = spec;
  if (!Number.isInteger(conversations) || conversations < 1) throw new RangeError('conversations must be a whole number of at least 1');
  if (!Number.isInteger(trainablePairs) || trainablePairs < conversations) {
    throw new RangeError(`trainablePairs (${trainablePairs}) must be a whole number no smaller than conversations (${conversations}): every conversation has at least one trainable pair`);
  }
  const base = Math.floor(trainablePairs / conversations);
  const counts = new Array<number>(conversations).fill(base);
  for (let extra = trainablePairs - base * conversations, i = 0; extra > 0; extra--, i++) counts[i] = base + 1;
  // Move pairs between random conversations for variety; the total never changes.
  const low = Math.max(1, base - 2);
  const high = base + 3;
  for (let n = 0; n < conversations * 2; n++) {
    const from = random.int(0, conversations - 1);
    const to = random.int(0, conversations - 1);
    if (from !== to && counts[from]! > low && counts[to]! < high) {
      counts[from]! -= 1;
      counts[to]! += 1;
    }
  }
  return counts;
}

/**
 * Moves the scores so their mean lands on the target despite clamping and rounding: a
 * shift of everything first, then single 0.1 steps spread over the conversations.
 */
function centerScores(plans: ConversationPlan[], target: number): void {
  const all = () => plans.flatMap((plan) => plan.scores);
  const gap = () => {
    const scores = all();
    return target * scores.length - scores.reduce((sum, score) => sum + score, 0);
  };
  const count = all().length;
  for (let round = 0; round < 4; round++) {
    const delta = gap() / count;
    if (Math.abs(delta) < 0.05) break;
    for (const plan of plans) plan.scores = plan.scores.map((score) => roundTenth(clampScore(score + delta)));
  }
  let steps = Math.round(gap() * 10); // in units of 0.1
  for (let pass = 0; pass < 10 && steps !== 0; pass++) {
    for (const plan of plans) {
      for (let i = 0; i < plan.scores.length && steps !== 0; i += 3) {
        const moved = roundTenth(clampScore(plan.scores[i]! + (steps > 0 ? 0.1 : -0.1)));
        if (moved === plan.scores[i]) continue;
        plan.scores[i] = moved;
        steps += steps > 0 ? -1 : 1;
      }
    }
  }
}

export function planDataset(spec: PlanSpec): ConversationPlan[] {
  if (!(spec.qualityMean >= 1 && spec.qualityMean <= 5)) throw new RangeError('qualityMean must be between 1 and 5');
  const random = new Random(`${spec.seed}:plan`);
  const counts = trainableCounts(spec, random);
  const spread = spec.qualitySpread ?? 0.35;
  const reviewedShare = spec.humanReviewedShare ?? 0.04;
  const arcWeights = ARCS.map((arc, index) => ({ value: index, weight: arc.weight }));

  const plans = counts.map((trainable, index): ConversationPlan => {
    const personaIndex = random.int(0, PERSONAS.length - 1);
    const conversationMean = random.normal(spec.qualityMean, spread);
    const scores = Array.from({ length: trainable }, () => roundTenth(clampScore(random.normal(conversationMean, spread * 0.6))));
    return {
      index,
      conversationId: random.uuid(),
      template: random.pick(TEMPLATES),
      personaIndex,
      nameIndex: random.int(0, PERSONAS[personaIndex]!.names.length - 1),
      arcIndex: random.weighted(arcWeights),
      topicIndex: random.int(0, TOPICS.length - 1),
      // Most conversations end on the advisor; some end on an unanswered client turn.
      turns: trainable * 2 + (random.chance(0.15) ? 1 : 0),
      scores,
      humanReviewed: scores.map(() => random.chance(reviewedShare)),
      contextScore: 0,
      qualityTier: '',
    };
  });
  centerScores(plans, spec.qualityMean);
  for (const plan of plans) {
    const mean = plan.scores.reduce((sum, score) => sum + score, 0) / plan.scores.length;
    plan.contextScore = roundTenth(mean);
    plan.qualityTier = qualityTier(mean);
  }
  return plans;
}
