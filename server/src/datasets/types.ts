// Public shapes of the dataset-import core. Field names are camelCase; the file's own
// snake_case objects (training_file_metadata, consultant_profile, training_metadata) are kept
// as they were in the file, because they are shown back to people, not computed on.

export type DatasetEncoding = 'JSON' | 'JSONL';

export interface EmotionalState {
  primary: string | null;
  secondary: string | null;
  intensity: number | null;
}

export interface HistoryTurn {
  turn: number;
  role: 'user' | 'assistant';
  content: string;
  emotionalState: EmotionalState | null;
}

/** `emotional_context.detected_emotions`, flattened. */
export interface EmotionalContext {
  primary: string | null;
  primaryConfidence: number | null;
  secondary: string | null;
  secondaryConfidence: number | null;
  intensity: number | null;
  valence: string | null;
}

export interface TrainingPair {
  id: string;
  turnNumber: number;
  systemPrompt: string;
  conversationHistory: HistoryTurn[];
  currentUserInput: string;
  /** null for user turns: such pairs are context, not training targets. */
  targetResponse: string | null;
  qualityScore: number | null;
  humanReviewed: boolean;
  emotionalContext: EmotionalContext | null;
  trainingMetadata: Record<string, unknown>;
}

export interface ConversationRecord {
  /** 0-based position of the conversation in the file. */
  ordinal: number;
  /** The conversation's uuid (never a pair's template name such as "educational"). */
  conversationId: string;
  personaKey: string;
  personaName: string | null;
  emotionalArcKey: string;
  emotionalArc: string | null;
  trainingTopicKey: string;
  trainingTopic: string | null;
  qualityTier: string | null;
  pairCount: number;
  trainablePairCount: number;
  /** Mean quality_score of the trainable pairs that have one. */
  averageQuality: number | null;
  pairs: TrainingPair[];
}

export interface TokenStats {
  tokenizer: 'llama3-tokenizer-js (Llama 3 BPE)';
  /** How a pair is counted: the Llama 3 chat template around each message is included. */
  counting: string;
  /** How p50/p95 are obtained. */
  percentiles: string;
  totalTokens: number;
  targetTokens: number;
  perPair: { mean: number; p50: number; p95: number; max: number };
  pairsOverLength: Record<'512' | '1024' | '2048' | '4096', number>;
}

export type QualityTier = 'seed' | 'production' | 'experimental' | 'rejected';

export interface QualitySummary {
  average: number | null;
  min: number | null;
  max: number | null;
  /** Trainable pairs that carry a quality_score (the figures above are over these). */
  scoredPairCount: number;
  humanReviewedCount: number;
  /** humanReviewedCount / trainable pairs, 0–1. */
  humanReviewedShare: number;
  tierCounts: Record<QualityTier, number>;
  /** The file's own quality_summary, as written in it; null when it has none. */
  declared: Record<string, unknown> | null;
}

export interface ScaffoldingCombination {
  persona: string;
  arc: string;
  topic: string;
  conversations: number;
}

export interface ScaffoldingSummary {
  personas: Record<string, number>;
  emotionalArcs: Record<string, number>;
  trainingTopics: Record<string, number>;
  combinations: ScaffoldingCombination[];
}

export type ReadinessCheckKey = 'format' | 'trainable_volume' | 'average_quality' | 'human_reviewed';

export interface ReadinessCheck {
  key: ReadinessCheckKey;
  passed: boolean;
  value: string | number | null;
  threshold: string | number | null;
  message: string;
  /** A failed blocking check keeps the dataset from being trained on. */
  blocking: boolean;
}

export interface Readiness {
  ready: boolean;
  checks: ReadinessCheck[];
}

export interface DatasetAnalysis {
  ok: true;
  encoding: DatasetEncoding;
  sha256: string;
  sizeBytes: number;
  /** training_file_metadata, or the JSONL `_meta` object, as in the file. */
  fileMetadata: Record<string, unknown> | null;
  consultantProfile: Record<string, unknown> | null;
  vertical: string | null;
  conversationCount: number;
  /** All pairs, trainable or not (JSONL: `_meta.total_pairs` when present). */
  trainingPairCount: number;
  trainablePairCount: number;
  tokenStats: TokenStats;
  qualitySummary: QualitySummary;
  scaffolding: ScaffoldingSummary;
  readiness: Readiness;
}

export type DatasetProblemKind = 'INVALID_JSON' | 'WRONG_FORMAT' | 'INVALID_CONTENT' | 'TOO_LARGE' | 'EMPTY';

export interface DatasetProblem {
  /** 1-based line in the file (JSONL, and where a full-JSON position is known). */
  line?: number;
  /** 1-based column (in characters) on that line, where the exact place is known (syntax errors, bad bytes, limits). */
  column?: number;
  /** The conversation's uuid when known, else its 0-based position in the file. */
  conversation?: string | number;
  /** Dotted path of the offending field inside the pair or conversation. */
  field?: string;
  message: string;
}

export interface DatasetProblems {
  ok: false;
  kind: DatasetProblemKind;
  /** The first MAX_LISTED_PROBLEMS problems, in file order. */
  problems: DatasetProblem[];
  /** Every problem found, listed or not. */
  problemCount: number;
}
