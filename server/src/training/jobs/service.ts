import type { Prisma, PrismaClient, TrainingJob } from '../../generated/prisma/client.js';
import { hashSecret, trainerTokenFor } from '../../auth/keys.js';
import { newId } from '../../ids.js';
import { ValidationError, NotFoundError } from '../../errors.js';
import { findBaseModel, resolveTrainingConfig, type PresetKey, type TrainingConfig, type TrainingOverrides } from '../presets/index.js';
import { estimateTraining, type TrainingEstimate } from '../estimate/index.js';
import type { ProviderName, TrainingProvider } from '../providers/provider.js';
import { podLabel } from '../providers/placement.js';
import type { JobLifecycle } from './lifecycle.js';
import { isTerminal } from '../state-machine.js';
import { freezeHyperparameters, type RunControls } from './freeze.js';
import { BudgetExceededError, DatasetNotReadyError, JobFinishedError } from './errors.js';
import type { Readiness, TokenStats } from '../../datasets/analyze.js';
import type { SpendService } from '../../spend/service.js';
import type { WorkspaceLock } from '../../db/workspace-lock.js';

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
  /** A step limit for the estimate (startTrainingJob passes it as controls.maxSteps). */
  maxSteps?: number | null;
}

/** What would make startTrainingJob refuse a plan, on the plan field to change. */
interface Blocker {
  field: 'provider' | 'overrides.baseModel' | 'overrides.gpuType';
  message: string;
}

/** What a workspace's settings say about launching (SettingsService.launchSettings). */
export interface LaunchSettings {
  defaultPreset: string;
  defaultGpuType: string;
  defaultCloudType: 'SPOT' | 'ON_DEMAND';
  huggingFaceTokenSet: boolean;
  runpodApiKeySet: boolean;
}

export interface JobServiceOptions {
  /** Serializes budget checks and inserts per workspace (db/workspace-lock.ts). */
  lock?: WorkspaceLock;
  /** The workspace's launch defaults and whether it has a Hugging Face token. */
  launchSettings?: (workspaceId: string) => Promise<LaunchSettings>;
}

/** Jobs as a user sees them: validate, estimate, freeze, queue; cancel. The supervisor runs them. */
export class JobService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly lifecycle: JobLifecycle,
    private readonly provider: (name?: ProviderName | null) => TrainingProvider,
    private readonly serverSecret: string,
    private readonly spend: SpendService,
    options: JobServiceOptions = {},
  ) {
    this.lock = options.lock ?? ((_workspaceId, work) => work());
    this.launchSettings = options.launchSettings;
  }

  private readonly launchSettings?: (workspaceId: string) => Promise<LaunchSettings>;

  private readonly lock: WorkspaceLock;

  /** Config + estimate for a dataset, exactly as startTrainingJob would freeze them. */
  /** Config + estimate; `blockers` are what would make startTrainingJob refuse the plan (gated model without a token, a provider that cannot run it). */
  async plan(workspaceId: string, input: JobInput): Promise<{ config: TrainingConfig; estimate: TrainingEstimate; datasetName: string; readiness: Readiness | null; blockers: Blocker[] }> {
    const dataset = await this.prisma.dataset.findFirst({ where: { id: input.datasetId, workspaceId, deletedAt: null } });
    if (!dataset) throw new NotFoundError('dataset', input.datasetId);
    if (dataset.status !== 'READY') throw new ValidationError([{ field: 'datasetId', message: `dataset ${dataset.id} is ${dataset.status.toLowerCase()}, not ready; wait for its import to finish` }]);
    const settings = await this.launchSettings?.(workspaceId);
    // The workspace's defaults (settings) fill what the plan leaves out: preset, GPU, cloud type.
    let base: { preset?: PresetKey | null; overrides?: TrainingOverrides | null } = settings
      ? { preset: input.preset ?? (settings.defaultPreset as PresetKey), overrides: { gpuType: settings.defaultGpuType as TrainingConfig['gpuType'], cloudType: settings.defaultCloudType, ...clean(input.overrides) } }
      : { preset: input.preset, overrides: input.overrides };
    if (input.configurationId) {
      const saved = await this.prisma.trainingConfiguration.findFirst({ where: { id: input.configurationId, workspaceId } });
      if (!saved) throw new NotFoundError('training configuration', input.configurationId);
      base = { preset: saved.preset as PresetKey, overrides: { ...(saved.hyperparameters as TrainingOverrides), ...clean(input.overrides) } };
    }
    const resolved = resolveTrainingConfig(base);
    if (!resolved.ok) throw new ValidationError(resolved.fieldErrors.map((e) => ({ field: e.field === 'preset' ? 'preset' : `overrides.${e.field}`, message: e.message })));
    const config = resolved.config;
    const tokens = dataset.tokenStats as TokenStats | null;
    const rate = await this.provider(input.provider).hourlyRate(config.gpuType, config.cloudType, { workspaceId });
    const history = await this.throughputHistory(workspaceId, config);
    // A RunPod workspace with a model-cache volume runs its pods in the volume's data center and pays
    // for the volume: the estimate says where, whether the GPU is offered there, and what it adds.
    const placement = (await this.provider(input.provider).placement?.(config.gpuType, { workspaceId }).catch(() => null)) ?? null;
    const estimate = estimateTraining({
      tokenStats: { trainableTokensPerEpoch: tokens?.totalTokens ?? 0, trainablePairs: dataset.trainablePairCount },
      config,
      rate: { pricePerHour: rate.pricePerHour, source: rate.source, note: rate.note },
      history,
      maxSteps: input.controls?.maxSteps ?? input.maxSteps ?? null,
      modelCache: placement,
    });
    estimate.placement = placement;
    const provider = this.provider(input.provider);
    const blockers: Blocker[] = [];
    const missing = provider.missingCredentials?.({ runpodApiKeySet: settings?.runpodApiKeySet ?? false });
    if (missing) {
      estimate.warnings.push({ code: 'PROVIDER_NOT_READY', message: missing });
      blockers.push({ field: 'provider', message: missing });
    }
    const refusal = provider.refuse?.({ baseModel: config.baseModel, quantization: config.quantization });
    if (refusal) blockers.push({ field: 'overrides.baseModel', message: refusal });
    if (placement?.gpuOffered === false) {
      const where = placement.dataCenterName ? `${placement.dataCenterName} (${placement.dataCenterId})` : placement.dataCenterId;
      const offered = placement.offeredGpuTypes.length ? placement.offeredGpuTypes.join(', ') : 'no GPU types';
      const message =
        `The workspace's model-cache volume pins RunPod jobs to ${where}, which does not offer ${config.gpuType} (it offers ${offered}). ` +
        'Choose one of those GPU types, or delete the model-cache volume in Settings (deleteModelCacheVolume) and create one where this GPU is offered.';
      estimate.warnings.push({ code: 'GPU_NOT_IN_DATA_CENTER', message });
      blockers.push({ field: 'overrides.gpuType', message });
    }
    const model = findBaseModel(config.baseModel);
    if (model?.gated && !provider.simulated && settings && !settings.huggingFaceTokenSet) {
      const message =
        `${model.label} (${model.id}) is gated on Hugging Face: the pod cannot download it without a token. ` +
        `Accept its license on huggingface.co/${model.id}, then set a token in the workspace settings ` +
        '(updateWorkspaceSettings(input: { huggingFaceToken: "hf_…" })), or choose an open model such as Qwen2.5.';
      estimate.warnings.push({ code: 'HUGGING_FACE_TOKEN_MISSING', message });
      blockers.push({ field: 'overrides.baseModel', message });
    }
    return { config, estimate, datasetName: dataset.name, readiness: dataset.readiness as Readiness | null, blockers };
  }

  async start(workspaceId: string, input: JobInput, idempotencyKey?: string | null): Promise<TrainingJob> {
    if (idempotencyKey) {
      const existing = await this.prisma.trainingJob.findFirst({ where: { workspaceId, idempotencyKey } });
      if (existing) return existing;
    }
    const { config, estimate, readiness, blockers } = await this.plan(workspaceId, input);
    // Refused before a pod is paid for, with the fix, rather than failing 20 minutes into one.
    if (blockers.length > 0) throw new ValidationError(blockers);
    const failed = (readiness?.checks ?? []).filter((c) => c.blocking && !c.passed);
    if (failed.length > 0 && !input.acknowledgeDatasetWarnings) throw new DatasetNotReadyError(input.datasetId, failed);
    if (input.costCapUsd != null && !(input.costCapUsd > 0)) throw new ValidationError([{ field: 'costCapUsd', message: `must be more than 0 USD (got ${input.costCapUsd})` }]);
    const provider = this.provider(input.provider);
    // The budget check and the insert run under the workspace's lock, so concurrent starts see
    // each other's reservations: ten starts cannot all pass a budget that fits one.
    return this.lock(workspaceId, async () => {
      if (!provider.simulated) await this.checkBudget(workspaceId, estimate.cost.high);
      return this.insert(workspaceId, input, idempotencyKey, provider, config, estimate);
    });
  }

  /**
   * Real money only (demo jobs are simulated): this month's spend, plus what the workspace's
   * unfinished real jobs may still spend (each one's estimate high end less its spend so far),
   * plus this job's high end, must fit the monthly budget.
   */
  private async checkBudget(workspaceId: string, estimateHighUsd: number): Promise<void> {
    const month = await this.spend.monthly(workspaceId);
    if (!month.ok || month.spend.budgetUsd == null) return;
    const { budgetUsd, totalUsd } = month.spend;
    const open = await this.prisma.trainingJob.findMany({
      where: { workspaceId, isSimulated: false, status: { notIn: ['COMPLETED', 'FAILED', 'CANCELLED'] } },
      select: { estimate: true, spendUsd: true },
    });
    const reservedUsd = Math.round(open.reduce((sum, j) => sum + Math.max(0, ((j.estimate as { cost?: { high?: number } }).cost?.high ?? 0) - Number(j.spendUsd)), 0) * 100) / 100;
    if (totalUsd + reservedUsd + estimateHighUsd > budgetUsd) throw new BudgetExceededError(budgetUsd, totalUsd, estimateHighUsd, reservedUsd);
  }

  private async insert(workspaceId: string, input: JobInput, idempotencyKey: string | null | undefined, provider: TrainingProvider, config: TrainingConfig, estimate: TrainingEstimate): Promise<TrainingJob> {
    const hyperparameters = freezeHyperparameters(config, { ...input.controls, maxSteps: input.controls?.maxSteps ?? input.maxSteps ?? null });
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
      await this.lifecycle.record(job, { kind: 'queued', message: `Queued on ${provider.name}${provider.simulated ? ' (simulated)' : ''}: ${config.preset.toLowerCase()} preset, ${podLabel(job)}` });
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

  /**
   * Measured throughput of this workspace's completed real jobs with the same key as the estimate:
   * base model, GPU, quantization and sequence length (estimate/throughput.ts, throughputKey).
   * The frozen hyperparameters spell BF16 as NONE (freeze.ts).
   */
  private async throughputHistory(workspaceId: string, config: TrainingConfig) {
    const frozenQuantization = config.quantization === 'NF4' ? 'NF4' : 'NONE';
    const rows = await this.prisma.modelArtifact.findMany({
      where: {
        workspaceId,
        job: {
          baseModel: config.baseModel,
          gpuType: config.gpuType,
          isSimulated: false,
          status: 'COMPLETED',
          AND: [
            { hyperparameters: { path: ['quantization'], equals: frozenQuantization } },
            { hyperparameters: { path: ['maxSequenceLength'], equals: config.maxSequenceLength } },
          ],
        },
      },
      select: { summary: true },
      take: 50,
      orderBy: { createdAt: 'desc' },
    });
    const samples = rows
      .map((r) => (r.summary as { tokensPerSecond?: number } | null)?.tokensPerSecond)
      .filter((v): v is number => typeof v === 'number' && v > 0);
    if (samples.length === 0) return null;
    return { samples: samples.length, tokensPerSecond: samples.reduce((a, b) => a + b, 0) / samples.length };
  }
}

function clean<T extends object>(value: T | null | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}
