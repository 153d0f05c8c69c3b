import type { Prisma, PrismaClient, TrainingJob } from '../../generated/prisma/client.js';
import { hashSecret, trainerTokenFor } from '../../auth/keys.js';
import { newId } from '../../ids.js';
import { ValidationError, NotFoundError } from '../../errors.js';
import { resolveTrainingConfig, type PresetKey, type TrainingConfig, type TrainingOverrides } from '../presets/index.js';
import { estimateTraining, type TrainingEstimate } from '../estimate/index.js';
import type { ProviderName, TrainingProvider } from '../providers/provider.js';
import type { JobLifecycle } from './lifecycle.js';
import { isTerminal } from '../state-machine.js';
import { freezeHyperparameters, type RunControls } from './freeze.js';
import { BudgetExceededError, DatasetNotReadyError, JobFinishedError } from './errors.js';
import type { Readiness, TokenStats } from '../../datasets/analyze.js';
import type { SpendService } from '../../spend/service.js';

export interface JobInput {
  datasetId: string;
  preset?: PresetKey | null;
  overrides?: TrainingOverrides | null;
  configurationId?: string | null;
  acknowledgeDatasetWarnings?: boolean | null;
  allowOnDemandFallback?: boolean | null;
  costCapUsd?: number | null;
  controls?: RunControls | null;
  /** Where to run it; null: the server's default provider. */
  provider?: ProviderName | null;
}

/** Jobs as a user sees them: validate, estimate, freeze, queue; cancel. The supervisor runs them. */
export class JobService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly lifecycle: JobLifecycle,
    private readonly provider: (name?: ProviderName | null) => TrainingProvider,
    private readonly serverSecret: string,
    private readonly spend: SpendService,
  ) {}

  /** Config + estimate for a dataset, exactly as startTrainingJob would freeze them. */
  async plan(workspaceId: string, input: JobInput): Promise<{ config: TrainingConfig; estimate: TrainingEstimate; datasetName: string; readiness: Readiness | null }> {
    const dataset = await this.prisma.dataset.findFirst({ where: { id: input.datasetId, workspaceId, deletedAt: null } });
    if (!dataset) throw new NotFoundError('dataset', input.datasetId);
    if (dataset.status !== 'READY') throw new ValidationError([{ field: 'datasetId', message: `dataset ${dataset.id} is ${dataset.status.toLowerCase()}, not ready; wait for its import to finish` }]);
    let base: { preset?: PresetKey | null; overrides?: TrainingOverrides | null } = { preset: input.preset, overrides: input.overrides };
    if (input.configurationId) {
      const saved = await this.prisma.trainingConfiguration.findFirst({ where: { id: input.configurationId, workspaceId } });
      if (!saved) throw new NotFoundError('training configuration', input.configurationId);
      base = { preset: saved.preset as PresetKey, overrides: { ...(saved.hyperparameters as TrainingOverrides), ...clean(input.overrides) } };
    }
    const resolved = resolveTrainingConfig(base);
    if (!resolved.ok) throw new ValidationError(resolved.fieldErrors.map((e) => ({ field: e.field === 'preset' ? 'preset' : `overrides.${e.field}`, message: e.message })));
    const config = resolved.config;
    const tokens = dataset.tokenStats as TokenStats | null;
    const rate = await this.provider(input.provider).hourlyRate(config.gpuType, config.cloudType);
    const history = await this.throughputHistory(workspaceId, config);
    const estimate = estimateTraining({
      tokenStats: { trainableTokensPerEpoch: tokens?.totalTokens ?? 0, trainablePairs: dataset.trainablePairCount },
      config,
      rate: { pricePerHour: rate.pricePerHour, source: rate.source === 'RUNPOD_LIVE' ? 'RUNPOD_LIVE' : 'FALLBACK', note: rate.note },
      history,
    });
    return { config, estimate, datasetName: dataset.name, readiness: dataset.readiness as Readiness | null };
  }

  async start(workspaceId: string, input: JobInput, idempotencyKey?: string | null): Promise<TrainingJob> {
    if (idempotencyKey) {
      const existing = await this.prisma.trainingJob.findFirst({ where: { workspaceId, idempotencyKey } });
      if (existing) return existing;
    }
    const { config, estimate, readiness } = await this.plan(workspaceId, input);
    const failed = (readiness?.checks ?? []).filter((c) => c.blocking && !c.passed);
    if (failed.length > 0 && !input.acknowledgeDatasetWarnings) throw new DatasetNotReadyError(input.datasetId, failed);
    if (input.costCapUsd != null && !(input.costCapUsd > 0)) throw new ValidationError([{ field: 'costCapUsd', message: `must be more than 0 USD (got ${input.costCapUsd})` }]);
    const month = await this.spend.monthly(workspaceId);
    if (month.ok && month.spend.budgetUsd != null) {
      const { budgetUsd, totalUsd } = month.spend;
      if (totalUsd + estimate.cost.high > budgetUsd) throw new BudgetExceededError(budgetUsd, totalUsd, estimate.cost.high);
    }
    const provider = this.provider(input.provider);
    const hyperparameters = freezeHyperparameters(config, input.controls ?? {});
    const totalSteps = hyperparameters.maxSteps ? Math.min(hyperparameters.maxSteps, estimate.totalSteps) : estimate.totalSteps;
    const id = newId('job');
    try {
      const job = await this.prisma.trainingJob.create({
        data: {
          id,
          workspaceId,
          datasetId: input.datasetId,
          configurationId: input.configurationId ?? null,
          idempotencyKey: idempotencyKey ?? null,
          preset: config.preset,
          hyperparameters: hyperparameters as unknown as Prisma.InputJsonValue,
          baseModel: config.baseModel,
          gpuType: config.gpuType,
          cloudType: config.cloudType,
          allowOnDemandFallback: input.allowOnDemandFallback ?? false,
          maxDurationHours: config.maxDurationHours,
          costCapUsd: input.costCapUsd ?? null,
          estimate: { ...estimate, customizedFields: config.customizedFields } as unknown as Prisma.InputJsonValue,
          totalEpochs: config.epochs,
          totalSteps,
          provider: provider.name,
          isSimulated: provider.simulated,
          trainerTokenHash: hashSecret(trainerTokenFor(this.serverSecret, id)),
        },
      });
      await this.lifecycle.record(job, { kind: 'queued', message: `Queued on ${provider.name}${provider.simulated ? ' (simulated)' : ''}: ${config.preset.toLowerCase()} preset, ${config.gpuType} ${config.cloudType === 'SPOT' ? 'spot' : 'on-demand'}` });
      return job;
    } catch (error) {
      if (idempotencyKey && (error as { code?: string }).code === 'P2002') {
        return this.prisma.trainingJob.findFirstOrThrow({ where: { workspaceId, idempotencyKey } });
      }
      throw error;
    }
  }

  /** Records the request; the supervisor stops the pod and settles the spend. */
  async cancel(workspaceId: string, jobId: string, reason: string): Promise<TrainingJob> {
    const job = await this.prisma.trainingJob.findFirst({ where: { id: jobId, workspaceId } });
    if (!job) throw new NotFoundError('training job', jobId);
    if (isTerminal(job.status)) throw new JobFinishedError(job.id, job.status);
    const text = reason.trim();
    if (text.length < 3 || text.length > 500) throw new ValidationError([{ field: 'reason', message: 'say why in 3–500 characters (it is kept in the job history)' }]);
    await this.prisma.trainingJob.update({ where: { id: job.id }, data: { cancelRequestedAt: new Date(), cancelReason: text } });
    const result = await this.lifecycle.apply(job.id, { type: 'CANCEL' }, { kind: 'cancelled', level: 'WARNING', message: `Cancelled: ${text}` });
    return result.job;
  }

  private async throughputHistory(workspaceId: string, config: TrainingConfig) {
    const rows = await this.prisma.modelArtifact.findMany({
      where: { workspaceId, job: { baseModel: config.baseModel, gpuType: config.gpuType, isSimulated: false, status: 'COMPLETED' } },
      select: { summary: true, job: { select: { hyperparameters: true } } },
      take: 50,
      orderBy: { createdAt: 'desc' },
    });
    const samples = rows
      .filter((r) => (r.job.hyperparameters as { maxSequenceLength?: number }).maxSequenceLength === config.maxSequenceLength)
      .map((r) => (r.summary as { tokensPerSecond?: number } | null)?.tokensPerSecond)
      .filter((v): v is number => typeof v === 'number' && v > 0);
    if (samples.length === 0) return null;
    return { samples: samples.length, tokensPerSecond: samples.reduce((a, b) => a + b, 0) / samples.length };
  }
}

function clean<T extends object>(value: T | null | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}
