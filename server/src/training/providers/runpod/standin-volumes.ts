/**
 * The stand-in's network volumes and data centers (REST v2 `/network-volumes`,
 * `/catalog/datacenters`), with the rules RunPod enforces in its handlers beyond the OpenAPI
 * schema (which already bounds `size` to 10–4096 GB and requires name and dataCenter): the data
 * center must exist and offer the storage tier, a volume only grows, a volume mounted by a pod
 * that is not terminated cannot be deleted, and a pod that mounts a volume runs in the volume's
 * data center, which must offer the pod's GPU.
 */
import { randomBytes } from 'node:crypto';
import type { RunPodAvailability, RunPodVolumeType } from './types.js';
import { MESSAGES, problem, type HttpAnswer, type StandInState } from './standin-state.js';

export interface StandInDataCenter {
  id: string;
  name: string;
  region: 'NORTH_AMERICA' | 'EUROPE' | 'ASIA' | 'OCEANIA' | 'SOUTH_AMERICA';
  networkVolumeTypes: RunPodVolumeType[];
  /** GPU type id → stock; a GPU not listed is not offered there. */
  gpus: Record<string, RunPodAvailability>;
}

/** Three data centers with different GPUs, so a test can pin a job where its GPU is missing. */
export const STANDIN_DATA_CENTERS: StandInDataCenter[] = [
  {
    id: 'US-KS-2', name: 'US Kansas 2', region: 'NORTH_AMERICA', networkVolumeTypes: ['STANDARD', 'HIGH_PERFORMANCE'],
    gpus: { 'NVIDIA H100 PCIe': 'HIGH', 'NVIDIA H100 80GB HBM3': 'HIGH', 'NVIDIA H100 NVL': 'MEDIUM', 'NVIDIA H200': 'LOW' },
  },
  {
    id: 'EU-RO-1', name: 'EU Romania 1', region: 'EUROPE', networkVolumeTypes: ['STANDARD'],
    gpus: { 'NVIDIA H100 PCIe': 'MEDIUM', 'NVIDIA H100 80GB HBM3': 'HIGH' },
  },
  {
    id: 'US-TX-3', name: 'US Texas 3', region: 'NORTH_AMERICA', networkVolumeTypes: ['STANDARD', 'HIGH_PERFORMANCE'],
    gpus: { 'NVIDIA H200': 'HIGH' },
  },
];

export interface StandInVolume {
  id: string;
  name: string;
  size: number;
  dataCenter: string;
  type: RunPodVolumeType;
  createdAt: number;
}

export const volumeView = (v: StandInVolume) => ({ id: v.id, name: v.name, size: v.size, dataCenter: v.dataCenter, type: v.type });

function dataCenterView(state: StandInState, dc: StandInDataCenter, withGpus: boolean) {
  const offered = Object.entries(dc.gpus).filter(([id]) => state.prices[id]);
  return {
    id: dc.id,
    name: dc.name,
    region: dc.region,
    globalNetwork: false,
    networkVolumeTypes: dc.networkVolumeTypes,
    compliance: [],
    // Omitted entirely when the data center offers no GPUs (the contract's words).
    ...(withGpus && offered.length > 0
      ? { gpuAvailability: offered.map(([id, availability]) => ({ id, name: state.prices[id]!.displayName, availability })) }
      : {}),
  };
}

const wantsGpus = (query: URLSearchParams) => (query.get('include') ?? '').split(',').includes('GPU_AVAILABILITY');

/**
 * Where a GPU pod goes: with a network volume, the volume's data center (which must be among the
 * requested ones, when any are named); otherwise the first requested data center that offers the
 * GPU, or the first that does. An answer with `error` refuses the create.
 */
export function placePod(
  state: StandInState,
  gpuTypeId: string,
  dataCenterIds: string[] | undefined,
  networkVolumeId: string | null,
): { dataCenterId: string } | { error: HttpAnswer } {
  const requested = dataCenterIds?.filter(Boolean) ?? [];
  const dc = (id: string) => state.dataCenters.find((d) => d.id === id);
  const stocked = (id: string) => {
    const level = dc(id)?.gpus[gpuTypeId];
    return level !== undefined && level !== 'NONE';
  };
  if (networkVolumeId) {
    const volume = state.volumes.get(networkVolumeId);
    if (!volume) return { error: problem(400, 'Bad Request', `network volume "${networkVolumeId}" not found`) };
    if (requested.length > 0 && !requested.includes(volume.dataCenter)) {
      return { error: problem(400, 'Bad Request', `network volume "${networkVolumeId}" is in ${volume.dataCenter}; the pod must be placed in the same data center`) };
    }
    if (!stocked(volume.dataCenter)) return { error: problem(400, 'Bad Request', MESSAGES.noCapacity) };
    return { dataCenterId: volume.dataCenter };
  }
  const unknown = requested.find((id) => !dc(id));
  if (unknown) return { error: problem(400, 'Bad Request', `data center "${unknown}" does not exist`) };
  const candidates = requested.length > 0 ? requested : state.dataCenters.map((d) => d.id);
  const chosen = candidates.find(stocked);
  if (!chosen) return { error: problem(400, 'Bad Request', MESSAGES.noCapacity) };
  return { dataCenterId: chosen };
}

function inUse(state: StandInState, volumeId: string): boolean {
  return state.fleet.list().some((pod) => pod.networkVolumeId === volumeId && pod.status !== 'TERMINATED');
}

interface CreateVolumeBody {
  name: string;
  size: number;
  dataCenter: string;
  type?: RunPodVolumeType;
}

/** The network-volume and data-center operations; null when `operationId` is none of them. */
export function handleVolumes(state: StandInState, operationId: string, pathId: string | undefined, query: URLSearchParams, body: unknown): HttpAnswer | null {
  switch (operationId) {
    case 'listNetworkVolumes':
      return { status: 200, body: { networkVolumes: [...state.volumes.values()].map(volumeView) } };
    case 'createNetworkVolume': {
      const input = body as CreateVolumeBody;
      const dc = state.dataCenters.find((d) => d.id === input.dataCenter);
      if (!dc) return problem(400, 'Bad Request', `data center "${input.dataCenter}" does not exist`);
      const type = input.type ?? dc.networkVolumeTypes[0];
      if (!type || !dc.networkVolumeTypes.includes(type)) {
        return problem(400, 'Bad Request', `data center ${dc.id} does not offer ${input.type ?? 'network'} volumes`);
      }
      if (state.faults.insufficientBalance) return problem(402, 'Payment Required', MESSAGES.insufficientBalance);
      const volume: StandInVolume = { id: randomBytes(5).toString('hex'), name: input.name, size: input.size, dataCenter: dc.id, type, createdAt: state.now() };
      state.volumes.set(volume.id, volume);
      return { status: 201, body: volumeView(volume) };
    }
    case 'getNetworkVolume':
    case 'updateNetworkVolume':
    case 'deleteNetworkVolume': {
      const volume = pathId === undefined ? undefined : state.volumes.get(pathId);
      if (!volume) return problem(404, 'Not Found', 'network volume not found');
      if (operationId === 'getNetworkVolume') return { status: 200, body: volumeView(volume) };
      if (operationId === 'updateNetworkVolume') {
        const change = body as { name?: string; size?: number };
        if (change.size !== undefined && change.size < volume.size) {
          return problem(400, 'Bad Request', `size may only increase (the volume has ${volume.size} GB)`);
        }
        if (change.size !== undefined) volume.size = change.size;
        if (change.name !== undefined) volume.name = change.name;
        return { status: 200, body: volumeView(volume) };
      }
      if (inUse(state, volume.id)) return problem(409, 'Conflict', 'the network volume is attached to a pod; terminate the pod first');
      state.volumes.delete(volume.id);
      return { status: 204 };
    }
    case 'listDataCenters':
      return { status: 200, body: { dataCenters: state.dataCenters.map((dc) => dataCenterView(state, dc, wantsGpus(query))) } };
    case 'getDataCenter': {
      const dc = state.dataCenters.find((d) => d.id === pathId);
      if (!dc) return problem(404, 'Not Found', `data center "${pathId}" not found`);
      return { status: 200, body: dataCenterView(state, dc, wantsGpus(query)) };
    }
    default:
      return null;
  }
}
