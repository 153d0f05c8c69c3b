import { describe, expect, it } from 'vitest';
import { parseRangeHeader } from './http-range.js';
import { checkLink, signLinkQuery } from './local-signing.js';
import { parseObjectPath, parseStoragePrefix, StoragePathError } from './storage.js';

describe('storage paths', () => {
  it('splits valid paths into area and rest', () => {
    expect(parseObjectPath('datasets/ds_1/source.jsonl')).toEqual({ area: 'datasets', rest: 'ds_1/source.jsonl' });
    expect(parseObjectPath('checkpoints/j-1/step=10,a@b+c.pt')).toEqual({ area: 'checkpoints', rest: 'j-1/step=10,a@b+c.pt' });
    expect(parseStoragePrefix('exports')).toEqual({ area: 'exports', rest: '' });
    expect(parseStoragePrefix('exports/a/')).toEqual({ area: 'exports', rest: 'a' });
  });

  it.each([
    ['datasets/../x', /"\.\." segments/],
    ['/datasets/x', /must not start with "\/"/],
    ['datasets\\x', /use "\/" as the separator/],
    ['datasets//x', /empty segment/],
    ['models/x', /"models" is not a storage area/],
    ['datasets', /names the whole "datasets" area/],
    ['datasets/a#b', /contains "#"/],
    ['datasets/naïve', /contains "ï"/],
    ['', /it is empty/],
    [`datasets/${'a'.repeat(1100)}`, /longer than 1024/],
  ])('rejects %j', (path, message) => {
    const attempt = () => parseObjectPath(path);
    expect(attempt).toThrow(StoragePathError);
    expect(attempt).toThrow(message);
  });
});

describe('Range header parsing', () => {
  it.each([
    ['bytes=0-0', { kind: 'range', start: 0, end: 0 }],
    ['bytes=5-', { kind: 'range', start: 5, end: 9 }],
    ['bytes=-4', { kind: 'range', start: 6, end: 9 }],
    ['bytes=-40', { kind: 'range', start: 0, end: 9 }],
    ['bytes=3-2', { kind: 'none' }],
    ['items=0-1', { kind: 'none' }],
    ['bytes=0-1,5-6', { kind: 'none' }],
    ['bytes=-', { kind: 'none' }],
    ['bytes=10-', { kind: 'unsatisfiable' }],
    ['bytes=10-12', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
  ])('%s on 10 bytes', (header, expected) => {
    expect(parseRangeHeader(header, 10)).toEqual(expected);
  });
});

describe('link signing', () => {
  const secret = new Uint8Array(32).fill(9);
  const query = (fields: Parameters<typeof signLinkQuery>[1]) => new URLSearchParams(signLinkQuery(secret, fields));

  it('accepts its own links and returns their limits', () => {
    const q = query({ op: 'put', path: 'datasets/a', exp: 2_000, max: 10 });
    expect(checkLink(secret, 'put', 'datasets/a', q, 1_999_000)).toEqual({ ok: true, max: 10 });
  });

  it('refuses another key, another path, a changed name and a late use', () => {
    const q = query({ op: 'get', path: 'datasets/a', exp: 2_000, name: 'a.txt' });
    expect(checkLink(new Uint8Array(32), 'get', 'datasets/a', q, 0)).toMatchObject({ ok: false, code: 'link_invalid' });
    expect(checkLink(secret, 'get', 'datasets/b', q, 0)).toMatchObject({ ok: false, code: 'link_invalid' });
    const renamed = new URLSearchParams(q);
    renamed.set('name', 'evil.exe');
    expect(checkLink(secret, 'get', 'datasets/a', renamed, 0)).toMatchObject({ ok: false, code: 'link_invalid' });
    expect(checkLink(secret, 'get', 'datasets/a', q, 2_000_001)).toMatchObject({ ok: false, code: 'link_expired' });
  });
});
