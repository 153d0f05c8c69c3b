import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELDS_ALLOWANCE, MULTIPART_CAP_BYTES, MultipartBudget, multipartLimitsFor, sweepStaging } from './multipart-limits.js';

describe('multipart limits', () => {
  it('caps the multipart body at 100 MiB (plus the fields) and the staged bytes at eight of them, at most 256 MiB', () => {
    expect(multipartLimitsFor(2 * 1024 * 1024)).toEqual({ maxBytes: 2 * 1024 * 1024 + FIELDS_ALLOWANCE, maxInFlightBytes: 8 * (2 * 1024 * 1024 + FIELDS_ALLOWANCE) });
    expect(multipartLimitsFor(500 * 1024 * 1024)).toEqual({ maxBytes: MULTIPART_CAP_BYTES + FIELDS_ALLOWANCE, maxInFlightBytes: 256 * 1024 * 1024 });
    const budget = new MultipartBudget({ maxBytes: 10, maxInFlightBytes: 25 });
    expect([budget.take(10), budget.take(10), budget.take(10)]).toEqual([true, true, false]);
    budget.give(10);
    expect(budget.take(10)).toBe(true);
    expect(budget.peak).toBe(20);
  });

  it('sweeps staging files a crash left (older than an hour) and keeps the ones in use', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'brightrun-staging-'));
    try {
      await writeFile(path.join(dir, 'old.part'), 'x');
      await writeFile(path.join(dir, 'new.part'), 'y');
      const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
      await utimes(path.join(dir, 'old.part'), twoHoursAgo, twoHoursAgo);
      expect(sweepStaging(dir)).toBe(1);
      expect(await readdir(dir)).toEqual(['new.part']);
      expect(sweepStaging(path.join(dir, 'missing'))).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
