import { describe, expect, it } from 'vitest';
import { LineTooLongError, readLines, type Line } from './jsonl-lines.js';

async function collect(chunks: string[], maxLineBytes?: number): Promise<Line[]> {
  async function* source() {
    for (const chunk of chunks) yield Buffer.from(chunk, 'utf8');
  }
  const lines: Line[] = [];
  for await (const line of readLines(source(), maxLineBytes)) lines.push(line);
  return lines.map(({ bytes: _bytes, ...rest }) => rest as Line);
}

describe('readLines', () => {
  it('splits on LF and CRLF across chunk boundaries, numbering lines from 1', async () => {
    const lines = await collect(['{"a"', ':1}\r', '\n{"b":2}\n', '\n{"c"', ':3}']);
    expect(lines).toEqual([
      { number: 1, text: '{"a":1}', terminated: true },
      { number: 2, text: '{"b":2}', terminated: true },
      { number: 3, text: '', terminated: true },
      { number: 4, text: '{"c":3}', terminated: false },
    ]);
  });

  it('keeps multi-byte characters split between chunks intact and drops a byte-order mark', async () => {
    const bytes = Buffer.from('\ufeffcafé → 日本\nnext\n', 'utf8');
    async function* source() {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    }
    const lines: string[] = [];
    for await (const line of readLines(source())) lines.push(line.text);
    expect(lines).toEqual(['café → 日本', 'next']);
  });

  it('counts a lone CR as a line end, also across chunks, and CRLF once', async () => {
    const lines = await collect(['{"a":1}\r{"b":2}\r', '{"c":3}\r', '\n{"d":4}']);
    expect(lines.map((l) => [l.number, l.text])).toEqual([
      [1, '{"a":1}'],
      [2, '{"b":2}'],
      [3, '{"c":3}'],
      [4, '{"d":4}'],
    ]);
  });

  it('marks a line that is not valid UTF-8 with the column of the first bad byte', async () => {
    async function* source() {
      yield Buffer.from('ok\n', 'utf8');
      yield Buffer.concat([Buffer.from('é1', 'utf8'), Buffer.from([0xe9, 0x41]), Buffer.from('\n')]);
    }
    const lines: Line[] = [];
    for await (const line of readLines(source())) lines.push(line);
    expect(lines[0]!.invalidUtf8Column).toBeUndefined();
    expect(lines[1]).toMatchObject({ number: 2, text: '', invalidUtf8Column: 3 });
  });

  it('stops on a line longer than the limit', async () => {
    await expect(collect(['short\n', 'x'.repeat(40), 'y'.repeat(40)], 64)).rejects.toEqual(new LineTooLongError(2, 64));
  });
});
