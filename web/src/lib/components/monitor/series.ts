/**
 * The monitor's pure logic: the chart's point series (merge by step, never doubled), the stage
 * model, cost figures and trends. Kept apart from the components so it is tested on its own.
 */

export interface Point {
  step: number;
  loss: number | null;
  learningRate?: number | null;
  gradNorm?: number | null;
  tokensPerSecond?: number | null;
  gpuUtilization?: number | null;
  gpuMemoryGb?: number | null;
  perplexity?: number | null;
  epoch?: number | null;
}

/** First index whose step is ≥ `step` (points sorted by step). */
export function lowerBound(points: readonly Point[], step: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.step < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Merges `incoming` into `points` (sorted by step) in place: a step already held is replaced (a
 * re-sent point, e.g. after a reconnect), a new one inserted in order. The usual case — points after
 * the last one — is an append. Returns how many steps were new.
 */
export function mergePoints(points: Point[], incoming: readonly Point[]): number {
  let added = 0;
  for (const p of incoming) {
    const last = points[points.length - 1];
    if (!last || p.step > last.step) {
      points.push(p);
      added++;
      continue;
    }
    const at = lowerBound(points, p.step);
    if (points[at]?.step === p.step) points[at] = p;
    else {
      points.splice(at, 0, p);
      added++;
    }
  }
  return added;
}

/** Points within [from, to] (inclusive), by binary search. */
export function sliceRange(points: readonly Point[], from: number, to: number): Point[] {
  return points.slice(lowerBound(points, from), lowerBound(points, to + 1));
}

/**
 * Min/max decimation to at most ~`max` points (each bucket keeps its lowest and highest loss, in
 * step order), so a long live tail never grows the chart without bound.
 */
export function decimate(points: readonly Point[], max: number): Point[] {
  if (points.length <= max) return points.slice();
  const buckets = Math.max(1, Math.floor(max / 2));
  const size = points.length / buckets;
  const out: Point[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(points.length, Math.floor((b + 1) * size));
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      const l = points[i]!.loss ?? 0;
      if (l < (points[lo]!.loss ?? 0)) lo = i;
      if (l > (points[hi]!.loss ?? 0)) hi = i;
    }
    if (lo === hi) out.push(points[lo]!);
    else out.push(points[Math.min(lo, hi)]!, points[Math.max(lo, hi)]!);
  }
  // The last point is always kept: the live edge of the curve.
  if (out[out.length - 1] !== points[points.length - 1]) out.push(points[points.length - 1]!);
  return out;
}

/**
 * Round tick values ("nice" steps of 1, 2 or 5 × 10ⁿ) covering [lo, hi], about `count` of them — the
 * rule d3's ticks() follows. Values are rounded to the step's precision (no 0.30000000000000004).
 */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || count < 1) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / count;
  const power = Math.floor(Math.log10(raw));
  let step = 10 ** power;
  const err = raw / step;
  if (err >= Math.sqrt(50)) step *= 10;
  else if (err >= Math.sqrt(10)) step *= 5;
  else if (err >= Math.sqrt(2)) step *= 2;
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  const out: number[] = [];
  for (let i = Math.ceil(lo / step); i * step <= hi + step * 1e-9; i++) out.push(Number((i * step).toFixed(digits)));
  return out;
}

/** "Train"/"validation" rows as CSV (header first), for the chart's export. */
export function toCsv(train: readonly Point[], evaluation: readonly Point[]): string {
  const cols = ['split', 'step', 'loss', 'learning_rate', 'grad_norm', 'tokens_per_second', 'perplexity', 'epoch'] as const;
  const cell = (v: number | null | undefined) => (v == null ? '' : String(v));
  const rows = [cols.join(',')];
  for (const [split, points] of [['train', train], ['validation', evaluation]] as const) {
    for (const p of points) rows.push([split, p.step, cell(p.loss), cell(p.learningRate), cell(p.gradNorm), cell(p.tokensPerSecond), cell(p.perplexity), cell(p.epoch)].join(','));
  }
  return `${rows.join('\n')}\n`;
}

export type Trend = { direction: 'up' | 'down' | 'flat'; changePercent: number; previous: number; good: boolean } | null;

/** The change from `previous` to `current`; `lowerIsBetter` colours it (loss ↓ is good, tokens/s ↑ is). */
export function trend(current: number | null | undefined, previous: number | null | undefined, lowerIsBetter: boolean): Trend {
  if (current == null || previous == null || previous === 0) return null;
  const changePercent = ((current - previous) / Math.abs(previous)) * 100;
  const direction = Math.abs(changePercent) < 0.05 ? 'flat' : changePercent < 0 ? 'down' : 'up';
  return { direction, changePercent, previous, good: direction === 'flat' || (direction === 'down') === lowerIsBetter };
}

/** The value `back` points before the last one that has a value (for the trend arrows). */
export function previousValue(points: readonly Point[], key: keyof Point, back: number): number | null {
  let seen = 0;
  for (let i = points.length - 1; i >= 0; i--) {
    const v = points[i]![key];
    if (v == null) continue;
    if (seen === back) return v as number;
    seen++;
  }
  return null;
}

export const STAGES = ['PREPROCESSING', 'MODEL_LOADING', 'TRAINING', 'FINALIZING'] as const;
export type StageKey = (typeof STAGES)[number];
export const STAGE_LABEL: Record<StageKey, string> = { PREPROCESSING: 'Preprocessing', MODEL_LOADING: 'Model loading', TRAINING: 'Training', FINALIZING: 'Finalization' };

export interface Span { stage: string; attempt: number; startedAt: string; endedAt?: string | null; durationSeconds: number }
export interface AttemptInfo { number: number; endReason?: string | null; startedAt: string; endedAt?: string | null }
export interface StageView {
  key: StageKey;
  label: string;
  state: 'pending' | 'active' | 'completed' | 'failed' | 'interrupted' | 'cancelled';
  /** Seconds spent in the stage over all attempts (a running span counts up to `now`). */
  seconds: number | null;
  attempts: number[];
}

/**
 * The four stages from the job's spans: completed once a later stage began (or the job completed),
 * active while the job is in it, failed/cancelled/interrupted where the job stopped.
 */
export function stageViews(status: string, spans: readonly Span[], now: number): StageView[] {
  const reached = new Set(spans.map((s) => s.stage));
  const lastStage = [...spans].reverse().find((s) => (STAGES as readonly string[]).includes(s.stage))?.stage as StageKey | undefined;
  const lastIndex = lastStage ? STAGES.indexOf(lastStage) : -1;
  return STAGES.map((key, i) => {
    const own = spans.filter((s) => s.stage === key);
    const seconds = own.length === 0 ? null : own.reduce((sum, s) => sum + (s.endedAt ? s.durationSeconds : Math.max(0, (now - new Date(s.startedAt).getTime()) / 1000)), 0);
    let state: StageView['state'] = 'pending';
    if (status === 'COMPLETED') state = 'completed';
    else if (status === key) state = 'active';
    else if (i < lastIndex) state = 'completed';
    else if (i === lastIndex) {
      state = status === 'FAILED' ? 'failed' : status === 'CANCELLED' ? 'cancelled' : status === 'INTERRUPTED' ? 'interrupted' : reached.has(key) && STAGES.includes(status as StageKey) ? 'completed' : 'active';
      if (['QUEUED', 'PROVISIONING'].includes(status)) state = 'interrupted'; // a resumed attempt waits for its pod
    }
    return { key, label: STAGE_LABEL[key], state, seconds, attempts: [...new Set(own.map((s) => s.attempt))] };
  });
}

export interface CostView {
  spend: number;
  estimateMid: number;
  low: number;
  high: number;
  percent: number;
  hourly: number;
  projected: number;
  level: 'ok' | 'warning' | 'exceeded';
  cap: number | null;
  capPercent: number | null;
}

/**
 * Spend against the estimate (its midpoint: "49% of estimate"), the projection at the current
 * hourly rate for the remaining time, and the 80 % / 100 % levels.
 */
export function costView(input: { spendUsd: number; low: number; high: number; hourly: number; etaSeconds: number | null; active: boolean; costCapUsd: number | null }): CostView {
  const estimateMid = (input.low + input.high) / 2;
  const percent = estimateMid > 0 ? (input.spendUsd / estimateMid) * 100 : 0;
  const projected = input.active ? input.spendUsd + (input.hourly * (input.etaSeconds ?? 0)) / 3600 : input.spendUsd;
  const level = percent > 100 ? 'exceeded' : percent >= 80 ? 'warning' : 'ok';
  const cap = input.costCapUsd ?? null;
  return { spend: input.spendUsd, estimateMid, low: input.low, high: input.high, percent, hourly: input.hourly, projected, level, cap, capPercent: cap ? (input.spendUsd / cap) * 100 : null };
}

/** "6h 23m", "11m 18s", "42s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h >= 24) return `${Math.floor(h / 24)}d ${h % 24}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** The error and its suggested fix, split where the server joined them ("… Fix: …"). */
export function splitFix(message: string | null | undefined): { error: string; fix: string | null } {
  if (!message) return { error: 'The job failed without a message.', fix: null };
  const at = message.search(/\bFix:\s/);
  if (at < 0) return { error: message, fix: null };
  const fix = message.slice(at + 4).trim();
  return { error: message.slice(0, at).trim(), fix: fix.charAt(0).toUpperCase() + fix.slice(1) };
}

export const STATUS_LABEL: Record<string, string> = {
  QUEUED: 'Queued', PROVISIONING: 'Provisioning', PREPROCESSING: 'Preprocessing', MODEL_LOADING: 'Model loading', TRAINING: 'Training',
  FINALIZING: 'Finalizing', INTERRUPTED: 'Interrupted', COMPLETED: 'Completed', FAILED: 'Failed', CANCELLED: 'Cancelled',
};
export const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);
