import { builder } from '../builder.js';
import type { ConversationRecord, TrainingPair } from '../datasets/analyze.js';

type HistoryTurn = TrainingPair['conversationHistory'][number];

const RoleEnum = builder.enumType('ConversationRole', { values: { USER: { description: 'The client speaking.' }, ASSISTANT: { description: 'The consultant (the voice being trained).' } } as const });

const HistoryTurnRef = builder.objectRef<HistoryTurn>('ConversationTurn').implement({
  fields: (t) => ({
    turn: t.int({ nullable: true, resolve: (h) => h.turn ?? null }),
    role: t.field({ type: RoleEnum, resolve: (h) => (h.role === 'assistant' ? 'ASSISTANT' : 'USER') }),
    content: t.exposeString('content'),
    emotionalState: t.field({ type: 'JSON', nullable: true, resolve: (h) => h.emotionalState ?? null }),
  }),
});

const TrainingPairRef = builder.objectRef<TrainingPair>('TrainingPair').implement({
  description: 'One turn of a conversation. Pairs with a target response are trainable.',
  fields: (t) => ({
    id: t.exposeString('id'),
    turnNumber: t.exposeInt('turnNumber'),
    trainable: t.boolean({ resolve: (p) => p.targetResponse != null }),
    systemPrompt: t.string({ nullable: true, resolve: (p) => p.systemPrompt ?? null }),
    conversationHistory: t.field({ type: [HistoryTurnRef], resolve: (p) => p.conversationHistory ?? [] }),
    currentUserInput: t.string({ nullable: true, resolve: (p) => p.currentUserInput ?? null }),
    targetResponse: t.string({ nullable: true, resolve: (p) => p.targetResponse ?? null }),
    qualityScore: t.float({ nullable: true, resolve: (p) => p.qualityScore ?? null }),
    humanReviewed: t.boolean({ nullable: true, resolve: (p) => p.humanReviewed ?? null }),
    emotionalContext: t.field({ type: 'JSON', nullable: true, resolve: (p) => p.emotionalContext ?? null }),
    trainingMetadata: t.field({ type: 'JSON', nullable: true, resolve: (p) => p.trainingMetadata ?? null }),
  }),
});

export const ConversationRef = builder.objectRef<ConversationRecord>('Conversation').implement({
  description: 'A conversation of a dataset with its scaffolding (persona × emotional arc × topic) and its pairs.',
  fields: (t) => ({
    id: t.exposeString('conversationId', { description: 'The conversation uuid from the file.' }),
    ordinal: t.exposeInt('ordinal', { description: 'Position in the file, from 0.' }),
    personaKey: t.string({ nullable: true, resolve: (c) => c.personaKey ?? null }),
    personaName: t.string({ nullable: true, resolve: (c) => c.personaName ?? null }),
    emotionalArcKey: t.string({ nullable: true, resolve: (c) => c.emotionalArcKey ?? null }),
    emotionalArc: t.string({ nullable: true, resolve: (c) => c.emotionalArc ?? null }),
    trainingTopicKey: t.string({ nullable: true, resolve: (c) => c.trainingTopicKey ?? null }),
    trainingTopic: t.string({ nullable: true, resolve: (c) => c.trainingTopic ?? null }),
    qualityTier: t.string({ nullable: true, resolve: (c) => c.qualityTier ?? null }),
    pairCount: t.exposeInt('pairCount'),
    trainablePairCount: t.exposeInt('trainablePairCount'),
    averageQuality: t.float({ nullable: true, resolve: (c) => c.averageQuality ?? null }),
    pairs: t.field({ type: [TrainingPairRef], resolve: (c) => c.pairs }),
  }),
});
