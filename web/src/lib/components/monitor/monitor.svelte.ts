import { pipe, subscribe } from 'wonka';
import { client, messageOf, query } from '$lib/graphql/client';
import { useFragment } from '$lib/graphql/generated';
import type { MonitorEventFieldsFragment, MonitorJobFieldsFragment, MonitorJobQuery, MonitorPointFieldsFragment } from '$lib/graphql/generated/graphql';
import { MonitorEventFields, MonitorHistoryQuery, MonitorJobFields, MonitorJobQuery as JobQuery, MonitorJobUpdatedSubscription, MonitorMetricsSubscription, MonitorPodLogsSubscription, MonitorPointFields } from '$lib/graphql/monitor';
import { connection } from '$lib/state/connection.svelte';
import { decimate, mergePoints, sliceRange, TERMINAL, type Point } from './series';

export type MonitorJob = MonitorJobFieldsFragment;
export type JobEvent = MonitorEventFieldsFragment;
export interface LogLine { at?: string | null; source: string; message: string }

/** Points of the whole-run overview (a few per pixel of a wide chart). */
export const OVERVIEW_POINTS = 1000;
/** Points asked for a zoomed range: a 1,000-step zoom comes back whole (every point). */
export const HISTORY_POINTS = 2000;
/** Past this many points in memory the overview is decimated again (the tab's memory stays flat). */
export const LIVE_LIMIT = 6000;
/** How often the monitor re-reads while the live socket is down (the labelled fallback). */
export const FALLBACK_POLL_MS = 10_000;
const MAX_LOG_LINES = 1000;

/**
 * One job's live state for the monitor: the job (trainingJobUpdated), its metric points
 * (jobMetrics history, then trainingMetrics from the last step held, merged by step so nothing is
 * doubled across reconnects), pod logs (podLogs) and events. Polls only while the socket is down.
 */
export class Monitor {
  job = $state<MonitorJob | null>(null);
  error = $state<string | null>(null);
  gpuMemoryGb = $state<number | null>(null);
  events = $state<JobEvent[]>([]);
  logs = $state<LogLine[]>([]);
  logsAttempt = $state<number | null>(null);
  /** Bumped whenever the points change (the arrays are plain, for speed). */
  version = $state(0);
  /** Zoomed step range, or null for the whole run. */
  zoom = $state<[number, number] | null>(null);
  zoomLoading = $state(false);
  /** Points in the zoomed range at full fidelity (or downsampled when the range is wide). */
  zoomed = $state<{ train: Point[]; eval: Point[]; downsampled: boolean; from: number; to: number } | null>(null);
  historyDownsampled = $state(false);
  polling = $state(false);
  lastUpdate = $state<number>(Date.now());
  /** performance.now() when the history arrived; the chart marks its first frame against it. */
  historyAt = $state(0);

  train: Point[] = [];
  eval: Point[] = [];
  /** The last step received (both splits): where a resumed metrics subscription starts. */
  lastStep = 0;

  #stops: (() => void)[] = [];
  #pending: Point[][] = [[], []];
  #frame = 0;
  #zoomSeq = 0;
  #wasLive = false;
  #poll: ReturnType<typeof setInterval> | undefined;
  #disposed = false;

  constructor(readonly id: string) {}

  get terminal() {
    return this.job ? TERMINAL.has(this.job.status) : false;
  }

  async start() {
    const data: MonitorJobQuery = await query(JobQuery, { id: this.id });
    if (!data.trainingJob) {
      this.error = 'No training job of this workspace has this id.';
      return;
    }
    const job = useFragment(MonitorJobFields, data.trainingJob);
    this.#setJob(job, data.trainingJob.events.map((e) => useFragment(MonitorEventFields, e)));
    this.gpuMemoryGb = data.trainingCatalog.gpuTypes.find((g) => g.id === job.gpuType)?.memoryGb ?? null;
    const logs = data.trainingJob.logs;
    if (logs) {
      this.logs = logs.lines;
      this.logsAttempt = logs.attempt;
    }
    await this.#loadHistory();
    if (this.#disposed) return;
    this.#subscribe();
  }

  stop() {
    this.#disposed = true;
    for (const stop of this.#stops.splice(0)) stop();
    clearInterval(this.#poll);
    cancelAnimationFrame(this.#frame);
  }

  /** The live socket came back: resubscribe from the last step held; down: poll (labelled). */
  onConnection(state: string) {
    if (this.#disposed) return;
    if (state === 'live') {
      if (!this.#wasLive) {
        this.#wasLive = true;
      } else if (this.polling) {
        this.#resubscribe();
      }
      this.#stopPolling();
    } else if ((state === 'down' || state === 'reconnecting') && this.#wasLive && !this.terminal) {
      this.#startPolling();
    }
  }

  async #loadHistory() {
    const h = await query(MonitorHistoryQuery, { jobId: this.id, maxPoints: OVERVIEW_POINTS });
    if (h.train.__typename !== 'JobMetricsSuccess') throw new Error('message' in h.train ? String(h.train.message) : 'Metrics unavailable');
    const train = h.train.series.points.map((p) => toPoint(useFragment(MonitorPointFields, p)));
    const evaluation = h.eval.__typename === 'JobMetricsSuccess' ? h.eval.series.points.map((p) => toPoint(useFragment(MonitorPointFields, p))) : [];
    this.historyDownsampled = h.train.series.downsampled;
    this.historyAt = performance.now();
    this.train = train;
    this.eval = evaluation;
    this.lastStep = Math.max(this.lastStep, train.at(-1)?.step ?? 0, evaluation.at(-1)?.step ?? 0);
    this.version++;
  }

  #subscribe() {
    if (this.terminal) {
      // A finished job: the history is complete; pod logs stay as read.
      return;
    }
    const updated = pipe(
      client.subscription(MonitorJobUpdatedSubscription, { id: this.id }),
      subscribe((r) => {
        if (r.error) this.error = messageOf(r.error);
        if (r.data) this.#setJob(useFragment(MonitorJobFields, r.data.trainingJobUpdated), r.data.trainingJobUpdated.events.map((e) => useFragment(MonitorEventFields, e)));
      }),
    );
    this.#stops.push(updated.unsubscribe);
    this.#subscribeMetrics();
    this.#subscribeLogs();
  }

  #metricsStop: (() => void) | null = null;
  #subscribeMetrics() {
    this.#metricsStop?.();
    const sub = pipe(
      client.subscription(MonitorMetricsSubscription, { jobId: this.id, afterStep: this.lastStep > 0 ? this.lastStep : null }),
      subscribe((r) => {
        if (r.data) this.receive(r.data.trainingMetrics.map((p) => useFragment(MonitorPointFields, p)));
      }),
    );
    this.#metricsStop = sub.unsubscribe;
    this.#stops.push(() => this.#metricsStop?.());
  }

  #logsStop: (() => void) | null = null;
  #subscribeLogs() {
    this.#logsStop?.();
    let first = true;
    const sub = pipe(
      client.subscription(MonitorPodLogsSubscription, { jobId: this.id, tail: 200 }),
      subscribe((r) => {
        if (!r.data) return;
        const line = r.data.podLogs;
        if (first && this.logs.length > 0) {
          // The tail repeats what the query read: start over from the stream.
          this.logs = [];
        }
        first = false;
        this.logs = [...this.logs.slice(-(MAX_LOG_LINES - 1)), line];
      }),
    );
    this.#logsStop = sub.unsubscribe;
    this.#stops.push(() => this.#logsStop?.());
  }

  #resubscribe() {
    void this.refresh().catch(() => undefined);
    this.#subscribeMetrics();
    this.#subscribeLogs();
  }

  /** Points from the live subscription (or a poll): merged on the next animation frame. */
  receive(points: readonly MonitorPointFieldsFragment[]) {
    for (const p of points) {
      this.#pending[p.split === 'EVAL' ? 1 : 0]!.push(toPoint(p));
      if (p.step > this.lastStep) this.lastStep = p.step;
    }
    if (!this.#frame) this.#frame = requestAnimationFrame(() => this.#flush());
  }

  #flush() {
    this.#frame = 0;
    const [train, evaluation] = this.#pending;
    this.#pending = [[], []];
    mergePoints(this.train, train!);
    mergePoints(this.eval, evaluation!);
    if (this.train.length > LIVE_LIMIT) {
      this.train = decimate(this.train, HISTORY_POINTS * 2);
      this.historyDownsampled = true;
    }
    if (this.zoomed) {
      // A zoom that reaches the live edge keeps growing at full fidelity.
      const z = this.zoomed;
      mergePoints(z.train, train!.filter((p) => p.step >= z.from && p.step <= z.to));
      mergePoints(z.eval, evaluation!.filter((p) => p.step >= z.from && p.step <= z.to));
    }
    this.lastUpdate = Date.now();
    this.version++;
  }

  /** Zooms to a step range and re-reads it from the history at full fidelity (null: whole run). */
  async setZoom(range: [number, number] | null) {
    const seq = ++this.#zoomSeq;
    this.zoom = range;
    if (!range) {
      this.zoomed = null;
      this.version++;
      return;
    }
    const [from, to] = [Math.floor(range[0]), Math.ceil(range[1])];
    // Show what is held at once, then the full-fidelity answer replaces it.
    this.zoomed = { train: sliceRange(this.train, from, to), eval: sliceRange(this.eval, from, to), downsampled: true, from, to };
    this.version++;
    this.zoomLoading = true;
    try {
      const h = await query(MonitorHistoryQuery, { jobId: this.id, fromStep: Math.max(0, from), toStep: to, maxPoints: HISTORY_POINTS });
      if (seq !== this.#zoomSeq || h.train.__typename !== 'JobMetricsSuccess') return;
      const train = h.train.series.points.map((p) => toPoint(useFragment(MonitorPointFields, p)));
      const evaluation = h.eval.__typename === 'JobMetricsSuccess' ? h.eval.series.points.map((p) => toPoint(useFragment(MonitorPointFields, p))) : [];
      // Points that arrived live while the query ran are kept (merged, never doubled).
      if (this.zoomed) {
        mergePoints(train, this.zoomed.train.filter((p) => p.step > (train.at(-1)?.step ?? -1)));
        mergePoints(evaluation, this.zoomed.eval.filter((p) => p.step > (evaluation.at(-1)?.step ?? -1)));
      }
      this.zoomed = { train, eval: evaluation, downsampled: h.train.series.downsampled, from, to };
      this.version++;
    } finally {
      if (seq === this.#zoomSeq) this.zoomLoading = false;
    }
  }

  /** Re-reads the job and any points after the last one held (manual refresh, and the fallback poll). */
  async refresh() {
    const data = await query(JobQuery, { id: this.id });
    if (!data.trainingJob) return;
    this.#setJob(useFragment(MonitorJobFields, data.trainingJob), data.trainingJob.events.map((e) => useFragment(MonitorEventFields, e)));
    const h = await query(MonitorHistoryQuery, { jobId: this.id, fromStep: this.lastStep + 1, maxPoints: 10_000 });
    const points = [
      ...(h.train.__typename === 'JobMetricsSuccess' ? h.train.series.points : []),
      ...(h.eval.__typename === 'JobMetricsSuccess' ? h.eval.series.points : []),
    ].map((p) => useFragment(MonitorPointFields, p));
    if (points.length) this.receive(points);
    if (data.trainingJob.logs && !this.#logsStop) this.logs = data.trainingJob.logs.lines;
  }

  #startPolling() {
    if (this.#poll) return;
    this.polling = true;
    this.#poll = setInterval(() => void this.refresh().catch(() => undefined), FALLBACK_POLL_MS);
  }

  #stopPolling() {
    clearInterval(this.#poll);
    this.#poll = undefined;
    this.polling = false;
  }

  #setJob(job: MonitorJob, events: JobEvent[]) {
    const previous = this.job;
    this.job = job;
    this.lastUpdate = Date.now();
    const known = new Set(this.events.map((e) => e.id));
    const fresh = events.filter((e) => !known.has(e.id));
    if (fresh.length) this.events = [...this.events, ...fresh].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).slice(-500);
    // A resumed attempt has a new pod: follow its output.
    const attempt = job.attempts.at(-1)?.number ?? null;
    if (previous && attempt !== null && attempt !== (previous.attempts.at(-1)?.number ?? null) && !TERMINAL.has(job.status)) this.#subscribeLogs();
    if (TERMINAL.has(job.status)) this.#stopPolling();
  }
}

export function toPoint(p: MonitorPointFieldsFragment): Point {
  return { step: p.step, loss: p.loss ?? null, learningRate: p.learningRate, gradNorm: p.gradNorm, tokensPerSecond: p.tokensPerSecond, gpuUtilization: p.gpuUtilization, gpuMemoryGb: p.gpuMemoryGb, perplexity: p.perplexity, epoch: p.epoch };
}

export { connection };
