import type { Prisma, PrismaClient, TrainingJob } from '../../generated/prisma/client.js';
import type { SqlRunner } from '../../db/sql.js';
import type { Storage, SignedUpload } from '../../storage/storage.js';
import type { AppPubSub } from '../../pubsub/pubsub.js';
import { newId } from '../../ids.js';
import { NOTHING_STORED, storeMetricsIn, validateMetrics, type MetricInput } from '../../metrics/ingest.js';
import { readJobById } from '../jobs/job-row.js';
import { writeHeartbeat, type HeartbeatPatch } from './heartbeat.js';
import { isTerminal, type TrainerStage } from '../state-machine.js';
import type { JobLifecycle } from '../jobs/lifecycle.js';
import type { JobWrites } from '../jobs/job-writes.js';
import { checkFiles, trainerError, type TrainerFile } from './errors.js';
import { artifactName, qualityRating } from './quality.js';

const URL_LIFETIME_SECONDS = 6 * 3600;
const DEFAULT_KEEP_CHECKPOINTS = 3;
const MAX_REPORT_BYTES = 1024 * 1024;

export interface TrainerReportInput {
  stage?: TrainerStage | null;
  substatus?: string | null;
  progress?: { step: number; totalSteps: number; epoch: number; totalEpochs: number } | null;
  metrics?: MetricInput[] | null;
  events?: { level: 'INFO' | 'WARNING' | 'ERROR'; kind: string; message: string }[] | null;
}

export interface TrainerSummaryInput {
  files: TrainerFile[];
  initialLoss?: number | null;
  finalLoss?: number | null;
  evalLoss?: number | null;
  perplexity?: number | null;
  totalSteps: number;
  epochs: number;
  trainRuntimeSeconds: number;
  tokensPerSecond?: number | null;
  trainExamples: number;
  evalExamples: number;
  truncatedExamples: number;
}

export const checkpointPrefix = (job: Pick<TrainingJob, 'id' | 'workspaceId'>, checkpointId: string) => `checkpoints/${job.workspaceId}/${job.id}/${checkpointId}`;
export const artifactPrefix = (job: Pick<TrainingJob, 'id' | 'workspaceId'>) => `artifacts/${job.workspaceId}/${job.id}`;

/** The server side of the trainer ↔ server contract (trainer/CONTRACT.md). */
export class TrainerApi {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
    private readonly storage: Storage,
    private readonly pubsub: AppPubSub,
    private readonly lifecycle: JobLifecycle,
    private readonly jobWrites?: Pick<JobWrites, 'written'>,
  ) {}

  /** The job a token may act on: its own, and only while it is not finished. */
  async jobFor(tokenJobId: string, jobId: string): Promise<TrainingJob> {
    if (tokenJobId !== jobId) throw trainerError('FORBIDDEN', `this trainer token belongs to job ${tokenJobId}, not ${jobId}`);
    // Through the driver: every report starts here (see job-row.ts for what Prisma costs per read).
    const job = await readJobById(this.sql, jobId);
    if (!job) throw trainerError('NOT_FOUND', `job ${jobId} does not exist`);
    if (isTerminal(job.status)) throw trainerError('JOB_TERMINAL', `job ${jobId} is ${job.status.toLowerCase()}; the trainer should stop`);
    return job;
  }

  async spec(job: TrainingJob) {
    const dataset = await this.prisma.dataset.findUniqueOrThrow({ where: { id: job.datasetId } });
    const latest = await this.prisma.checkpoint.findFirst({ where: { jobId: job.id, status: 'COMMITTED' }, orderBy: { step: 'desc' } });
    const attempt = await this.prisma.jobAttempt.count({ where: { jobId: job.id } });
    return {
      jobId: job.id,
      attempt: Math.max(1, attempt),
      baseModel: job.baseModel,
      hyperparameters: job.hyperparameters as Record<string, unknown>,
      dataset: {
        url: await this.storage.signedDownloadUrl(dataset.storagePath, { expiresInSeconds: URL_LIFETIME_SECONDS }),
        sha256: dataset.sha256,
        sizeBytes: Number(dataset.sizeBytes),
        encoding: dataset.encoding,
      },
      resumeFrom: latest
        ? {
            checkpointId: latest.id,
            step: latest.step,
            files: await Promise.all(
              (latest.files as unknown as TrainerFile[]).map(async (f) => ({
                ...f,
                url: await this.storage.signedDownloadUrl(`${latest.storagePrefix}/${f.name}`, { expiresInSeconds: URL_LIFETIME_SECONDS }),
              })),
            ),
          }
        : null,
    };
  }

  async report(job: TrainingJob, input: TrainerReportInput) {
    if (JSON.stringify(input).length > MAX_REPORT_BYTES) throw trainerError('BAD_USER_INPUT', 'a report must be at most 1 MB of JSON; send metrics in smaller batches');
    const metrics = input.metrics ?? [];
    const problems = validateMetrics(metrics);
    if (problems.length > 0) throw trainerError('BAD_USER_INPUT', problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    for (const event of input.events ?? []) {
      if (!event.kind.trim() || event.message.length > 10_000) throw trainerError('BAD_USER_INPUT', 'events need a kind and a message of at most 10,000 characters');
    }

    if (input.stage) {
      await this.lifecycle.apply(job.id, { type: 'STAGE', stage: input.stage }, { kind: 'stage', message: input.substatus ? `${stageLabel(input.stage)}: ${input.substatus}` : stageLabel(input.stage), data: { stage: input.stage } });
    }
    // Step progress (not the heartbeat) is what tells a stalled training loop apart: a step that moved,
    // or entering TRAINING (a resumed attempt), restarts the stall clock.
    const heartbeat: HeartbeatPatch = {
      at: new Date(),
      progressed: Boolean((input.progress && input.progress.step !== job.currentStep) || (input.stage === 'TRAINING' && job.status !== 'TRAINING')),
      ...(input.substatus != null ? { substatus: input.substatus.slice(0, 500) } : {}),
      ...(input.progress ? { progress: { step: input.progress.step, totalSteps: input.progress.totalSteps, epoch: input.progress.epoch } } : {}),
    };
    // The points, their rollups and the heartbeat in one transaction (one connection, no Prisma
    // round trip), and the points published as soon as it commits: the report's cost is what a
    // subscriber waits for (bench/RESULTS.md). Still before the answer, which the live hand-over
    // relies on (metrics/live.ts).
    const { stored, cancelRequested } =
      metrics.length > 0
        ? await this.sql.transaction(async (tx) => {
            const points = await storeMetricsIn(tx, job.id, metrics);
            return { stored: points, ...(await writeHeartbeat(tx, job.id, heartbeat)) };
          })
        : { stored: NOTHING_STORED, ...(await writeHeartbeat(this.sql, job.id, heartbeat)) };
    this.jobWrites?.written(job.id); // through the driver, so announced here (job-writes.ts)
    if (stored.stored.length > 0) this.pubsub.publish('job:metrics', job.id, { jobId: job.id, workspaceId: job.workspaceId, points: stored.stored });
    const events = input.events ?? [];
    if (events.length > 0) await this.prisma.jobEvent.createMany({ data: events.map((event) => ({ jobId: job.id, kind: event.kind, level: event.level, message: event.message })) });
    if (input.progress || input.substatus != null || (input.events?.length ?? 0) > 0) this.lifecycle.publish(job);
    return { acceptedMetrics: stored.inserted, duplicateMetrics: stored.updated, cancelRequested };
  }

  async requestCheckpointUpload(job: TrainingJob, step: number, files: TrainerFile[]) {
    checkFiles(files);
    if (!Number.isInteger(step) || step < 0) throw trainerError('BAD_USER_INPUT', `step must be a whole number ≥ 0 (got ${step})`);
    const existing = await this.prisma.checkpoint.findUnique({ where: { jobId_step: { jobId: job.id, step } } });
    if (existing?.status === 'COMMITTED') throw trainerError('CHECKPOINT_EXISTS', `the checkpoint at step ${step} is already committed; no need to upload it again`);
    const id = existing?.id ?? newId('ckpt');
    const prefix = checkpointPrefix(job, id);
    const data = { files: files as unknown as Prisma.InputJsonValue, sizeBytes: BigInt(files.reduce((sum, f) => sum + f.sizeBytes, 0)) };
    await this.prisma.checkpoint.upsert({
      where: { jobId_step: { jobId: job.id, step } },
      create: { id, jobId: job.id, step, storagePrefix: prefix, ...data },
      update: data,
    });
    return { checkpointId: id, uploads: await this.uploads(prefix, files) };
  }

  async commitCheckpoint(job: TrainingJob, checkpointId: string) {
    const checkpoint = await this.prisma.checkpoint.findFirst({ where: { id: checkpointId, jobId: job.id } });
    if (!checkpoint) throw trainerError('NOT_FOUND', `checkpoint ${checkpointId} is not one of job ${job.id}'s`);
    if (checkpoint.status === 'COMMITTED') return { checkpointId, step: checkpoint.step };
    await this.verifyUploaded(checkpoint.storagePrefix, checkpoint.files as unknown as TrainerFile[]);
    await this.prisma.checkpoint.update({ where: { id: checkpointId }, data: { status: 'COMMITTED', committedAt: new Date() } });
    const keep = Number((job.hyperparameters as { keepCheckpoints?: number }).keepCheckpoints ?? DEFAULT_KEEP_CHECKPOINTS);
    const stale = await this.prisma.checkpoint.findMany({ where: { jobId: job.id, status: 'COMMITTED' }, orderBy: { step: 'desc' }, skip: Math.max(1, keep) });
    for (const old of stale) {
      await this.storage.deletePrefix(old.storagePrefix);
      await this.prisma.checkpoint.delete({ where: { id: old.id } });
    }
    const megabytes = (Number(checkpoint.sizeBytes) / 1048576).toFixed(1);
    await this.lifecycle.record(job, { kind: 'checkpoint', message: `Checkpoint at step ${checkpoint.step} saved (${megabytes} MB)`, data: { step: checkpoint.step, checkpointId } });
    return { checkpointId, step: checkpoint.step };
  }

  async requestArtifactUpload(job: TrainingJob, files: TrainerFile[]) {
    checkFiles(files);
    return { uploads: await this.uploads(artifactPrefix(job), files) };
  }

  async complete(job: TrainingJob, summary: TrainerSummaryInput) {
    checkFiles(summary.files, 'summary.files');
    const names = summary.files.map((f) => f.name);
    for (const required of ['adapter_model.safetensors', 'adapter_config.json']) {
      if (!names.includes(required)) throw trainerError('BAD_USER_INPUT', `summary.files must include ${required} (PEFT adapter format)`);
    }
    for (const [field, value] of Object.entries(summary)) {
      if (typeof value === 'number' && !Number.isFinite(value)) throw trainerError('BAD_USER_INPUT', `summary.${field} must be a finite number (got ${value})`);
    }
    await this.verifyUploaded(artifactPrefix(job), summary.files);
    const dataset = await this.prisma.dataset.findUniqueOrThrow({ where: { id: job.datasetId } });
    const now = new Date();
    const artifact = await this.createArtifact(job, dataset.name, summary, now);
    const done = await this.lifecycle.apply(
      job.id,
      { type: 'COMPLETE' },
      { kind: 'completed', message: `Training finished: ${artifact.name} v${artifact.version}`, data: { artifactId: artifact.id } },
      { currentStep: summary.totalSteps, totalSteps: summary.totalSteps, substatus: 'Adapter stored' },
    );
    if (!done.ok) {
      await this.prisma.modelArtifact.delete({ where: { id: artifact.id } });
      throw trainerError('BAD_USER_INPUT', `cannot complete: ${done.reason}`);
    }
    return { artifactId: artifact.id, name: artifact.name, version: artifact.version };
  }

  async fail(job: TrainingJob, failure: { code: string; message: string; detail?: string | null }) {
    const reason = failure.message.trim().slice(0, 2000) || 'The trainer failed without a message';
    // A trainer error is not an interruption: the job fails (no resume) with the reason and a fix.
    const fix = SUGGESTED_FIX[failure.code];
    const saysFix = /\bFix:|\bLower batchSize\b/.test(reason); // the trainer's own OOM text already names the fix
    const message = fix && !saysFix ? `${reason} Fix: ${fix}` : reason;
    await this.lifecycle.apply(
      job.id,
      { type: 'FAIL' },
      { kind: 'failed', level: 'ERROR', message: `${failure.code}: ${message}`, data: { code: failure.code, detail: failure.detail?.slice(0, 20_000) ?? null } },
      { errorCode: failure.code, errorMessage: message },
    );
    return { jobId: job.id };
  }

  private async uploads(prefix: string, files: TrainerFile[]) {
    return Promise.all(
      files.map(async (f) => {
        const upload: SignedUpload = await this.storage.signedUploadUrl(`${prefix}/${f.name}`, { expiresInSeconds: URL_LIFETIME_SECONDS, maxBytes: f.sizeBytes });
        return { name: f.name, url: upload.url, method: upload.method, headers: Object.entries(upload.headers).map(([name, value]) => ({ name, value })) };
      }),
    );
  }

  private async verifyUploaded(prefix: string, files: TrainerFile[]) {
    const missing: string[] = [];
    for (const f of files) {
      const info = await this.storage.stat(`${prefix}/${f.name}`);
      if (!info) missing.push(`${f.name} (not uploaded)`);
      else if (info.sizeBytes !== f.sizeBytes) missing.push(`${f.name} (${info.sizeBytes} bytes stored, ${f.sizeBytes} declared)`);
    }
    if (missing.length > 0) throw trainerError('BAD_USER_INPUT', `upload incomplete: ${missing.join(', ')}; PUT every file to its URL first`);
  }

  private async createArtifact(job: TrainingJob, datasetName: string, summary: TrainerSummaryInput, now: Date) {
    const initialLoss = summary.initialLoss ?? null;
    const finalLoss = summary.finalLoss ?? null;
    const evalLoss = summary.evalLoss ?? null;
    for (let attempt = 0; attempt < 5; attempt++) {
      // Simulated (demo) and real artifacts of a dataset count their versions apart.
      const last = await this.prisma.modelArtifact.findFirst({ where: { datasetId: job.datasetId, isSimulated: job.isSimulated }, orderBy: { version: 'desc' } });
      try {
        return await this.prisma.modelArtifact.create({
          data: {
            id: newId('art'),
            workspaceId: job.workspaceId,
            jobId: job.id,
            datasetId: job.datasetId,
            name: artifactName(datasetName, job.preset, now),
            version: (last?.version ?? 0) + 1,
            isSimulated: job.isSimulated,
            baseModel: job.baseModel,
            storagePrefix: artifactPrefix(job),
            files: summary.files as unknown as Prisma.InputJsonValue,
            initialLoss,
            finalLoss,
            evalLoss,
            perplexity: summary.perplexity ?? (evalLoss !== null ? Math.exp(evalLoss) : null),
            qualityRating: qualityRating({ initialLoss, finalLoss, evalLoss }),
            summary: summary as unknown as Prisma.InputJsonValue,
          },
        });
      } catch (error) {
        if ((error as { code?: string }).code !== 'P2002') throw error; // version taken by a concurrent completion: retry
      }
    }
    throw new Error(`could not allocate an artifact version for dataset ${job.datasetId}`);
  }
}

/** What to do about each failure code the trainer reports (trainer/CONTRACT.md). */
export const SUGGESTED_FIX: Record<string, string> = {
  OUT_OF_MEMORY: 'lower batchSize or maxSequenceLength (raise gradientAccumulationSteps to keep the effective batch), use quantization NF4, or choose a GPU with more memory.',
  BAD_DATA: 'correct the dataset at the place the message names, upload it again and start a new job.',
  DOWNLOAD_FAILED: 'if the base model is gated on Hugging Face, accept its license there and set a Hugging Face token in the workspace settings (huggingFaceToken); otherwise start the job again.',
  UPLOAD_FAILED: "check the server's storage (free space, Supabase credentials) and start the job again; its last checkpoint is kept.",
  INTERNAL: 'read the pod logs (trainingJob.logs) for the traceback; start the job again, and report it if it repeats.',
};

function stageLabel(stage: TrainerStage): string {
  return { PREPROCESSING: 'Preprocessing', MODEL_LOADING: 'Loading model', TRAINING: 'Training', FINALIZING: 'Finalizing' }[stage];
}
