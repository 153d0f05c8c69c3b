/**
 * The stand-in's REST v2 operations. Requests reach these handlers only after the OpenAPI contract
 * accepted them (standin.ts), so the bodies here are well-formed; what remains are the rules RunPod
 * enforces in its handlers (400), state conflicts (409) and the injected faults.
 */
import type { RunPodPodStatus } from './types.js';
import { podBilling, type BucketSize } from './standin-billing.js';
import type { MatchedOperation } from './standin-openapi.js';
import type { StandInPod } from './standin-pods.js';
import { MESSAGES, problem, type HttpAnswer, type StandInState } from './standin-state.js';
import { handleVolumes, placePod } from './standin-volumes.js';

const ACTIONS: Record<RunPodPodStatus, string[]> = {
  PROVISIONING: ['stop', 'terminate'],
  STARTING: ['stop', 'terminate'],
  RUNNING: ['stop', 'restart', 'terminate'],
  EXITED: ['start', 'terminate'],
  ERROR: ['start', 'terminate'],
  TERMINATED: [],
};

export function restPodView(pod: StandInPod, now: number) {
  const live = pod.status === 'PROVISIONING' || pod.status === 'STARTING' || pod.status === 'RUNNING';
  return {
    id: pod.id,
    name: pod.name,
    image: pod.image,
    args: pod.args,
    disk: pod.containerDiskInGb,
    ports: pod.ports,
    env: pod.env,
    registry: null,
    status: pod.status,
    actions: ACTIONS[pod.status],
    mounts: pod.networkVolumeId
      ? { network: [{ volumeId: pod.networkVolumeId, path: pod.volumeMountPath }] }
      : pod.volumeInGb > 0 ? { persistent: { size: pod.volumeInGb, path: pod.volumeMountPath } } : {},
    gpu: { id: pod.gpuTypeId, count: pod.gpuCount },
    cloud: pod.cloud,
    dataCenterId: pod.dataCenterId,
    cudaVersion: '12.8',
    ssh: { proxy: null, direct: null },
    template: null,
    cost: live ? pod.costPerHr : 0,
    locked: false,
    globalNetworking: { enabled: false },
    runtime:
      pod.status === 'RUNNING' && pod.runningSince !== null
        ? { uptime: Math.floor((now - pod.runningSince) / 1000), gpus: [{ util: 0, memoryUtil: 0 }] }
        : null,
    createdAt: new Date(pod.createdAt).toISOString(),
    startedAt: pod.startedAt === null ? null : new Date(pod.startedAt).toISOString(),
  };
}

function gpuView(state: StandInState, id: string, withAvailability: boolean) {
  const price = state.prices[id]!;
  return {
    id,
    name: price.displayName,
    pool: null,
    manufacturer: 'NVIDIA',
    memory: price.memoryInGb,
    secure: true,
    community: true,
    price: { secure: price.secure, community: price.community },
    maxCount: { secure: 8, community: 8 },
    ...(withAvailability
      ? { availability: 'HIGH', dataCenters: [{ id: 'US-KS-2', name: 'US Kansas 2', availability: 'HIGH' }] }
      : {}),
  };
}

interface CreateBody {
  name: string;
  image: string;
  gpu?: { id: string; count?: number };
  cpu?: unknown;
  cloud?: 'SECURE' | 'COMMUNITY';
  env?: Record<string, string>;
  args?: string;
  ports?: string[];
  disk?: number;
  dataCenterIds?: string[];
  mounts?: { persistent?: { size: number; path: string }; network?: Array<{ volumeId: string; path: string }> };
}

function createPod(state: StandInState, body: CreateBody): HttpAnswer {
  if (Boolean(body.gpu) === Boolean(body.cpu)) return problem(400, 'Bad Request', 'exactly one of gpu or cpu must be set');
  if (!body.gpu) return problem(400, 'Bad Request', 'the RunPod stand-in runs GPU pods only');
  if (body.mounts?.persistent && body.mounts.network) {
    return problem(400, 'Bad Request', 'mounts.persistent and mounts.network are mutually exclusive');
  }
  const price = state.prices[body.gpu.id];
  if (!price) return problem(400, 'Bad Request', `GPU type "${body.gpu.id}" is not offered`);
  if (state.faults.insufficientBalance) return problem(402, 'Payment Required', MESSAGES.insufficientBalance);
  if (state.faults.noCapacityCreates > 0) {
    state.faults.noCapacityCreates -= 1;
    return problem(400, 'Bad Request', MESSAGES.noCapacity);
  }
  const cloud = body.cloud ?? 'SECURE';
  const network = body.mounts?.network?.[0] ?? null;
  if (network && cloud !== 'SECURE') return problem(400, 'Bad Request', MESSAGES.networkVolumeSecureOnly);
  const placed = placePod(state, body.gpu.id, body.dataCenterIds, network?.volumeId ?? null);
  if ('error' in placed) return placed.error;
  const count = body.gpu.count ?? 1;
  const pod = state.fleet.create(
    {
      name: body.name,
      image: body.image,
      env: body.env ?? {},
      args: body.args ?? '',
      ports: body.ports ?? [],
      gpuTypeId: body.gpu.id,
      gpuCount: count,
      cloud,
      interruptible: false,
      costPerHr: (cloud === 'SECURE' ? price.secure : price.community) * count,
      containerDiskInGb: body.disk ?? 50,
      volumeInGb: body.mounts?.persistent?.size ?? 0,
      volumeMountPath: network?.path ?? body.mounts?.persistent?.path ?? '/workspace',
      dataCenterId: placed.dataCenterId,
      networkVolumeId: network?.volumeId ?? null,
    },
    state.takeNeverStart(),
  );
  return { status: 201, body: restPodView(pod, state.now()) };
}

function podAction(state: StandInState, pod: StandInPod, action: string): HttpAnswer {
  if (!ACTIONS[pod.status].includes(action)) {
    return problem(409, 'Conflict', `action "${action}" is not valid for a pod in status ${pod.status}`);
  }
  if (action === 'terminate') {
    state.fleet.halt(pod, 'TERMINATED', 'Terminated by User');
    return { status: 204 };
  }
  if (action === 'stop') state.fleet.halt(pod, 'EXITED', 'Exited by User');
  if (action === 'start' || action === 'restart') {
    if (pod.interruptible) return problem(400, 'Bad Request', MESSAGES.spotAsOnDemand);
    if (state.faults.insufficientBalance) return problem(402, 'Payment Required', MESSAGES.insufficientBalance);
    if (action === 'restart') state.fleet.halt(pod, 'EXITED', 'Restarting');
    state.fleet.resume(pod);
  }
  return { status: 200, body: restPodView(pod, state.now()) };
}

function podLogs(state: StandInState, pod: StandInPod, query: URLSearchParams, lastEventId: string | null): HttpAnswer {
  const source = query.get('source');
  const since = lastEventId?.split('/')[0] ?? query.get('since');
  const matches = (entry: { source: string }) => !source || entry.source === source;
  let backlog = pod.logs.filter(matches);
  if (since) backlog = backlog.filter((entry) => entry.ts > since);
  else backlog = backlog.slice(Math.max(0, backlog.length - Number(query.get('tail') ?? 100)));
  const event = (e: { seq: number; ts: string; source: string; line: string }) =>
    `id: ${e.ts}/${String(e.seq).padStart(12, '0')}\ndata: ${JSON.stringify({ ts: e.ts, source: e.source, line: e.line })}\n\n`;
  const finished = () => pod.status === 'EXITED' || pod.status === 'TERMINATED' || pod.status === 'ERROR';
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
    stream: (write, end, onClose) => {
      for (const entry of backlog) write(event(entry));
      if (finished()) return end();
      const unsubscribe = state.fleet.subscribe(pod.id, (entry) => {
        if (matches(entry)) write(event(entry));
        if (finished()) {
          unsubscribe();
          end();
        }
      });
      onClose(unsubscribe);
    },
  };
}

export function handleRest(
  state: StandInState,
  op: MatchedOperation,
  query: URLSearchParams,
  body: unknown,
  headers: { lastEventId: string | null },
): HttpAnswer {
  const pod = op.pathParams.id === undefined ? undefined : state.fleet.get(op.pathParams.id);
  const needsPod = op.template.startsWith('/v2/pods/{id}');
  if (needsPod && !pod) return problem(404, 'Not Found', 'pod not found');
  const volumes = handleVolumes(state, op.operationId, op.pathParams.id, query, body);
  if (volumes) return volumes;
  switch (op.operationId) {
    case 'createPod':
      return createPod(state, body as CreateBody);
    case 'getPod':
      return { status: 200, body: restPodView(pod!, state.now()) };
    case 'deletePod':
      return podAction(state, pod!, 'terminate');
    case 'podAction':
      return podAction(state, pod!, (body as { action: string }).action);
    case 'getPodLogs':
      return podLogs(state, pod!, query, headers.lastEventId);
    case 'listGpuTypes':
      return {
        status: 200,
        body: { gpus: Object.keys(state.prices).map((id) => gpuView(state, id, query.get('include') === 'AVAILABILITY')) },
      };
    case 'getGpuType': {
      const id = op.pathParams.id!;
      if (!state.prices[id]) return problem(404, 'Not Found', `GPU type "${id}" not found`);
      return { status: 200, body: gpuView(state, id, query.get('include') === 'AVAILABILITY') };
    }
    case 'listPodBilling': {
      const lastN = query.get('lastN');
      if (lastN !== null && (query.has('startTime') || query.has('endTime'))) {
        return problem(400, 'Bad Request', 'lastN and startTime/endTime are mutually exclusive');
      }
      const billing = podBilling(
        state.fleet.list(),
        {
          podId: query.get('podId'),
          startTime: query.get('startTime'),
          endTime: query.get('endTime'),
          bucketSize: query.get('bucketSize') as BucketSize | null,
          lastN: lastN === null ? null : Number(lastN),
        },
        state.now(),
        state.diskUsdPerGbMonth,
      );
      return { status: 200, body: billing };
    }
    default:
      return problem(501, 'Not Implemented', `${op.operationId} is not implemented by the RunPod stand-in`);
  }
}
