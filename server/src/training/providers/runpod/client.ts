/**
 * RunPod, as the training supervisor needs it: on-demand pods through REST v2 (the published
 * contract in shared/reference/runpod-rest-v2.openapi.json: server `https://api.runpod.io`, paths
 * under `/v2`), spot pods, runtime and spot prices through GraphQL, which REST v2 does not cover.
 */
import {
  CREATE_SPOT_POD,
  GPU_SPOT_PRICES,
  POD_RUNTIME,
  RESUME_SPOT_POD,
  type GraphqlGpuType,
  type GraphqlPod,
} from './documents.js';
import { RunPodAuthError, RunPodError, RunPodNotFoundError, RunPodSpotUnavailableError } from './errors.js';
import { collectUntilIdle, streamPodLogs, type LogOptions } from './logs.js';
import { createPodBody, podFromGraphql, podFromRest, spotPodInput, type RestPod } from './normalize.js';
import type { RetryOptions } from './retry.js';
import { RunPodTransport } from './transport.js';
import type {
  CreateNetworkVolumeInput,
  CreatePodInput,
  CreateSpotPodInput,
  RunPodGpuPrices,
  RunPodLogLine,
  RunPodPod,
  RunPodPodBilling,
  RunPodPodRuntime,
  RunPodDataCenter,
  RunPodNetworkVolume,
} from './types.js';

export interface RunPodClientOptions {
  apiKey: string;
  /** REST v2 base: the OpenAPI `servers` URL plus `/v2`. @default 'https://api.runpod.io/v2' */
  restUrl?: string;
  /** @default 'https://api.runpod.io/graphql' */
  graphqlUrl?: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Per request. @default 30000 */
  timeoutMs?: number;
  /** Rate limits and transient failures; see `withRetry`. @default { maxAttempts: 4 } */
  retry?: RetryOptions;
}

export type { LogOptions } from './logs.js';

const enc = encodeURIComponent;

export class RunPodClient {
  private readonly transport: RunPodTransport;
  private readonly retry: RetryOptions;
  private readonly timeoutMs: number;

  constructor(options: RunPodClientOptions) {
    if (!options.apiKey) throw new RunPodAuthError({ detail: 'no API key configured' });
    this.retry = options.retry ?? {};
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.transport = new RunPodTransport({
      apiKey: options.apiKey,
      restUrl: options.restUrl ?? 'https://api.runpod.io/v2',
      graphqlUrl: options.graphqlUrl ?? 'https://api.runpod.io/graphql',
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: this.timeoutMs,
      retry: this.retry,
    });
  }

  /** POST /v2/pods. Not retried on 5xx or timeout: the pod may exist anyway. */
  async createOnDemandPod(input: CreatePodInput): Promise<RunPodPod> {
    const pod = await this.transport.rest<RestPod>('POST', '/pods', { body: createPodBody(input), idempotent: false });
    return podFromRest(pod!);
  }

  /** GraphQL `podRentInterruptable`: REST v2 has no spot pods. */
  async createSpotPod(input: CreateSpotPodInput): Promise<RunPodPod> {
    const data = await this.transport.graphql<{ podRentInterruptable: GraphqlPod | null }>(
      CREATE_SPOT_POD,
      { input: spotPodInput(input) },
      { spot: true },
    );
    return this.spotResult(data.podRentInterruptable);
  }

  /** GraphQL `podBidResume`: restarts an interrupted (EXITED) spot pod at a new bid. */
  async resumeSpotPod(podId: string, bidPerGpu: number, gpuCount = 1): Promise<RunPodPod> {
    const data = await this.transport.graphql<{ podBidResume: GraphqlPod | null }>(
      RESUME_SPOT_POD,
      { input: { podId, bidPerGpu, gpuCount } },
      { spot: true },
    );
    return this.spotResult(data.podBidResume);
  }

  private spotResult(pod: GraphqlPod | null): RunPodPod {
    if (!pod) throw new RunPodSpotUnavailableError({ detail: 'RunPod returned no pod for the spot request' });
    // The mutation answers once the pod is placed, without a runtime: it reads as PROVISIONING.
    return podFromGraphql(pod);
  }

  /** GET /v2/pods/{id}. */
  async getPod(podId: string): Promise<RunPodPod> {
    return podFromRest((await this.transport.rest<RestPod>('GET', `/pods/${enc(podId)}`))!);
  }

  /** GraphQL `pod { runtime }`: uptime that REST reports unreliably, and GPU telemetry. Null if unknown. */
  async getPodRuntime(podId: string): Promise<RunPodPodRuntime | null> {
    const data = await this.transport.graphql<{ pod: GraphqlPod | null }>(
      POD_RUNTIME,
      { input: { podId } },
      { idempotent: true },
    );
    const pod = data.pod;
    if (!pod) return null;
    return {
      id: pod.id,
      desiredStatus: pod.desiredStatus ?? 'UNKNOWN',
      costPerHr: pod.costPerHr ?? 0,
      uptimeSeconds: pod.runtime?.uptimeInSeconds ?? null,
      gpus: pod.runtime?.gpus ?? [],
    };
  }

  /** POST /v2/pods/{id}/action `stop`: releases the GPU, keeps the disk. */
  async stopPod(podId: string): Promise<RunPodPod> {
    return this.action(podId, 'stop');
  }

  /** POST /v2/pods/{id}/action `start`: boots a stopped on-demand pod (spot pods resume by bid). */
  async startPod(podId: string): Promise<RunPodPod> {
    return this.action(podId, 'start');
  }

  /**
   * POST /v2/pods/{id}/action `terminate`. Idempotent: a pod RunPod no longer knows (404), or one
   * already TERMINATED (the 409 for an action its status does not allow), counts as terminated.
   */
  async terminatePod(podId: string): Promise<void> {
    try {
      await this.transport.rest('POST', `/pods/${enc(podId)}/action`, { body: { action: 'terminate' }, idempotent: true });
    } catch (error) {
      if (error instanceof RunPodNotFoundError) return;
      if (error instanceof RunPodError && error.status === 409 && (await this.getPod(podId)).status === 'TERMINATED') return;
      throw error;
    }
  }

  private async action(podId: string, action: 'start' | 'stop'): Promise<RunPodPod> {
    const pod = await this.transport.rest<RestPod>('POST', `/pods/${enc(podId)}/action`, {
      body: { action },
      idempotent: true,
    });
    return podFromRest(pod!);
  }

  /** GET /v2/pods/{id}/logs as a stream of lines (Server-Sent Events) until `signal` aborts. */
  streamLogs(podId: string, options: LogOptions = {}): AsyncGenerator<RunPodLogLine> {
    return streamPodLogs(this.transport, this.retry, podId, options);
  }

  /**
   * The pod's recent log lines: replays up to `tail` lines and returns once the stream ends or
   * stays quiet for `idleMs` (RunPod keeps the stream open while the pod runs). @default idleMs 1000
   */
  getLogs(podId: string, options: LogOptions & { idleMs?: number } = {}): Promise<RunPodLogLine[]> {
    return collectUntilIdle(
      (signal, onOpen) => streamPodLogs(this.transport, this.retry, podId, { ...options, signal, onOpen }),
      { idleMs: options.idleMs ?? 1000, connectMs: this.timeoutMs },
      options.signal,
    );
  }

  /** On-demand prices from GET /v2/catalog/gpus/{id}; spot prices from GraphQL while RunPod offers them. */
  async gpuPrices(gpuTypeId: string): Promise<RunPodGpuPrices> {
    const gpu = (await this.transport.rest<{ id: string; name: string; memory: number; price: { secure: number; community: number } }>(
      'GET',
      `/catalog/gpus/${enc(gpuTypeId)}`,
    ))!;
    let spot: RunPodGpuPrices['spot'] = null;
    try {
      const data = await this.transport.graphql<{ gpuTypes: GraphqlGpuType[] | null }>(
        GPU_SPOT_PRICES,
        { input: { id: gpuTypeId } },
        { idempotent: true },
      );
      const quoted = data.gpuTypes?.find((type) => type.id === gpuTypeId);
      if (quoted && (quoted.secureSpotPrice || quoted.communitySpotPrice)) {
        spot = {
          secure: quoted.secureSpotPrice || null,
          community: quoted.communitySpotPrice || null,
          minimumBid: quoted.lowestPrice?.minimumBidPrice ?? null,
        };
      }
    } catch (error) {
      // No spot quote is an answer (the estimate falls back and says so); a refused key is not.
      if (error instanceof RunPodAuthError || !(error instanceof RunPodError)) throw error;
    }
    return {
      gpuTypeId: gpu.id,
      displayName: gpu.name,
      memoryInGb: gpu.memory,
      onDemand: { secure: gpu.price.secure, community: gpu.price.community },
      spot,
      source: 'RUNPOD_LIVE',
    };
  }

  /** GET /v2/billing/pods for one pod: what RunPod actually charged. */
  async podBilling(
    podId: string,
    options: { startTime?: string; endTime?: string; bucketSize?: 'hour' | 'day' | 'week' | 'month' | 'year' } = {},
  ): Promise<RunPodPodBilling> {
    type Amounts = { totalAmount: number; gpuAmount: number; cpuAmount: number; diskAmount: number };
    const response = (await this.transport.rest<{
      records: Array<Amounts & { startTime: string; endTime: string; podId: string }>;
      metadata: { totals: Amounts };
    }>('GET', '/billing/pods', {
      query: { podId, startTime: options.startTime, endTime: options.endTime, bucketSize: options.bucketSize ?? 'day' },
    }))!;
    const records = response.records.filter((record) => record.podId === podId);
    return {
      podId,
      ...response.metadata.totals,
      records: records.map(({ startTime, endTime, totalAmount, gpuAmount, diskAmount }) => ({
        startTime,
        endTime,
        totalAmount,
        gpuAmount,
        diskAmount,
      })),
    };
  }

  /**
   * POST /v2/network-volumes: a billable volume in one data center (RunPod charges for it per
   * GB-month until it is deleted). Not retried on 5xx or timeout: the volume may exist anyway
   * (list the volumes to find it by name).
   */
  async createNetworkVolume(input: CreateNetworkVolumeInput): Promise<RunPodNetworkVolume> {
    const body = { name: input.name, size: input.size, dataCenter: input.dataCenter, ...(input.type ? { type: input.type } : {}) };
    return (await this.transport.rest<RunPodNetworkVolume>('POST', '/network-volumes', { body, idempotent: false }))!;
  }

  /** GET /v2/network-volumes/{id}; RunPodNotFoundError when RunPod no longer has it. */
  async getNetworkVolume(volumeId: string): Promise<RunPodNetworkVolume> {
    return (await this.transport.rest<RunPodNetworkVolume>('GET', `/network-volumes/${enc(volumeId)}`))!;
  }

  /** GET /v2/network-volumes: every volume of the key's account. */
  async listNetworkVolumes(): Promise<RunPodNetworkVolume[]> {
    return (await this.transport.rest<{ networkVolumes: RunPodNetworkVolume[] }>('GET', '/network-volumes'))!.networkVolumes;
  }

  /** DELETE /v2/network-volumes/{id}. Idempotent: a volume RunPod no longer knows counts as deleted. */
  async deleteNetworkVolume(volumeId: string): Promise<void> {
    try {
      await this.transport.rest('DELETE', `/network-volumes/${enc(volumeId)}`, { idempotent: true });
    } catch (error) {
      if (error instanceof RunPodNotFoundError) return;
      throw error;
    }
  }

  /** GET /v2/catalog/datacenters?include=GPU_AVAILABILITY: where pods and volumes can live, and which GPUs each offers. */
  async listDataCenters(): Promise<RunPodDataCenter[]> {
    const response = (await this.transport.rest<{ dataCenters: Array<Omit<RunPodDataCenter, 'gpuAvailability'> & { gpuAvailability?: RunPodDataCenter['gpuAvailability'] }> }>(
      'GET',
      '/catalog/datacenters',
      { query: { include: 'GPU_AVAILABILITY' } },
    ))!;
    return response.dataCenters.map(dataCenterOf);
  }

  /** GET /v2/catalog/datacenters/{id}?include=GPU_AVAILABILITY. */
  async getDataCenter(dataCenterId: string): Promise<RunPodDataCenter> {
    const dc = (await this.transport.rest<Omit<RunPodDataCenter, 'gpuAvailability'> & { gpuAvailability?: RunPodDataCenter['gpuAvailability'] }>(
      'GET',
      `/catalog/datacenters/${enc(dataCenterId)}`,
      { query: { include: 'GPU_AVAILABILITY' } },
    ))!;
    return dataCenterOf(dc);
  }
}

/** `gpuAvailability` is omitted entirely when a data center offers no GPUs: read that as none. */
function dataCenterOf(dc: Omit<RunPodDataCenter, 'gpuAvailability'> & { gpuAvailability?: RunPodDataCenter['gpuAvailability'] }): RunPodDataCenter {
  return { id: dc.id, name: dc.name, region: dc.region, networkVolumeTypes: dc.networkVolumeTypes ?? [], gpuAvailability: dc.gpuAvailability ?? [] };
}
