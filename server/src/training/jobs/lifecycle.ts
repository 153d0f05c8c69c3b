import type { Prisma, PrismaClient, TrainingJob } from '../../generated/prisma/client.js';
import type { AppPubSub } from '../../pubsub/pubsub.js';
import { transition, type JobSignal } from '../state-machine.js';

export interface JobEventInput {
  kind: string;
  message: string;
  level?: 'INFO' | 'WARNING' | 'ERROR';
  data?: Prisma.InputJsonValue;
}

export type ApplyResult = { ok: true; job: TrainingJob; changed: boolean } | { ok: false; job: TrainingJob; reason: string };

/** Listeners for what a transition means beyond the row (notifications, pod teardown…). */
export type TransitionListener = (job: TrainingJob, from: TrainingJob['status'], event: JobEventInput) => Promise<void> | void;

/**
 * The only writer of `TrainingJob.status`. Each change goes through the pure state machine,
 * is written with a compare-and-set on the old status (two writers cannot both win), records a
 * JobEvent and publishes an update.
 */
export class JobLifecycle {
  private readonly listeners: TransitionListener[] = [];

  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubsub: AppPubSub,
  ) {}

  onTransition(listener: TransitionListener) {
    this.listeners.push(listener);
  }

  async apply(jobId: string, signal: JobSignal, event: JobEventInput, patch: Prisma.TrainingJobUpdateManyMutationInput = {}): Promise<ApplyResult> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const job = await this.prisma.trainingJob.findUniqueOrThrow({ where: { id: jobId } });
      const next = transition(job.status, signal);
      if (!next.ok) return { ok: false, job, reason: next.reason };
      const now = new Date();
      const timing: Prisma.TrainingJobUpdateManyMutationInput = {};
      if (next.status === 'PROVISIONING' && !job.startedAt) timing.startedAt = now;
      if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(next.status)) timing.finishedAt = now;
      const written = await this.prisma.trainingJob.updateMany({
        where: { id: jobId, status: job.status },
        data: { ...patch, ...timing, status: next.status },
      });
      if (written.count === 0) continue; // someone else moved it first: re-read and re-decide
      const updated = await this.prisma.trainingJob.findUniqueOrThrow({ where: { id: jobId } });
      if (next.changed) {
        await this.record(updated, event);
        for (const listener of this.listeners) await listener(updated, job.status, event);
      } else {
        this.publish(updated);
      }
      return { ok: true, job: updated, changed: next.changed };
    }
    throw new Error(`job ${jobId}: status kept changing under concurrent writers`);
  }

  /** Progress, spend, substatus: anything but status. */
  async update(jobId: string, patch: Prisma.TrainingJobUpdateManyMutationInput): Promise<TrainingJob> {
    const job = await this.prisma.trainingJob.update({ where: { id: jobId }, data: patch });
    this.publish(job);
    return job;
  }

  async record(job: Pick<TrainingJob, 'id' | 'workspaceId'>, event: JobEventInput): Promise<void> {
    await this.prisma.jobEvent.create({
      data: { jobId: job.id, kind: event.kind, level: event.level ?? 'INFO', message: event.message, ...(event.data === undefined ? {} : { data: event.data }) },
    });
    this.publish(job);
  }

  publish(job: Pick<TrainingJob, 'id' | 'workspaceId'> & { status?: TrainingJob['status'] }) {
    // The status lets listeners that only wait for the end (trainingMetrics) skip a database read.
    this.pubsub.publish('job:updated', job.id, { jobId: job.id, workspaceId: job.workspaceId, ...(job.status ? { status: job.status } : {}) });
    this.pubsub.publish('workspace:jobs', job.workspaceId, { jobId: job.id });
  }
}
