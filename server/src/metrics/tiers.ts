// Pure arithmetic behind the metric rollups: which tiers exist, how a step range splits into
// whole buckets of those tiers, and which tier a downsampled read should aggregate from.

/** Bucket widths of MetricRollup, finest first; each divides the next (×16). */
export const ROLLUP_WIDTHS = [64, 1024, 16_384, 262_144] as const;
export const COARSEST_WIDTH = ROLLUP_WIDTHS[3];
/** How many buckets of one tier make a bucket of the next. */
export const TIER_FANOUT = 16;
/** Steps are Postgres `integer`s. */
export const MAX_STEP = 2_147_483_647;

/** A run of whole buckets of one width (1 = raw points), as a half-open step range [from, to). */
export interface CoverPiece {
  width: number;
  from: number;
  to: number;
}

/**
 * Splits the steps [first, last] into whole buckets, coarsest in the middle and finer towards
 * the edges (as a segment tree would), using only `widths` (ascending, each dividing the next,
 * the first being 1 for raw points). Pieces are contiguous, in step order, and cover the range
 * exactly; a width-w piece has from and to divisible by w.
 */
export function coverRange(first: number, last: number, widths: readonly number[]): CoverPiece[] {
  if (widths[0] !== 1) throw new Error('coverRange: the first width must be 1 (raw points)');
  const left: CoverPiece[] = [];
  const right: CoverPiece[] = [];
  let lo = first;
  let hi = last + 1;
  for (let i = 0; i < widths.length && lo < hi; i++) {
    const width = widths[i]!;
    const next = widths[i + 1];
    const loUp = next === undefined ? hi : Math.ceil(lo / next) * next;
    const hiDown = next === undefined ? hi : Math.floor(hi / next) * next;
    if (next === undefined || loUp >= hiDown) {
      // No whole bucket of the next tier fits: this width covers what is left (lo, hi are aligned to it).
      left.push({ width, from: lo, to: hi });
      break;
    }
    if (loUp > lo) left.push({ width, from: lo, to: loUp });
    if (hi > hiDown) right.unshift({ width, from: hiDown, to: hi });
    lo = loUp;
    hi = hiDown;
  }
  return [...left, ...right];
}

/** The widths a read may use, raw first, up to and including `maxWidth`. */
export function widthsUpTo(maxWidth: number): number[] {
  return [1, ...ROLLUP_WIDTHS.filter((w) => w <= maxWidth)];
}

/** How a downsampled read aggregates: from which tier, into output buckets of which width. */
export interface Grid {
  /** The finest source: 1 (raw points) or a rollup width. */
  sourceWidth: number;
  /** The first output bucket starts here (a multiple of sourceWidth, ≤ the first step). */
  origin: number;
  /** Steps per output bucket (a multiple of sourceWidth). */
  bucketSteps: number;
  /** Output buckets spanning [origin, last]. */
  buckets: number;
}

/**
 * Picks the finest source whose row count over [first, last] stays within a budget (so a read
 * touches at most ~10 rows per output bucket, and never millions), then the narrowest output
 * bucket width, a multiple of that source's, that needs at most `maxBuckets` buckets.
 */
export function chooseGrid(first: number, last: number, maxBuckets: number): Grid {
  if (maxBuckets < 1) throw new Error('chooseGrid: maxBuckets must be ≥ 1');
  const rowBudget = Math.max(4096, 10 * maxBuckets);
  const sources = [1, ...ROLLUP_WIDTHS];
  const sourceWidth = sources.find((w) => (last + 1 - Math.floor(first / w) * w) / w <= rowBudget) ?? COARSEST_WIDTH;
  const origin = Math.floor(first / sourceWidth) * sourceWidth;
  const span = last + 1 - origin;
  const bucketSteps = sourceWidth * Math.max(1, Math.ceil(span / (maxBuckets * sourceWidth)));
  return { sourceWidth, origin, bucketSteps, buckets: Math.ceil(span / bucketSteps) };
}
