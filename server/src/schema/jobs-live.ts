import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import type { TrainingJob } from '../generated/prisma/client.js';
import { isTerminal } from '../training/state-machine.js';
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

builder.objectFields(TrainingJobRef, (t) => ({
  latestMetrics: t.field({ type: LatestMetricsRef, resolve: (job, _args, ctx) => ctx.loaders.latestMetrics.load(job.id) }),
  etaSeconds: t.float({
    nullable: true,
    description: 'Seconds left at the pace of the last 50 optimizer steps; null before training has a pace.',
    resolve: async (job, _args, ctx) => {
      if (job.status !== 'TRAINING' || !job.totalSteps) return null;
      const recent = await ctx.loaders.pace.load(job.id);
      const [last, first] = [recent[0], recent[recent.length - 1]];
      if (!last || !first || last.step === first.step) return null;
      const secondsPerStep = (last.recordedAt.getTime() - first.recordedAt.getTime()) / 1000 / (last.step - first.step);
      return Math.max(0, (job.totalSteps - job.currentStep) * secondsPerStep);
    },
  }),
}));

const notFound = (id: string) => new GraphQLError(`No training job with id "${id}" in this workspace`, { extensions: { code: 'NOT_FOUND' } });

/** What a client of trainingJobUpdated sees change (an update that changes none of it is not sent). */
const visible = (j: TrainingJob) =>
  JSON.stringify([j.status, j.substatus, j.currentStep, j.totalSteps, j.currentEpoch, String(j.spendUsd), j.interruptionCount, j.cancelReason, j.errorCode, j.errorMessage, j.finishedAt?.getTime() ?? null]);

builder.subscriptionField('trainingJobUpdated', (t) =>
  t.field({
    type: TrainingJobRef,
    description:
      'The job now, then again once per change of status, stage, progress or spend (heartbeats alone are not sent); completes once the job has finished. An unknown id ends the subscription with one NOT_FOUND error.',
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true, bounds: { idOf: 'job' } }) },
    subscribe: async function* (_root, { id }, ctx) {
      const queries = ctx.services.jobQueries;
      const workspaceId = workspaceOf(ctx);
      // Listen before reading, so a change between the two is not lost.
      const updates = ctx.services.pubsub.subscribe('job:updated', String(id));
      try {
        const job = await queries.find(workspaceId, String(id));
        if (!job) throw notFound(String(id));
        yield job;
        if (isTerminal(job.status)) return;
        let sent = visible(job);
        for await (const _event of updates) {
          const fresh = await queries.find(workspaceId, job.id);
          if (!fresh) return;
          const now = visible(fresh);
          if (now === sent) continue;
          sent = now;
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
    description: "The workspace's running jobs (for the header's indicator), sent again whenever one of them changes status, progress or spend.",
    authScopes: { read: true },
    subscribe: async function* (_root, _args, ctx) {
      const queries = ctx.services.jobQueries;
      const workspaceId = workspaceOf(ctx);
      const changes = ctx.services.pubsub.subscribe('workspace:jobs', workspaceId);
      try {
        let previous = '';
        const send = async () => {
          const jobs = await queries.active(workspaceId);
          const key = JSON.stringify(jobs.map(visible).concat(jobs.map((j) => j.id)));
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
