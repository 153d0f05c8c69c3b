import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import type { JobAttempt, JobEvent, Prisma, TrainingJob } from '../generated/prisma/client.js';
import { JOB_STATUSES, ACTIVE_STATUSES } from '../training/state-machine.js';
import type { TrainingEstimate } from '../training/estimate/index.js';
import { BudgetExceededError, DatasetNotReadyError, JobFinishedError, ProviderUnavailableError } from '../training/jobs/errors.js';
import { ErrorInterface, NotFoundError, ValidationError } from './common.js';
import { DatasetRef } from './dataset-ref.js';
import { CloudTypeEnum, EstimateRef, PresetEnum, TrainingOverridesInput, TrainingConfigurationRef } from './training.js';
import { TrainerHyperparametersRef } from './trainer.js';
import { ArtifactRef } from './artifacts.js';
import { stageTimeline, type StageSpan } from '../training/jobs/stages.js';

export const JobStatusEnum = builder.enumType('JobStatus', { values: JOB_STATUSES });
const LevelEnum = builder.enumType('JobEventLevel', { values: ['INFO', 'WARNING', 'ERROR'] as const });
const EndReasonEnum = builder.enumType('AttemptEndReason', { values: ['COMPLETED', 'INTERRUPTED', 'CANCELLED', 'FAILED'] as const });

const AttemptRef = builder.objectRef<JobAttempt>('JobAttempt').implement({
  description: 'One pod lifetime. A spot interruption ends one attempt and the next resumes from the last checkpoint.',
  fields: (t) => ({
    id: t.exposeID('id'), number: t.exposeInt('number'), podId: t.exposeString('providerPodId', { nullable: true }),
    cloudType: t.field({ type: CloudTypeEnum, resolve: (a) => a.cloudType }),
    pricePerHour: t.float({ resolve: (a) => Number(a.pricePerHour) }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }), endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    endReason: t.field({ type: EndReasonEnum, nullable: true, resolve: (a) => a.endReason }),
    spendUsd: t.float({
      description: 'Billed by the provider when known, else price × runtime.',
      resolve: (a) => (a.billedUsd != null ? Number(a.billedUsd) : (((a.endedAt ?? new Date()).getTime() - a.startedAt.getTime()) / 3_600_000) * Number(a.pricePerHour)),
    }),
  }),
});

export const JobEventRef = builder.objectRef<JobEvent>('JobEvent').implement({
  fields: (t) => ({
    id: t.id({ resolve: (e) => e.id.toString() }), kind: t.exposeString('kind'), level: t.field({ type: LevelEnum, resolve: (e) => e.level }),
    message: t.exposeString('message'), data: t.field({ type: 'JSON', nullable: true, resolve: (e) => e.data }), createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const StageSpanRef = builder.objectRef<StageSpan>('JobStageSpan').implement({
  description: 'When the job entered and left a stage (one per attempt it went through).',
  fields: (t) => ({
    stage: t.field({ type: JobStatusEnum, resolve: (s) => s.stage }), attempt: t.exposeInt('attempt'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }), endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    durationSeconds: t.float({ resolve: (s) => ((s.endedAt ?? new Date()).getTime() - s.startedAt.getTime()) / 1000 }),
  }),
});

export const TrainingJobRef = builder.objectRef<TrainingJob>('TrainingJob').implement({
  description: 'A training run: dataset → frozen configuration → attempts → adapter.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: JobStatusEnum, resolve: (j) => j.status }),
    substatus: t.exposeString('substatus', { nullable: true }),
    isActive: t.boolean({ resolve: (j) => ACTIVE_STATUSES.includes(j.status) }),
    isSimulated: t.exposeBoolean('isSimulated', { description: 'True for demo-provider jobs: synthetic metrics, no GPU.' }),
    provider: t.exposeString('provider'),
    dataset: t.field({ type: DatasetRef, resolve: (j, _a, ctx) => ctx.services.db.prisma.dataset.findUniqueOrThrow({ where: { id: j.datasetId } }) }),
    configuration: t.field({ type: TrainingConfigurationRef, nullable: true, resolve: (j, _a, ctx) => (j.configurationId ? ctx.services.db.prisma.trainingConfiguration.findUnique({ where: { id: j.configurationId } }) : null) }),
    preset: t.field({ type: PresetEnum, resolve: (j) => j.preset as 'BALANCED' }),
    hyperparameters: t.field({ type: TrainerHyperparametersRef, resolve: (j) => j.hyperparameters as never }),
    baseModel: t.exposeString('baseModel'), gpuType: t.exposeString('gpuType'),
    cloudType: t.field({ type: CloudTypeEnum, resolve: (j) => j.cloudType }),
    allowOnDemandFallback: t.exposeBoolean('allowOnDemandFallback'),
    maxDurationHours: t.exposeFloat('maxDurationHours'),
    costCapUsd: t.float({ nullable: true, resolve: (j) => (j.costCapUsd == null ? null : Number(j.costCapUsd)) }),
    estimate: t.field({ type: EstimateRef, description: 'Frozen at launch.', resolve: (j) => j.estimate as unknown as TrainingEstimate }),
    currentStep: t.exposeInt('currentStep'), totalSteps: t.exposeInt('totalSteps', { nullable: true }),
    currentEpoch: t.exposeFloat('currentEpoch'), totalEpochs: t.exposeInt('totalEpochs'),
    progress: t.float({ description: '0–1, by optimizer steps.', resolve: (j) => (j.status === 'COMPLETED' ? 1 : j.totalSteps ? Math.min(1, j.currentStep / j.totalSteps) : 0) }),
    spendUsd: t.float({ resolve: (j) => Number(j.spendUsd) }),
    interruptionCount: t.exposeInt('interruptionCount'),
    lastHeartbeatAt: t.expose('lastHeartbeatAt', { type: 'DateTime', nullable: true }),
    cancelReason: t.exposeString('cancelReason', { nullable: true }),
    errorCode: t.exposeString('errorCode', { nullable: true }), errorMessage: t.exposeString('errorMessage', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }), startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    attempts: t.field({ type: [AttemptRef], resolve: (j, _a, ctx) => ctx.services.db.prisma.jobAttempt.findMany({ where: { jobId: j.id }, orderBy: { number: 'asc' } }) }),
    stages: t.field({
      type: [StageSpanRef],
      resolve: async (j, _a, ctx) => stageTimeline(j, await ctx.services.db.prisma.jobEvent.findMany({ where: { jobId: j.id, kind: { in: STAGE_EVENT_KINDS } }, orderBy: { id: 'asc' } })),
    }),
    events: t.field({
      type: [JobEventRef],
      description: 'The job log, oldest first.',
      args: { last: t.arg.int({ description: 'Only the newest N (default 200, at most 1000).' }) },
      resolve: async (j, { last }, ctx) => {
        const rows = await ctx.services.db.prisma.jobEvent.findMany({ where: { jobId: j.id }, orderBy: { id: 'desc' }, take: Math.min(1000, Math.max(1, last ?? 200)) });
        return rows.reverse();
      },
    }),
    artifact: t.field({ type: ArtifactRef, nullable: true, resolve: (j, _a, ctx) => ctx.services.db.prisma.modelArtifact.findFirst({ where: { jobId: j.id, deletedAt: null } }) }),
  }),
});

export const STAGE_EVENT_KINDS = ['queued', 'provisioning', 'resuming', 'stage', 'interrupted', 'completed', 'failed', 'cancelled', 'auto_cancelled', 'launch_failed', 'trainer_silent', 'too_many_interruptions'];

const JobFilterInput = builder.inputType('TrainingJobFilter', {
  fields: (t) => ({
    status: t.field({ type: [JobStatusEnum] }),
    active: t.boolean({ description: 'Only jobs with a pod running or being provisioned.' }),
    datasetId: t.id(),
  }),
});

builder.queryField('trainingJobs', (t) =>
  t.connection({
    type: TrainingJobRef,
    authScopes: { read: true },
    args: { filter: t.arg({ type: JobFilterInput }) },
    resolve: async (_root, args, ctx) => {
      const where: Prisma.TrainingJobWhereInput = { workspaceId: workspaceOf(ctx) };
      if (args.filter?.status?.length) where.status = { in: args.filter.status };
      if (args.filter?.active) where.status = { in: [...ACTIVE_STATUSES] };
      if (args.filter?.datasetId) where.datasetId = String(args.filter.datasetId);
      const prisma = ctx.services.db.prisma;
      const [totalCount, page] = await Promise.all([
        prisma.trainingJob.count({ where }),
        resolveOffsetConnection({ args, defaultSize: 25, maxSize: 100 }, ({ offset, limit }) => prisma.trainingJob.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: offset, take: limit })),
      ]);
      return { ...page, totalCount };
    },
  }, { fields: (c) => ({ totalCount: c.int({ resolve: (p) => (p as { totalCount: number }).totalCount }) }) }),
);

builder.queryField('trainingJob', (t) =>
  t.field({
    type: TrainingJobRef,
    nullable: true,
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.db.prisma.trainingJob.findFirst({ where: { id: String(id), workspaceId: workspaceOf(ctx) } }),
  }),
);

builder.objectType(DatasetNotReadyError, {
  name: 'DatasetNotReadyError', interfaces: [ErrorInterface],
  fields: (t) => ({ datasetId: t.exposeID('datasetId'), failedChecks: t.stringList({ resolve: (e) => e.failedChecks.map((c) => c.key) }) }),
});
builder.objectType(BudgetExceededError, {
  name: 'BudgetExceededError', interfaces: [ErrorInterface],
  fields: (t) => ({ budgetUsd: t.exposeFloat('budgetUsd'), spentUsd: t.exposeFloat('spentUsd'), estimateHighUsd: t.exposeFloat('estimateHighUsd') }),
});
builder.objectType(ProviderUnavailableError, { name: 'ProviderUnavailableError', interfaces: [ErrorInterface], fields: (t) => ({ provider: t.exposeString('provider') }) });
builder.objectType(JobFinishedError, { name: 'JobFinishedError', interfaces: [ErrorInterface], fields: (t) => ({ jobId: t.exposeID('jobId'), status: t.exposeString('status') }) });

const StartInput = builder.inputType('StartTrainingJobInput', {
  fields: (t) => ({
    datasetId: t.id({ required: true }),
    preset: t.field({ type: PresetEnum }),
    overrides: t.field({ type: TrainingOverridesInput }),
    configurationId: t.id(),
    acknowledgeDatasetWarnings: t.boolean({ description: 'Train even though the dataset failed a readiness check.' }),
    allowOnDemandFallback: t.boolean({ description: 'If spot capacity is refused, run on-demand (about 3× the price) instead of failing.' }),
    costCapUsd: t.float({ description: 'Cancel the job automatically when its spend reaches this.' }),
    maxSteps: t.int({ description: 'Smoke runs: stop after this many optimizer steps.' }),
    checkpointEverySteps: t.int({ description: 'Default: the trainer keeps at most ~10 minutes of work at risk.' }),
  }),
});

builder.mutationField('startTrainingJob', (t) =>
  t.field({
    type: TrainingJobRef,
    description: 'Validates, freezes the configuration and estimate, and queues the job. Retrying with the same idempotencyKey returns the same job.',
    authScopes: { write: true },
    args: { input: t.arg({ type: StartInput, required: true }), idempotencyKey: t.arg.string() },
    errors: { types: [ValidationError, NotFoundError, DatasetNotReadyError, BudgetExceededError, ProviderUnavailableError], dataField: { name: 'job' } },
    resolve: async (_root, { input, idempotencyKey }, ctx) => {
      if (idempotencyKey != null && (idempotencyKey.length < 8 || idempotencyKey.length > 200)) throw new ValidationError([{ field: 'idempotencyKey', message: 'must be 8–200 characters (a UUID is ideal)' }]);
      const controls = { maxSteps: input.maxSteps, checkpointEverySteps: input.checkpointEverySteps };
      for (const [field, value] of Object.entries(controls)) {
        if (value != null && (!Number.isInteger(value) || value < 1)) throw new ValidationError([{ field: `input.${field}`, message: `must be a whole number ≥ 1 (got ${value})` }]);
      }
      return ctx.services.jobs.start(workspaceOf(ctx), {
        ...input,
        datasetId: String(input.datasetId),
        configurationId: input.configurationId ? String(input.configurationId) : null,
        overrides: input.overrides as never,
        controls,
      }, idempotencyKey);
    },
  }),
);

builder.mutationField('cancelTrainingJob', (t) =>
  t.field({
    type: TrainingJobRef,
    description: 'Stops the pod and records the final spend. The reason is required and kept in the job history.',
    authScopes: { write: true },
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    errors: { types: [NotFoundError, ValidationError, JobFinishedError], dataField: { name: 'job' } },
    resolve: (_root, { id, reason }, ctx) => ctx.services.jobs.cancel(workspaceOf(ctx), String(id), reason),
  }),
);

builder.objectField(ArtifactRef, 'job', (t) =>
  t.field({ type: TrainingJobRef, description: 'The run that produced it (and through it, the frozen configuration).', resolve: (a, _x, ctx) => ctx.services.db.prisma.trainingJob.findUniqueOrThrow({ where: { id: a.jobId } }) }),
);
