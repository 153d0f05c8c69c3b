import { describe, expect, it } from 'vitest';
import { ValueBuilder, type JsonToken } from './value-builder.js';

const t = (name: string, value?: string): JsonToken => (value === undefined ? { name } : { name, value });

describe('ValueBuilder', () => {
  it('builds a value from packed tokens and says where it is while building', () => {
    const builder = new ValueBuilder();
    const tokens = [t('startObject'), t('keyValue', 'pairs'), t('startArray'), t('startObject'), t('keyValue', 'n'), t('numberValue', '1.5'), t('endObject'), t('startObject'), t('keyValue', 'ok')];
    for (const token of tokens) expect(builder.consume(token)).toBe(false);
    expect(builder.path()).toBe('pairs[1].ok');
    for (const token of [t('trueValue'), t('keyValue', 'none'), t('nullValue'), t('endObject'), t('endArray'), t('keyValue', 's'), t('stringValue', 'x')]) builder.consume(token);
    expect(builder.consume(t('endObject'))).toBe(true);
    expect(builder.value).toEqual({ pairs: [{ n: 1.5 }, { ok: true, none: null }], s: 'x' });
  });

  it('completes at once on a scalar', () => {
    const builder = new ValueBuilder();
    expect(builder.consume(t('stringValue', 'alone'))).toBe(true);
    expect(builder.value).toBe('alone');
  });
});
