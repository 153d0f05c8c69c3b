/**
 * A workspace's model cache: one RunPod network volume (REST v2 `/network-volumes`) that its pods
 * mount where HF_HOME points, so base weights are downloaded once for every pod, replacement pods
 * included (a bid-resumed spot pod already keeps its own volume disk). The volume lives in one data
 * center and RunPod bills it per GB-month until it is deleted; pods that mount it must run there.
 *
 * Created and deleted with the workspace's RunPod key (else the server's RUNPOD_API_KEY). Rows stay
 * after deletion (deletedAt), so spend counts the storage of the months it existed.
 */
import { randomBytes } from 'node:crypto';
import type { ModelCacheVolume, PrismaClient } from '../generated/prisma/client.js';
import { ConfirmationMismatchError, NotFoundError, ResourceInUseError, ValidationError } from '../errors.js';
import type { WorkspaceLock } from '../db/workspace-lock.js';
import {
  NETWORK_VOLUME_MAX_GB,
  NETWORK_VOLUME_MIN_GB,
  NETWORK_VOLUME_PRICE_SOURCE,
  networkVolumeMonthlyUsd,
  networkVolumeUsdPerGbMonth,
} from '../training/estimate/network-volume.js';
import { RunPodClient, RunPodError, type RunPodDataCenter } from '../training/providers/runpod/index.js';
import type { ModelCache } from '../training/providers/runpod-provider.js';

export interface ModelCacheVolumeView {
  /** RunPod's network volume id. */
  volumeId: string;
  name: string;
  sizeGb: number;
  dataCenterId: string;
  usdPerGbMonth: number;
  monthlyCostUsd: number;
  priceSource: string;
  /** Where HF_HOME points inside every pod that mounts it. */
  mountPath: string;
  createdAt: Date;
}

/** RunPod refused or failed a call the settings made (its own words in `detail`). */
export class ProviderRequestError extends Error {
  readonly code = 'PROVIDER_REFUSED';
  constructor(
    message: string,
    readonly providerStatus: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface ModelCacheOptions {
  prisma: PrismaClient;
  /** The workspace's RunPod key, else the server's; null when there is neither. */
  apiKeyFor: (workspaceId: string) => Promise<string | null>;
  restUrl?: string;
  graphqlUrl?: string;
  fetch?: typeof fetch;
  lock: WorkspaceLock;
  /** Where HF_HOME points in pods (RunPodProvider's WEIGHTS_CACHE_DIR). */
  mountPath: string;
}

const VOLUME_NAME_PREFIX = 'brightrun-model-cache-';
const newRowId = () => `mcv_${Date.now().toString(36)}${randomBytes(6).toString('hex')}`;

export class ModelCacheService {
  constructor(private readonly options: ModelCacheOptions) {}

  private async client(workspaceId: string): Promise<RunPodClient> {
    const apiKey = await this.options.apiKeyFor(workspaceId);
    if (!apiKey) {
      throw new ProviderRequestError('No RunPod API key: set one in the workspace settings (updateWorkspaceSettings runpodApiKey) or start the server with RUNPOD_API_KEY', null, false);
    }
    return new RunPodClient({ apiKey, restUrl: this.options.restUrl, graphqlUrl: this.options.graphqlUrl, fetch: this.options.fetch, retry: { maxAttempts: 2 } });
  }

  private live(workspaceId: string): Promise<ModelCacheVolume | null> {
    return this.options.prisma.modelCacheVolume.findFirst({ where: { workspaceId, deletedAt: null }, orderBy: { createdAt: 'desc' } });
  }

  private view(row: ModelCacheVolume): ModelCacheVolumeView {
    const usdPerGbMonth = Number(row.usdPerGbMonth);
    return {
      volumeId: row.runpodVolumeId,
      name: row.name,
      sizeGb: row.sizeGb,
      dataCenterId: row.dataCenterId,
      usdPerGbMonth,
      monthlyCostUsd: networkVolumeMonthlyUsd(row.sizeGb, usdPerGbMonth),
      priceSource: NETWORK_VOLUME_PRICE_SOURCE,
      mountPath: this.options.mountPath,
      createdAt: row.createdAt,
    };
  }

  async current(workspaceId: string): Promise<ModelCacheVolumeView | null> {
    const row = await this.live(workspaceId);
    return row ? this.view(row) : null;
  }

  /** For the RunPod provider: what its pods mount, and where they must run. */
  async modelCacheFor(workspaceId: string): Promise<ModelCache | null> {
    const row = await this.live(workspaceId);
    return row ? { volumeId: row.runpodVolumeId, dataCenterId: row.dataCenterId, sizeGb: row.sizeGb, usdPerGbMonth: Number(row.usdPerGbMonth) } : null;
  }

  /** RunPod's data centers that can hold a network volume, with the GPUs each offers. */
  async dataCenters(workspaceId: string): Promise<RunPodDataCenter[]> {
    try {
      const all = await (await this.client(workspaceId)).listDataCenters();
      return all.filter((dc) => dc.networkVolumeTypes.length > 0);
    } catch (error) {
      throw providerError(error, 'list data centers');
    }
  }

  /** Creates the workspace's volume at RunPod (one per workspace), then records it. */
  async create(workspaceId: string, input: { sizeGb: number; dataCenterId: string }): Promise<ModelCacheVolumeView> {
    const problems = [];
    if (!Number.isInteger(input.sizeGb) || input.sizeGb < NETWORK_VOLUME_MIN_GB || input.sizeGb > NETWORK_VOLUME_MAX_GB) {
      problems.push({ field: 'input.sizeGb', message: `must be a whole number of GB from ${NETWORK_VOLUME_MIN_GB} to ${NETWORK_VOLUME_MAX_GB} (RunPod's bounds); got ${input.sizeGb}. Size it for the base models you train (Llama 3 70B needs about 140 GB).` });
    }
    const dataCenterId = input.dataCenterId.trim();
    if (!/^[A-Z0-9-]{2,50}$/.test(dataCenterId)) {
      problems.push({ field: 'input.dataCenterId', message: `must be a RunPod data center id such as "US-KS-2" (see modelCacheDataCenters); got ${JSON.stringify(input.dataCenterId)}` });
    }
    if (problems.length > 0) throw new ValidationError(problems);
    return this.options.lock(workspaceId, async () => {
      const existing = await this.live(workspaceId);
      if (existing) {
        throw new ValidationError([{ field: 'input', message: `this workspace already has a model-cache volume (${existing.runpodVolumeId}, ${existing.sizeGb} GB in ${existing.dataCenterId}); delete it first (deleteModelCacheVolume) to make another` }]);
      }
      const client = await this.client(workspaceId);
      let dataCenters: RunPodDataCenter[];
      try {
        dataCenters = await client.listDataCenters();
      } catch (error) {
        throw providerError(error, 'list data centers');
      }
      const dc = dataCenters.find((d) => d.id === dataCenterId);
      if (!dc || dc.networkVolumeTypes.length === 0) {
        const offered = dataCenters.filter((d) => d.networkVolumeTypes.length > 0).map((d) => d.id);
        throw new ValidationError([{ field: 'input.dataCenterId', message: `RunPod has no data center "${dataCenterId}" that holds network volumes; choose one of ${offered.join(', ') || '(none listed)'}` }]);
      }
      const name = `${VOLUME_NAME_PREFIX}${workspaceId}`.slice(0, 200);
      let volume;
      try {
        volume = await client.createNetworkVolume({ name, size: input.sizeGb, dataCenter: dc.id });
      } catch (error) {
        throw providerError(error, 'create the network volume');
      }
      const row = await this.options.prisma.modelCacheVolume.create({
        data: { id: newRowId(), workspaceId, runpodVolumeId: volume.id, name: volume.name, dataCenterId: volume.dataCenter, sizeGb: volume.size, usdPerGbMonth: networkVolumeUsdPerGbMonth(volume.size) },
      });
      return this.view(row);
    });
  }

  /**
   * Deletes the volume at RunPod and marks the row deleted. Guarded: `confirmName` must be the
   * volume's name, and RunPod refuses while a pod still mounts it (a running job).
   */
  async delete(workspaceId: string, input: { confirmName: string }): Promise<ModelCacheVolumeView> {
    return this.options.lock(workspaceId, async () => {
      const row = await this.live(workspaceId);
      if (!row) throw new NotFoundError('model-cache volume', 'current');
      if (input.confirmName !== row.name) throw new ConfirmationMismatchError('model-cache volume', row.name);
      const running = await this.options.prisma.trainingJob.findMany({
        where: { workspaceId, provider: 'runpod', status: { notIn: ['COMPLETED', 'FAILED', 'CANCELLED'] } },
        select: { id: true },
      });
      if (running.length > 0) {
        throw new ResourceInUseError(`${running.length} unfinished RunPod job(s) of this workspace mount the model-cache volume; wait for them to finish or cancel them, then delete it`, running.map((j) => j.id));
      }
      try {
        await (await this.client(workspaceId)).deleteNetworkVolume(row.runpodVolumeId);
      } catch (error) {
        throw providerError(error, 'delete the network volume');
      }
      const deleted = await this.options.prisma.modelCacheVolume.update({ where: { id: row.id }, data: { deletedAt: new Date() } });
      return this.view(deleted);
    });
  }
}

function providerError(error: unknown, what: string): Error {
  if (error instanceof ProviderRequestError) return error;
  if (error instanceof RunPodError) {
    const inUse = error.status === 409 ? ' (a pod still mounts it: wait for the running job to finish or cancel it)' : '';
    return new ProviderRequestError(`RunPod could not ${what}: ${error.message}${inUse}`, error.status, error.retryable);
  }
  return new ProviderRequestError(`RunPod could not ${what}: ${(error as Error).message}`, null, true);
}
