import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOW_QUALITY_DEMO, datasetChunks } from './generate.js';
import { UsageError, main, specFromArgs } from './generate-cli.js';

const dir = await mkdtemp(path.join(tmpdir(), 'brightrun-generate-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('generate-cli', () => {
  it('writes the same bytes the generator yields', async () => {
    const out = path.join(dir, 'low.json');
    const { bytes } = await main(['--spec', 'low-quality', '--out', out]);
    const written = await readFile(out);
    expect(written.length).toBe(bytes);
    const expected = createHash('sha256').update([...datasetChunks(LOW_QUALITY_DEMO)].join('')).digest('hex');
    expect(createHash('sha256').update(written).digest('hex')).toBe(expected);
  });

  it('parses the large spec, its size and a seed', () => {
    const { spec } = specFromArgs(['--spec', 'large', '--size-mb', '3', '--seed', '7', '--out', 'x.json']);
    expect(spec).toMatchObject({ seed: 7, qualityMean: 3.8 });
    expect(spec.conversations).toBeGreaterThan(10);
  });

  it('explains what is wrong with the arguments', () => {
    expect(() => specFromArgs(['--spec', 'ready'])).toThrow(new UsageError('--out FILE is required'));
    expect(() => specFromArgs(['--spec', 'huge', '--out', 'x'])).toThrow(/--spec must be ready, low-quality or large \(got huge\)/);
    expect(() => specFromArgs(['--spec', 'large', '--size-mb=lots', '--out', 'x'])).toThrow(/--size-mb must be a positive number/);
  });
});
