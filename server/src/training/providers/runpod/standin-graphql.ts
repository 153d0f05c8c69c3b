/**
 * The stand-in's GraphQL half: the operations RunPod still only offers there (spot pods, runtime,
 * spot prices). Requests are parsed with `graphql`, validated against the subset of RunPod's
 * schema below (types and fields as RunPod's docs, runpod-python and runpodctl use them), matched
 * by root field and executed; errors come back as RunPod sends them — HTTP 200 with `errors` from
 * resolvers, HTTP 400 for documents the schema rejects.
 */
import { GraphQLError, buildSchema, execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { StandInPod } from './standin-pods.js';
import { MESSAGES, type HttpAnswer, type StandInState } from './standin-state.js';
import { placePod } from './standin-volumes.js';

const SPOT_MUTATIONS = ['podRentInterruptable', 'podBidResume'];

const SDL = /* GraphQL */ `
  scalar Void
  enum CloudTypeEnum { ALL SECURE COMMUNITY }
  enum PodStatus { CREATED RUNNING RESTARTING EXITED PAUSED DEAD TERMINATED }
  input EnvironmentVariableInput { key: String! value: String! }
  input PodRentInterruptableInput {
    bidPerGpu: Float! gpuCount: Int! gpuTypeId: String cloudType: CloudTypeEnum name: String imageName: String
    dockerArgs: String containerDiskInGb: Int volumeInGb: Int volumeMountPath: String env: [EnvironmentVariableInput]
    ports: String networkVolumeId: String dataCenterId: String countryCode: String templateId: String
    minVcpuCount: Int minMemoryInGb: Int minDownload: Int minUpload: Int minDisk: Int
    startJupyter: Boolean startSsh: Boolean supportPublicIp: Boolean volumeKey: String
  }
  input PodBidResumeInput { podId: String! bidPerGpu: Float! gpuCount: Int! }
  input PodResumeInput { podId: String! gpuCount: Int! }
  input PodStopInput { podId: String! incrementVersion: Boolean }
  input PodTerminateInput { podId: String! }
  input PodFilter { podId: String! }
  input GpuTypeFilter { id: String }
  input GpuLowestPriceInput {
    gpuCount: Int! minDisk: Int minMemoryInGb: Int minVcpuCount: Int secureCloud: Boolean communityCloud: Boolean
    dataCenterId: String
  }
  type PodRuntimeGpu { id: String gpuUtilPercent: Int memoryUtilPercent: Int }
  type PodRuntime { uptimeInSeconds: Int gpus: [PodRuntimeGpu] }
  type Pod {
    id: String! name: String imageName: String desiredStatus: PodStatus costPerHr: Float lastStatusChange: String
    gpuCount: Int machineId: String containerDiskInGb: Int volumeInGb: Float env: [String] runtime: PodRuntime
  }
  type LowestPrice { minimumBidPrice: Float uninterruptablePrice: Float stockStatus: String }
  type GpuType {
    id: String! displayName: String memoryInGb: Int secureCloud: Boolean communityCloud: Boolean maxGpuCount: Int
    securePrice: Float communityPrice: Float secureSpotPrice: Float communitySpotPrice: Float
    lowestPrice(input: GpuLowestPriceInput): LowestPrice
  }
  type Query { pod(input: PodFilter): Pod gpuTypes(input: GpuTypeFilter): [GpuType] }
  type Mutation {
    podRentInterruptable(input: PodRentInterruptableInput!): Pod
    podBidResume(input: PodBidResumeInput!): Pod
    podResume(input: PodResumeInput!): Pod
    podStop(input: PodStopInput!): Pod
    podTerminate(input: PodTerminateInput!): Void
  }
`;

const FULL_SCHEMA = buildSchema(SDL);
/** RunPod has said spot may go away: this is what the API looks like then. */
const WITHOUT_SPOT = buildSchema(
  SDL.split('\n').filter((line) => !SPOT_MUTATIONS.some((name) => line.trim().startsWith(`${name}(`))).join('\n'),
);

function graphqlPodView(pod: StandInPod, now: number) {
  const desiredStatus =
    pod.status === 'TERMINATED' ? 'TERMINATED' : pod.status === 'EXITED' || pod.status === 'ERROR' ? 'EXITED' : 'RUNNING';
  return {
    id: pod.id,
    name: pod.name,
    imageName: pod.image,
    desiredStatus,
    costPerHr: desiredStatus === 'RUNNING' ? pod.costPerHr : 0,
    lastStatusChange: pod.lastStatusChange,
    gpuCount: pod.gpuCount,
    machineId: `standin-${pod.dataCenterId}`,
    containerDiskInGb: pod.containerDiskInGb,
    volumeInGb: pod.volumeInGb,
    env: Object.entries(pod.env).map(([key, value]) => `${key}=${value}`),
    runtime:
      pod.status === 'RUNNING' && pod.runningSince !== null
        ? {
            uptimeInSeconds: Math.floor((now - pod.runningSince) / 1000),
            gpus: [{ id: `GPU-${pod.id}`, gpuUtilPercent: 0, memoryUtilPercent: 0 }],
          }
        : null,
  };
}

type Input<T> = { input: T };

function rootValue(state: StandInState) {
  const { fleet, faults, prices } = state;
  const findPod = (podId: string) => {
    const pod = fleet.get(podId);
    if (!pod || pod.status === 'TERMINATED') throw new GraphQLError(`pod "${podId}" not found`);
    return pod;
  };
  const checkBid = (gpuTypeId: string, bid: number) => {
    const price = prices[gpuTypeId];
    if (!price) throw new GraphQLError(`GPU type "${gpuTypeId}" not found`);
    if (bid < price.minimumBid) {
      throw new GraphQLError(`Your bid ($${bid}/hr) is below the minimum bid of $${price.minimumBid}/hr for ${gpuTypeId}.`);
    }
  };
  return {
    podRentInterruptable: ({ input }: Input<Record<string, unknown>>) => {
      if (faults.insufficientBalance) throw new GraphQLError(MESSAGES.insufficientBalance);
      if (faults.noCapacityCreates > 0) {
        faults.noCapacityCreates -= 1;
        throw new GraphQLError(MESSAGES.noCapacity);
      }
      const gpuTypeId = String(input.gpuTypeId ?? '');
      const bid = input.bidPerGpu as number;
      const gpuCount = input.gpuCount as number;
      checkBid(gpuTypeId, bid);
      const networkVolumeId = input.networkVolumeId ? String(input.networkVolumeId) : null;
      if (networkVolumeId && input.cloudType === 'COMMUNITY') throw new GraphQLError(MESSAGES.networkVolumeSecureOnly);
      const placed = placePod(state, gpuTypeId, input.dataCenterId ? [String(input.dataCenterId)] : undefined, networkVolumeId);
      if ('error' in placed) throw new GraphQLError((placed.error.body as { detail: string }).detail);
      const env = (input.env as Array<{ key: string; value: string }> | null) ?? [];
      const pod = fleet.create(
        {
          name: String(input.name ?? 'spot-pod'),
          image: String(input.imageName ?? ''),
          env: Object.fromEntries(env.map(({ key, value }) => [key, value])),
          args: String(input.dockerArgs ?? ''),
          ports: input.ports ? String(input.ports).split(',') : [],
          gpuTypeId,
          gpuCount,
          cloud: input.cloudType === 'COMMUNITY' ? 'COMMUNITY' : 'SECURE',
          interruptible: true,
          costPerHr: bid * gpuCount,
          containerDiskInGb: (input.containerDiskInGb as number | null) ?? 50,
          volumeInGb: (input.volumeInGb as number | null) ?? 0,
          volumeMountPath: String(input.volumeMountPath ?? '/workspace'),
          dataCenterId: placed.dataCenterId,
          networkVolumeId,
        },
        state.takeNeverStart(),
      );
      return graphqlPodView(pod, state.now());
    },
    podBidResume: ({ input }: Input<{ podId: string; bidPerGpu: number; gpuCount: number }>) => {
      const pod = findPod(input.podId);
      if (!pod.interruptible) throw new GraphQLError('podBidResume is for spot pods; use podResume for on-demand pods.');
      if (pod.status !== 'EXITED' && pod.status !== 'ERROR') throw new GraphQLError(`pod is ${pod.status}, not stopped`);
      if (faults.insufficientBalance) throw new GraphQLError(MESSAGES.insufficientBalance);
      if (faults.noCapacityResumes > 0) {
        faults.noCapacityResumes -= 1;
        throw new GraphQLError(MESSAGES.hostFull);
      }
      checkBid(pod.gpuTypeId, input.bidPerGpu);
      fleet.resume(pod, input.bidPerGpu * input.gpuCount);
      return graphqlPodView(pod, state.now());
    },
    podResume: ({ input }: Input<{ podId: string }>) => {
      const pod = findPod(input.podId);
      if (pod.interruptible) throw new GraphQLError(MESSAGES.spotAsOnDemand);
      fleet.resume(pod);
      return graphqlPodView(pod, state.now());
    },
    podStop: ({ input }: Input<{ podId: string }>) => {
      const pod = findPod(input.podId);
      if (pod.status !== 'EXITED') fleet.halt(pod, 'EXITED', 'Exited by User');
      return graphqlPodView(pod, state.now());
    },
    podTerminate: ({ input }: Input<{ podId: string }>) => {
      fleet.halt(findPod(input.podId), 'TERMINATED', 'Terminated by User');
      return null;
    },
    pod: ({ input }: Input<{ podId: string }>) => {
      const pod = fleet.get(input.podId);
      return pod ? graphqlPodView(pod, state.now()) : null;
    },
    gpuTypes: ({ input }: { input?: { id?: string | null } | null }) =>
      Object.entries(prices)
        .filter(([id]) => !input?.id || id === input.id)
        .map(([id, price]) => ({
          id,
          displayName: price.displayName,
          memoryInGb: price.memoryInGb,
          secureCloud: true,
          communityCloud: true,
          maxGpuCount: 8,
          securePrice: price.secure,
          communityPrice: price.community,
          secureSpotPrice: faults.spotUnavailable ? null : price.secureSpot,
          communitySpotPrice: faults.spotUnavailable ? null : price.communitySpot,
          lowestPrice: () => ({
            minimumBidPrice: faults.spotUnavailable ? null : price.minimumBid,
            uninterruptablePrice: price.community,
            stockStatus: 'High',
          }),
        })),
  };
}

/** The root field names of a document's operations, for recording and matching. */
export function rootFields(document: DocumentNode): string[] {
  return document.definitions.flatMap((definition) =>
    definition.kind === 'OperationDefinition'
      ? definition.selectionSet.selections.flatMap((s) => (s.kind === 'Field' ? [s.name.value] : []))
      : [],
  );
}

export function handleGraphql(state: StandInState, body: unknown): HttpAnswer & { fields: string[] } {
  const request = (typeof body === 'object' && body !== null ? body : {}) as {
    query?: unknown;
    variables?: Record<string, unknown>;
    operationName?: string;
  };
  if (typeof request.query !== 'string') {
    return { status: 400, body: { errors: [{ message: 'Must provide query string.' }] }, fields: [] };
  }
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return { status: 400, body: { errors: [{ message: (error as GraphQLError).message }] }, fields: [] };
  }
  const fields = rootFields(document);
  const schema: GraphQLSchema = state.faults.spotUnavailable ? WITHOUT_SPOT : FULL_SCHEMA;
  const invalid = validate(schema, document);
  if (invalid.length > 0) return { status: 400, body: { errors: invalid.map((e) => e.toJSON()) }, fields };
  const result = execute({
    schema,
    document,
    rootValue: rootValue(state),
    variableValues: request.variables ?? {},
    operationName: request.operationName ?? null,
  }) as { data?: unknown; errors?: readonly GraphQLError[] };
  const errors = result.errors?.map((e) => e.toJSON());
  // No data at all (variables that do not coerce) is a request error: 400, as Apollo answers it.
  const status = result.data === undefined ? 400 : 200;
  return { status, body: { ...(result.data === undefined ? {} : { data: result.data }), ...(errors ? { errors } : {}) }, fields };
}
