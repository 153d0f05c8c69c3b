import { fallbackRate } from '../estimate/prices.js';
import { findBaseModel, type GpuTypeId } from '../presets/index.js';
import { podDiskGb } from '../estimate/memory.js';
import { RunPodClient, RunPodError, RunPodNoCapacityError, RunPodRateLimitedError, RunPodSpotUnavailableError, type RunPodPod } from './runpod/index.js';
import { ProviderError, type CloudType, type HourlyRate, type LaunchRequest, type LaunchResult, type PodLogLine, type PodLogOptions, type PodStatus, type TrainingProvider } from './provider.js';

export interface RunPodProviderOptions {
  apiKey: string;
  restUrl?: string;
  graphqlUrl?: string;
  image: string;
  /** Injectable for tests. */
  fetch?: typeof fetch;
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
  private readonly client: RunPodClient;
  private readonly prices = new Map<string, { at: number; rate: HourlyRate }>();

  constructor(private readonly options: RunPodProviderOptions) {
    this.client = new RunPodClient({ apiKey: options.apiKey, restUrl: options.restUrl, graphqlUrl: options.graphqlUrl, fetch: options.fetch });
  }

  async hourlyRate(gpuType: string, cloudType: CloudType): Promise<HourlyRate> {
    const key = `${gpuType}|${cloudType}`;
    const cached = this.prices.get(key);
    if (cached && Date.now() - cached.at < PRICE_CACHE_MS) return cached.rate;
    let rate: HourlyRate;
    try {
      const prices = await this.client.gpuPrices(gpuType);
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

  async launch(request: LaunchRequest): Promise<LaunchResult> {
    const { pricePerHour } = await this.hourlyRate(request.gpuType, request.cloudType);
    const base = {
      name: `brightrun-${request.jobId}-${request.attempt}`,
      image: this.options.image,
      gpuTypeId: request.gpuType,
      gpuCount: 1,
      env: request.env,
      containerDiskInGb: diskFor(request.baseModel),
    };
    try {
      if (request.cloudType === 'ON_DEMAND') return this.result(await acrossClouds((cloudType) => this.client.createOnDemandPod({ ...base, cloudType })), 'ON_DEMAND', pricePerHour);
      if (request.previousPodId) {
        try {
          return this.result(await this.client.resumeSpotPod(request.previousPodId, pricePerHour), 'SPOT', pricePerHour);
        } catch (error) {
          // "not enough free GPUs on the host": rent a new spot pod instead.
          if (!(error instanceof RunPodError)) throw error;
        }
      }
      return this.result(await acrossClouds((cloudType) => this.client.createSpotPod({ ...base, bidPerGpu: pricePerHour, cloudType })), 'SPOT', pricePerHour);
    } catch (error) {
      if (error instanceof RunPodSpotUnavailableError && request.allowOnDemandFallback) {
        const onDemand = await this.hourlyRate(request.gpuType, 'ON_DEMAND');
        const pod = await acrossClouds((cloudType) => this.client.createOnDemandPod({ ...base, cloudType })).catch((e) => { throw toProviderError(e); });
        return this.result(pod, 'ON_DEMAND', onDemand.pricePerHour);
      }
      throw toProviderError(error);
    }
  }

  async status(podId: string): Promise<PodStatus> {
    let pod: RunPodPod;
    try {
      pod = await this.client.getPod(podId);
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

  async terminate(podId: string): Promise<void> {
    try {
      await this.client.terminatePod(podId);
    } catch (error) {
      if (error instanceof RunPodError && error.code === 'NOT_FOUND') return;
      throw error;
    }
  }

  async billedUsd(podId: string): Promise<number | null> {
    try {
      const billing = await this.client.podBilling(podId);
      return billing.records.length > 0 ? billing.totalAmount : null;
    } catch {
      return null; // billing lags; price × runtime stands in until it answers
    }
  }

  /** RunPod's log stream (Server-Sent Events); without `follow`, what it replays until it goes quiet. */
  async *logs(podId: string, options: PodLogOptions): AsyncGenerator<PodLogLine> {
    const lines = options.follow ? this.client.streamLogs(podId, { tail: options.tail, signal: options.signal }) : await this.client.getLogs(podId, { tail: options.tail, signal: options.signal });
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

function diskFor(baseModel: string): number {
  const model = findBaseModel(baseModel);
  return model ? podDiskGb(model) : DEFAULT_DISK_GB;
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
