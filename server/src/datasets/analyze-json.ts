import type { AnalysisBuilder } from './analysis-builder.js';
import { MAX_PAIRS_PER_CONVERSATION } from './analyze-jsonl.js';
import { issuesToProblems } from './issues.js';
import { readJsonDocument } from './json-reader.js';
import { buildConversationRecord, toTrainingPair } from './normalize.js';
import type { ProblemLog } from './problems.js';
import { FORMAT_SPEC, conversationSchema, fileMetadataSchema, jsonPairSchema } from './schema.js';
import type { ConversationRecord, TrainingPair } from './types.js';

export interface JsonFacts {
  fileMetadata: Record<string, unknown> | null;
  formatSpec: string | null;
  version: string | null;
  vertical: string | null;
  declaredQuality: Record<string, unknown> | null;
  consultantProfile: Record<string, unknown> | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function conversationIdOf(value: unknown): string | null {
  if (!isObject(value) || !isObject(value.conversation_metadata)) return null;
  const id = value.conversation_metadata.conversation_id;
  return typeof id === 'string' ? id : null;
}

function describeForeignDocument(keys: string[]): string {
  if (keys.includes('messages')) return 'It looks like a single OpenAI-style chat ({"messages": [...]}).';
  const shown = keys.slice(0, 6).join(', ');
  return shown === '' ? 'Its top-level object is empty.' : `Its top-level keys are: ${shown}.`;
}

/** Validates one element of `conversations` and turns it into a record, or reports why not. */
function toConversation(value: unknown, index: number, line: number, problems: ProblemLog) {
  const parsed = conversationSchema.safeParse(value);
  const place = `conversations[${index}] (line ${line})`;
  if (!parsed.success) {
    for (const problem of issuesToProblems(parsed.error.issues, value, { conversation: index, place, line })) problems.add('INVALID_CONTENT', problem);
    return null;
  }
  const { conversation_metadata: meta, training_pairs: rawPairs } = parsed.data;
  const conversation = meta.conversation_id;
  const pairs: TrainingPair[] = [];
  let valid = true;
  for (let i = 0; i < rawPairs.length; i++) {
    const pair = jsonPairSchema.safeParse(rawPairs[i]);
    if (pair.success) {
      pairs.push(toTrainingPair(pair.data));
      continue;
    }
    valid = false;
    const at = { conversation, line, place: `conversations[${index}] (${conversation}, line ${line})`, fieldPrefix: `training_pairs[${i}]` };
    for (const problem of issuesToProblems(pair.error.issues, rawPairs[i], at)) problems.add('INVALID_CONTENT', problem);
  }
  if (rawPairs.length > MAX_PAIRS_PER_CONVERSATION) {
    problems.add('INVALID_CONTENT', {
      line,
      conversation,
      field: 'training_pairs',
      message: `${place}: conversation ${conversation} holds ${rawPairs.length.toLocaleString('en-US')} pairs, more than the ${MAX_PAIRS_PER_CONVERSATION.toLocaleString('en-US')} of any real conversation — split it or check the export.`,
    });
    return null;
  }
  if (!valid) return null;
  const s = meta.scaffolding;
  const scaffolding = {
    personaKey: s.persona_key,
    personaName: s.persona_name ?? null,
    emotionalArcKey: s.emotional_arc_key,
    emotionalArc: s.emotional_arc ?? null,
    trainingTopicKey: s.training_topic_key,
    trainingTopic: s.training_topic ?? null,
  };
  // The uuid comes from conversation_metadata: a pair's own conversation_id may be a
  // template name such as "educational".
  return buildConversationRecord(index, conversation, scaffolding, meta.quality_tier ?? null, pairs);
}

/** Full JSON: training_file_metadata, consultant_profile and conversations[], streamed. */
export async function analyzeJson(chunks: AsyncIterable<Buffer>, builder: AnalysisBuilder, problems: ProblemLog): Promise<JsonFacts> {
  const facts: JsonFacts = { fileMetadata: null, formatSpec: null, version: null, vertical: null, declaredQuality: null, consultantProfile: null };
  let sawConversations = false;

  for await (const event of readJsonDocument(chunks)) {
    switch (event.type) {
      case 'fileMetadata': {
        const parsed = fileMetadataSchema.safeParse(event.value);
        const spec = isObject(event.value) ? event.value.format_spec : undefined;
        if (typeof spec === 'string' && spec !== FORMAT_SPEC) {
          problems.add('WRONG_FORMAT', {
            field: 'training_file_metadata.format_spec',
            message: `training_file_metadata: the file declares format "${spec}", not ${FORMAT_SPEC} — export the dataset as ${FORMAT_SPEC}.`,
          });
          return facts;
        }
        if (!parsed.success) {
          const at = { place: 'training_file_metadata', fieldPrefix: 'training_file_metadata' };
          for (const problem of issuesToProblems(parsed.error.issues, event.value, at)) problems.add('INVALID_CONTENT', problem);
          break;
        }
        facts.fileMetadata = event.value as Record<string, unknown>; // as written, key order included
        facts.formatSpec = parsed.data.format_spec;
        facts.version = parsed.data.version;
        facts.vertical = parsed.data.vertical ?? null;
        facts.declaredQuality = parsed.data.quality_summary ?? null;
        break;
      }
      case 'consultantProfile':
        if (isObject(event.value)) facts.consultantProfile = event.value;
        else if (event.value !== null) problems.add('INVALID_CONTENT', { field: 'consultant_profile', message: 'consultant_profile must be an object (or be left out).' });
        break;
      case 'conversationsNotList':
        sawConversations = true;
        problems.add('INVALID_CONTENT', { field: 'conversations', message: 'field "conversations" must be a list of conversations.' });
        break;
      case 'conversation': {
        sawConversations = true;
        const record = toConversation(event.value, event.index, event.line, problems);
        const lines = { firstLine: event.line, lastLine: event.line };
        if (record) await builder.add(record, lines);
        else {
          // Refused; its id is still remembered so that a repeat of it is reported too.
          const id = conversationIdOf(event.value);
          if (id !== null) await builder.add({ conversationId: id } as ConversationRecord, lines, false);
        }
        break;
      }
      case 'end':
        if (!event.keys.includes('training_file_metadata') && !event.keys.includes('conversations')) {
          problems.add('WRONG_FORMAT', {
            message: `The JSON object has no training_file_metadata or conversations, so it is not a ${FORMAT_SPEC} file. ${describeForeignDocument(event.keys)} Export the dataset as ${FORMAT_SPEC}.`,
          });
          return facts;
        }
        if (!event.keys.includes('training_file_metadata')) {
          problems.add('INVALID_CONTENT', { field: 'training_file_metadata', message: `training_file_metadata is missing: a ${FORMAT_SPEC} file starts with it (format_spec, version, …).` });
        }
        break;
    }
  }
  if (!sawConversations && problems.size === 0) {
    problems.add('EMPTY', { field: 'conversations', message: 'The file has no conversations: there is nothing to train on. Export a dataset with at least one conversation.' });
  }
  return facts;
}
