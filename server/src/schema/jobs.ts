import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import type { TrainingJob } from '../generated/prisma/client.js';
import { ACTIVE_STATUSES } from '../training/state-machine.js';
import type { TrainingEstimate } from '../training/estimate/index.js';
import type { FrozenHyperparameters } from '../training/jobs/freeze.js';
import { BudgetExceededError, DatasetNotReadyError, JobFinishedError } from '../training/jobs/errors.js';
import { stageTimeline } from '../training/jobs/stages.js';
import { selects } from './selection.js';
import { ErrorInterface, NotFoundError, ValidationError, inInput } from './errors.js';
import { DatasetRef } from './dataset-ref.js';
import { ReadinessCheckRef } from './datasets-types.js';
import { CloudTypeEnum, EstimateRef, HyperparametersRef, PresetEnum, ProviderNameEnum, TrainingConfigurationRef, TrainingPlanInput, hyperparametersOfJob, planOf, PLAN_FIELDS } from './training.js';
import { ArtifactRef } from './artifacts.js';
import { AttemptRef, CheckpointRef, JobEventRef, JobStatusEnum, StageSpanRef } from './job-types.js';
import { connectionType, pageLimitsText, pageRequest, toConnection } from './pagination.js';
import { nodeInterface } from './node.js';
import type { PresetKey } from '../training/presets/index.js';

const MAX_EVENTS = 1000;
const CHECKPOINT_PAGES = { defaultSize: 20, maxSize: 100 };
const CheckpointConnection = connectionType(CheckpointRef, 'Checkpoint');

export const TrainingJobRef = builder.objectRef<TrainingJob>('TrainingJob').implement({
  description: 'A training run: dataset → frozen configuration → attempts → adapter.',
  interfaces: [nodeInterface],
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: JobStatusEnum, resolve: (j) => j.status }),
    substatus: t.exposeString('substatus', { nullable: true, description: "The trainer's own words for what it is doing." }),
    isActive: t.boolean({ description: 'A pod is running or being provisioned.', resolve: (j) => ACTIVE_STATUSES.includes(j.status) }),
    isSimulated: t.exposeBoolean('isSimulated', { description: 'True for demo-provider jobs: synthetic metrics, no GPU.' }),
    provider: t.field({ type: ProviderNameEnum, resolve: (j) => j.provider.toUpperCase() as 'RUNPOD' }),
    dataset: t.field({ type: DatasetRef, resolve: async (j, _a, ctx) => (await ctx.loaders.dataset.load(j.datasetId))! }),
    configuration: t.field({
      type: TrainingConfigurationRef,
      nullable: true,
      description: 'The saved configuration it started from (null when none, or deleted since).',
      resolve: (j, _a, ctx) => (j.configurationId ? ctx.loaders.configuration.load(j.configurationId) : null),
    }),
    preset: t.field({ type: PresetEnum, resolve: (j) => j.preset as PresetKey }),
    hyperparameters: t.field({ type: HyperparametersRef, description: 'Frozen at launch.', resolve: (j) => hyperparametersOfJob(j.hyperparameters as unknown as FrozenHyperparameters) }),
    baseModel: t.exposeString('baseModel'), gpuType: t.exposeString('gpuType'),
    cloudType: t.field({ type: CloudTypeEnum, resolve: (j) => j.cloudType }),
    allowOnDemandFallback: t.exposeBoolean('allowOnDemandFallback'),
    maxDurationHours: t.exposeFloat('maxDurationHours'),
    costCapUsd: t.float({ nullable: true, resolve: (j) => (j.costCapUsd == null ? null : Number(j.costCapUsd)) }),
    estimate: t.field({ type: EstimateRef, description: 'Frozen at launch.', resolve: (j) => j.estimate as unknown as TrainingEstimate }),
    currentStep: t.exposeInt('currentStep'), totalSteps: t.exposeInt('totalSteps', { nullable: true }),
    currentEpoch: t.exposeFloat('currentEpoch'), totalEpochs: t.exposeInt('totalEpochs'),
    progress: t.float({ description: '0–1, by optimizer steps.', resolve: (j) => (j.status === 'COMPLETED' ? 1 : j.totalSteps ? Math.min(1, j.currentStep / j.totalSteps) : 0) }),
    spendUsd: t.float({ description: 'Spent so far (all attempts).', resolve: (j) => Number(j.spendUsd) }),
    interruptionCount: t.exposeInt('interruptionCount'),
    lastHeartbeatAt: t.expose('lastHeartbeatAt', { type: 'DateTime', nullable: true }),
    cancelReason: t.exposeString('cancelReason', { nullable: true }),
    errorCode: t.exposeString('errorCode', { nullable: true, description: "The failure's code from where it arose (trainer: OUT_OF_MEMORY, BAD_DATA…; provider: NO_CAPACITY…; limits: COST_CAP, TRAINER_SILENT…)." }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }), startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    attempts: t.field({ type: [AttemptRef], description: 'Pod lifetimes, first first.', resolve: (j, _a, ctx) => ctx.loaders.attempts.load(j.id) }),
    stages: t.field({ type: [StageSpanRef], resolve: async (j, _a, ctx) => stageTimeline(j, await ctx.loaders.stageEvents.load(j.id)) }),
    events: t.field({
      type: [JobEventRef],
      description: `The job log, oldest first: the newest \`last\` events (default 200, at most ${MAX_EVENTS}).`,
      args: { last: t.arg.int({ description: `1–${MAX_EVENTS}; default 200.` }) },
      resolve: (j, { last }, ctx) => {
        const count = last ?? 200;
        if (!Number.isInteger(count) || count < 1 || count > MAX_EVENTS) throw new GraphQLError(`last must be 1–${MAX_EVENTS} (got ${count})`, { extensions: { code: 'BAD_USER_INPUT' } });
        return ctx.loaders.recentEvents(count).load(j.id);
      },
    }),
    artifact: t.field({ type: ArtifactRef, nullable: true, description: 'The adapter, once the job completed.', resolve: (j, _a, ctx) => ctx.loaders.artifactOfJob.load(j.id) }),
    checkpoints: t.connection(
      {
        type: CheckpointRef,
        description: `Committed checkpoints, newest step first. ${pageLimitsText(CHECKPOINT_PAGES)}`,
        resolve: async (j, args, ctx) => {
          const page = pageRequest(args, CHECKPOINT_PAGES);
          const queries = ctx.services.jobQueries;
          return toConnection(await queries.checkpoints(j.id, page), page, (c) => [c.step, c.id], queries.countCheckpoints(j.id));
        },
      },
      CheckpointConnection,
    ),
  }),
});

const JobFilterInput = builder.inputType('TrainingJobFilter', {
  fields: (t) => ({
    status: t.field({ type: [JobStatusEnum], description: 'Any of these statuses.' }),
    active: t.boolean({ description: 'Only jobs with a pod running or being provisioned.' }),
    datasetId: t.id({ bounds: { idOf: 'ds' } }),
  }),
});

const TrainingJobConnection = connectionType(TrainingJobRef, 'TrainingJob');
const JOB_PAGES = { defaultSize: 25, maxSize: 100 };

builder.queryField('trainingJobs', (t) =>
  t.connection(
    {
      type: TrainingJobRef,
      description: `The workspace's jobs, newest first. ${pageLimitsText(JOB_PAGES)}`,
      authScopes: { read: true },
      args: { filter: t.arg({ type: JobFilterInput }) },
      resolve: async (_root, args, ctx) => {
        const page = pageRequest(args, JOB_PAGES);
        const filter = { ...args.filter, datasetId: args.filter?.datasetId != null ? String(args.filter.datasetId) : null };
        const queries = ctx.services.jobQueries;
        const workspaceId = workspaceOf(ctx);
        return toConnection(await queries.list(workspaceId, filter, page), page, (j) => [j.createdAt, j.id], queries.count(workspaceId, filter));
      },
    },
    TrainingJobConnection,
  ),
);

builder.queryField('trainingJob', (t) =>
  t.field({
    type: TrainingJobRef,
    nullable: true,
    description: 'Null when no job of this workspace has the id.',
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true, bounds: { idOf: 'job' } }) },
    resolve: async (_root, { id }, ctx, info) => {
      // The monitor's header polls this with latestMetrics: one read (or none, from this instance's
      // snapshot, invalidated by every write: training/jobs/job-cache.ts) for both.
      const found = await ctx.services.jobQueries.snapshot(workspaceOf(ctx), String(id));
      if (!found) return null;
      if (selects(info, 'latestMetrics')) ctx.loaders.latestMetrics.prime(found.job.id, found.latest);
      return found.job;
    },
  }),
);

builder.objectType(DatasetNotReadyError, {
  name: 'DatasetNotReadyError',
  description: 'The dataset failed a blocking readiness check; set acknowledgeDatasetWarnings to train anyway.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ datasetId: t.exposeID('datasetId'), failedChecks: t.field({ type: [ReadinessCheckRef], resolve: (e) => e.failedChecks }) }),
});
builder.objectType(BudgetExceededError, {
  name: 'BudgetExceededError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    budgetUsd: t.exposeFloat('budgetUsd'),
    spentUsd: t.exposeFloat('spentUsd'),
    estimateHighUsd: t.exposeFloat('estimateHighUsd'),
    reservedUsd: t.exposeFloat('reservedUsd', { description: "What the workspace's running and queued jobs may still spend (each one's estimate high end less its spend so far): held against the budget." }),
  }),
});
builder.objectType(JobFinishedError, {
  name: 'JobFinishedError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ jobId: t.exposeID('jobId'), status: t.field({ type: JobStatusEnum, resolve: (e) => e.status as TrainingJob['status'] }) }),
});

const StartInput = builder.inputType('StartTrainingJobInput', {
  fields: (t) => ({
    plan: t.field({ type: TrainingPlanInput, required: true, description: 'What to train and how (as given to estimateTraining).' }),
    acknowledgeDatasetWarnings: t.boolean({ description: 'Train even though the dataset failed a readiness check.' }),
    allowOnDemandFallback: t.boolean({ description: 'If spot capacity is refused, run on-demand (about 3× the price) instead of failing.' }),
    costCapUsd: t.float({ description: 'Cancel the job automatically when its spend reaches this (> 0).' }),
    maxSteps: t.int({ description: 'Smoke runs: stop after this many optimizer steps (≥ 1).' }),
    checkpointEverySteps: t.int({ description: 'Default: the trainer keeps at most ~10 minutes of work at risk (≥ 1).' }),
    idempotencyKey: t.string({ description: '8–200 characters (a UUID is ideal): retrying with the same key returns the same job instead of starting another.' }),
  }),
});

builder.mutationField('startTrainingJob', (t) =>
  t.field({
    type: TrainingJobRef,
    description: 'Validates, freezes the configuration and estimate, and queues the job.',
    authScopes: { write: true },
    args: { input: t.arg({ type: StartInput, required: true }) },
    errors: { types: [ValidationError, NotFoundError, DatasetNotReadyError, BudgetExceededError], dataField: { name: 'job' } },
    resolve: async (_root, { input }, ctx) => {
      const key = input.idempotencyKey;
      if (key != null && (key.length < 8 || key.length > 200)) throw new ValidationError([{ field: 'input.idempotencyKey', message: 'must be 8–200 characters (a UUID is ideal)' }]);
      const controls = { maxSteps: input.maxSteps, checkpointEverySteps: input.checkpointEverySteps };
      for (const [field, value] of Object.entries(controls)) {
        if (value != null && (!Number.isInteger(value) || value < 1)) throw new ValidationError([{ field: `input.${field}`, message: `must be a whole number ≥ 1 (got ${value})` }]);
      }
      return inInput(
        () =>
          ctx.services.jobs.start(
            workspaceOf(ctx),
            { ...planOf(input.plan), acknowledgeDatasetWarnings: input.acknowledgeDatasetWarnings, allowOnDemandFallback: input.allowOnDemandFallback, costCapUsd: input.costCapUsd, controls },
            key,
          ),
        (field) => (PLAN_FIELDS.test(field) ? `input.plan.${field}` : `input.${field}`),
      );
    },
  }),
);

const CancelInput = builder.inputType('CancelTrainingJobInput', {
  fields: (t) => ({ id: t.id({ required: true, bounds: { idOf: 'job' } }), reason: t.string({ required: true, description: '3–500 characters; kept in the job history.', bounds: { maxLength: 500 } }) }),
});

builder.mutationField('cancelTrainingJob', (t) =>
  t.field({
    type: TrainingJobRef,
    description: 'Stops the pod and records the final spend.',
    authScopes: { write: true },
    args: { input: t.arg({ type: CancelInput, required: true }) },
    errors: { types: [NotFoundError, ValidationError, JobFinishedError], dataField: { name: 'job' } },
    resolve: (_root, { input }, ctx) => inInput(() => ctx.services.jobs.cancel(workspaceOf(ctx), String(input.id), input.reason), (field) => `input.${field}`),
  }),
);

builder.objectField(ArtifactRef, 'job', (t) =>
  t.field({
    type: TrainingJobRef,
    description: 'The run that produced it (and through it, the frozen configuration).',
    resolve: async (a, _x, ctx) => (await ctx.loaders.job.load(a.jobId))!,
  }),
);

builder.objectField(DatasetRef, 'trainingJobs', (t) =>
  t.connection(
    {
      type: TrainingJobRef,
      description: `Jobs trained on this dataset, newest first. ${pageLimitsText(JOB_PAGES)}`,
      resolve: async (dataset, args, ctx) => {
        const page = pageRequest(args, JOB_PAGES);
        const filter = { datasetId: dataset.id };
        const queries = ctx.services.jobQueries;
        return toConnection(await queries.list(dataset.workspaceId, filter, page), page, (j) => [j.createdAt, j.id], queries.count(dataset.workspaceId, filter));
      },
    },
    TrainingJobConnection,
  ),
);
