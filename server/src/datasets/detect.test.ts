import { describe, expect, it } from 'vitest';
import { DETECTION_WINDOW_BYTES, detectEncoding } from './detect.js';

const detect = (text: string, complete = true) => detectEncoding(Buffer.from(text, 'utf8'), complete);

describe('detectEncoding', () => {
  it('tells a pretty-printed or minified full file from JSONL by its first line', () => {
    expect(detect('{\n  "training_file_metadata": {}\n}')).toEqual({ decided: true, encoding: 'JSON' });
    expect(detect('{"training_file_metadata":{},"conversations":[]}')).toEqual({ decided: true, encoding: 'JSON' });
    expect(detect('{"_meta":{"version":"4.0.0"}}\n{"id":"x"}\n')).toEqual({ decided: true, encoding: 'JSONL' });
    expect(detect('{"id":"only one pair"}')).toEqual({ decided: true, encoding: 'JSONL' });
  });

  it('asks for more bytes until it sees a whole first line', () => {
    expect(detect('   {"_meta": {"ver', false)).toEqual({ decided: false });
    expect(detect('  \n ', false)).toEqual({ decided: false });
    const longLine = Buffer.alloc(DETECTION_WINDOW_BYTES, 0x20);
    longLine[0] = 0x7b;
    expect(detectEncoding(longLine, false)).toEqual({ decided: true, encoding: 'JSON' });
  });

  it('reports empty input and input that is not a JSON object', () => {
    expect(detect(' \n')).toMatchObject({ problem: { kind: 'EMPTY' } });
    expect(detect('<html><body>')).toMatchObject({ problem: { kind: 'WRONG_FORMAT', message: expect.stringContaining('HTML or XML') } });
    expect(detect('"just a string"')).toMatchObject({ problem: { kind: 'WRONG_FORMAT' } });
  });
});
