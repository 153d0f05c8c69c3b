import type { JobAttempt, PrismaClient, TrainingJob } from '../generated/prisma/client.js';
import { trainerTokenFor } from '../auth/keys.js';
import { newId } from '../ids.js';
import type { JobLifecycle } from './jobs/lifecycle.js';
import { ProviderError, type TrainingProvider } from './providers/provider.js';
import { isTerminal } from './state-machine.js';
import { soleLeadership, type Leadership } from '../db/leadership.js';
import type { SupervisorLimits } from '../config/config.js';
import { accountSpend, checkLimits } from './supervisor-limits.js';
import { podLabel, rentsGpu } from './providers/placement.js';

/** How an attempt's pod run ended (JobAttempt.exitKind; AttemptExit in the API). */
export type AttemptExit = 'COMPLETED' | 'CANCELLED' | 'SPOT_INTERRUPTION' | 'TRAINER_ERROR' | 'SILENT_EXIT' | 'START_TIMEOUT' | 'STALLED' | 'LIMIT';

/** The timing and limits come from configuration (BRIGHTRUN_SUPERVISOR_*, see config.ts). */
export interface SupervisorOptions extends SupervisorLimits {
  /** The GraphQL endpoint a pod reports to (BRIGHTRUN_API_URL). */
  apiUrl: string;
  /** Derives each job's trainer token (see trainerTokenFor). */
  serverSecret: string;
  log?: (line: string) => void;
  /** With several server instances, only the leader supervises (see db/leadership.ts). */
  leadership?: Leadership;
  /** Extra pod environment from the workspace's secrets (HF_TOKEN for gated models). */
  podSecrets?: (job: TrainingJob) => Promise<Record<string, string>>;
  /** Cost warnings and the like, for the notification service. */
  notify?: (job: TrainingJob, kind: 'COST_WARNING', title: string, body: string) => Promise<void> | void;
}

/** A pod that dies without a word from its trainer is relaunched at most this many times. */
export const SILENT_EXIT_RETRIES = 2;

/** How the open attempt of a job that just finished ended. */
function exitOfFinished(job: TrainingJob): AttemptExit {
  if (job.status === 'COMPLETED') return 'COMPLETED';
  if (job.status === 'CANCELLED') return job.errorCode === 'MAX_DURATION' || job.errorCode === 'COST_CAP' ? 'LIMIT' : 'CANCELLED';
  switch (job.errorCode) {
    case 'TRAINER_SILENT':
    case 'TRAINING_STALLED':
      return 'STALLED';
    case 'POD_DIED':
      return 'SILENT_EXIT';
    case 'TOO_MANY_INTERRUPTIONS':
      return 'SPOT_INTERRUPTION';
    default:
      return 'TRAINER_ERROR';
  }
}

/**
 * A tick spreads its jobs over at most this share of the tick interval (and at most
 * MAX_JOB_SPACING_MS between two jobs) instead of supervising them back to back: with 100 running
 * jobs a burst took the two cores for ~0.3 s every tick, and every trainer report arriving in that
 * window waited (bench/metrics.bench.ts --latency, quiet 2-core box: p99 72 ms, max 303 ms with the
 * burst; p99 34 ms, max 48 ms with the supervisor idle).
 */
const TICK_SPREAD = 0.5;
const MAX_JOB_SPACING_MS = 50;

/** A PROVISIONING job without a pod, untouched this long, lost its launcher (a crash mid-launch). */
const STALE_PROVISIONING_MS = 2 * 60_000;

/**
 * Drives every unfinished job: launches and relaunches pods, notices interruptions, silence and
 * limits, and settles spend. It keeps no state that matters across restarts: each tick reads the
 * jobs from the database and asks the provider, so a restarted server simply carries on.
 */
export class Supervisor {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private readonly launchFailures = new Map<string, { count: number; notBefore: number }>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly lifecycle: JobLifecycle,
    private readonly provider: TrainingProvider,
    private readonly options: SupervisorOptions,
  ) {
    lifecycle.onTransition(async (job) => {
      // Every supervisor hears every transition: only the job's own provider can stop its pod.
      if (isTerminal(job.status) && job.provider === this.provider.name) await this.release(job);
    });
  }

  start(): void {
    this.stopped = false;
    const loop = async () => {
      this.running = this.tick().catch((error: Error) => this.options.log?.(`supervisor tick failed: ${error.stack ?? error.message}`));
      await this.running;
      if (!this.stopped) this.timer = setTimeout(loop, this.options.tickMs);
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.options.leadership?.close();
  }

  /** One pass over every unfinished job (exposed for tests). */
  async tick(): Promise<void> {
    if (!(await (this.options.leadership ?? soleLeadership).isLeader())) return;
    const jobs = await this.prisma.trainingJob.findMany({ where: { status: { notIn: ['COMPLETED', 'FAILED', 'CANCELLED'] }, provider: this.provider.name }, orderBy: { createdAt: 'asc' } });
    const spacing = Math.min(MAX_JOB_SPACING_MS, Math.floor((this.options.tickMs * TICK_SPREAD) / jobs.length));
    for (const [index, job] of jobs.entries()) {
      if (index > 0 && spacing > 0) {
        await new Promise((resolve) => setTimeout(resolve, spacing));
        if (this.stopped) return;
      }
      try {
        await this.supervise(job);
      } catch (error) {
        this.options.log?.(`supervisor: job ${job.id}: ${(error as Error).stack ?? error}`);
      }
    }
    // A finished job whose release did not complete (the transition's listener failed, or the
    // server stopped between the transition and the release) still has an open attempt: stop its
    // pod and settle it now, so a pod never outlives its job.
    const unreleased = await this.prisma.trainingJob.findMany({
      where: { status: { in: ['COMPLETED', 'FAILED', 'CANCELLED'] }, provider: this.provider.name, attempts: { some: { endedAt: null } } },
    });
    for (const job of unreleased) {
      try {
        await this.release(job);
      } catch (error) {
        this.options.log?.(`supervisor: release of finished job ${job.id}: ${(error as Error).stack ?? error}`);
      }
    }
  }

  private async supervise(job: TrainingJob): Promise<void> {
    const attempt = await this.prisma.jobAttempt.findFirst({ where: { jobId: job.id, endedAt: null }, orderBy: { number: 'desc' } });
    if (!attempt) {
      if (job.status === 'QUEUED' || job.status === 'INTERRUPTED' || job.status === 'PROVISIONING') await this.launch(job);
      return;
    }
    const pod = await this.provider.status(attempt.providerPodId!, { workspaceId: job.workspaceId });
    if (pod.state === 'EXITED' || pod.state === 'GONE') {
      // Nothing finished the job and we did not stop the pod: find out how it ended.
      return this.podEnded(job, attempt, pod.detail ?? 'the pod exited');
    }
    const now = Date.now();
    if (job.status === 'PROVISIONING' && pod.state === 'STARTING' && now - attempt.startedAt.getTime() > this.options.podStartTimeoutMs) {
      await this.lifecycle.record(job, { kind: 'pod_start_timeout', level: 'WARNING', message: `Pod ${attempt.providerPodId} did not start within ${Math.round(this.options.podStartTimeoutMs / 60_000)} min; launching another` });
      await this.endAttempt(attempt, 'FAILED', 'START_TIMEOUT', job);
      await this.provider.terminate(attempt.providerPodId!, { workspaceId: job.workspaceId });
      return;
    }
    const current = await accountSpend(this.prisma, this.provider, job, attempt);
    if (current !== job) this.lifecycle.publish(current); // spend changed: trainingJobUpdated says so
    await checkLimits({ prisma: this.prisma, lifecycle: this.lifecycle, notify: this.options.notify }, current, attempt, this.options);
  }

  private async launch(job: TrainingJob): Promise<void> {
    const failures = this.launchFailures.get(job.id);
    if (failures && Date.now() < failures.notBefore) return;
    const previous = await this.prisma.jobAttempt.findFirst({ where: { jobId: job.id }, orderBy: { number: 'desc' } });
    const resuming = job.status === 'INTERRUPTED';
    if (!(await this.claimLaunch(job, previous?.number ?? 0, resuming))) return;
    const token = trainerTokenFor(this.options.serverSecret, job.id);
    await this.prisma.trainingJob.update({ where: { id: job.id }, data: { lastHeartbeatAt: null } });
    try {
      const pod = await this.provider.launch({
        jobId: job.id,
        attempt: (previous?.number ?? 0) + 1,
        baseModel: job.baseModel,
        gpuType: job.gpuType,
        cloudType: job.cloudType,
        allowOnDemandFallback: job.allowOnDemandFallback,
        previousPodId: previous?.providerPodId ?? null,
        workspaceId: job.workspaceId,
        env: { ...(await this.options.podSecrets?.(job)), BRIGHTRUN_API_URL: this.options.apiUrl, BRIGHTRUN_JOB_ID: job.id, BRIGHTRUN_JOB_TOKEN: token },
      });
      this.launchFailures.delete(job.id);
      await this.prisma.jobAttempt.create({
        data: { id: newId('att'), jobId: job.id, number: (previous?.number ?? 0) + 1, providerPodId: pod.podId, cloudType: pod.cloudType, pricePerHour: pod.pricePerHour, storageUsdPerHour: pod.storageUsdPerHour ?? 0 },
      });
      const what = rentsGpu(job) ? `${pod.cloudType === 'SPOT' ? 'spot' : 'on-demand'}, $${pod.pricePerHour.toFixed(2)}/h` : job.isSimulated ? `simulated, billed at $${pod.pricePerHour.toFixed(2)}/h of simulated time` : 'on this machine, nothing rented';
      await this.lifecycle.record(job, { kind: 'pod_started', message: `Pod ${pod.podId} started (${what})`, data: { podId: pod.podId } });
    } catch (error) {
      await this.launchFailed(job, error);
    }
  }

  /**
   * Only one supervisor may launch a pod for a job, however many server instances run. Moving
   * QUEUED/INTERRUPTED → PROVISIONING is a compare-and-set, so exactly one wins it. A job left in
   * PROVISIONING without a pod is relaunched by the instance that is retrying it, or, once it has
   * been untouched for a while (its launcher died), by whoever claims it first.
   */
  private async claimLaunch(job: TrainingJob, previousNumber: number, resuming: boolean): Promise<boolean> {
    if (job.status === 'PROVISIONING') {
      if (this.launchFailures.has(job.id)) return true;
      if (Date.now() - job.updatedAt.getTime() < STALE_PROVISIONING_MS) return false;
      const claimed = await this.prisma.trainingJob.updateMany({ where: { id: job.id, status: 'PROVISIONING', updatedAt: job.updatedAt }, data: { substatus: 'Relaunching a pod' } });
      return claimed.count === 1;
    }
    const provisioned = await this.lifecycle.apply(job.id, { type: 'PROVISION' }, resuming
      ? { kind: 'resuming', message: `Resuming automatically from the last checkpoint (attempt ${previousNumber + 1})` }
      : { kind: 'provisioning', message: rentsGpu(job) ? `Requesting a ${job.gpuType} ${job.cloudType === 'SPOT' ? 'spot' : 'on-demand'} pod on ${this.provider.name}` : `Starting on ${podLabel(job)}` });
    return provisioned.ok && provisioned.changed;
  }

  private async launchFailed(job: TrainingJob, error: unknown): Promise<void> {
    const providerError = error instanceof ProviderError ? error : new ProviderError((error as Error).message, 'TRANSIENT');
    const count = (this.launchFailures.get(job.id)?.count ?? 0) + 1;
    if (!providerError.retryable || count >= this.options.maxLaunchAttempts) {
      this.launchFailures.delete(job.id);
      const why = providerError.retryable ? `${providerError.message} (gave up after ${count} attempts)` : providerError.message;
      await this.lifecycle.apply(job.id, { type: 'FAIL' }, { kind: 'launch_failed', level: 'ERROR', message: `Could not start a pod: ${why}` }, { errorCode: providerError.kind, errorMessage: why });
      return;
    }
    const backoff = Math.max((providerError.retryAfterSeconds ?? 0) * 1000, this.options.launchBackoffMs * 2 ** (count - 1));
    this.launchFailures.set(job.id, { count, notBefore: Date.now() + backoff });
    await this.lifecycle.record(job, { kind: 'launch_retry', level: 'WARNING', message: `${providerError.message}; retrying in ${Math.round(backoff / 1000)} s (attempt ${count} of ${this.options.maxLaunchAttempts})`, data: { kind: providerError.kind } });
  }

  /**
   * A pod ended while its job was unfinished and we did not stop it. How it ended decides what
   * happens (a trainer error never gets here: the trainer reports it and the job is already FAILED):
   * - the trainer said SIGTERM in its last report (event `sigterm`): a spot interruption, resumed
   *   from the last checkpoint, up to the interruption limit;
   * - it said nothing: the pod died silently (killed, crashed before it could report); retried at
   *   most SILENT_EXIT_RETRIES times, then the job fails with what was seen.
   */
  private async podEnded(job: TrainingJob, attempt: JobAttempt, detail: string): Promise<void> {
    const fresh = await this.prisma.trainingJob.findUnique({ where: { id: job.id } });
    if (!fresh || isTerminal(fresh.status)) return; // it finished meanwhile (a trainer failure or completion)
    const sigterm = await this.prisma.jobEvent.count({ where: { jobId: job.id, kind: 'sigterm', createdAt: { gte: attempt.startedAt } } });
    if (sigterm > 0) return this.interrupted(fresh, attempt, detail);
    const silentBefore = await this.prisma.jobAttempt.count({ where: { jobId: job.id, exitKind: 'SILENT_EXIT', id: { not: attempt.id } } });
    await this.endAttempt(attempt, 'FAILED', 'SILENT_EXIT', fresh);
    await accountSpend(this.prisma, this.provider, fresh, null);
    const silent = silentBefore + 1;
    if (silent > SILENT_EXIT_RETRIES) {
      const message = `The pod exited ${silent} times without the trainer reporting an error or an interruption (last: ${detail}); giving up. Read the pod logs (trainingJob.logs) for what killed it.`;
      await this.lifecycle.apply(job.id, { type: 'FAIL' }, { kind: 'pod_died', level: 'ERROR', message }, { errorCode: 'POD_DIED', errorMessage: message });
      return;
    }
    const result = await this.lifecycle.apply(job.id, { type: 'INTERRUPT' }, {
      kind: 'pod_exited',
      level: 'WARNING',
      message: `Pod ${attempt.providerPodId} exited without a word from the trainer (${detail}); retrying from the last checkpoint (${silent} of ${SILENT_EXIT_RETRIES} retries)`,
      data: { exitKind: 'SILENT_EXIT', retry: silent },
    });
    if (!result.ok) return;
    await this.launch(result.job);
  }

  private async interrupted(job: TrainingJob, attempt: JobAttempt, detail: string): Promise<void> {
    await this.endAttempt(attempt, 'INTERRUPTED', 'SPOT_INTERRUPTION', job);
    await accountSpend(this.prisma, this.provider, job, null);
    const count = job.interruptionCount + 1;
    const result = await this.lifecycle.apply(job.id, { type: 'INTERRUPT' }, { kind: 'interrupted', level: 'WARNING', message: `Pod ${attempt.providerPodId} was interrupted (${detail}; the trainer reported SIGTERM); the job will resume from its last checkpoint`, data: { exitKind: 'SPOT_INTERRUPTION' } }, { interruptionCount: count });
    if (!result.ok) return;
    if (count > this.options.maxInterruptions) {
      await this.lifecycle.apply(job.id, { type: 'FAIL' }, { kind: 'too_many_interruptions', level: 'ERROR', message: `Interrupted ${count} times; giving up (the limit is ${this.options.maxInterruptions}). Try on-demand capacity.` }, { errorCode: 'TOO_MANY_INTERRUPTIONS', errorMessage: `interrupted ${count} times` });
      return;
    }
    await this.launch(result.job);
  }

  /** A job reached a terminal status: stop its pod and settle what it cost. */
  private async release(job: TrainingJob): Promise<void> {
    const open = await this.prisma.jobAttempt.findMany({ where: { jobId: job.id, endedAt: null } });
    for (const attempt of open) {
      if (attempt.providerPodId) await this.provider.terminate(attempt.providerPodId, { workspaceId: job.workspaceId }).catch((e: Error) => this.options.log?.(`terminate ${attempt.providerPodId}: ${e.message}`));
      await this.endAttempt(attempt, job.status === 'COMPLETED' ? 'COMPLETED' : job.status === 'CANCELLED' ? 'CANCELLED' : 'FAILED', exitOfFinished(job), job);
    }
    await accountSpend(this.prisma, this.provider, job, null);
  }

  private async endAttempt(attempt: JobAttempt, reason: 'COMPLETED' | 'INTERRUPTED' | 'CANCELLED' | 'FAILED', exitKind: AttemptExit, job: Pick<TrainingJob, 'workspaceId'>) {
    const endedAt = new Date();
    const billed = await this.attemptBill(attempt, endedAt, job.workspaceId);
    await this.prisma.jobAttempt.updateMany({ where: { id: attempt.id, endedAt: null }, data: { endedAt, endReason: reason, exitKind, ...(billed != null ? { billedUsd: billed } : {}) } });
  }

  /**
   * What the provider charged for this attempt's window only. A bid-resumed spot pod keeps its
   * id, so the pod's bill covers every attempt on it: this attempt's share is the pod's bill so far
   * less what the earlier attempts on the same pod were charged (their reconciled bill, else
   * price × their runtime). Null when the provider does not say (price × runtime stands in).
   */
  private async attemptBill(attempt: JobAttempt, endedAt: Date, workspaceId: string): Promise<number | null> {
    if (!attempt.providerPodId || !this.provider.billedUsd) return null;
    const podTotal = await this.provider.billedUsd(attempt.providerPodId, { workspaceId }).catch(() => null);
    if (podTotal == null) return null;
    const earlier = await this.prisma.jobAttempt.findMany({ where: { jobId: attempt.jobId, providerPodId: attempt.providerPodId, number: { lt: attempt.number } } });
    const before = earlier.reduce((sum, a) => {
      if (a.billedUsd != null) return sum + Number(a.billedUsd);
      const hours = ((a.endedAt ?? endedAt).getTime() - a.startedAt.getTime()) / 3_600_000;
      return sum + Math.max(0, hours) * Number(a.pricePerHour);
    }, 0);
    return Math.max(0, Math.round((podTotal - before) * 10_000) / 10_000);
  }
}
