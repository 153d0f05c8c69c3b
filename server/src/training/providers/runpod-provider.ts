import { fallbackRate } from '../estimate/prices.js';
import { findBaseModel, type GpuTypeId } from '../presets/index.js';
import { podDiskGb, POD_SCRATCH_GB } from '../estimate/memory.js';
import { RunPodClient, RunPodError, RunPodNoCapacityError, RunPodRateLimitedError, RunPodSpotUnavailableError, type RunPodDataCenter, type RunPodPod } from './runpod/index.js';
import { networkVolumeUsdPerHour } from '../estimate/network-volume.js';
import { ProviderError, type CloudType, type HourlyRate, type JobPlacement, type LaunchRequest, type LaunchResult, type PodLogLine, type PodLogOptions, type PodStatus, type ProviderContext, type TrainingProvider } from './provider.js';

export interface RunPodProviderOptions {
  /** The server-wide key (RUNPOD_API_KEY): the fallback for workspaces that set none. */
  apiKey?: string;
  /** A workspace's own RunPod key (workspace settings), which launches and watches its pods. */
  apiKeyFor?: (workspaceId: string) => Promise<string | null>;
  restUrl?: string;
  graphqlUrl?: string;
  image: string;
  /**
   * A workspace's model-cache network volume (workspace settings), if it has one: its pods mount
   * it at /workspace (HF_HOME on it) and run in its data center.
   */
  modelCacheFor?: (workspaceId: string) => Promise<ModelCache | null>;
  /** Injectable for tests. */
  fetch?: typeof fetch;
}

/** A workspace's RunPod network volume used as the model cache. */
export interface ModelCache {
  volumeId: string;
  dataCenterId: string;
  sizeGb: number;
  usdPerGbMonth: number;
}

const DEFAULT_DISK_GB = 80;

const PRICE_CACHE_MS = 10 * 60_000;

/**
 * RunPod: on-demand pods through REST v2, spot pods through GraphQL (REST has none). A spot pod
 * that was interrupted is bid-resumed first; if its host has no GPU left, a new pod is rented.
 * Only the job's own variables go into the pod, never the user's RunPod key.
 */
export class RunPodProvider implements TrainingProvider {
  readonly name = 'runpod' as const;
  readonly simulated = false;
  private readonly clients = new Map<string, RunPodClient>();
  private readonly prices = new Map<string, { at: number; rate: HourlyRate }>();
  private readonly dataCenters = new Map<string, { at: number; dc: RunPodDataCenter }>();

  constructor(private readonly options: RunPodProviderOptions) {}

  /**
   * The client for a workspace: its own key when it set one in its settings, else the server's
   * (RUNPOD_API_KEY); a workspace with neither gets a clear AUTH error naming both fixes.
   */
  private async client(context?: ProviderContext): Promise<RunPodClient> {
    const own = context && this.options.apiKeyFor ? await this.options.apiKeyFor(context.workspaceId) : null;
    const apiKey = own ?? this.options.apiKey;
    if (!apiKey) throw new ProviderError('No RunPod API key: set one in the workspace settings (updateWorkspaceSettings runpodApiKey) or start the server with RUNPOD_API_KEY', 'AUTH');
    let client = this.clients.get(apiKey);
    if (!client) {
      client = new RunPodClient({ apiKey, restUrl: this.options.restUrl, graphqlUrl: this.options.graphqlUrl, fetch: this.options.fetch });
      this.clients.set(apiKey, client);
    }
    return client;
  }

  missingCredentials(workspace: { runpodApiKeySet: boolean }): string | null {
    if (this.options.apiKey || workspace.runpodApiKeySet) return null;
    return 'RunPod needs an API key: set yours in Settings → RunPod API key (updateWorkspaceSettings(input: { runpodApiKey: "…" })), or start the server with RUNPOD_API_KEY.';
  }

  async hourlyRate(gpuType: string, cloudType: CloudType, context?: ProviderContext): Promise<HourlyRate> {
    const key = `${gpuType}|${cloudType}`;
    const cached = this.prices.get(key);
    if (cached && Date.now() - cached.at < PRICE_CACHE_MS) return cached.rate;
    let rate: HourlyRate;
    try {
      const prices = await (await this.client(context)).gpuPrices(gpuType);
      const live = cloudType === 'SPOT' ? (prices.spot?.secure ?? prices.spot?.community ?? null) : prices.onDemand.secure || prices.onDemand.community;
      rate = live
        ? { pricePerHour: live, source: 'RUNPOD_LIVE', note: `RunPod's live ${cloudType === 'SPOT' ? 'spot' : 'on-demand'} price for ${prices.displayName}` }
        : fallbackRate(gpuType as GpuTypeId, cloudType);
    } catch {
      rate = fallbackRate(gpuType as GpuTypeId, cloudType);
    }
    this.prices.set(key, { at: Date.now(), rate });
    return rate;
  }

  /**
   * Where the workspace's jobs must run: its model-cache volume's data center, and whether that
   * data center offers `gpuType` (GET /v2/catalog/datacenters/{id}?include=GPU_AVAILABILITY,
   * cached a minute). Null for a workspace without a model-cache volume.
   */
  async placement(gpuType: string, context: ProviderContext): Promise<JobPlacement | null> {
    const cache = this.options.modelCacheFor ? await this.options.modelCacheFor(context.workspaceId) : null;
    if (!cache) return null;
    let dc: RunPodDataCenter | null = null;
    try {
      dc = await this.dataCenter(await this.client(context), cache.dataCenterId);
    } catch {
      dc = null; // unknown: the launch asks again and says so
    }
    const offer = dc?.gpuAvailability.find((g) => g.id === gpuType);
    return {
      dataCenterId: cache.dataCenterId,
      dataCenterName: dc?.name ?? null,
      modelCacheVolumeId: cache.volumeId,
      sizeGb: cache.sizeGb,
      usdPerGbMonth: cache.usdPerGbMonth,
      storageUsdPerHour: networkVolumeUsdPerHour(cache.sizeGb, cache.usdPerGbMonth),
      gpuOffered: dc ? Boolean(offer && offer.availability !== 'NONE') : null,
      gpuAvailability: dc ? (offer?.availability ?? 'NONE') : null,
      offeredGpuTypes: dc ? dc.gpuAvailability.filter((g) => g.availability !== 'NONE').map((g) => g.id) : [],
    };
  }

  private async dataCenter(client: RunPodClient, id: string): Promise<RunPodDataCenter> {
    const cached = this.dataCenters.get(id);
    if (cached && Date.now() - cached.at < DATA_CENTER_CACHE_MS) return cached.dc;
    const dc = await client.getDataCenter(id);
    this.dataCenters.set(id, { at: Date.now(), dc });
    return dc;
  }

  async launch(request: LaunchRequest): Promise<LaunchResult> {
    const context = request.workspaceId ? { workspaceId: request.workspaceId } : undefined;
    const client = await this.client(context);
    const { pricePerHour } = await this.hourlyRate(request.gpuType, request.cloudType, context);
    const disks = disksFor(request.baseModel);
    const placement = context ? await this.placement(request.gpuType, context) : null;
    if (placement && placement.gpuOffered === false) throw notInDataCenter(request.gpuType, placement);
    if (placement) return this.launchPinned(client, request, placement, pricePerHour, context!);
    const base = {
      name: `brightrun-${request.jobId}-${request.attempt}`,
      image: this.options.image,
      gpuTypeId: request.gpuType,
      gpuCount: 1,
      // The base weights go to the pod's volume disk, which survives a stop: a bid-resumed spot pod
      // finds them there instead of downloading 140 GB again.
      env: disks.volumeInGb > 0 ? { ...request.env, HF_HOME: WEIGHTS_CACHE_DIR } : request.env,
      containerDiskInGb: disks.containerDiskInGb,
      volumeInGb: disks.volumeInGb,
      volumeMountPath: VOLUME_MOUNT_PATH,
    };
    try {
      if (request.cloudType === 'ON_DEMAND') return this.result(await acrossClouds((cloudType) => client.createOnDemandPod({ ...base, cloudType })), 'ON_DEMAND', pricePerHour);
      if (request.previousPodId) {
        try {
          return this.result(await client.resumeSpotPod(request.previousPodId, pricePerHour), 'SPOT', pricePerHour);
        } catch (error) {
          // "not enough free GPUs on the host": rent a new spot pod instead.
          if (!(error instanceof RunPodError)) throw error;
        }
      }
      return this.result(await acrossClouds((cloudType) => client.createSpotPod({ ...base, bidPerGpu: pricePerHour, cloudType })), 'SPOT', pricePerHour);
    } catch (error) {
      if (error instanceof RunPodSpotUnavailableError && request.allowOnDemandFallback) {
        const onDemand = await this.hourlyRate(request.gpuType, 'ON_DEMAND', context);
        const pod = await acrossClouds((cloudType) => client.createOnDemandPod({ ...base, cloudType })).catch((e) => { throw toProviderError(e); });
        return this.result(pod, 'ON_DEMAND', onDemand.pricePerHour);
      }
      throw toProviderError(error);
    }
  }

  /**
   * A pod that mounts the workspace's model-cache volume: the volume replaces the volume disk (RunPod
   * takes one or the other) and holds HF_HOME, so every replacement pod finds the weights there; the
   * pod runs in the volume's data center, on RunPod's secure cloud (the only one with network
   * volumes).
   */
  private async launchPinned(client: RunPodClient, request: LaunchRequest, placement: JobPlacement, quoted: number, context: ProviderContext): Promise<LaunchResult> {
    const base = {
      name: `brightrun-${request.jobId}-${request.attempt}`,
      image: this.options.image,
      gpuTypeId: request.gpuType,
      gpuCount: 1,
      cloudType: 'SECURE' as const,
      env: { ...request.env, HF_HOME: WEIGHTS_CACHE_DIR },
      containerDiskInGb: disksFor(request.baseModel).containerDiskInGb,
      networkVolumeId: placement.modelCacheVolumeId,
      volumeMountPath: VOLUME_MOUNT_PATH,
      dataCenterIds: [placement.dataCenterId],
    };
    const pinned = (result: LaunchResult): LaunchResult => ({ ...result, storageUsdPerHour: placement.storageUsdPerHour });
    const noCapacity = (error: unknown) => {
      if (error instanceof RunPodNoCapacityError) {
        return new ProviderError(
          `RunPod has no ${request.gpuType} free in ${where(placement)}, where the workspace's model-cache volume pins its pods ("${error.detail ?? 'no capacity'}"). ` +
            `Retry later, pick a GPU type with stock there${placement.offeredGpuTypes.length ? ` (${placement.offeredGpuTypes.join(', ')})` : ''}, or delete the model-cache volume in Settings to run anywhere.`,
          'NO_CAPACITY',
        );
      }
      return toProviderError(error);
    };
    try {
      if (request.cloudType === 'ON_DEMAND') return pinned(this.result(await client.createOnDemandPod(base), 'ON_DEMAND', quoted));
      if (request.previousPodId) {
        try {
          return pinned(this.result(await client.resumeSpotPod(request.previousPodId, quoted), 'SPOT', quoted));
        } catch (error) {
          if (!(error instanceof RunPodError)) throw error;
        }
      }
      return pinned(this.result(await client.createSpotPod({ ...base, bidPerGpu: quoted }), 'SPOT', quoted));
    } catch (error) {
      if (error instanceof RunPodSpotUnavailableError && request.allowOnDemandFallback) {
        const onDemand = await this.hourlyRate(request.gpuType, 'ON_DEMAND', context);
        const pod = await client.createOnDemandPod(base).catch((e) => { throw noCapacity(e); });
        return pinned(this.result(pod, 'ON_DEMAND', onDemand.pricePerHour));
      }
      throw noCapacity(error);
    }
  }

  async status(podId: string, context?: ProviderContext): Promise<PodStatus> {
    let pod: RunPodPod;
    try {
      pod = await (await this.client(context)).getPod(podId);
    } catch (error) {
      if (error instanceof RunPodError && error.code === 'NOT_FOUND') return { state: 'GONE', detail: 'RunPod no longer knows the pod' };
      throw error;
    }
    switch (pod.status) {
      case 'PROVISIONING':
      case 'STARTING':
        return { state: 'STARTING' };
      case 'RUNNING':
        return { state: 'RUNNING', uptimeSeconds: pod.uptimeSeconds };
      case 'EXITED':
      case 'ERROR':
        return { state: 'EXITED', detail: `RunPod reports the pod ${pod.status}` };
      case 'TERMINATED':
        return { state: 'GONE', detail: 'the pod was terminated' };
    }
  }

  async terminate(podId: string, context?: ProviderContext): Promise<void> {
    try {
      await (await this.client(context)).terminatePod(podId);
    } catch (error) {
      if (error instanceof RunPodError && error.code === 'NOT_FOUND') return;
      throw error;
    }
  }

  async billedUsd(podId: string, context?: ProviderContext): Promise<number | null> {
    try {
      const billing = await (await this.client(context)).podBilling(podId);
      return billing.records.length > 0 ? billing.totalAmount : null;
    } catch {
      return null; // billing lags; price × runtime stands in until it answers
    }
  }

  /** RunPod's log stream (Server-Sent Events); without `follow`, what it replays until it goes quiet. */
  async *logs(podId: string, options: PodLogOptions, context?: ProviderContext): AsyncGenerator<PodLogLine> {
    const client = await this.client(context);
    const lines = options.follow ? client.streamLogs(podId, { tail: options.tail, signal: options.signal }) : await client.getLogs(podId, { tail: options.tail, signal: options.signal });
    for await (const line of lines) yield { at: new Date(line.ts), source: line.source === 'system' ? 'SYSTEM' : 'CONTAINER', message: line.line };
  }

  private result(pod: RunPodPod, cloudType: CloudType, quoted: number): LaunchResult {
    return { podId: pod.id, cloudType, pricePerHour: pod.costPerHr > 0 ? pod.costPerHr : quoted };
  }
}

/**
 * RunPod's secure cloud first, then its community cloud when the first has no capacity; the
 * supervisor's backoff handles "none anywhere".
 */
async function acrossClouds(create: (cloudType: 'SECURE' | 'COMMUNITY') => Promise<RunPodPod>): Promise<RunPodPod> {
  try {
    return await create('SECURE');
  } catch (error) {
    if (!(error instanceof RunPodNoCapacityError)) throw error;
    return create('COMMUNITY');
  }
}

/** Where RunPod mounts the pod's volume disk, and the Hugging Face cache on it (HF_HOME). */
export const VOLUME_MOUNT_PATH = '/workspace';
export const WEIGHTS_CACHE_DIR = `${VOLUME_MOUNT_PATH}/huggingface`;
/** The container disk holds the image's scratch: the dataset, checkpoints in flight, logs. */
const CONTAINER_DISK_GB = POD_SCRATCH_GB + 10;

/**
 * The pod's disks: the weights (as podDiskGb sizes them, less the scratch) on the volume disk, which
 * a stop keeps, and the scratch on the container disk, which a stop wipes. A model the trainer
 * builds itself (tiny-llama) downloads nothing and gets no volume.
 */
export function disksFor(baseModel: string): { containerDiskInGb: number; volumeInGb: number } {
  const model = findBaseModel(baseModel);
  if (model?.builtIn) return { containerDiskInGb: CONTAINER_DISK_GB, volumeInGb: 0 };
  const total = model ? podDiskGb(model) : DEFAULT_DISK_GB;
  return { containerDiskInGb: CONTAINER_DISK_GB, volumeInGb: Math.max(10, total - POD_SCRATCH_GB) };
}

const DATA_CENTER_CACHE_MS = 60_000;

const where = (p: JobPlacement) => (p.dataCenterName ? `${p.dataCenterName} (${p.dataCenterId})` : p.dataCenterId);

/** The GPU type is not offered at all where the model-cache volume is: retrying cannot help. */
function notInDataCenter(gpuType: string, placement: JobPlacement): ProviderError {
  const offered = placement.offeredGpuTypes.length ? placement.offeredGpuTypes.join(', ') : 'no GPU types';
  return new ProviderError(
    `${where(placement)}, where the workspace's model-cache volume ${placement.modelCacheVolumeId} pins its pods, does not offer ${gpuType} (it offers ${offered}). ` +
      `Choose one of those GPU types, or delete the model-cache volume in Settings and create one in a data center that offers ${gpuType}.`,
    'GPU_NOT_IN_DATA_CENTER',
  );
}

function toProviderError(error: unknown): ProviderError {
  if (error instanceof RunPodNoCapacityError) return new ProviderError(error.message, 'NO_CAPACITY');
  if (error instanceof RunPodRateLimitedError) return new ProviderError(error.message, 'RATE_LIMITED', error.retryAfterSeconds);
  if (error instanceof RunPodSpotUnavailableError) return new ProviderError(`${error.message} Enable "fall back to on-demand" to run at the on-demand price instead.`, 'SPOT_UNAVAILABLE');
  if (error instanceof RunPodError) {
    const kind = error.code === 'INSUFFICIENT_BALANCE' ? 'INSUFFICIENT_BALANCE' : error.code === 'AUTH' ? 'AUTH' : error.code === 'CONTRACT' ? 'CONTRACT' : error.retryable ? 'TRANSIENT' : 'CONTRACT';
    return new ProviderError(error.message, kind);
  }
  return new ProviderError((error as Error).message, 'TRANSIENT');
}
