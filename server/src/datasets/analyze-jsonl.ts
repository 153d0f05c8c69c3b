import type { AnalysisBuilder } from './analysis-builder.js';
import { issuesToProblems } from './issues.js';
import type { Line } from './jsonl-lines.js';
import { buildConversationRecord, toTrainingPair, type ConversationScaffolding } from './normalize.js';
import type { ProblemLog } from './problems.js';
import { FORMAT_SPEC, jsonlMetaSchema, jsonlPairSchema, type RawJsonlMeta, type RawJsonlPair } from './schema.js';
import type { TrainingPair } from './types.js';

export interface JsonlFacts {
  meta: Record<string, unknown> | null;
  parsedMeta: RawJsonlMeta | null;
}

// One group is held in memory at a time; a conversation beyond this many characters of lines
// is handed on in parts (it is still counted once).
const MAX_GROUP_CHARS = 64 * 1024 * 1024;
const PAIR_KEYS = ['turn_number', 'current_user_input', 'target_response', 'training_metadata', 'conversation_history'];

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describeForeignLine(value: unknown): string {
  if (!isObject(value)) return `a JSON ${Array.isArray(value) ? 'list' : typeof value}`;
  if (Array.isArray(value.messages)) return 'an OpenAI-style chat line ({"messages": [...]})';
  if ('prompt' in value && 'completion' in value) return 'an OpenAI prompt/completion line';
  if ('instruction' in value) return 'an Alpaca-style instruction line';
  if (Array.isArray(value.conversations)) return 'a ShareGPT-style line ({"conversations": [...]})';
  const keys = Object.keys(value).slice(0, 6).join(', ');
  return keys === '' ? 'an empty object' : `an object with keys ${keys}`;
}

function scaffoldingOf(pair: RawJsonlPair): ConversationScaffolding {
  const meta = pair.conversation_metadata;
  return {
    personaKey: meta.persona_archetype,
    personaName: meta.client_persona ?? null,
    emotionalArcKey: meta.emotional_arc_key,
    emotionalArc: meta.emotional_arc ?? null,
    trainingTopicKey: meta.training_topic_key,
    trainingTopic: meta.training_topic ?? null,
  };
}

/**
 * JSONL: an optional `_meta` line, then one pair per line. Consecutive lines with the same
 * conversation_id form a conversation.
 */
export async function analyzeJsonl(lines: AsyncIterable<Line>, builder: AnalysisBuilder, problems: ProblemLog): Promise<JsonlFacts> {
  const facts: JsonlFacts = { meta: null, parsedMeta: null };
  let sawRecord = false;
  let ordinal = 0;
  let group: { id: string; scaffolding: ConversationScaffolding; pairs: TrainingPair[]; chars: number } | null = null;

  const flush = async (): Promise<void> => {
    if (!group) return;
    const record = buildConversationRecord(ordinal, group.id, group.scaffolding, null, group.pairs);
    group = null;
    ordinal += 1;
    await builder.add(record);
  };

  for await (const line of lines) {
    if (line.text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.add('INVALID_JSON', {
        line: line.number,
        message: line.terminated
          ? `line ${line.number} is not valid JSON (${reason}) — each line must hold one complete JSON object.`
          : `line ${line.number} is cut off (${reason}): the file ends before the line's JSON object is complete, so it looks truncated — export or upload it again.`,
      });
      continue;
    }

    if (isObject(value) && '_meta' in value) {
      if (sawRecord) {
        problems.add('INVALID_CONTENT', { line: line.number, field: '_meta', message: `line ${line.number}: a _meta line may only be the first line of the file — remove it or move it to the top.` });
        continue;
      }
      sawRecord = true;
      facts.meta = isObject(value._meta) ? value._meta : null;
      const parsed = jsonlMetaSchema.safeParse(value._meta);
      if (!parsed.success) {
        for (const problem of issuesToProblems(parsed.error.issues, value._meta, { line: line.number, place: `line ${line.number}`, fieldPrefix: '_meta' })) problems.add('INVALID_CONTENT', problem);
        continue;
      }
      facts.parsedMeta = parsed.data;
      const spec = parsed.data.format_spec;
      if (spec != null && spec !== FORMAT_SPEC) {
        problems.add('WRONG_FORMAT', { line: line.number, field: '_meta.format_spec', message: `line ${line.number}: the file declares format "${spec}", not ${FORMAT_SPEC} — export the dataset as ${FORMAT_SPEC}.` });
        return facts;
      }
      continue;
    }

    if (!sawRecord && !(isObject(value) && PAIR_KEYS.some((key) => key in value))) {
      problems.add('WRONG_FORMAT', {
        line: line.number,
        message:
          `line ${line.number} is ${describeForeignLine(value)}, not a ${FORMAT_SPEC} training pair ` +
          '(id, conversation_id, turn_number, system_prompt, conversation_history, current_user_input, target_response, training_metadata) — ' +
          `export the dataset as ${FORMAT_SPEC} JSON or JSONL.`,
      });
      return facts;
    }
    sawRecord = true;

    const parsed = jsonlPairSchema.safeParse(value);
    if (!parsed.success) {
      const conversationId = isObject(value) && typeof value.conversation_id === 'string' ? value.conversation_id : undefined;
      const at = { line: line.number, place: `line ${line.number}`, ...(conversationId === undefined ? {} : { conversation: conversationId }) };
      for (const problem of issuesToProblems(parsed.error.issues, value, at)) problems.add('INVALID_CONTENT', problem);
      continue;
    }
    const raw = parsed.data;
    if (group && (group.id !== raw.conversation_id || group.chars > MAX_GROUP_CHARS)) await flush();
    if (!group) group = { id: raw.conversation_id, scaffolding: scaffoldingOf(raw), pairs: [], chars: 0 };
    group.pairs.push(toTrainingPair(raw));
    group.chars += line.text.length;
  }
  await flush();
  return facts;
}
