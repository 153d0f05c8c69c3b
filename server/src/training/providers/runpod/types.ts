/** What the RunPod client takes and returns, normalized across REST v2 and GraphQL. */

export type RunPodPodStatus = 'PROVISIONING' | 'STARTING' | 'RUNNING' | 'EXITED' | 'ERROR' | 'TERMINATED';
/** RunPod's cloud tiers (not to be confused with our SPOT / ON_DEMAND choice). */
export type RunPodCloud = 'SECURE' | 'COMMUNITY';

export interface RunPodPod {
  id: string;
  status: RunPodPodStatus;
  /** What the pod costs per hour now (0 once EXITED or TERMINATED). */
  costPerHr: number;
  /** Seconds since the container started, when RunPod reports it. */
  uptimeSeconds?: number;
  name?: string;
  image?: string;
  gpuTypeId?: string;
  gpuCount?: number;
  dataCenterId?: string | null;
  createdAt?: string;
  startedAt?: string | null;
}

export interface CreatePodInput {
  name: string;
  image: string;
  gpuTypeId: string;
  /** @default 1 */
  gpuCount?: number;
  /** @default 'SECURE' */
  cloudType?: RunPodCloud;
  env: Record<string, string>;
  containerDiskInGb: number;
  /** Host-local persistent volume; RunPod's floor is 10 GB. Omit or 0 for none. */
  volumeInGb?: number;
  /** @default '/workspace' */
  volumeMountPath?: string;
  /** Preferred data centers; the spot mutation takes only the first. */
  dataCenterIds?: string[];
  /**
   * A network volume to mount at `volumeMountPath` instead of a host-local volume disk (RunPod
   * allows one or the other). The pod must run in the volume's data center: pass it in
   * `dataCenterIds`.
   */
  networkVolumeId?: string;
  /** Arguments to the image's entrypoint. */
  args?: string;
  ports?: string[];
}

export interface CreateSpotPodInput extends Omit<CreatePodInput, 'cloudType'> {
  /** Maximum price per GPU-hour. */
  bidPerGpu: number;
  /** GraphQL also accepts ALL. @default 'SECURE' */
  cloudType?: RunPodCloud | 'ALL';
}

/** GraphQL `pod { runtime }`: the reliable uptime, and GPU telemetry. */
export interface RunPodPodRuntime {
  id: string;
  desiredStatus: string;
  costPerHr: number;
  /** Null until the container is up. */
  uptimeSeconds: number | null;
  gpus: Array<{ id: string; gpuUtilPercent: number | null; memoryUtilPercent: number | null }>;
}

export interface RunPodLogLine {
  ts: string;
  source: 'container' | 'system';
  line: string;
}

export interface RunPodGpuPrices {
  gpuTypeId: string;
  displayName: string;
  memoryInGb: number;
  /** Per GPU-hour, REST catalog. */
  onDemand: { secure: number; community: number };
  /** Per GPU-hour, GraphQL; null when RunPod no longer quotes spot for this GPU. */
  spot: { secure: number | null; community: number | null; minimumBid: number | null } | null;
  source: 'RUNPOD_LIVE';
}

export interface RunPodPodBilling {
  podId: string;
  totalAmount: number;
  gpuAmount: number;
  cpuAmount: number;
  diskAmount: number;
  records: Array<{ startTime: string; endTime: string; totalAmount: number; gpuAmount: number; diskAmount: number }>;
}

/** RunPod's storage tiers for network volumes (REST v2 `VolumeType`). */
export type RunPodVolumeType = 'STANDARD' | 'HIGH_PERFORMANCE';

/** REST v2 `NetworkVolume`: persistent network storage in one data center, billed per GB-month until deleted. */
export interface RunPodNetworkVolume {
  id: string;
  name: string;
  /** GB; RunPod accepts 10–4096 and only ever grows it. */
  size: number;
  /** Immutable after creation; pods that mount the volume must run there. */
  dataCenter: string;
  type: RunPodVolumeType;
}

/** REST v2 `CreateNetworkVolumeRequest`. */
export interface CreateNetworkVolumeInput {
  name: string;
  /** GB, 10–4096 (the contract's bounds). */
  size: number;
  dataCenter: string;
  type?: RunPodVolumeType;
}

export type RunPodAvailability = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';

/** REST v2 `DataCenter` with `include=GPU_AVAILABILITY`. */
export interface RunPodDataCenter {
  id: string;
  name: string;
  region: string;
  networkVolumeTypes: RunPodVolumeType[];
  /** The GPUs this data center offers, with their stock; empty when it offers none. */
  gpuAvailability: Array<{ id: string; name: string; availability: RunPodAvailability }>;
}
