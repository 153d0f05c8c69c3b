// The dataset fuzzer's generator: a fixed, seeded list of malformed and odd brightrun-lora-v4
// files, built from the real CC-BY sample (shared/data/brightrun-v4). Every variant says what a
// correct importer must answer: 'ok' (imports, with `conversations` when known), a problem kind,
// or 'refused' / 'any' where several answers are right (a cut at a line end can be a valid
// JSONL file). dataset-fuzz.test.ts imports each one and checks the answer and that a refusal
// leaves nothing behind. Deterministic: the same list on every run.
import { readFileSync } from 'node:fs';

export type Expectation = 'ok' | 'refused' | 'any' | 'INVALID_JSON' | 'WRONG_FORMAT' | 'INVALID_CONTENT' | 'TOO_LARGE' | 'EMPTY';

export interface FuzzVariant {
  name: string;
  /** The class of malformation, for the summary. */
  kind: string;
  bytes: () => Buffer;
  expect: Expectation;
  /** For 'ok': the conversation count; for a refusal: the line of the first problem. */
  conversations?: number;
  line?: number;
}

const SAMPLE_DIR = new URL('../../../../shared/data/brightrun-v4/', import.meta.url);
const sampleJson = () => JSON.parse(readFileSync(new URL('EQ-12-conversations-demo.json', SAMPLE_DIR), 'utf8'));
const sampleJsonlLines = () => readFileSync(new URL('EQ-12-conversations-demo.jsonl', SAMPLE_DIR), 'utf8').trimEnd().split('\n');

/** mulberry32: a small seeded PRNG, so the variants are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Small bases (two conversations) keep the run short; a few variants use the whole sample.
function smallJsonObject(): any {
  const data = sampleJson();
  data.conversations = data.conversations.slice(0, 2);
  // Distinct bytes per variant come from the mutations themselves.
  return data;
}
function smallJsonlLines(): string[] {
  const [meta, ...pairs] = sampleJsonlLines();
  const ids = [...new Set(pairs.map((line) => JSON.parse(line).conversation_id as string))].slice(0, 2);
  const kept = pairs.filter((line) => ids.includes(JSON.parse(line).conversation_id));
  const parsedMeta = JSON.parse(meta!);
  parsedMeta._meta.total_pairs = kept.length;
  return [JSON.stringify(parsedMeta), ...kept];
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const pretty = (value: unknown) => utf8(JSON.stringify(value, null, 2));
const lineOfIndex = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** Builds every variant. */
export function buildVariants(): FuzzVariant[] {
  const variants: FuzzVariant[] = [];
  const add = (v: FuzzVariant) => variants.push(v);
  const random = prng(20261130);

  const baseJsonText = JSON.stringify(smallJsonObject(), null, 2);
  const baseJsonlText = smallJsonlLines().join('\n') + '\n';
  const bases: Array<[string, string]> = [
    ['json', baseJsonText],
    ['jsonl', baseJsonlText],
  ];

  // --- Valid files, as exported and with harmless differences ----------------------------------
  add({ name: 'valid small JSON', kind: 'valid', bytes: () => utf8(baseJsonText), expect: 'ok', conversations: 2 });
  add({ name: 'valid small JSONL', kind: 'valid', bytes: () => utf8(baseJsonlText), expect: 'ok', conversations: 2 });
  add({ name: 'the whole sample (JSON)', kind: 'valid', bytes: () => readFileSync(new URL('EQ-12-conversations-demo.json', SAMPLE_DIR)), expect: 'ok', conversations: 12 });
  add({ name: 'the whole sample (JSONL)', kind: 'valid', bytes: () => readFileSync(new URL('EQ-12-conversations-demo.jsonl', SAMPLE_DIR)), expect: 'ok', conversations: 12 });
  add({ name: 'minified JSON', kind: 'valid', bytes: () => utf8(JSON.stringify(smallJsonObject())), expect: 'ok', conversations: 2 });
  add({ name: 'JSONL without _meta', kind: 'valid', bytes: () => utf8(smallJsonlLines().slice(1).join('\n')), expect: 'ok', conversations: 2 });
  add({ name: 'JSONL without a final newline', kind: 'valid', bytes: () => utf8(baseJsonlText.trimEnd()), expect: 'ok', conversations: 2 });
  add({ name: 'JSONL with blank lines between pairs', kind: 'valid', bytes: () => utf8(smallJsonlLines().join('\n\n\n')), expect: 'ok', conversations: 2 });

  // --- Byte-order mark and line ends ----------------------------------------------------------
  for (const [encoding, text] of bases) {
    const conversations = 2;
    const endings: Array<[string, string]> = [
      ['LF', '\n'],
      ['CRLF', '\r\n'],
      ['CR', '\r'],
    ];
    for (const [label, eol] of endings) {
      add({ name: `${encoding} with ${label} line ends`, kind: 'line ends', bytes: () => utf8(text.replaceAll('\n', eol)), expect: 'ok', conversations });
      add({ name: `${encoding} with a BOM and ${label} line ends`, kind: 'BOM', bytes: () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text.replaceAll('\n', eol))]), expect: 'ok', conversations });
    }
    add({
      name: `${encoding} with mixed LF/CRLF/CR line ends`,
      kind: 'line ends',
      bytes: () => {
        let i = 0;
        return utf8(text.replace(/\n/g, () => ['\n', '\r\n', '\r'][i++ % 3]!));
      },
      expect: 'ok',
      conversations,
    });
    add({ name: `${encoding} with two BOMs`, kind: 'BOM', bytes: () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), utf8(text)]), expect: 'refused' });
    add({ name: `${encoding} as UTF-16 LE with BOM`, kind: 'BOM', bytes: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), expect: 'WRONG_FORMAT' });
    add({ name: `${encoding} as UTF-16 BE with BOM`, kind: 'BOM', bytes: () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]), expect: 'WRONG_FORMAT' });
  }

  // --- Truncation --------------------------------------------------------------------------------
  for (const [encoding, text] of bases) {
    const bytes = utf8(text);
    const cuts = [1, 2, 10, 100, 500, 1000];
    for (let k = 1; k <= 18; k++) cuts.push(Math.floor((bytes.length * k) / 19));
    for (const cut of cuts) {
      // A JSONL file cut just after a line end is a valid, shorter file; elsewhere the last line is cut.
      const atLineEnd = encoding === 'jsonl' && bytes[cut - 1] === 0x0a;
      add({
        name: `${encoding} cut at byte ${cut} of ${bytes.length}`,
        kind: 'truncation',
        bytes: () => bytes.subarray(0, cut),
        expect: encoding === 'json' ? (cut <= 2 ? 'any' : 'INVALID_JSON') : atLineEnd ? 'any' : 'refused',
      });
    }
    // Cut inside a multi-byte character.
    const multi = text.search(/[^\x00-\x7f]/);
    if (multi > 0) {
      const at = Buffer.byteLength(text.slice(0, multi)) + 1;
      add({ name: `${encoding} cut inside a multi-byte character`, kind: 'truncation', bytes: () => bytes.subarray(0, at), expect: 'refused' });
    }
  }

  // --- Bad UTF-8 ---------------------------------------------------------------------------------
  const badSequences: Array<[string, number[]]> = [
    ['lone 0xff', [0xff]],
    ['lone continuation 0x80', [0x80]],
    ['Latin-1 é', [0xe9]],
    ['cut 2-byte sequence', [0xc3, 0x28]],
    ['overlong slash', [0xc0, 0xaf]],
    ['overlong 3-byte', [0xe0, 0x80, 0xaf]],
    ['UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['cut 4-byte sequence', [0xf0, 0x9f, 0x98]],
  ];
  for (const [encoding, text] of bases) {
    for (const [label, seq] of badSequences) {
      const needle = encoding === 'json' ? '"target_response": "' : '"target_response":"';
      const at = text.indexOf(needle) + needle.length + 5;
      const line = lineOfIndex(text, at);
      add({
        name: `${encoding}: ${label} inside a target_response`,
        kind: 'bad UTF-8',
        bytes: () => Buffer.concat([utf8(text.slice(0, at)), Buffer.from(seq), utf8(text.slice(at))]),
        expect: 'INVALID_CONTENT',
        line,
      });
    }
    // Outside any string.
    const at = text.indexOf('\n') + 1;
    add({ name: `${encoding}: 0xff between values`, kind: 'bad UTF-8', bytes: () => Buffer.concat([utf8(text.slice(0, at)), Buffer.from([0xff]), utf8(text.slice(at))]), expect: 'refused' });
    // Bad byte in a key and in the _meta / metadata block.
    const keyAt = text.indexOf('"system_prompt"') + 3;
    add({ name: `${encoding}: bad byte in a key`, kind: 'bad UTF-8', bytes: () => Buffer.concat([utf8(text.slice(0, keyAt)), Buffer.from([0xfe]), utf8(text.slice(keyAt))]), expect: 'refused', line: lineOfIndex(text, keyAt) });
  }

  // --- NUL ---------------------------------------------------------------------------------------
  for (const [encoding, text] of bases) {
    const sep = encoding === 'json' ? '": "' : '":"';
    for (const field of ['id', 'conversation_id', 'system_prompt', 'current_user_input', 'target_response']) {
      const needle = `"${field}${sep}`;
      const at = text.indexOf(needle) + needle.length + 2;
      const line = lineOfIndex(text, at);
      add({ name: `${encoding}: \\u0000 escape in ${field}`, kind: 'NUL', bytes: () => utf8(text.slice(0, at) + '\\u0000' + text.slice(at)), expect: 'INVALID_CONTENT', line });
      add({ name: `${encoding}: raw NUL byte in ${field}`, kind: 'NUL', bytes: () => Buffer.concat([utf8(text.slice(0, at)), Buffer.from([0]), utf8(text.slice(at))]), expect: 'INVALID_JSON', line });
    }
    add({ name: `${encoding}: NUL bytes between values`, kind: 'NUL', bytes: () => utf8(text.replace('\n', '\n\u0000\u0000\n')), expect: 'refused' });
    add({ name: `${encoding}: \\u0000 in a key`, kind: 'NUL', bytes: () => utf8(text.replace('"turn_number"', '"turn\\u0000number"')), expect: 'INVALID_CONTENT' });
    add({ name: `${encoding}: file of NUL bytes`, kind: 'NUL', bytes: () => Buffer.alloc(4096), expect: 'refused' });
  }

  // --- Huge strings ------------------------------------------------------------------------------
  const huge: Array<[string, number]> = [
    ['100,001 characters', 100_001],
    ['1 MB', 1_000_000],
  ];
  for (const [encoding] of bases) {
    for (const field of ['target_response', 'system_prompt', 'current_user_input', 'id']) {
      for (const [label, size] of huge) {
        add({
          name: `${encoding}: ${label} in ${field}`,
          kind: 'huge string',
          bytes: () => withPairField(encoding, 0, field, JSON.stringify('w'.repeat(size))),
          expect: 'INVALID_CONTENT',
        });
      }
    }
    add({ name: `${encoding}: 1 MB of spaces and words in target_response`, kind: 'huge string', bytes: () => withPairField(encoding, 1, 'target_response', JSON.stringify('word '.repeat(200_000))), expect: 'INVALID_CONTENT' });
    add({ name: `${encoding}: 1 MB key`, kind: 'huge string', bytes: () => withPairField(encoding, 0, 'k'.repeat(1_000_000), '1'), expect: 'INVALID_CONTENT' });
    add({ name: `${encoding}: 100,000 characters exactly in target_response`, kind: 'huge string', bytes: () => withPairField(encoding, 1, 'target_response', JSON.stringify('v'.repeat(100_000))), expect: 'ok', conversations: 2 });
    add({ name: `${encoding}: 1 MB of escapes in target_response`, kind: 'huge string', bytes: () => withPairField(encoding, 1, 'target_response', JSON.stringify('\n'.repeat(500_000))), expect: 'INVALID_CONTENT' });
    add({ name: `${encoding}: a 200-digit number`, kind: 'huge string', bytes: () => withPairField(encoding, 0, 'turn_number', '1'.repeat(200)), expect: 'refused' });
  }
  add({ name: 'json: 10 MB string in target_response', kind: 'huge string', bytes: () => withPairField('json', 0, 'target_response', JSON.stringify('ab '.repeat(3_400_000))), expect: 'INVALID_CONTENT' });
  add({ name: 'jsonl: 12 MB string in target_response', kind: 'huge string', bytes: () => withPairField('jsonl', 0, 'target_response', JSON.stringify('ab '.repeat(4_000_000))), expect: 'INVALID_CONTENT' });
  add({ name: 'jsonl: a 20 MB line', kind: 'huge string', bytes: () => withPairField('jsonl', 0, 'padding', JSON.stringify(Array.from({ length: 400 }, () => 'p'.repeat(50_000)))), expect: 'INVALID_CONTENT' });

  // --- Deep nesting ------------------------------------------------------------------------------
  for (const [encoding] of bases) {
    // 40 levels inside a pair stay within the 64 of a file in both encodings; 70 do not.
    for (const depth of [40, 70, 1_000, 100_000]) {
      const fits = depth === 40;
      const nested = '['.repeat(depth) + ']'.repeat(depth);
      add({ name: `${encoding}: lists nested ${depth} deep in a pair`, kind: 'deep nesting', bytes: () => withPairField(encoding, 0, 'extra', nested), expect: fits ? 'ok' : 'INVALID_CONTENT', ...(fits ? { conversations: 2 } : {}) });
      const objects = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
      add({ name: `${encoding}: objects nested ${depth} deep in training_metadata`, kind: 'deep nesting', bytes: () => withPairField(encoding, 1, 'training_metadata', objects), expect: fits ? 'ok' : 'INVALID_CONTENT', ...(fits ? { conversations: 2 } : {}) });
    }
  }
  add({ name: 'json: training_file_metadata nested 100,000 deep', kind: 'deep nesting', bytes: () => utf8(baseJsonText.replace('"training_file_metadata": {', `"training_file_metadata": {"deep": ${'['.repeat(100_000)}${']'.repeat(100_000)},`)), expect: 'INVALID_CONTENT' });
  add({ name: 'json: unclosed nesting 100,000 deep at the end', kind: 'deep nesting', bytes: () => utf8(baseJsonText.replace(/\}\s*$/, `, "x": ${'['.repeat(100_000)}`)), expect: 'refused' });

  // --- Wrong types and missing fields ------------------------------------------------------------
  const pairFields = ['id', 'conversation_id', 'turn_number', 'system_prompt', 'conversation_history', 'current_user_input', 'target_response', 'training_metadata'];
  const wrongValues: Array<[string, string]> = [
    ['a number', '42'],
    ['a list', '[1, 2]'],
    ['an object', '{"x": 1}'],
    ['true', 'true'],
    ['null', 'null'],
    ['a string', '"text"'],
  ];
  for (const [encoding] of bases) {
    for (const field of pairFields) {
      for (const [label, raw] of wrongValues) {
        const valid =
          (raw === 'null' && field === 'target_response') ||
          (raw === '42' && field === 'turn_number') ||
          (raw === '{"x": 1}' && field === 'training_metadata') ||
          (raw === '"text"' && ['id', 'conversation_id', 'system_prompt', 'current_user_input', 'target_response'].includes(field));
        // conversation_id inside a full JSON pair is informational (the conversation's own id counts).
        const jsonPairId = encoding === 'json' && field === 'conversation_id';
        if (valid) continue;
        add({
          name: `${encoding}: ${field} is ${label}`,
          kind: 'wrong type',
          bytes: () => withPairField(encoding, 1, field, raw),
          expect: jsonPairId || (encoding === 'jsonl' && field === 'conversation_id' && raw !== '"text"') ? 'refused' : 'INVALID_CONTENT',
        });
      }
      add({ name: `${encoding}: ${field} missing`, kind: 'missing field', bytes: () => withoutPairField(encoding, 1, field), expect: 'INVALID_CONTENT' });
    }
    add({ name: `${encoding}: quality_score 7`, kind: 'wrong type', bytes: () => withPairField(encoding, 1, 'training_metadata', '{"quality_score": 7}'), expect: 'INVALID_CONTENT' });
    add({ name: `${encoding}: turn_number 0`, kind: 'wrong type', bytes: () => withPairField(encoding, 1, 'turn_number', '0'), expect: 'INVALID_CONTENT' });
    add({ name: `${encoding}: turn_number 1.5`, kind: 'wrong type', bytes: () => withPairField(encoding, 1, 'turn_number', '1.5'), expect: 'INVALID_CONTENT' });
    add({ name: `${encoding}: history role "system"`, kind: 'wrong type', bytes: () => withPairField(encoding, 2, 'conversation_history', '[{"turn": 1, "role": "system", "content": "x"}]'), expect: 'INVALID_CONTENT' });
    add({ name: `${encoding}: pair is a string`, kind: 'wrong type', bytes: () => replacePair(encoding, 1, '"not a pair"'), expect: 'refused' });
    add({ name: `${encoding}: pair is null`, kind: 'wrong type', bytes: () => replacePair(encoding, 1, 'null'), expect: 'refused' });
    add({ name: `${encoding}: pair is a list`, kind: 'wrong type', bytes: () => replacePair(encoding, 1, '[]'), expect: 'refused' });
    add({ name: `${encoding}: pair is an empty object`, kind: 'missing field', bytes: () => replacePair(encoding, 1, '{}'), expect: 'refused' });
  }
  for (const field of ['conversation_metadata', 'training_pairs']) {
    for (const [label, raw] of wrongValues) {
      add({ name: `json: conversation ${field} is ${label}`, kind: 'wrong type', bytes: () => withConversationField(field, raw), expect: 'INVALID_CONTENT' });
    }
    add({ name: `json: conversation ${field} missing`, kind: 'missing field', bytes: () => withConversationField(field, undefined), expect: 'INVALID_CONTENT' });
  }
  for (const field of ['persona_key', 'emotional_arc_key', 'training_topic_key']) {
    add({ name: `json: scaffolding.${field} missing`, kind: 'missing field', bytes: () => withScaffolding(field, undefined), expect: 'INVALID_CONTENT' });
    add({ name: `json: scaffolding.${field} is a number`, kind: 'wrong type', bytes: () => withScaffolding(field, 3), expect: 'INVALID_CONTENT' });
  }
  for (const [label, raw] of wrongValues) {
    add({ name: `json: conversations is ${label}`, kind: 'wrong type', bytes: () => utf8(baseJsonText.replace(/"conversations": \[[\s\S]*\]\s*\}\s*$/, `"conversations": ${raw}}`)), expect: 'refused' });
    add({ name: `json: training_file_metadata is ${label}`, kind: 'wrong type', bytes: () => utf8(JSON.stringify({ ...smallJsonObject(), training_file_metadata: JSON.parse(raw) }, null, 2)), expect: raw.startsWith('{') ? 'refused' : 'INVALID_CONTENT' });
    add({ name: `jsonl: _meta is ${label}`, kind: 'wrong type', bytes: () => utf8([`{"_meta": ${raw}}`, ...smallJsonlLines().slice(1)].join('\n')), expect: raw.startsWith('{') || raw === 'null' ? 'any' : 'INVALID_CONTENT' });
  }
  add({ name: 'json: training_file_metadata missing', kind: 'missing field', bytes: () => utf8(JSON.stringify({ ...smallJsonObject(), training_file_metadata: undefined }, null, 2)), expect: 'INVALID_CONTENT' });
  add({ name: 'json: conversations missing', kind: 'missing field', bytes: () => utf8(JSON.stringify({ ...smallJsonObject(), conversations: undefined }, null, 2)), expect: 'EMPTY' });
  add({ name: 'json: conversations empty', kind: 'missing field', bytes: () => utf8(JSON.stringify({ ...smallJsonObject(), conversations: [] }, null, 2)), expect: 'EMPTY' });
  add({ name: 'json: format_spec of another format', kind: 'wrong type', bytes: () => utf8(baseJsonText.replace('"format_spec": "brightrun-lora-v4"', '"format_spec": "other-v1"')), expect: 'WRONG_FORMAT' });
  add({ name: 'jsonl: format_spec of another format', kind: 'wrong type', bytes: () => utf8(baseJsonlText.replace('"version"', '"format_spec":"other-v1","version"')), expect: 'WRONG_FORMAT' });

  // --- Duplicate ids -----------------------------------------------------------------------------
  {
    const lines = smallJsonlLines();
    const [meta, ...pairs] = lines;
    add({ name: 'jsonl: a conversation split in two places', kind: 'duplicate ids', bytes: () => utf8([meta, ...pairs.slice(1), pairs[0]].join('\n')), expect: 'INVALID_CONTENT', line: lines.length });
    add({ name: 'jsonl: the whole file twice', kind: 'duplicate ids', bytes: () => utf8([meta, ...pairs, ...pairs].join('\n')), expect: 'INVALID_CONTENT', line: lines.length + 1 });
    add({ name: 'jsonl: one pair repeated right after itself', kind: 'duplicate ids', bytes: () => utf8([meta, pairs[0], ...pairs].join('\n')), expect: 'ok', conversations: 2 });
    add({
      name: 'jsonl: two conversations interleaved',
      kind: 'duplicate ids',
      bytes: () => {
        const a = pairs.filter((p) => JSON.parse(p!).conversation_id === JSON.parse(pairs[0]!).conversation_id);
        const b = pairs.filter((p) => !a.includes(p));
        return utf8([meta, a[0], b[0], ...a.slice(1), ...b.slice(1)].join('\n'));
      },
      expect: 'INVALID_CONTENT',
    });
    const data = smallJsonObject();
    add({ name: 'json: a conversation listed twice', kind: 'duplicate ids', bytes: () => pretty({ ...data, conversations: [...data.conversations, data.conversations[0]] }), expect: 'INVALID_CONTENT' });
    add({ name: 'json: a conversation listed twice, adjacent', kind: 'duplicate ids', bytes: () => pretty({ ...data, conversations: [data.conversations[0], data.conversations[0], data.conversations[1]] }), expect: 'INVALID_CONTENT' });
    add({ name: 'json: two conversations with one id', kind: 'duplicate ids', bytes: () => {
      const copy = smallJsonObject();
      copy.conversations[1].conversation_metadata.conversation_id = copy.conversations[0].conversation_metadata.conversation_id;
      return pretty(copy);
    }, expect: 'INVALID_CONTENT' });
    add({ name: 'json: duplicate pair ids (allowed: ids are per conversation)', kind: 'duplicate ids', bytes: () => {
      const copy = smallJsonObject();
      copy.conversations[0].training_pairs[1].id = copy.conversations[0].training_pairs[0].id;
      return pretty(copy);
    }, expect: 'ok', conversations: 2 });
  }

  // --- Not a dataset at all ----------------------------------------------------------------------
  const foreign: Array<[string, string, Expectation]> = [
    ['an empty file', '', 'EMPTY'],
    ['only whitespace', ' \n\r\n\t ', 'EMPTY'],
    ['an empty object', '{}', 'any'],
    ['an empty list', '[]', 'WRONG_FORMAT'],
    ['CSV', 'id,conversation_id\n1,2\n', 'WRONG_FORMAT'],
    ['HTML', '<!doctype html><html></html>', 'WRONG_FORMAT'],
    ['a bare string', '"hello"', 'WRONG_FORMAT'],
    ['a number', '42', 'WRONG_FORMAT'],
    ['OpenAI chat JSONL', '{"messages":[{"role":"user","content":"hi"}]}\n{"messages":[]}\n', 'WRONG_FORMAT'],
    ['Alpaca JSON lines', '{"instruction":"x","output":"y"}\n', 'WRONG_FORMAT'],
    ['a lone "{"', '{', 'any'],
    ['unbalanced closers', '{"a": 1}}}}', 'refused'],
    ['trailing garbage after the object', `${baseJsonText}\ngarbage`, 'INVALID_JSON'],
    ['two JSON documents', `${baseJsonText}\n${baseJsonText}`, 'INVALID_JSON'],
    ['single quotes', "{'training_file_metadata': {}}", 'refused'],
    ['comments', `// export\n${baseJsonText}`, 'WRONG_FORMAT'],
    ['trailing comma in an object', baseJsonText.replace('"format_spec": "brightrun-lora-v4"', '"format_spec": "brightrun-lora-v4",\n'), 'INVALID_JSON'],
    ['NaN', baseJsonText.replace(/"quality_score": [0-9.]+/, '"quality_score": NaN'), 'INVALID_JSON'],
    ['Infinity', baseJsonText.replace(/"quality_score": [0-9.]+/, '"quality_score": Infinity'), 'INVALID_JSON'],
    ['a leading-zero number', baseJsonText.replace(/"turn_number": 1\b/, '"turn_number": 01'), 'INVALID_JSON'],
    ['an invalid escape', baseJsonText.replace('"system_prompt": "', '"system_prompt": "\\q'), 'INVALID_JSON'],
    ['a short \\u escape', baseJsonText.replace('"system_prompt": "', '"system_prompt": "\\u12'), 'INVALID_JSON'],
    ['a raw tab in a string', baseJsonText.replace('"system_prompt": "', '"system_prompt": "\t'), 'INVALID_JSON'],
    ['a raw line break in a string', baseJsonText.replace('"system_prompt": "', '"system_prompt": "\n'), 'INVALID_JSON'],
    ['a lone surrogate escape (allowed, as JSON.parse does)', baseJsonText.replace('"system_prompt": "', '"system_prompt": "\\ud800'), 'ok'],
  ];
  for (const [label, text, expectation] of foreign) {
    add({ name: label, kind: 'not a dataset', bytes: () => utf8(text), expect: expectation, ...(expectation === 'ok' ? { conversations: 2 } : {}) });
  }

  // --- Seeded structural mutations -------------------------------------------------------------
  const structural = ['{', '}', '[', ']', ',', ':', '"', '\\', 'x', ' '];
  for (const [encoding, text] of bases) {
    for (let k = 0; k < 30; k++) {
      const at = Math.floor(random() * text.length);
      const mode = k % 3;
      const char = structural[Math.floor(random() * structural.length)]!;
      const mutated = mode === 0 ? text.slice(0, at) + text.slice(at + 1) : mode === 1 ? text.slice(0, at) + char + text.slice(at) : text.slice(0, at) + char + text.slice(at + 1);
      add({ name: `${encoding}: ${['delete', 'insert', 'replace'][mode]} ${JSON.stringify(mode === 0 ? text[at] : char)} at ${at}`, kind: 'mutation', bytes: () => utf8(mutated), expect: 'any' });
    }
    for (let k = 0; k < 5; k++) {
      const at = Math.floor(random() * text.length);
      const noise = Buffer.from(Array.from({ length: 16 }, () => Math.floor(random() * 256)));
      add({ name: `${encoding}: 16 random bytes at ${at}`, kind: 'mutation', bytes: () => Buffer.concat([utf8(text.slice(0, at)), noise, utf8(text.slice(at))]), expect: 'any' });
    }
  }
  for (let k = 0; k < 5; k++) {
    const noise = Buffer.from(Array.from({ length: 2048 }, () => Math.floor(random() * 256)));
    add({ name: `2 kB of random bytes #${k + 1}`, kind: 'mutation', bytes: () => noise, expect: 'refused' });
  }

  return variants;

  // Helpers over the small bases (hoisted).
  function withPairField(encoding: string, pairIndex: number, field: string, raw: string): Buffer {
    const mark = '"@@FUZZ_MARK@@"';
    if (encoding === 'json') {
      const data = smallJsonObject();
      data.conversations[0].training_pairs[pairIndex][field] = '@@FUZZ_MARK@@';
      return utf8(JSON.stringify(data, null, 2).replace(mark, raw));
    }
    const lines = smallJsonlLines();
    const pair = JSON.parse(lines[pairIndex + 1]!);
    pair[field] = '@@FUZZ_MARK@@';
    lines[pairIndex + 1] = JSON.stringify(pair).replace(mark, raw);
    return utf8(lines.join('\n'));
  }
  function withoutPairField(encoding: string, pairIndex: number, field: string): Buffer {
    if (encoding === 'json') {
      const data = smallJsonObject();
      delete data.conversations[0].training_pairs[pairIndex][field];
      return pretty(data);
    }
    const lines = smallJsonlLines();
    const pair = JSON.parse(lines[pairIndex + 1]!);
    delete pair[field];
    lines[pairIndex + 1] = JSON.stringify(pair);
    return utf8(lines.join('\n'));
  }
  function replacePair(encoding: string, pairIndex: number, raw: string): Buffer {
    if (encoding === 'json') {
      const data = smallJsonObject();
      data.conversations[0].training_pairs[pairIndex] = '@@FUZZ_MARK@@';
      return utf8(JSON.stringify(data, null, 2).replace('"@@FUZZ_MARK@@"', raw));
    }
    const lines = smallJsonlLines();
    lines[pairIndex + 1] = raw;
    return utf8(lines.join('\n'));
  }
  function withConversationField(field: string, raw: string | undefined): Buffer {
    const data = smallJsonObject();
    if (raw === undefined) delete data.conversations[1][field];
    else data.conversations[1][field] = JSON.parse(raw);
    return pretty(data);
  }
  function withScaffolding(field: string, value: unknown): Buffer {
    const data = smallJsonObject();
    const scaffolding = data.conversations[1].conversation_metadata.scaffolding;
    if (value === undefined) delete scaffolding[field];
    else scaffolding[field] = value;
    return pretty(data);
  }
}
