import { z } from 'zod';

// The brightrun-lora-v4 shapes (see shared/data/brightrun-v4/FORMAT.md). Objects are loose:
// unknown fields are kept, because the generator adds fields over time. Personas, arcs and
// topics are open sets, so they are plain strings here. Each error text completes the
// sentence `field "x" …`, so a message names the field and what it must be.

const text = () => z.string({ error: 'must be a string' });
const optionalText = () => z.string({ error: 'must be a string' }).nullish();
const optionalNumber = () => z.number({ error: 'must be a number' }).nullish();
const turnNumber = () =>
  z
    .number({ error: 'must be a whole number of at least 1' })
    .int({ error: 'must be a whole number of at least 1' })
    .min(1, { error: 'must be a whole number of at least 1' });

export const FORMAT_SPEC = 'brightrun-lora-v4';

const emotionalState = z.looseObject(
  { primary: optionalText(), secondary: optionalText(), intensity: optionalNumber() },
  { error: 'must be an object' },
);

export const historyTurnSchema = z.looseObject(
  {
    turn: turnNumber(),
    role: z.enum(['user', 'assistant'], { error: 'must be "user" or "assistant"' }),
    content: text(),
    emotional_state: emotionalState.nullish(),
  },
  { error: 'must be an object with turn, role and content' },
);

const emotionalContext = z.looseObject(
  {
    detected_emotions: z
      .looseObject(
        {
          primary: optionalText(),
          primary_confidence: optionalNumber(),
          secondary: optionalText(),
          secondary_confidence: optionalNumber(),
          intensity: optionalNumber(),
          valence: optionalText(),
        },
        { error: 'must be an object' },
      )
      .nullish(),
  },
  { error: 'must be an object' },
);

const trainingMetadata = z.looseObject(
  {
    quality_score: z
      .number({ error: 'must be a number from 1 to 5' })
      .min(1, { error: 'must be a number from 1 to 5' })
      .max(5, { error: 'must be a number from 1 to 5' })
      .nullish(),
    human_reviewed: z.boolean({ error: 'must be true or false' }).nullish(),
    demonstrates_skills: z.array(text(), { error: 'must be a list of strings' }).nullish(),
  },
  { error: 'must be an object' },
);

/** Per-pair scaffolding; required in JSONL, where it is the only place scaffolding lives. */
export const pairScaffoldingSchema = z.looseObject(
  {
    persona_archetype: text(),
    client_persona: optionalText(),
    emotional_arc_key: text(),
    emotional_arc: optionalText(),
    training_topic_key: text(),
    training_topic: optionalText(),
  },
  { error: 'must be an object' },
);

const pairFields = {
  id: text(),
  conversation_id: text(),
  turn_number: turnNumber(),
  system_prompt: text(),
  conversation_history: z.array(historyTurnSchema, { error: 'must be a list (empty for the first turn)' }),
  current_user_input: text(),
  emotional_context: emotionalContext.nullish(),
  target_response: z.string({ error: 'must be a string or null' }).nullable(),
  training_metadata: trainingMetadata,
};

/** A pair inside a full JSON file: scaffolding comes from the enclosing conversation. */
export const jsonPairSchema = z.looseObject(
  { ...pairFields, conversation_metadata: z.looseObject({}, { error: 'must be an object' }).nullish() },
  { error: 'must be an object' },
);

/** A JSONL line. */
export const jsonlPairSchema = z.looseObject(
  { ...pairFields, conversation_metadata: pairScaffoldingSchema },
  { error: 'must be an object' },
);

export type RawPair = z.infer<typeof jsonPairSchema>;
export type RawJsonlPair = z.infer<typeof jsonlPairSchema>;

export const conversationSchema = z.looseObject(
  {
    conversation_metadata: z.looseObject(
      {
        conversation_id: text(),
        quality_tier: optionalText(),
        total_turns: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).nullish(),
        scaffolding: z.looseObject(
          {
            persona_key: text(),
            persona_name: optionalText(),
            emotional_arc_key: text(),
            emotional_arc: optionalText(),
            training_topic_key: text(),
            training_topic: optionalText(),
          },
          { error: 'must be an object with persona_key, emotional_arc_key and training_topic_key' },
        ),
      },
      { error: 'must be an object' },
    ),
    // Pairs are checked one by one afterwards, so their problems carry the pair's index.
    training_pairs: z.array(z.unknown(), { error: 'must be a list of training pairs' }),
  },
  { error: 'must be an object with conversation_metadata and training_pairs' },
);

export type RawConversation = z.infer<typeof conversationSchema>;

export const fileMetadataSchema = z.looseObject(
  {
    file_name: optionalText(),
    version: text(),
    format_spec: text(),
    vertical: optionalText(),
    total_conversations: z.number({ error: 'must be a number' }).nullish(),
    total_training_pairs: z.number({ error: 'must be a number' }).nullish(),
    quality_summary: z.looseObject({}, { error: 'must be an object' }).nullish(),
  },
  { error: 'must be an object' },
);

export const jsonlMetaSchema = z.looseObject(
  {
    file_name: optionalText(),
    version: optionalText(),
    format_spec: optionalText(),
    vertical: optionalText(),
    total_pairs: z
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(0, { error: 'must not be negative' })
      .nullish(),
  },
  { error: 'must be an object' },
);

export type RawJsonlMeta = z.infer<typeof jsonlMetaSchema>;
