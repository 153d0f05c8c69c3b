import { builder } from '../builder.js';
import type { Checkpoint, JobAttempt, JobEvent } from '../generated/prisma/client.js';
import { JOB_STATUSES } from '../training/state-machine.js';
import type { StageSpan } from '../training/jobs/stages.js';
import { CloudTypeEnum } from './training.js';
import { nodeInterface } from './node.js';

// The parts of a job (attempts, events, stages, checkpoints), apart from TrainingJob itself.

export const JobStatusEnum = builder.enumType('JobStatus', { values: JOB_STATUSES });
export const EventLevelEnum = builder.enumType('EventLevel', { values: ['INFO', 'WARNING', 'ERROR'] as const });
const EndReasonEnum = builder.enumType('AttemptEndReason', { values: ['COMPLETED', 'INTERRUPTED', 'CANCELLED', 'FAILED'] as const });
const AttemptExitEnum = builder.enumType('AttemptExit', {
  description: 'How an attempt\'s pod run ended, as the supervisor classified it.',
  values: {
    COMPLETED: { description: 'The trainer finished the job.' },
    CANCELLED: { description: 'Cancelled by a user.' },
    LIMIT: { description: 'Stopped by a limit (cost cap, maximum duration).' },
    SPOT_INTERRUPTION: { description: 'The provider stopped the pod (the trainer reported SIGTERM): resumed from the last checkpoint.' },
    TRAINER_ERROR: { description: 'The trainer reported an error (out of memory, bad data…): the job failed with its reason and a fix.' },
    SILENT_EXIT: { description: 'The pod exited without a word from the trainer: retried at most twice.' },
    START_TIMEOUT: { description: 'The pod did not start in time.' },
    STALLED: { description: 'The trainer went silent, or reported without step progress past the stall limit.' },
  } as const,
});

/** Every kind of event a job's log holds; what the trainer reports under other names is TRAINER_OTHER. */
const EVENT_KINDS = {
  QUEUED: 'The job was accepted and waits for a pod.',
  PROVISIONING: 'A pod is being requested.',
  POD_STARTED: 'The pod is up.',
  POD_START_TIMEOUT: 'The pod did not start in time; another is requested.',
  LAUNCH_RETRY: 'The provider refused for now (capacity, rate limit); retrying.',
  LAUNCH_FAILED: 'No pod could be started.',
  RESUMING: 'An interrupted job gets a new pod.',
  STAGE: 'The trainer moved to another stage.',
  INTERRUPTED: 'The (spot) pod was lost.',
  TOO_MANY_INTERRUPTIONS: 'Interrupted too often; stopped.',
  POD_EXITED: 'The pod exited without a word from the trainer (no SIGTERM, no error); retried from the last checkpoint.',
  POD_DIED: 'The pod exited silently too often; stopped.',
  TRAINING_STALLED: 'The trainer kept reporting but its step did not move for longer than the stall limit; stopped.',
  CHECKPOINT: 'A resumable checkpoint was saved.',
  TRAINER_QUIET: 'The trainer has not reported for a while.',
  TRAINER_SILENT: 'The trainer stayed silent too long; stopped.',
  COST_WARNING_80: "Spend reached 80% of the estimate's high end.",
  COST_WARNING_100: "Spend reached the estimate's high end.",
  AUTO_CANCELLED: 'Stopped by a limit (cost cap, maximum duration).',
  COMPLETED: 'Finished; the adapter is stored.',
  FAILED: 'Stopped with an error.',
  CANCELLED: 'Cancelled by a user (or the trainer acknowledged the cancel).',
  DATASET_PREPARED: 'Trainer: the dataset is tokenized and split.',
  EXAMPLES_TRUNCATED: 'Trainer: some pairs were longer than maxSequenceLength.',
  QUANTIZATION_SKIPPED: 'Trainer: NF4 was asked for without CUDA.',
  GRADIENT_CHECKPOINTING: "Trainer: its gradient checkpointing decision and why.",
  CHECKPOINT_INTERVAL: 'Trainer: the checkpoint interval it chose.',
  CHECKPOINT_UPLOAD_FAILED: 'Trainer: a checkpoint could not be uploaded (training goes on).',
  METRICS_DROPPED: 'Trainer: metric points were dropped while the server was unreachable.',
  SIGTERM: 'Trainer: the pod is being stopped (spot warning).',
  TRAINER_FAILURE: 'Trainer: the failure it reported (rawKind is the failure code).',
  TRAINER_OTHER: 'Trainer: an event of a kind this API version does not know (see rawKind).',
} as const;
type EventKind = keyof typeof EVENT_KINDS;
const FAILURE_KINDS = new Set(['out_of_memory', 'bad_data', 'download_failed', 'upload_failed', 'internal']);
export const eventKindOf = (raw: string): EventKind => {
  const upper = raw.toUpperCase();
  if (upper in EVENT_KINDS) return upper as EventKind;
  return FAILURE_KINDS.has(raw) ? 'TRAINER_FAILURE' : 'TRAINER_OTHER';
};
const EventKindEnum = builder.enumType('JobEventKind', {
  values: Object.fromEntries(Object.entries(EVENT_KINDS).map(([k, description]) => [k, { description }])) as Record<EventKind, { description: string }>,
});

export const AttemptRef = builder.objectRef<JobAttempt>('JobAttempt').implement({
  description: 'One pod lifetime. A spot interruption ends one attempt and the next resumes from the last checkpoint.',
  interfaces: [nodeInterface],
  fields: (t) => ({
    id: t.exposeID('id'), number: t.exposeInt('number'), podId: t.exposeString('providerPodId', { nullable: true }),
    cloudType: t.field({ type: CloudTypeEnum, resolve: (a) => a.cloudType }),
    pricePerHourUsd: t.float({ resolve: (a) => Number(a.pricePerHour) }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }), endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    endReason: t.field({ type: EndReasonEnum, nullable: true, resolve: (a) => a.endReason }),
    exit: t.field({ type: AttemptExitEnum, nullable: true, description: 'Null while the attempt runs (and for attempts ended before this was recorded).', resolve: (a) => a.exitKind as never }),
    spendUsd: t.float({
      description: "Billed by the provider when known, else price × runtime; plus storageUsd.",
      resolve: (a) => {
        const hours = Math.max(0, ((a.endedAt ?? new Date()).getTime() - a.startedAt.getTime()) / 3_600_000);
        return (a.billedUsd != null ? Number(a.billedUsd) : hours * Number(a.pricePerHour)) + hours * Number(a.storageUsdPerHour);
      },
    }),
    storageUsdPerHour: t.float({
      description: "The workspace's model-cache volume storage attributed to this attempt per hour it runs (volume size × rate ÷ 730); 0 when its pod mounted none.",
      resolve: (a) => Number(a.storageUsdPerHour),
    }),
  }),
});

export const JobEventRef = builder.objectRef<JobEvent>('JobEvent').implement({
  fields: (t) => ({
    id: t.id({ resolve: (e) => e.id.toString() }),
    kind: t.field({ type: EventKindEnum, resolve: (e) => eventKindOf(e.kind) }),
    rawKind: t.exposeString('kind', { description: 'The kind as recorded (e.g. "examples_truncated"), for kinds this API version maps to TRAINER_OTHER or TRAINER_FAILURE.' }),
    level: t.field({ type: EventLevelEnum, resolve: (e) => e.level }),
    message: t.exposeString('message'), data: t.field({ type: 'JSON', nullable: true, resolve: (e) => e.data }), createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const StageSpanRef = builder.objectRef<StageSpan>('JobStageSpan').implement({
  description: 'When the job entered and left a stage (one per attempt it went through).',
  fields: (t) => ({
    stage: t.field({ type: JobStatusEnum, resolve: (s) => s.stage }), attempt: t.exposeInt('attempt'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }), endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    durationSeconds: t.float({ resolve: (s) => ((s.endedAt ?? new Date()).getTime() - s.startedAt.getTime()) / 1000 }),
  }),
});

interface StoredFile { name: string; sizeBytes: number; sha256: string }
const CheckpointFileRef = builder.objectRef<StoredFile>('CheckpointFile').implement({
  fields: (t) => ({ name: t.exposeString('name'), sizeBytes: t.field({ type: 'SafeInt', resolve: (f) => f.sizeBytes }), sha256: t.exposeString('sha256') }),
});
export const CheckpointRef = builder.objectRef<Checkpoint>('Checkpoint').implement({
  description: 'A committed, resumable checkpoint of a job (the trainer keeps the newest few; older ones are pruned).',
  interfaces: [nodeInterface],
  fields: (t) => ({
    id: t.exposeID('id'),
    step: t.exposeInt('step'),
    sizeBytes: t.field({ type: 'SafeInt', resolve: (c) => c.sizeBytes }),
    files: t.field({ type: [CheckpointFileRef], resolve: (c) => c.files as unknown as StoredFile[] }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    committedAt: t.expose('committedAt', { type: 'DateTime', nullable: true }),
  }),
});
