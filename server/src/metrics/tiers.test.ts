import { describe, expect, it } from 'vitest';
import { COARSEST_WIDTH, MAX_STEP, chooseGrid, coverRange, widthsUpTo } from './tiers.js';

// A small deterministic generator, so a failure names a reproducible case.
function* ranges(count: number) {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < count; i++) {
    const first = next() % 3_000_000;
    yield [first, first + (next() % (i % 3 === 0 ? 100 : 5_000_000))] as const;
  }
}

describe('coverRange', () => {
  it('covers [first, last] exactly with contiguous, aligned pieces, finer only at the edges', () => {
    const all = widthsUpTo(COARSEST_WIDTH);
    for (const [first, last] of [...ranges(300), [0, MAX_STEP] as const, [MAX_STEP, MAX_STEP] as const, [63, 64] as const]) {
      const pieces = coverRange(first, last, all);
      expect(pieces[0]!.from).toBe(first);
      expect(pieces[pieces.length - 1]!.to).toBe(last + 1);
      for (let i = 0; i < pieces.length; i++) {
        const piece = pieces[i]!;
        expect(piece.to).toBeGreaterThan(piece.from);
        expect(piece.from % piece.width).toBe(0);
        expect(piece.to % piece.width).toBe(0);
        if (i > 0) expect(piece.from).toBe(pieces[i - 1]!.to);
      }
      // Widths rise then fall: a segment-tree cover, at most two pieces per width.
      const widths = pieces.map((p) => p.width);
      const peak = widths.indexOf(Math.max(...widths));
      expect(widths.slice(0, peak + 1)).toEqual([...widths.slice(0, peak + 1)].sort((a, b) => a - b));
      expect(widths.slice(peak)).toEqual([...widths.slice(peak)].sort((a, b) => b - a));
      for (const w of all) expect(widths.filter((x) => x === w).length).toBeLessThanOrEqual(2);
    }
  });

  it('uses only the widths it is given', () => {
    const pieces = coverRange(10, 100_000, widthsUpTo(64));
    expect(new Set(pieces.map((p) => p.width))).toEqual(new Set([1, 64]));
    expect(coverRange(5, 9, widthsUpTo(64))).toEqual([{ width: 1, from: 5, to: 10 }]);
  });
});

describe('chooseGrid', () => {
  it('never exceeds the bucket count, aligns to its source, and fills at least half of it', () => {
    for (const [first, last] of ranges(300)) {
      for (const maxBuckets of [1, 7, 499, 4999]) {
        const grid = chooseGrid(first, last, maxBuckets);
        expect(grid.buckets).toBeLessThanOrEqual(maxBuckets);
        expect(grid.origin % grid.sourceWidth).toBe(0);
        expect(grid.bucketSteps % grid.sourceWidth).toBe(0);
        expect(grid.origin).toBeLessThanOrEqual(first);
        expect(grid.origin + grid.buckets * grid.bucketSteps).toBeGreaterThan(last);
        // The source is read at most ~10 rows per bucket (or 4096 rows), whatever the span.
        expect((last + 1 - grid.origin) / grid.sourceWidth).toBeLessThanOrEqual(Math.max(4096, 10 * maxBuckets) + 1);
        if (last - first + 1 >= 2 * maxBuckets * 64) expect(grid.buckets).toBeGreaterThanOrEqual(Math.floor(maxBuckets / 2));
      }
    }
  });

  it('reads 1,000,000 steps into ~500 buckets from the 1024-step tier', () => {
    expect(chooseGrid(0, 999_999, 499)).toEqual({ sourceWidth: 1024, origin: 0, bucketSteps: 2048, buckets: 489 });
  });
});
