import { describe, expect, it } from 'vitest';
import { MAX_LISTED_PROBLEMS } from './problems.js';
import { SAMPLE_JSON, SAMPLE_JSONL, analyze, expectProblems, readSample } from './test-support.js';

const json = readSample(SAMPLE_JSON);
const jsonl = readSample(SAMPLE_JSONL);
const jsonlLines = () => jsonl.toString('utf8').trimEnd().split('\n');
const sampleObject = () => JSON.parse(json.toString('utf8'));

describe('analyzeDataset on bad input', () => {
  it('reports a truncated JSON file as INVALID_JSON, naming where it ends', async () => {
    const cut = json.subarray(0, Math.floor(json.length / 2));
    const lastLine = cut.toString('utf8').split('\n').length;
    const { result, conversations } = await analyze(cut);
    const problems = expectProblems(result);
    expect(problems.kind).toBe('INVALID_JSON');
    expect(problems.problemCount).toBe(1);
    const [problem] = problems.problems;
    expect(problem!.line).toBe(lastLine);
    expect(problem!.message).toMatch(/^The file ends in the middle of conversations\[6\]\.training_pairs\[\d\]/);
    expect(problem!.message).toContain(`line ${lastLine}`);
    expect(problem!.message).toContain('cut off');
    // Conversations before the cut were handed out; the caller discards them.
    expect(conversations).toHaveLength(6);
  });

  it('locates a syntax error in the middle of the file by exact line and column, and by path', async () => {
    const broken = json.toString('utf8').replace('"turn_number": 5,', '"turn_number": 5,,');
    const before = broken.slice(0, broken.indexOf(',,') + 1);
    const errorLine = before.split('\n').length;
    const errorColumn = before.length - before.lastIndexOf('\n'); // the second comma
    const problems = expectProblems((await analyze(broken)).result);
    expect(problems.kind).toBe('INVALID_JSON');
    expect(problems.problems).toHaveLength(1);
    expect(problems.problems[0]).toMatchObject({ line: errorLine, column: errorColumn });
    expect(problems.problems[0]!.message).toBe(
      `Invalid JSON at line ${errorLine}, column ${errorColumn} (in conversations[0].training_pairs[4]): expected a key in double quotes after ",", found "," — fix the syntax there or export the file again.`,
    );
  });

  it('reports a cut-off last JSONL line', async () => {
    const problems = expectProblems((await analyze(jsonl.subarray(0, 200_000))).result);
    expect(problems.kind).toBe('INVALID_JSON');
    expect(problems.problems[0]!.message).toMatch(/^line 24 is cut off .*looks truncated/);
  });

  it('recognizes an OpenAI-style chat JSONL as the wrong format', async () => {
    const chat = ['{"messages":[{"role":"system","content":"You help."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]}', '{"messages":[]}'].join('\n');
    const problems = expectProblems((await analyze(chat)).result);
    expect(problems.kind).toBe('WRONG_FORMAT');
    expect(problems.problems).toEqual([{ line: 1, message: expect.stringContaining('OpenAI-style chat line') }]);
    expect(problems.problems[0]!.message).toContain('export the dataset as brightrun-lora-v4');
  });

  it('rejects a JSON file whose format_spec is something else, before reading its conversations', async () => {
    const other = json.toString('utf8').replace('"format_spec": "brightrun-lora-v4"', '"format_spec": "something-else"');
    const { result, conversations } = await analyze(other);
    const problems = expectProblems(result);
    expect(problems.kind).toBe('WRONG_FORMAT');
    expect(problems.problems[0]).toMatchObject({ field: 'training_file_metadata.format_spec', message: expect.stringContaining('"something-else"') });
    expect(conversations).toHaveLength(0);
  });

  it.each([
    ['CSV', 'id,conversation_id,turn_number\n1,abc,1\n', /It looks like CSV/],
    ['a JSON list', '[{"id": 1}]', /JSON list/],
    ['UTF-16', Buffer.from('\ufeff{"a":1}', 'utf16le'), /UTF-16/],
    ['another JSON document', '{\n  "model": "x",\n  "data": [1, 2]\n}\n', /no training_file_metadata or conversations.*model, data/],
  ])('rejects %s as WRONG_FORMAT', async (_label, data, message) => {
    const problems = expectProblems((await analyze(data)).result);
    expect(problems.kind).toBe('WRONG_FORMAT');
    expect(problems.problems[0]!.message).toMatch(message);
  });

  it('reports bad field types in JSONL with line, conversation and field', async () => {
    const lines = jsonlLines();
    const pair = JSON.parse(lines[16]!);
    pair.target_response = 42;
    pair.training_metadata.quality_score = 7;
    pair.conversation_history[0].role = 'system';
    delete pair.system_prompt;
    lines[16] = JSON.stringify(pair);
    const problems = expectProblems((await analyze(lines.join('\n'))).result);
    expect(problems.kind).toBe('INVALID_CONTENT');
    expect(problems.problemCount).toBe(4);
    expect(problems.problems).toContainEqual({
      line: 17,
      conversation: pair.conversation_id,
      field: 'target_response',
      message: 'line 17: field "target_response" must be a string or null (got number 42)',
    });
    expect(problems.problems.map((p) => p.field).sort()).toEqual(['conversation_history[0].role', 'system_prompt', 'target_response', 'training_metadata.quality_score']);
    expect(problems.problems.find((p) => p.field === 'system_prompt')!.message).toBe('line 17: field "system_prompt" is missing: it must be a string');
    expect(problems.problems.find((p) => p.field === 'training_metadata.quality_score')!.message).toContain('must be a number from 1 to 5 (got number 7)');
  });

  it('reports bad field types in JSON with the conversation and the field path', async () => {
    const data = sampleObject();
    data.conversations[3].training_pairs[2].target_response = 5;
    data.conversations[3].training_pairs[1].turn_number = 0;
    data.conversations[5].conversation_metadata.scaffolding.persona_key = null;
    const problems = expectProblems((await analyze(JSON.stringify(data, null, 2))).result);
    expect(problems.kind).toBe('INVALID_CONTENT');
    const text = JSON.stringify(data, null, 2);
    const lineOf = (needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
    // Each conversation's problems carry the line its object starts on.
    const third = lineOf('"dc48bfe6-9998-412a-b002-ac19d001be64"') - 2;
    const fifth = lineOf(`"${data.conversations[5].conversation_metadata.conversation_id}"`) - 2;
    expect(problems.problems).toEqual([
      {
        line: third,
        conversation: 'dc48bfe6-9998-412a-b002-ac19d001be64',
        field: 'training_pairs[1].turn_number',
        message: `conversations[3] (dc48bfe6-9998-412a-b002-ac19d001be64, line ${third}): field "training_pairs[1].turn_number" must be a whole number of at least 1 (got number 0)`,
      },
      {
        line: third,
        conversation: 'dc48bfe6-9998-412a-b002-ac19d001be64',
        field: 'training_pairs[2].target_response',
        message: `conversations[3] (dc48bfe6-9998-412a-b002-ac19d001be64, line ${third}): field "training_pairs[2].target_response" must be a string or null (got number 5)`,
      },
      {
        line: fifth,
        conversation: 5,
        field: 'conversation_metadata.scaffolding.persona_key',
        message: `conversations[5] (line ${fifth}): field "conversation_metadata.scaffolding.persona_key" must be a string (got null)`,
      },
    ]);
  });

  it(`lists the first ${MAX_LISTED_PROBLEMS} problems and counts them all`, async () => {
    const [meta, ...pairs] = jsonlLines();
    const bad = pairs.map((line) => line.replace('"turn_number":', '"turn_number":"one","was":'));
    const lines = [meta, ...bad, ...bad, ...bad]; // 132 pairs, one problem each
    const problems = expectProblems((await analyze(lines.join('\n'))).result);
    expect(problems.problemCount).toBe(132);
    expect(problems.problems).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(problems.problems[0]).toMatchObject({ line: 2, field: 'turn_number' });
    expect(problems.problems[49]).toMatchObject({ line: 51 });
  });

  it('reports JSONL lines that are not JSON, and keeps going', async () => {
    const lines = jsonlLines();
    lines[3] = '{"id": "broken",';
    lines[9] = 'not json at all';
    const problems = expectProblems((await analyze(lines.join('\n'))).result);
    expect(problems.kind).toBe('INVALID_JSON');
    expect(problems.problems.map((p) => p.line)).toEqual([4, 10]);
    expect(problems.problems[0]!.message).toMatch(/^line 4 is not valid JSON \(.+\) — each line must hold one complete JSON object\.$/);
  });

  it('stops at the size limit with TOO_LARGE', async () => {
    const { result, conversations } = await analyze(json, { maxBytes: 100_000, chunkSize: 16 * 1024 });
    const problems = expectProblems(result);
    expect(problems).toMatchObject({ kind: 'TOO_LARGE', problemCount: 1 });
    expect(problems.problems[0]!.message).toMatch(/larger than the 100\.0 kB limit/);
    expect(conversations.length).toBeLessThan(12);
  });

  it.each([
    ['an empty file', ''],
    ['whitespace only', ' \n\t\n'],
    ['a JSON file without conversations', JSON.stringify({ training_file_metadata: { format_spec: 'brightrun-lora-v4', version: '4.0.0' }, conversations: [] })],
    ['a JSONL file with only its _meta line', '{"_meta":{"file_name":"x","total_pairs":0,"version":"4.0.0"}}\n'],
  ])('reports %s as EMPTY', async (_label, data) => {
    const problems = expectProblems((await analyze(data)).result);
    expect(problems.kind).toBe('EMPTY');
    expect(problems.problems[0]!.message).toMatch(/nothing to (import|train on)/);
  });

  it('reads __proto__ keys as data, never as a prototype', async () => {
    const data = sampleObject();
    const text = JSON.stringify(data).replace('"training_metadata":{', '"training_metadata":{"__proto__":{"polluted":true},');
    const { conversations } = await analyze(text);
    const metadata = conversations[0]!.pairs[0]!.trainingMetadata;
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
