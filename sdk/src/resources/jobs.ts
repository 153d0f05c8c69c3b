import { AbortError, JobCancelledError, JobFailedError, ProviderCapacityError } from '../errors.js';
import {
  CancelTrainingJobDocument,
  JobMetricsDocument,
  StartTrainingJobDocument,
  TrainingJobDocument,
  TrainingJobsDocument,
  TrainingJobUpdatedDocument,
  TrainingMetricsDocument,
  type JobFieldsFragment,
  type JobStatus,
  type MetricPointFieldsFragment,
  type MetricSplit,
  type StartTrainingJobInput,
  type TrainingJobFilter,
  type TrainingPlanInput,
} from '../graphql/generated/graphql.js';
import { PagedList, pageOf, type ListOptions } from '../core/pagination.js';
import { found, unwrap } from '../core/results.js';
import { retryDelayMs, sleep } from '../core/retry.js';
import { askedWaitMs, isResumable, subscribeOnce } from '../core/subscription.js';
import type { RequestOptions, Transport } from '../core/transport.js';

/** A training job as the SDK returns it (the fields of `JobFields` in sdk/src/operations). */
export type Job = JobFieldsFragment;
export type MetricPoint = MetricPointFieldsFragment;

/** A live metric point. `replacement`: the job already sent this step (a spot resume recomputed it from a checkpoint); keep this value, it is the one stored. */
export type LiveMetricPoint = MetricPoint & { replacement: boolean };

/** What a job trains on and how, plus how it runs: `startTrainingJob`'s input, flattened. */
export type StartJobParams = TrainingPlanInput & Omit<StartTrainingJobInput, 'plan'>;

export const FINISHED_STATUSES: readonly JobStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED'];

export interface StreamOptions {
  /** Stops the stream; the loop then ends with AbortError. */
  signal?: AbortSignal | undefined;
  /**
   * Reconnects in a row that may fail before the stream gives up with ConnectionError
   * (a successful reconnect starts the count again).
   * @default 8
   */
  maxReconnects?: number | undefined;
}

export interface MetricsStreamOptions extends StreamOptions {
  /** Only points after this step (those you already have); null/absent: every stored point first. */
  afterStep?: number | null | undefined;
}

export interface HistoryOptions extends RequestOptions {
  /** TRAIN (one point per optimizer step) or EVAL. @default "TRAIN" */
  split?: MetricSplit | undefined;
  fromStep?: number | undefined;
  toStep?: number | undefined;
  /** 2–10,000; more stored points are min/max-downsampled on the server. @default 1000 */
  maxPoints?: number | undefined;
}

export interface WaitOptions extends StreamOptions {
  /** Called with every update while waiting. */
  onUpdate?: ((job: Job) => void) | undefined;
  /** Give up (AbortError) after this many milliseconds. */
  timeoutMs?: number | undefined;
}

/** A job's metrics: the live stream and the (downsampled) history. */
export class JobMetrics {
  constructor(
    private readonly transport: Transport,
    readonly jobId: string,
  ) {}

  /**
   * Every metric point of the job (both splits), stored ones first then live ones, over
   * graphql-ws. A dropped connection is reopened from the last step received, so nothing is
   * missed and no point is yielded twice; a step the job reports again (recomputed after a spot
   * resume) is yielded again with `replacement: true`. Ends when the job has finished.
   */
  async *stream(options: MetricsStreamOptions = {}): AsyncGenerator<LiveMetricPoint> {
    const seen = new Map<string, string>();
    let afterStep = options.afterStep ?? null;
    let failures = 0;
    for (;;) {
      try {
        for await (const data of subscribeOnce(this.transport, TrainingMetricsDocument, { jobId: this.jobId, afterStep }, options.signal)) {
          failures = 0;
          for (const point of data.trainingMetrics) {
            const key = `${point.split}:${point.step}`;
            const before = seen.get(key);
            // The same stored point again (a resumed subscription overlaps): not news.
            if (before === point.recordedAt) continue;
            seen.set(key, point.recordedAt);
            // Resume one step back: the overlap is skipped above, and a step's points split
            // across two batches are not lost.
            afterStep = Math.max(point.step - 1, options.afterStep ?? -1);
            yield { ...point, replacement: before !== undefined || (options.afterStep != null && point.step <= options.afterStep) };
          }
        }
        return;
      } catch (error) {
        if (!isResumable(error) || ++failures > (options.maxReconnects ?? 8)) throw error;
        await pause(failures, askedWaitMs(error), options.signal);
      }
    }
  }

  /** The job's curve for charts: every point when the range holds at most `maxPoints`, else min/max-downsampled on the server. */
  async history(options: HistoryOptions = {}) {
    const { data, requestId } = await this.transport.graphql(
      JobMetricsDocument,
      { jobId: this.jobId, split: options.split, fromStep: options.fromStep, toStep: options.toStep, maxPoints: options.maxPoints },
      { ...options, idempotent: true },
    );
    return unwrap(data.jobMetrics, 'JobMetricsSuccess', requestId).series;
  }
}

export interface JobListOptions extends ListOptions {
  filter?: TrainingJobFilter | undefined;
}

/** `br.jobs`: training jobs, their live updates and metrics. */
export class Jobs {
  constructor(private readonly transport: Transport) {}

  /**
   * Validates, freezes the configuration and estimate, and queues a job. `idempotencyKey`
   * (generated when absent) makes retries safe: the same key returns the same job. Throws
   * ValidationError, NotFoundError (dataset), BudgetExceededError or DatasetNotReadyError.
   */
  async start(params: StartJobParams, options: RequestOptions = {}): Promise<Job> {
    const { datasetId, preset, overrides, provider, configurationId, ...run } = params;
    const input: StartTrainingJobInput = { ...run, plan: { datasetId, preset, overrides, provider, configurationId }, idempotencyKey: run.idempotencyKey ?? randomKey() };
    const { data, requestId } = await this.transport.graphql(StartTrainingJobDocument, { input }, { ...options, idempotent: true });
    return unwrap(data.startTrainingJob, 'StartTrainingJobSuccess', requestId).job;
  }

  /** One job; throws NotFoundError when none of this workspace has the id. */
  async get(id: string, options: RequestOptions = {}): Promise<Job> {
    const { data, requestId } = await this.transport.graphql(TrainingJobDocument, { id }, { ...options, idempotent: true });
    return found(data.trainingJob, 'training job', id, requestId);
  }

  /** The workspace's jobs, newest first, as an async iterable over keyset pages. */
  list(options: JobListOptions = {}): PagedList<Job> {
    return new PagedList(async (after, first, request) => {
      const { data } = await this.transport.graphql(TrainingJobsDocument, { first, after, filter: options.filter }, { ...request, idempotent: true });
      return pageOf(data.trainingJobs);
    }, options);
  }

  /** Stops the pod and records the final spend. `reason` (3–500 characters) is kept in the job history. Throws ConflictError when the job already finished. */
  async cancel(id: string, params: { reason: string }, options: RequestOptions = {}): Promise<Job> {
    const { data, requestId } = await this.transport.graphql(CancelTrainingJobDocument, { input: { id, reason: params.reason } }, { ...options, idempotent: true });
    return unwrap(data.cancelTrainingJob, 'CancelTrainingJobSuccess', requestId).job;
  }

  /**
   * The job now, then again on every change of status, stage, progress or spend, over graphql-ws
   * (reconnecting after a drop); ends when the job has finished.
   */
  async *watch(id: string, options: StreamOptions = {}): AsyncGenerator<Job> {
    let failures = 0;
    for (;;) {
      try {
        for await (const data of subscribeOnce(this.transport, TrainingJobUpdatedDocument, { id }, options.signal)) {
          failures = 0;
          yield data.trainingJobUpdated;
          if (FINISHED_STATUSES.includes(data.trainingJobUpdated.status)) return;
        }
        return;
      } catch (error) {
        if (!isResumable(error) || ++failures > (options.maxReconnects ?? 8)) throw error;
        await pause(failures, askedWaitMs(error), options.signal);
      }
    }
  }

  /** The job's metrics: `.stream({ afterStep })` live, `.history({ maxPoints })` for charts. */
  metrics(id: string): JobMetrics {
    return new JobMetrics(this.transport, id);
  }

  /**
   * Resolves with the job once it COMPLETED. Throws JobFailedError (ProviderCapacityError when no
   * GPU could be had) or JobCancelledError when it ended otherwise.
   */
  async waitForCompletion(id: string, options: WaitOptions = {}): Promise<Job> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new AbortError(`The job did not finish within ${options.timeoutMs} ms`)), options.timeoutMs);
    let last: Job | undefined;
    try {
      for await (const job of this.watch(id, { signal: controller.signal, maxReconnects: options.maxReconnects })) {
        last = job;
        options.onUpdate?.(job);
      }
    } catch (error) {
      if (error instanceof AbortError && controller.signal.reason instanceof AbortError) throw controller.signal.reason;
      throw error;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
    // The stream ended without a final state (it should not): read the job once.
    const job = last && FINISHED_STATUSES.includes(last.status) ? last : await this.get(id, { signal: options.signal });
    return finishedOrThrow(job);
  }
}

function finishedOrThrow(job: Job): Job {
  if (job.status === 'COMPLETED') return job;
  if (job.status === 'CANCELLED') {
    throw new JobCancelledError(`Job ${job.id} was cancelled${job.cancelReason ? `: ${job.cancelReason}` : ''}`, { code: job.errorCode ?? 'JOB_CANCELLED', jobId: job.id, job });
  }
  const init = { code: job.errorCode ?? 'JOB_FAILED', jobId: job.id, job };
  const message = `Job ${job.id} failed${job.errorCode ? ` (${job.errorCode})` : ''}: ${job.errorMessage ?? 'no reason recorded'}`;
  if (job.errorCode === 'NO_CAPACITY' || job.errorCode === 'SPOT_UNAVAILABLE') return throwing(new ProviderCapacityError(message, init));
  if (job.status === 'FAILED') return throwing(new JobFailedError(message, init));
  return job;
}

function throwing(error: Error): never {
  throw error;
}

async function pause(failures: number, askedMs: number | undefined, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(retryDelayMs(failures, askedMs), signal);
  } catch (reason) {
    throw new AbortError(undefined, { cause: reason });
  }
}

function randomKey(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c?.randomUUID) return c.randomUUID();
  return `sdk-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}
