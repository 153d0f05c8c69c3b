import type { TrainerContext } from '../../context.js';
import { TRAINER_STAGES } from '../../training/state-machine.js';
import type { TrainingJob } from '../../generated/prisma/client.js';
import { MAX_POINTS_PER_REPORT } from '../../metrics/ingest.js';
import { trainerBuilder as builder } from './builder.js';
import { TRAINER_INPUT_BOUNDS } from './bounds.js';

/** Every operation's jobId: a job id (job_…), checked by its format before the token's job is. */
const JOB_ID = { required: true, bounds: { idOf: 'job' } } as const;

// The trainer ↔ server contract (trainer/CONTRACT.md), served at /trainer/graphql only. Callable
// only with a job's trainer token (`brj_…`), for that job, while it is not finished. Failures are
// GraphQL errors with stable codes. The shapes here are the trainer's, not the public API's.

const TrainerStageEnum = builder.enumType('TrainerStage', { values: TRAINER_STAGES });
const MetricSplitEnum = builder.enumType('MetricSplit', { values: ['TRAIN', 'EVAL'] as const });
const EventLevelEnum = builder.enumType('EventLevel', { values: ['INFO', 'WARNING', 'ERROR'] as const });
const FailureCodeEnum = builder.enumType('TrainerFailureCode', { values: ['OUT_OF_MEMORY', 'BAD_DATA', 'DOWNLOAD_FAILED', 'UPLOAD_FAILED', 'INTERNAL'] as const });
const QuantizationEnum = builder.enumType('Quantization', {
  values: { NONE: { description: 'bf16/fp32 weights.' }, NF4: { description: '4-bit NormalFloat with double quantization (QLoRA); needs CUDA.' } } as const,
});

interface Hyperparameters {
  loraRank: number; loraAlpha: number; loraDropout: number; targetModules: string[]; epochs: number; batchSize: number;
  gradientAccumulationSteps: number; learningRate: number; warmupRatio: number; maxSequenceLength: number; lrScheduler: string;
  quantization: 'NONE' | 'NF4'; validationShare: number; seed: number; packing: boolean; gradientCheckpointing: boolean | null;
  maxSteps: number | null; evalEverySteps: number | null; checkpointEverySteps: number | null; keepCheckpoints: number;
}

const TrainerHyperparametersRef = builder.objectRef<Hyperparameters>('TrainerHyperparameters').implement({
  fields: (t) => ({
    loraRank: t.exposeInt('loraRank'),
    loraAlpha: t.exposeInt('loraAlpha'),
    loraDropout: t.exposeFloat('loraDropout'),
    targetModules: t.exposeStringList('targetModules'),
    epochs: t.exposeInt('epochs'),
    batchSize: t.exposeInt('batchSize'),
    gradientAccumulationSteps: t.exposeInt('gradientAccumulationSteps'),
    learningRate: t.exposeFloat('learningRate'),
    warmupRatio: t.exposeFloat('warmupRatio'),
    maxSequenceLength: t.exposeInt('maxSequenceLength'),
    lrScheduler: t.exposeString('lrScheduler'),
    quantization: t.field({ type: QuantizationEnum, resolve: (h) => h.quantization }),
    validationShare: t.exposeFloat('validationShare'),
    seed: t.exposeInt('seed'),
    packing: t.exposeBoolean('packing'),
    gradientCheckpointing: t.boolean({ nullable: true, description: 'Null: the trainer decides from the memory budget.', resolve: (h) => h.gradientCheckpointing ?? null }),
    maxSteps: t.int({ nullable: true, description: 'Null: as many as the epochs take.', resolve: (h) => h.maxSteps ?? null }),
    evalEverySteps: t.int({ nullable: true, resolve: (h) => h.evalEverySteps ?? null }),
    checkpointEverySteps: t.int({ nullable: true, description: 'Null: the trainer keeps at most ~10 minutes of work at risk.', resolve: (h) => h.checkpointEverySteps ?? null }),
    keepCheckpoints: t.exposeInt('keepCheckpoints'),
  }),
});

interface FileUrl { name: string; url: string; sizeBytes: number; sha256: string }
const FileUrlRef = builder.objectRef<FileUrl>('TrainerFileDownload').implement({
  fields: (t) => ({ name: t.exposeString('name'), url: t.exposeString('url'), sizeBytes: t.exposeFloat('sizeBytes'), sha256: t.exposeString('sha256') }),
});
const ResumeRef = builder.objectRef<{ checkpointId: string; step: number; files: FileUrl[] }>('TrainerResumePoint').implement({
  fields: (t) => ({ checkpointId: t.exposeID('checkpointId'), step: t.exposeInt('step'), files: t.field({ type: [FileUrlRef], resolve: (r) => r.files }) }),
});
const DatasetSourceRef = builder.objectRef<{ url: string; sha256: string | null; sizeBytes: number; encoding: string | null }>('TrainerDataset').implement({
  fields: (t) => ({
    url: t.exposeString('url', { description: 'Signed GET URL of the original file.' }),
    sha256: t.exposeString('sha256', { nullable: true }),
    sizeBytes: t.exposeFloat('sizeBytes'),
    encoding: t.exposeString('encoding', { nullable: true }),
  }),
});
const TrainerJobRef = builder.objectRef<{ jobId: string; attempt: number; baseModel: string; hyperparameters: Record<string, unknown>; dataset: { url: string; sha256: string | null; sizeBytes: number; encoding: string | null }; resumeFrom: { checkpointId: string; step: number; files: FileUrl[] } | null }>('TrainerJob').implement({
  description: "What a trainer needs to run (or resume) its job.",
  fields: (t) => ({
    jobId: t.exposeID('jobId'),
    attempt: t.exposeInt('attempt', { description: '1 for the first pod, +1 for each resume after an interruption.' }),
    baseModel: t.exposeString('baseModel'),
    hyperparameters: t.field({ type: TrainerHyperparametersRef, resolve: (j) => j.hyperparameters as unknown as Hyperparameters }),
    dataset: t.field({ type: DatasetSourceRef, resolve: (j) => j.dataset }),
    resumeFrom: t.field({ type: ResumeRef, nullable: true, description: 'The latest committed checkpoint; null on a fresh start.', resolve: (j) => j.resumeFrom }),
  }),
});

const HeaderRef = builder.objectRef<{ name: string; value: string }>('TrainerUploadHeader').implement({
  fields: (t) => ({ name: t.exposeString('name'), value: t.exposeString('value') }),
});
const UploadRef = builder.objectRef<{ name: string; url: string; method: string; headers: { name: string; value: string }[] }>('TrainerFileUpload').implement({
  fields: (t) => ({ name: t.exposeString('name'), url: t.exposeString('url'), method: t.exposeString('method'), headers: t.field({ type: [HeaderRef], resolve: (u) => u.headers }) }),
});

// Bounds on every input (validation/input-bounds.ts; strings also refuse NUL, numbers must be
// finite). Generous for a real trainer: what it sends is far inside them (trainer/brightrun_trainer).
const B = TRAINER_INPUT_BOUNDS;

const FileInput = builder.inputType('TrainerFileInput', {
  fields: (t) => ({
    name: t.string({ required: true, bounds: { minLength: 1, maxLength: B.fileNameMaxLength } }),
    sizeBytes: t.float({ required: true, bounds: { min: 0, max: B.fileMaxBytes } }),
    sha256: t.string({ required: true, bounds: { maxLength: 64 } }), // the service checks 64 lowercase hex
  }),
});
const ProgressInput = builder.inputType('TrainerProgressInput', {
  fields: (t) => ({
    step: t.int({ required: true, bounds: { min: 0 } }),
    totalSteps: t.int({ required: true, bounds: { min: 0 } }),
    epoch: t.float({ required: true, bounds: { min: 0, max: B.maxEpochs } }),
    totalEpochs: t.int({ required: true, bounds: { min: 0, max: B.maxEpochs } }),
  }),
});
const MetricInputRef = builder.inputType('TrainerMetricInput', {
  fields: (t) => ({
    split: t.field({ type: MetricSplitEnum, required: true }),
    step: t.int({ required: true, bounds: { min: 0 } }),
    loss: t.float({ bounds: { min: 0, max: B.maxLoss } }),
    learningRate: t.float({ bounds: { min: 0, max: B.maxLearningRate } }),
    gradNorm: t.float({ bounds: { min: 0 } }),
    epoch: t.float({ bounds: { min: 0, max: B.maxEpochs } }),
    tokensPerSecond: t.float({ bounds: { min: 0, max: B.maxTokensPerSecond } }),
    gpuUtilization: t.float({ description: 'Percent, 0–100.', bounds: { min: 0, max: 100 } }),
    gpuMemoryGb: t.float({ bounds: { min: 0, max: B.maxGpuMemoryGb } }),
    perplexity: t.float({ description: 'exp(loss): may be very large, never negative.', bounds: { min: 0 } }),
  }),
});
const EventInput = builder.inputType('TrainerEventInput', {
  fields: (t) => ({
    level: t.field({ type: EventLevelEnum, required: true }),
    kind: t.string({ required: true, bounds: { minLength: 1, maxLength: B.eventKindMaxLength } }),
    message: t.string({ required: true, bounds: { maxLength: B.eventMessageMaxLength } }),
  }),
});
const ReportInput = builder.inputType('TrainerReportInput', {
  description: 'Everything optional: an empty report is a heartbeat.',
  fields: (t) => ({
    stage: t.field({ type: TrainerStageEnum }),
    substatus: t.string({ bounds: { maxLength: B.substatusMaxLength } }),
    progress: t.field({ type: ProgressInput }),
    metrics: t.field({ type: [MetricInputRef], description: 'At most 1,000 points; stored once per (split, step).', bounds: { maxItems: MAX_POINTS_PER_REPORT } }),
    events: t.field({ type: [EventInput], description: `At most ${B.maxEvents} events.`, bounds: { maxItems: B.maxEvents } }),
  }),
});
const SummaryInput = builder.inputType('TrainerSummaryInput', {
  fields: (t) => ({
    files: t.field({ type: [FileInput], required: true, bounds: { maxItems: B.maxFiles } }),
    initialLoss: t.float({ bounds: { min: 0, max: B.maxLoss } }),
    finalLoss: t.float({ bounds: { min: 0, max: B.maxLoss } }),
    evalLoss: t.float({ bounds: { min: 0, max: B.maxLoss } }),
    perplexity: t.float({ bounds: { min: 0 } }),
    totalSteps: t.int({ required: true, bounds: { min: 0 } }),
    epochs: t.float({ required: true, bounds: { min: 0, max: B.maxEpochs } }),
    trainRuntimeSeconds: t.float({ required: true, bounds: { min: 0, max: B.maxRuntimeSeconds } }),
    tokensPerSecond: t.float({ bounds: { min: 0, max: B.maxTokensPerSecond } }),
    trainExamples: t.int({ required: true, bounds: { min: 0 } }),
    evalExamples: t.int({ required: true, bounds: { min: 0 } }),
    truncatedExamples: t.int({ required: true, bounds: { min: 0 } }),
  }),
});
const FailureInput = builder.inputType('TrainerFailureInput', {
  fields: (t) => ({
    code: t.field({ type: FailureCodeEnum, required: true }),
    message: t.string({ required: true, bounds: { maxLength: B.failureMessageMaxLength } }),
    detail: t.string({ bounds: { maxLength: B.failureDetailMaxLength } }),
  }),
});

/** The job the token may act on (its own, while unfinished); anything else is FORBIDDEN, NOT_FOUND or JOB_TERMINAL. */
function trainerJob(ctx: TrainerContext, jobId: string | number): Promise<TrainingJob> {
  return ctx.services.trainerApi.jobFor(ctx.auth.jobId, String(jobId));
}

builder.queryType({ description: 'What a trainer reads: its job.' });
builder.mutationType({ description: 'What a trainer reports.' });

builder.queryField('trainerJob', (t) =>
  t.field({
    type: TrainerJobRef,
    description: "Trainer only: the job's spec, signed dataset URL and resume point.",
    args: { jobId: t.arg.id(JOB_ID) },
    resolve: async (_root, { jobId }, ctx) => ctx.services.trainerApi.spec(await trainerJob(ctx, jobId)),
  }),
);

const ReportResultRef = builder.objectRef<{ acceptedMetrics: number; duplicateMetrics: number; cancelRequested: boolean }>('TrainerReportResult').implement({
  fields: (t) => ({
    acceptedMetrics: t.exposeInt('acceptedMetrics', { description: 'Points stored for the first time.' }),
    duplicateMetrics: t.exposeInt('duplicateMetrics', { description: 'Points already stored (a retry or a resumed run): updated in place.' }),
    cancelRequested: t.exposeBoolean('cancelRequested', { description: 'True: stop promptly and exit; do not call trainerFail.' }),
  }),
});

builder.mutationFields((t) => ({
  trainerReport: t.field({
    type: ReportResultRef,
    description: 'Trainer only: stage, progress, events and metric points; doubles as the heartbeat.',
    args: { jobId: t.arg.id(JOB_ID), input: t.arg({ type: ReportInput, required: true }) },
    resolve: async (_root, { jobId, input }, ctx) => ctx.services.trainerApi.report(await trainerJob(ctx, jobId), input as never),
  }),
  trainerRequestCheckpointUpload: t.field({
    type: builder.objectRef<{ checkpointId: string; uploads: { name: string; url: string; method: string; headers: { name: string; value: string }[] }[] }>('TrainerCheckpointUpload').implement({
      fields: (f) => ({ checkpointId: f.exposeID('checkpointId'), uploads: f.field({ type: [UploadRef], resolve: (r) => r.uploads }) }),
    }),
    args: { jobId: t.arg.id(JOB_ID), step: t.arg.int({ required: true, bounds: { min: 0 } }), files: t.arg({ type: [FileInput], required: true, bounds: { maxItems: B.maxFiles } }) },
    resolve: async (_root, { jobId, step, files }, ctx) => ctx.services.trainerApi.requestCheckpointUpload(await trainerJob(ctx, jobId), step, files),
  }),
  trainerCommitCheckpoint: t.field({
    type: builder.objectRef<{ checkpointId: string; step: number }>('TrainerCommittedCheckpoint').implement({
      fields: (f) => ({ checkpointId: f.exposeID('checkpointId'), step: f.exposeInt('step') }),
    }),
    description: 'Makes an uploaded checkpoint the latest (after checking every file arrived) and prunes old ones.',
    args: { jobId: t.arg.id(JOB_ID), checkpointId: t.arg.id({ required: true, bounds: { idOf: 'ckpt' } }) },
    resolve: async (_root, { jobId, checkpointId }, ctx) => ctx.services.trainerApi.commitCheckpoint(await trainerJob(ctx, jobId), String(checkpointId)),
  }),
  trainerRequestArtifactUpload: t.field({
    type: builder.objectRef<{ uploads: { name: string; url: string; method: string; headers: { name: string; value: string }[] }[] }>('TrainerArtifactUpload').implement({
      fields: (f) => ({ uploads: f.field({ type: [UploadRef], resolve: (r) => r.uploads }) }),
    }),
    args: { jobId: t.arg.id(JOB_ID), files: t.arg({ type: [FileInput], required: true, bounds: { maxItems: B.maxFiles } }) },
    resolve: async (_root, { jobId, files }, ctx) => ctx.services.trainerApi.requestArtifactUpload(await trainerJob(ctx, jobId), files),
  }),
  trainerComplete: t.field({
    type: builder.objectRef<{ artifactId: string; name: string; version: number }>('TrainerCompletion').implement({
      fields: (f) => ({ artifactId: f.exposeID('artifactId'), name: f.exposeString('name'), version: f.exposeInt('version') }),
    }),
    description: 'Trainer only: the adapter is uploaded; record the model artifact and finish the job.',
    args: { jobId: t.arg.id(JOB_ID), summary: t.arg({ type: SummaryInput, required: true }) },
    resolve: async (_root, { jobId, summary }, ctx) => ctx.services.trainerApi.complete(await trainerJob(ctx, jobId), summary as never),
  }),
  trainerFail: t.field({
    type: builder.objectRef<{ jobId: string }>('TrainerFailure').implement({ fields: (f) => ({ jobId: f.exposeID('jobId') }) }),
    args: { jobId: t.arg.id(JOB_ID), failure: t.arg({ type: FailureInput, required: true }) },
    resolve: async (_root, { jobId, failure }, ctx) => ctx.services.trainerApi.fail(await trainerJob(ctx, jobId), failure),
  }),
}));

export const trainerSchema = builder.toSchema({ sortSchema: false });
