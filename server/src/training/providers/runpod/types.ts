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
