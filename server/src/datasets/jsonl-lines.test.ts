import { describe, expect, it } from 'vitest';
import { LineTooLongError, readLines, type Line } from './jsonl-lines.js';

async function collect(chunks: string[], maxLineBytes?: number): Promise<Line[]> {
  async function* source() {
    for (const chunk of chunks) yield Buffer.from(chunk, 'utf8');
  }
  const lines: Line[] = [];
  for await (const line of readLines(source(), maxLineBytes)) lines.push(line);
  return lines;
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

  it('stops on a line longer than the limit', async () => {
    await expect(collect(['short\n', 'x'.repeat(40), 'y'.repeat(40)], 64)).rejects.toEqual(new LineTooLongError(2, 64));
  });
});
