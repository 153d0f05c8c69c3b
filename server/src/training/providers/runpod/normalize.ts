/**
 * Our inputs → RunPod's request shapes (REST `CreatePodRequest`, GraphQL
 * `PodRentInterruptableInput`), and RunPod's two pod shapes (REST v2 `Pod`, GraphQL `Pod`) → one
 * `RunPodPod`.
 */
import type { GraphqlPod } from './documents.js';
import type { CreatePodInput, CreateSpotPodInput, RunPodPod, RunPodPodStatus } from './types.js';

/** The body of POST /v2/pods; checked against the OpenAPI contract by the stand-in's tests. */
export function createPodBody(input: CreatePodInput) {
  return {
    name: input.name,
    image: input.image,
    gpu: { id: input.gpuTypeId, count: input.gpuCount ?? 1 },
    cloud: input.cloudType ?? 'SECURE',
    env: input.env,
    disk: input.containerDiskInGb,
    // A network volume replaces the host-local volume disk: RunPod refuses both at once.
    ...(input.networkVolumeId
      ? { mounts: { network: [{ volumeId: input.networkVolumeId, path: input.volumeMountPath ?? '/workspace' }] } }
      : input.volumeInGb
        ? { mounts: { persistent: { size: input.volumeInGb, path: input.volumeMountPath ?? '/workspace' } } }
        : {}),
    ...(input.dataCenterIds?.length ? { dataCenterIds: input.dataCenterIds } : {}),
    ...(input.args === undefined ? {} : { args: input.args }),
    ...(input.ports === undefined ? {} : { ports: input.ports }),
  };
}

/** `PodRentInterruptableInput`: env as key/value pairs, one data center, ports as one string. */
export function spotPodInput(input: CreateSpotPodInput) {
  return {
    name: input.name,
    imageName: input.image,
    gpuTypeId: input.gpuTypeId,
    gpuCount: input.gpuCount ?? 1,
    bidPerGpu: input.bidPerGpu,
    cloudType: input.cloudType ?? 'SECURE',
    env: Object.entries(input.env).map(([key, value]) => ({ key, value })),
    containerDiskInGb: input.containerDiskInGb,
    volumeInGb: input.networkVolumeId ? 0 : (input.volumeInGb ?? 0),
    volumeMountPath: input.volumeMountPath ?? '/workspace',
    ...(input.networkVolumeId ? { networkVolumeId: input.networkVolumeId } : {}),
    ...(input.dataCenterIds?.[0] ? { dataCenterId: input.dataCenterIds[0] } : {}),
    ...(input.args === undefined ? {} : { dockerArgs: input.args }),
    ...(input.ports === undefined ? {} : { ports: input.ports.join(',') }),
  };
}

const REST_STATUSES: readonly RunPodPodStatus[] = ['PROVISIONING', 'STARTING', 'RUNNING', 'EXITED', 'ERROR', 'TERMINATED'];

export interface RestPod {
  id: string;
  name?: string;
  image?: string;
  status?: string;
  cost?: number;
  gpu?: { id: string; count?: number };
  dataCenterId?: string | null;
  createdAt?: string;
  startedAt?: string | null;
  runtime?: { uptime?: number } | null;
}

/**
 * A status this code does not know yet reads as STARTING: not terminal, so a supervisor keeps
 * watching (and times out) instead of treating an unfamiliar word as a dead pod.
 */
function restStatus(status: string | undefined): RunPodPodStatus {
  return REST_STATUSES.find((known) => known === status) ?? 'STARTING';
}

export function podFromRest(pod: RestPod): RunPodPod {
  return {
    id: pod.id,
    status: restStatus(pod.status),
    costPerHr: pod.cost ?? 0,
    ...(typeof pod.runtime?.uptime === 'number' ? { uptimeSeconds: pod.runtime.uptime } : {}),
    ...(pod.name === undefined ? {} : { name: pod.name }),
    ...(pod.image === undefined ? {} : { image: pod.image }),
    ...(pod.gpu ? { gpuTypeId: pod.gpu.id, gpuCount: pod.gpu.count ?? 1 } : {}),
    ...(pod.dataCenterId === undefined ? {} : { dataCenterId: pod.dataCenterId }),
    ...(pod.createdAt === undefined ? {} : { createdAt: pod.createdAt }),
    ...(pod.startedAt === undefined ? {} : { startedAt: pod.startedAt }),
  };
}

/**
 * GraphQL has only `desiredStatus` (RUNNING / EXITED / TERMINATED, and a few legacy words) and a
 * `runtime` that stays null until the container is up: RUNNING without a runtime is still
 * provisioning.
 */
export function statusFromGraphql(desiredStatus: string | null, hasRuntime: boolean): RunPodPodStatus {
  switch (desiredStatus) {
    case 'RUNNING':
      return hasRuntime ? 'RUNNING' : 'PROVISIONING';
    case 'CREATED':
      return 'PROVISIONING';
    case 'RESTARTING':
      return 'STARTING';
    case 'EXITED':
    case 'PAUSED':
      return 'EXITED';
    case 'DEAD':
      return 'ERROR';
    case 'TERMINATED':
      return 'TERMINATED';
    default:
      return 'STARTING';
  }
}

export function podFromGraphql(pod: GraphqlPod): RunPodPod {
  const uptime = pod.runtime?.uptimeInSeconds;
  return {
    id: pod.id,
    status: statusFromGraphql(pod.desiredStatus, Boolean(pod.runtime)),
    costPerHr: pod.costPerHr ?? 0,
    ...(typeof uptime === 'number' ? { uptimeSeconds: uptime } : {}),
  };
}
