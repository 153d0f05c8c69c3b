import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, MAX_STRING_CHARS } from './json-tokenizer.js';
import { SAMPLE_JSON, SAMPLE_JSONL, analyze, expectOk, expectProblems, readSample } from './test-support.js';

// Each reproduction from the hardening issue: before these bounds, a 1 MB text crashed the token
// counter, 10–20 MB strings raised a RangeError (INTERNAL), 100,000-deep metadata overflowed the
// stack, \u0000 reached PostgreSQL, invalid UTF-8 imported as READY and CR-only files were misread.

const json = readSample(SAMPLE_JSON).toString('utf8');
const jsonl = readSample(SAMPLE_JSONL).toString('utf8');
const jsonlLines = () => jsonl.trimEnd().split('\n');
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

function jsonWithPairField(field: string, raw: string): { text: string; line: number } {
  const data = JSON.parse(json);
  data.conversations[1].training_pairs[1][field] = '@@MARK@@';
  const text = JSON.stringify(data, null, 2).replace('"@@MARK@@"', raw);
  return { text, line: lineOf(text, raw.slice(0, 20)) };
}

function jsonlWithPairField(index: number, field: string, raw: string): string {
  const lines = jsonlLines();
  const pair = JSON.parse(lines[index]!);
  pair[field] = '@@MARK@@';
  lines[index] = JSON.stringify(pair).replace('"@@MARK@@"', raw);
  return lines.join('\n');
}

describe('import limits', () => {
  it('refuses a 1 MB target_response in JSONL as INVALID_CONTENT with its line and column, quickly', async () => {
    const started = performance.now();
    const text = jsonlWithPairField(4, 'target_response', JSON.stringify('x'.repeat(1_000_000)));
    const problems = expectProblems((await analyze(text)).result);
    expect(problems.kind).toBe('INVALID_CONTENT');
    expect(problems.problems).toHaveLength(1);
    const problem = problems.problems[0]!;
    expect(problem.line).toBe(5);
    const lineText = text.split('\n')[4]!;
    expect(problem.column).toBe(lineText.indexOf('"xxxx') + 1);
    expect(problem.message).toContain(`longer than ${MAX_STRING_CHARS.toLocaleString('en-US')} characters`);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it.each([10, 20])('refuses a %i MB string in a JSON file with its line, not a RangeError', async (megabytes) => {
    const { text, line } = jsonWithPairField('target_response', JSON.stringify('ab '.repeat((megabytes * 1e6) / 3)));
    const problems = expectProblems((await analyze(text)).result);
    expect(problems.kind).toBe('INVALID_CONTENT');
    expect(problems.problems[0]).toMatchObject({ line, field: 'conversations[1].training_pairs[1].target_response' });
    expect(problems.problems[0]!.message).toMatch(/^line \d+, column \d+ \(in conversations\[1\]\.training_pairs\[1\]\.target_response\): a text longer than/);
  });

  it('refuses a string just over the limit and accepts one at it', async () => {
    const over = jsonlWithPairField(4, 'target_response', JSON.stringify('y'.repeat(MAX_STRING_CHARS + 1)));
    expect(expectProblems((await analyze(over)).result).kind).toBe('INVALID_CONTENT');
    const at = jsonlWithPairField(4, 'target_response', JSON.stringify('y'.repeat(MAX_STRING_CHARS)));
    expectOk((await analyze(at)).result);
  });

  it('refuses metadata nested 100,000 deep (JSON and JSONL) without overflowing the stack', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const { text, line } = jsonWithPairField('training_metadata_extra', deep);
    const fromJson = expectProblems((await analyze(text)).result);
    expect(fromJson.kind).toBe('INVALID_CONTENT');
    expect(fromJson.problems[0]).toMatchObject({ line, column: expect.any(Number) });
    expect(fromJson.problems[0]!.message).toContain(`nested more than ${MAX_DEPTH} levels deep`);

    const fromJsonl = expectProblems((await analyze(jsonlWithPairField(6, 'extra', deep))).result);
    expect(fromJsonl.kind).toBe('INVALID_CONTENT');
    expect(fromJsonl.problems[0]).toMatchObject({ line: 7, column: expect.any(Number) });
    expect(fromJsonl.problems[0]!.message).toContain('nested more than');
  });

  it('refuses \\u0000 in file content with its line (JSON and JSONL), and a raw NUL byte as invalid JSON', async () => {
    const { text, line } = jsonWithPairField('id', '"pair\\u0000id"');
    const fromJson = expectProblems((await analyze(text)).result);
    expect(fromJson.problems[0]).toMatchObject({ line, message: expect.stringContaining('NUL character') });

    const fromJsonl = expectProblems((await analyze(jsonlWithPairField(2, 'conversation_id', '"abc\\u0000"'))).result);
    expect(fromJsonl.kind).toBe('INVALID_CONTENT');
    expect(fromJsonl.problems[0]).toMatchObject({ line: 3, message: expect.stringContaining('NUL character') });

    const raw = jsonlLines();
    raw[3] = raw[3]!.replace('"turn_number"', '"turn\u0000number"');
    const rawNul = expectProblems((await analyze(raw.join('\n'))).result);
    expect(rawNul.kind).toBe('INVALID_JSON');
    expect(rawNul.problems[0]).toMatchObject({ line: 4, column: raw[3]!.indexOf('\u0000') + 1 });
  });

  it('refuses invalid UTF-8 with its line and column (it imported as READY)', async () => {
    const latin1 = (text: string, needle: string) => {
      const at = Buffer.from(text.slice(0, text.indexOf(needle)), 'utf8').length;
      const bytes = Buffer.from(text, 'utf8');
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xe9]), bytes.subarray(at)]); // "é" in Latin-1
    };
    const needle = 'Marcus';
    const fromJson = expectProblems((await analyze(latin1(json, needle))).result);
    expect(fromJson.kind).toBe('INVALID_CONTENT');
    const jsonLine = json.slice(0, json.indexOf(needle)).split('\n');
    expect(fromJson.problems[0]).toMatchObject({ line: jsonLine.length, column: jsonLine.at(-1)!.length + 1 });
    expect(fromJson.problems[0]!.message).toContain('not valid UTF-8');

    const fromJsonl = expectProblems((await analyze(latin1(jsonl, needle))).result);
    expect(fromJsonl.kind).toBe('INVALID_CONTENT');
    const jsonlLine = jsonl.slice(0, jsonl.indexOf(needle)).split('\n');
    expect(fromJsonl.problems[0]).toMatchObject({ line: jsonlLine.length, column: jsonlLine.at(-1)!.length + 1 });
  });

  it('reads CR-only line ends like LF ones and reports lines correctly in them', async () => {
    const okJson = expectOk((await analyze(json.replaceAll('\n', '\r'))).result);
    const okJsonl = expectOk((await analyze(jsonl.replaceAll('\n', '\r'))).result);
    const reference = expectOk((await analyze(json)).result);
    expect(okJson.conversationCount).toBe(reference.conversationCount);
    expect(okJsonl.conversationCount).toBe(reference.conversationCount);
    expect(okJsonl.trainablePairCount).toBe(reference.trainablePairCount);

    const brokenJson = json.replace('"turn_number": 5,', '"turn_number": 5,,');
    const line = lineOf(brokenJson, ',,');
    const inCr = expectProblems((await analyze(brokenJson.replaceAll('\n', '\r'))).result);
    const inLf = expectProblems((await analyze(brokenJson)).result);
    expect(inCr.problems[0]).toMatchObject({ line, column: inLf.problems[0]!.column });

    const lines = jsonlLines();
    lines[9] = lines[9]!.replace('"turn_number":', '"turn_number":"one","x":');
    const badJsonl = expectProblems((await analyze(lines.join('\r'))).result);
    expect(badJsonl.problems[0]).toMatchObject({ line: 10, field: 'turn_number' });
  });

  it('reports a syntax error in a real export at its exact line and column (it said "lines 1–610" and line 1)', async () => {
    // A missing comma between two keys, as a hand edit leaves it.
    const broken = json.replace('"quality_tier": "experimental",', '"quality_tier": "experimental"');
    const errorLine = lineOf(broken, '"quality_tier": "experimental"') + 1;
    const problems = expectProblems((await analyze(broken)).result);
    expect(problems.kind).toBe('INVALID_JSON');
    const nextLine = broken.split('\n')[errorLine - 1]!;
    expect(problems.problems[0]).toMatchObject({ line: errorLine, column: nextLine.search(/\S/) + 1 });
    expect(problems.problems[0]!.message).toContain(`line ${errorLine}, column ${nextLine.search(/\S/) + 1}`);
    expect(problems.problems[0]!.message).toContain('expected "," or "}" after a value');
  });

  it('refuses a conversation with more pairs than any real one', async () => {
    const lines = jsonlLines();
    const pair = JSON.parse(lines[1]!);
    const many = Array.from({ length: 1_001 }, (_, i) => JSON.stringify({ ...pair, id: `p${i}`, turn_number: i + 1 }));
    const problems = expectProblems((await analyze([lines[0], ...many].join('\n'))).result);
    expect(problems.kind).toBe('INVALID_CONTENT');
    expect(problems.problems).toEqual([expect.objectContaining({ line: 1_002, message: expect.stringContaining('more than 1,000 pairs') })]);
  });
});
