import type { JobAttempt, PrismaClient, TrainingJob } from '../generated/prisma/client.js';
import { trainerTokenFor } from '../auth/keys.js';
import { newId } from '../ids.js';
import type { JobLifecycle } from './jobs/lifecycle.js';
import { ProviderError, type TrainingProvider } from './providers/provider.js';
import { isTerminal } from './state-machine.js';
import { soleLeadership, type Leadership } from '../db/leadership.js';
import type { SupervisorLimits } from '../config/config.js';
import { accountSpend, checkLimits } from './supervisor-limits.js';

/** The timing and limits come from configuration (BRIGHTRUN_SUPERVISOR_*, see config.ts). */
export interface SupervisorOptions extends SupervisorLimits {
  /** The GraphQL endpoint a pod reports to (BRIGHTRUN_API_URL). */
  apiUrl: string;
  /** Derives each job's trainer token (see trainerTokenFor). */
  serverSecret: string;
  log?: (line: string) => void;
  /** With several server instances, only the leader supervises (see db/leadership.ts). */
  leadership?: Leadership;
  /** Cost warnings and the like, for the notification service. */
  notify?: (job: TrainingJob, kind: 'COST_WARNING', title: string, body: string) => Promise<void> | void;
}

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
      if (isTerminal(job.status)) await this.release(job);
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
    for (const job of jobs) {
      try {
        await this.supervise(job);
      } catch (error) {
        this.options.log?.(`supervisor: job ${job.id}: ${(error as Error).stack ?? error}`);
      }
    }
  }

  private async supervise(job: TrainingJob): Promise<void> {
    const attempt = await this.prisma.jobAttempt.findFirst({ where: { jobId: job.id, endedAt: null }, orderBy: { number: 'desc' } });
    if (!attempt) {
      if (job.status === 'QUEUED' || job.status === 'INTERRUPTED' || job.status === 'PROVISIONING') await this.launch(job);
      return;
    }
    const pod = await this.provider.status(attempt.providerPodId!);
    if (pod.state === 'EXITED' || pod.state === 'GONE') {
      // Nothing finished the job and we did not stop the pod: it was interrupted.
      return this.interrupted(job, attempt, pod.detail ?? 'the pod exited');
    }
    const now = Date.now();
    if (job.status === 'PROVISIONING' && pod.state === 'STARTING' && now - attempt.startedAt.getTime() > this.options.podStartTimeoutMs) {
      await this.lifecycle.record(job, { kind: 'pod_start_timeout', level: 'WARNING', message: `Pod ${attempt.providerPodId} did not start within ${Math.round(this.options.podStartTimeoutMs / 60_000)} min; launching another` });
      await this.endAttempt(attempt, 'FAILED');
      await this.provider.terminate(attempt.providerPodId!);
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
        env: { BRIGHTRUN_API_URL: this.options.apiUrl, BRIGHTRUN_JOB_ID: job.id, BRIGHTRUN_JOB_TOKEN: token },
      });
      this.launchFailures.delete(job.id);
      await this.prisma.jobAttempt.create({
        data: { id: newId('att'), jobId: job.id, number: (previous?.number ?? 0) + 1, providerPodId: pod.podId, cloudType: pod.cloudType, pricePerHour: pod.pricePerHour },
      });
      await this.lifecycle.record(job, { kind: 'pod_started', message: `Pod ${pod.podId} started (${pod.cloudType === 'SPOT' ? 'spot' : 'on-demand'}, $${pod.pricePerHour.toFixed(2)}/h)`, data: { podId: pod.podId } });
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
      : { kind: 'provisioning', message: `Requesting a ${job.gpuType} ${job.cloudType === 'SPOT' ? 'spot' : 'on-demand'} pod on ${this.provider.name}` });
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

  private async interrupted(job: TrainingJob, attempt: JobAttempt, detail: string): Promise<void> {
    await this.endAttempt(attempt, 'INTERRUPTED');
    await accountSpend(this.prisma, this.provider, job, null);
    const count = job.interruptionCount + 1;
    const result = await this.lifecycle.apply(job.id, { type: 'INTERRUPT' }, { kind: 'interrupted', level: 'WARNING', message: `Pod ${attempt.providerPodId} was lost (${detail}); the job will resume from its last checkpoint` }, { interruptionCount: count });
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
      if (attempt.providerPodId) await this.provider.terminate(attempt.providerPodId).catch((e: Error) => this.options.log?.(`terminate ${attempt.providerPodId}: ${e.message}`));
      await this.endAttempt(attempt, job.status === 'COMPLETED' ? 'COMPLETED' : job.status === 'CANCELLED' ? 'CANCELLED' : 'FAILED');
    }
    await accountSpend(this.prisma, this.provider, job, null);
  }

  private async endAttempt(attempt: JobAttempt, reason: 'COMPLETED' | 'INTERRUPTED' | 'CANCELLED' | 'FAILED') {
    const billed = attempt.providerPodId && this.provider.billedUsd ? await this.provider.billedUsd(attempt.providerPodId).catch(() => null) : null;
    await this.prisma.jobAttempt.updateMany({ where: { id: attempt.id, endedAt: null }, data: { endedAt: new Date(), endReason: reason, ...(billed != null ? { billedUsd: billed } : {}) } });
  }
}
