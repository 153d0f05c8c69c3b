import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import { workspaceOf, type Context } from '../context.js';
import type { MetricSeries, StoredPoint } from '../metrics/history.js';
import type { MetricsExport } from '../metrics/export.js';
import { checkSeriesArgs, type MetricsJob } from '../metrics/service.js';
import { NotFoundError, ValidationError } from './errors.js';
import { boundedHeavy } from './heavy.js';

/** A history read of more points than this counts as a heavy operation (limits/heavy.ts). */
const HEAVY_MAX_POINTS = 1000;

export const MetricSplitEnum = builder.enumType('MetricSplit', {
  values: { TRAIN: { description: 'One point per optimizer step.' }, EVAL: { description: 'One point per evaluation on the held-out pairs.' } } as const,
});
const DownsamplingEnum = builder.enumType('DownsamplingMethod', {
  values: {
    RAW: { description: 'Every point in the range.' },
    MIN_MAX: {
      description:
        'The range cut into buckets of `bucketSteps` steps; per bucket the points with the lowest and the highest loss, plus the first and last points of the range. Every returned point is a real one, with all its fields.',
    },
  } as const,
});

export const MetricPointRef = builder.objectRef<StoredPoint>('MetricPoint').implement({
  description: 'One reported training or evaluation point. Values the trainer could not measure are null.',
  fields: (t) => ({
    split: t.field({ type: MetricSplitEnum, resolve: (p) => p.split }),
    step: t.exposeInt('step'),
    loss: t.exposeFloat('loss', { nullable: true }),
    learningRate: t.exposeFloat('learningRate', { nullable: true }),
    gradNorm: t.exposeFloat('gradNorm', { nullable: true }),
    epoch: t.exposeFloat('epoch', { nullable: true }),
    tokensPerSecond: t.exposeFloat('tokensPerSecond', { nullable: true }),
    gpuUtilization: t.exposeFloat('gpuUtilization', { nullable: true, description: 'Percent, 0–100.' }),
    gpuMemoryGb: t.exposeFloat('gpuMemoryGb', { nullable: true }),
    perplexity: t.exposeFloat('perplexity', { nullable: true }),
    recordedAt: t.field({ type: 'DateTime', description: 'When the server stored the point (last stored, for a re-sent step).', resolve: (p) => p.recordedAt }),
  }),
});

const MetricSeriesRef = builder.objectRef<MetricSeries>('MetricSeries').implement({
  description: "A job's series over a step range, downsampled on the server when it holds more points than asked for.",
  fields: (t) => ({
    jobId: t.exposeID('jobId'),
    split: t.field({ type: MetricSplitEnum, resolve: (s) => s.split }),
    totalPoints: t.exposeInt('totalPoints', { description: 'Points stored in the range (before downsampling).' }),
    downsampled: t.exposeBoolean('downsampled'),
    method: t.field({ type: DownsamplingEnum, resolve: (s) => s.method }),
    bucketSteps: t.exposeInt('bucketSteps', { nullable: true, description: 'Steps per bucket when downsampled.' }),
    points: t.field({ type: [MetricPointRef], description: 'By step.', resolve: (s) => s.points }),
    isSimulated: t.boolean({ description: "The job is a demo simulation: these are synthetic metrics.", resolve: async (s, _a, ctx) => (await ctx.loaders.job.load(s.jobId))?.isSimulated ?? false }),
  }),
});

const MetricsExportRef = builder.objectRef<MetricsExport>('MetricsExport').implement({
  description: 'A CSV file of every point of a job (TRAIN then EVAL, by step), behind a signed link.',
  fields: (t) => ({
    url: t.exposeString('url', { description: 'A signed GET link; anyone holding it can download until expiresAt.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    rows: t.exposeInt('rows', { description: 'Data rows in the file (the header not counted).' }),
  }),
});

async function mustFindJob(ctx: Context, jobId: string | number): Promise<MetricsJob> {
  const job = await ctx.services.metrics.findJob(workspaceOf(ctx), String(jobId));
  if (!job) throw new NotFoundError('training job', String(jobId));
  return job;
}

builder.queryField('jobMetrics', (t) =>
  t.field({
    type: MetricSeriesRef,
    description: "A job's loss curve (and the other metrics) for charts: every point when the range holds at most maxPoints, else min/max-downsampled to at most maxPoints.",
    authScopes: { read: true },
    args: {
      jobId: t.arg.id({ required: true, bounds: { idOf: 'job' } }),
      split: t.arg({ type: MetricSplitEnum, defaultValue: 'TRAIN' }),
      fromStep: t.arg.int({ description: 'First step of the range (inclusive); default: the first stored.' }),
      toStep: t.arg.int({ description: 'Last step of the range (inclusive); default: the last stored.' }),
      maxPoints: t.arg.int({ defaultValue: 1000, description: '2–10,000.' }),
    },
    errors: { types: [NotFoundError, ValidationError], dataField: { name: 'series' } },
    resolve: async (_root, args, ctx) => {
      const seriesArgs = { split: args.split ?? 'TRAIN', fromStep: args.fromStep, toStep: args.toStep, maxPoints: args.maxPoints ?? 1000 };
      const problems = checkSeriesArgs(seriesArgs);
      if (problems.length > 0) throw new ValidationError(problems);
      const job = await mustFindJob(ctx, args.jobId);
      if (seriesArgs.maxPoints <= HEAVY_MAX_POINTS) return ctx.services.metrics.series(job, seriesArgs);
      return boundedHeavy(() => ctx.services.heavy.run(job.workspaceId, 'metric history', () => ctx.services.metrics.series(job, seriesArgs)));
    },
  }),
);

builder.mutationField('exportJobMetrics', (t) =>
  t.field({
    type: MetricsExportRef,
    description: "Writes every point of the job (both splits) to a CSV file and returns a signed link to it, valid an hour. Needs only the read scope: it changes nothing but adds the file.",
    authScopes: { read: true },
    args: { input: t.arg({ type: builder.inputType('ExportJobMetricsInput', { fields: (f) => ({ jobId: f.id({ required: true, bounds: { idOf: 'job' } }) }) }), required: true }) },
    errors: { types: [NotFoundError, ValidationError], dataField: { name: 'export' } },
    resolve: async (_root, { input }, ctx) => {
      const job = await mustFindJob(ctx, input.jobId);
      return boundedHeavy(() => ctx.services.metrics.exportCsv(job));
    },
  }),
);

builder.subscriptionField('trainingMetrics', (t) =>
  t.field({
    type: [MetricPointRef],
    description:
      "A job's metric points in batches, both splits: first those stored after `afterStep` (all of them when null), then each report's points as they arrive, with nothing missed or repeated in between; completes once the job has finished and its last points were sent. To resume after a disconnect, pass the last step received. An unknown id ends the subscription with one NOT_FOUND error.",
    authScopes: { read: true },
    args: { jobId: t.arg.id({ required: true, bounds: { idOf: 'job' } }), afterStep: t.arg.int() },
    subscribe: async (_root, { jobId, afterStep }, ctx) => {
      const job = await ctx.services.metrics.findJob(workspaceOf(ctx), String(jobId));
      if (!job) throw new GraphQLError(`No training job with id "${jobId}" in this workspace`, { extensions: { code: 'NOT_FOUND' } });
      return ctx.services.metrics.stream(job, afterStep ?? null);
    },
    resolve: (batch) => batch as StoredPoint[],
  }),
);
