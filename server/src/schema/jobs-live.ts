import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import type { TrainingJob } from '../generated/prisma/client.js';
import { ACTIVE_STATUSES, isTerminal } from '../training/state-machine.js';
import type { StoredPoint } from '../metrics/history.js';
import { TrainingJobRef } from './jobs.js';
import { MetricPointRef } from './metrics.js';

// Live views of jobs: the fields a monitor needs (latest metrics, ETA) and the subscriptions
// that push them. Metric streams themselves are `trainingMetrics` (schema/metrics.ts).

const LatestMetricsRef = builder.objectRef<{ train: StoredPoint | null; eval: StoredPoint | null }>('LatestMetrics').implement({
  fields: (t) => ({
    train: t.field({ type: MetricPointRef, nullable: true, resolve: (m) => m.train }),
    eval: t.field({ type: MetricPointRef, nullable: true, resolve: (m) => m.eval }),
  }),
});

interface Row extends Omit<StoredPoint, 'recordedAt'> { recordedAt: Date }
const toPoint = (row: Row | undefined): StoredPoint | null => (row ? { ...row, recordedAt: row.recordedAt.toISOString() } : null);

builder.objectFields(TrainingJobRef, (t) => ({
  latestMetrics: t.field({
    type: LatestMetricsRef,
    resolve: async (job, _args, ctx) => {
      const latest = (split: 'TRAIN' | 'EVAL') =>
        ctx.services.db.prisma.metricPoint.findFirst({ where: { jobId: job.id, split }, orderBy: { step: 'desc' } }) as Promise<Row | null>;
      const [train, evaluation] = await Promise.all([latest('TRAIN'), latest('EVAL')]);
      return { train: toPoint(train ?? undefined), eval: toPoint(evaluation ?? undefined) };
    },
  }),
  etaSeconds: t.float({
    nullable: true,
    description: 'Seconds left at the pace of the last 50 optimizer steps; null before training has a pace.',
    resolve: async (job, _args, ctx) => {
      if (job.status !== 'TRAINING' || !job.totalSteps) return null;
      const recent = await ctx.services.db.prisma.metricPoint.findMany({ where: { jobId: job.id, split: 'TRAIN' }, orderBy: { step: 'desc' }, take: 50, select: { step: true, recordedAt: true } });
      const [last, first] = [recent[0], recent[recent.length - 1]];
      if (!last || !first || last.step === first.step) return null;
      const secondsPerStep = (last.recordedAt.getTime() - first.recordedAt.getTime()) / 1000 / (last.step - first.step);
      return Math.max(0, (job.totalSteps - job.currentStep) * secondsPerStep);
    },
  }),
}));

builder.subscriptionField('trainingJobUpdated', (t) =>
  t.field({
    type: TrainingJobRef,
    description: 'The job now, then again on every change of status, stage, progress or spend; completes once the job has finished.',
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true }) },
    subscribe: async function* (_root, { id }, ctx) {
      const prisma = ctx.services.db.prisma;
      const workspaceId = workspaceOf(ctx);
      // Listen before reading, so a change between the two is not lost.
      const updates = ctx.services.pubsub.subscribe('job:updated', String(id));
      try {
        const job = await prisma.trainingJob.findFirst({ where: { id: String(id), workspaceId } });
        if (!job) throw new GraphQLError(`No training job with id "${id}" in this workspace`, { extensions: { code: 'NOT_FOUND' } });
        yield job;
        if (isTerminal(job.status)) return;
        for await (const _event of updates) {
          const fresh = await prisma.trainingJob.findUniqueOrThrow({ where: { id: job.id } });
          yield fresh;
          if (isTerminal(fresh.status)) return;
        }
      } finally {
        await updates.return?.();
      }
    },
    resolve: (job) => job as TrainingJob,
  }),
);

builder.subscriptionField('activeTrainingJobs', (t) =>
  t.field({
    type: [TrainingJobRef],
    description: "The workspace's running jobs (for the header's indicator), sent again whenever any job changes.",
    authScopes: { read: true },
    subscribe: async function* (_root, _args, ctx) {
      const prisma = ctx.services.db.prisma;
      const workspaceId = workspaceOf(ctx);
      const active = () => prisma.trainingJob.findMany({ where: { workspaceId, status: { in: [...ACTIVE_STATUSES] } }, orderBy: { createdAt: 'asc' } });
      const changes = ctx.services.pubsub.subscribe('workspace:jobs', workspaceId);
      try {
        let previous = '';
        const send = async () => {
          const jobs = await active();
          const key = JSON.stringify(jobs.map((j) => [j.id, j.status, j.currentStep, String(j.spendUsd)]));
          const changed = key !== previous;
          previous = key;
          return changed ? jobs : null;
        };
        yield (await send()) ?? [];
        for await (const _event of changes) {
          const jobs = await send();
          if (jobs) yield jobs;
        }
      } finally {
        await changes.return?.();
      }
    },
    resolve: (jobs) => jobs as TrainingJob[],
  }),
);
