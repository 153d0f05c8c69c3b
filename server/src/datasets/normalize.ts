import { averageTrainableQuality, qualityTier } from './quality.js';
import type { RawPair } from './schema.js';
import type { ConversationRecord, EmotionalContext, HistoryTurn, TrainingPair } from './types.js';

type RawHistoryTurn = RawPair['conversation_history'][number];

function historyTurn(raw: RawHistoryTurn): HistoryTurn {
  const state = raw.emotional_state;
  return {
    turn: raw.turn,
    role: raw.role,
    content: raw.content,
    emotionalState: state
      ? { primary: state.primary ?? null, secondary: state.secondary ?? null, intensity: state.intensity ?? null }
      : null,
  };
}

function emotionalContext(raw: RawPair['emotional_context']): EmotionalContext | null {
  const detected = raw?.detected_emotions;
  if (!detected) return null;
  return {
    primary: detected.primary ?? null,
    primaryConfidence: detected.primary_confidence ?? null,
    secondary: detected.secondary ?? null,
    secondaryConfidence: detected.secondary_confidence ?? null,
    intensity: detected.intensity ?? null,
    valence: detected.valence ?? null,
  };
}

/** A validated pair (either encoding) in the camelCase shape the rest of the product uses. */
type RawPairCore = Pick<
  RawPair,
  'id' | 'turn_number' | 'system_prompt' | 'conversation_history' | 'current_user_input' | 'target_response' | 'training_metadata' | 'emotional_context'
>;

export function toTrainingPair(raw: RawPairCore): TrainingPair {
  return {
    id: raw.id,
    turnNumber: raw.turn_number,
    systemPrompt: raw.system_prompt,
    conversationHistory: raw.conversation_history.map(historyTurn),
    currentUserInput: raw.current_user_input,
    targetResponse: raw.target_response,
    qualityScore: raw.training_metadata.quality_score ?? null,
    humanReviewed: raw.training_metadata.human_reviewed ?? false,
    emotionalContext: emotionalContext(raw.emotional_context),
    trainingMetadata: raw.training_metadata,
  };
}

export interface ConversationScaffolding {
  personaKey: string;
  personaName: string | null;
  emotionalArcKey: string;
  emotionalArc: string | null;
  trainingTopicKey: string;
  trainingTopic: string | null;
}

export function buildConversationRecord(
  ordinal: number,
  conversationId: string,
  scaffolding: ConversationScaffolding,
  declaredTier: string | null,
  pairs: TrainingPair[],
): ConversationRecord {
  const averageQuality = averageTrainableQuality(pairs);
  // The full JSON declares a tier per conversation; JSONL does not, so it is derived the same
  // way the generator derives it: from the mean score.
  const tier = declaredTier ?? (averageQuality === null ? null : qualityTier(averageQuality));
  let trainable = 0;
  for (const pair of pairs) if (pair.targetResponse !== null) trainable += 1;
  return {
    ordinal,
    conversationId,
    ...scaffolding,
    qualityTier: tier,
    pairCount: pairs.length,
    trainablePairCount: trainable,
    averageQuality,
    pairs,
  };
}
