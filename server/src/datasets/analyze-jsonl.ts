import type { AnalysisBuilder } from './analysis-builder.js';
import { MAX_CONVERSATION_CHARS, MAX_METADATA_CHARS } from './document-walker.js';
import { issuesToProblems } from './issues.js';
import { JsonPositionError, MAX_DEPTH, MAX_KEY_CHARS, MAX_STRING_CHARS, tokenizeWhole } from './json-tokenizer.js';
import type { Line } from './jsonl-lines.js';
import { buildConversationRecord, toTrainingPair, type ConversationScaffolding } from './normalize.js';
import type { ProblemLog } from './problems.js';
import { FORMAT_SPEC, jsonlMetaSchema, jsonlPairSchema, type RawJsonlMeta, type RawJsonlPair } from './schema.js';
import type { TrainingPair } from './types.js';

export interface JsonlFacts {
  meta: Record<string, unknown> | null;
  parsedMeta: RawJsonlMeta | null;
}

/** Pairs in one conversation; real conversations have a handful, long ones a few dozen. */
export const MAX_PAIRS_PER_CONVERSATION = 1_000;
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

/**
 * Whether a parsed line breaks a limit JSON.parse does not know: a text too long to train on,
 * a key too long, nesting too deep, or \u0000. Iterative, so any depth is safe.
 */
function breaksLimits(root: unknown): boolean {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.length > MAX_STRING_CHARS || value.includes('\u0000')) return true;
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) return true;
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, depth + 1]);
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key.length > MAX_KEY_CHARS || key.includes('\u0000')) return true;
      stack.push([item, depth + 1]);
    }
  }
  return false;
}

/** Runs the positional tokenizer over a line to find the exact place of its first problem. */
function locate(line: Line): JsonPositionError | null {
  try {
    tokenizeWhole(line.bytes, { firstLine: line.number });
    return null;
  } catch (error) {
    if (error instanceof JsonPositionError) return error;
    throw error;
  }
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
  type Group = { id: string; scaffolding: ConversationScaffolding; pairs: TrainingPair[]; chars: number; firstLine: number; lastLine: number; refused: boolean };
  let group: Group | null = null;

  const flush = async (): Promise<void> => {
    if (!group) return;
    const current = group;
    group = null;
    const record = buildConversationRecord(ordinal, current.id, current.scaffolding, null, current.pairs);
    ordinal += 1;
    await builder.add(record, { firstLine: current.firstLine, lastLine: current.lastLine }, !current.refused);
  };

  for await (const line of lines) {
    if (line.invalidUtf8Column !== undefined) {
      problems.add('INVALID_CONTENT', {
        line: line.number,
        column: line.invalidUtf8Column,
        message: `line ${line.number}, column ${line.invalidUtf8Column}: bytes that are not valid UTF-8 (the file may be saved as Latin-1 or Windows-1252) — save or export it as UTF-8.`,
      });
      continue;
    }
    if (line.text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (error) {
      const found = locate(line);
      if (found?.kind === 'content') {
        problems.add('INVALID_CONTENT', { line: found.line, column: found.column, message: `line ${found.line}, column ${found.column}: ${found.reason}.` });
        continue;
      }
      const reason = found ? `column ${found.column}: ${found.reason}` : error instanceof Error ? error.message : String(error);
      problems.add('INVALID_JSON', {
        line: line.number,
        ...(found ? { column: found.column } : {}),
        message: line.terminated
          ? `line ${line.number} is not valid JSON (${reason}) — each line must hold one complete JSON object.`
          : `line ${line.number} is cut off (${reason}): the file ends before the line's JSON object is complete, so it looks truncated — export or upload it again.`,
      });
      continue;
    }
    if (breaksLimits(value)) {
      const found = locate(line);
      problems.add('INVALID_CONTENT', {
        line: line.number,
        ...(found ? { column: found.column } : {}),
        message: found ? `line ${found.line}, column ${found.column}: ${found.reason}.` : `line ${line.number} holds a value beyond the import's limits.`,
      });
      continue;
    }

    if (isObject(value) && '_meta' in value) {
      if (sawRecord) {
        problems.add('INVALID_CONTENT', { line: line.number, field: '_meta', message: `line ${line.number}: a _meta line may only be the first line of the file — remove it or move it to the top.` });
        continue;
      }
      sawRecord = true;
      if (line.text.length > MAX_METADATA_CHARS) {
        problems.add('INVALID_CONTENT', { line: line.number, field: '_meta', message: `line ${line.number}: the _meta line is longer than ${MAX_METADATA_CHARS.toLocaleString('en-US')} characters; it describes the file in a few fields — shorten it.` });
        continue;
      }
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
    if (group && group.id !== raw.conversation_id) await flush();
    if (!group) group = { id: raw.conversation_id, scaffolding: scaffoldingOf(raw), pairs: [], chars: 0, firstLine: line.number, lastLine: line.number, refused: false };
    group.lastLine = line.number;
    if (group.refused) continue;
    group.chars += line.text.length;
    if (group.chars > MAX_CONVERSATION_CHARS || group.pairs.length >= MAX_PAIRS_PER_CONVERSATION) {
      // Refused, but still counted (for duplicate ids); its pairs are no longer kept.
      group.refused = true;
      group.pairs = [];
      const what = group.chars > MAX_CONVERSATION_CHARS ? `more than ${MAX_CONVERSATION_CHARS.toLocaleString('en-US')} characters of text` : `more than ${MAX_PAIRS_PER_CONVERSATION.toLocaleString('en-US')} pairs`;
      problems.add('INVALID_CONTENT', {
        line: line.number,
        conversation: raw.conversation_id,
        message: `line ${line.number}: conversation ${raw.conversation_id} (from line ${group.firstLine}) holds ${what}, beyond any real conversation — split it or check the export.`,
      });
      continue;
    }
    group.pairs.push(toTrainingPair(raw));
  }
  await flush();
  return facts;
}
