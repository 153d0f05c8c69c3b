/**
 * Where training pods run. The supervisor drives every provider through this interface and
 * nothing else, so RunPod, a local subprocess and the demo simulation share one life cycle.
 */
export type ProviderName = 'runpod' | 'local' | 'demo';
export type CloudType = 'SPOT' | 'ON_DEMAND';

export interface HourlyRate {
  pricePerHour: number;
  source: 'RUNPOD_LIVE' | 'FALLBACK' | 'LOCAL' | 'SIMULATED';
  note: string;
}

/** Whose pod it is: RunPod launches, watches and stops a workspace's pods with that workspace's key. */
export interface ProviderContext {
  workspaceId: string;
}

export interface LaunchRequest {
  jobId: string;
  /** The job's workspace (its RunPod key, when it set one, rents the pod). */
  workspaceId?: string;
  attempt: number;
  /** Sizes the pod's disk (weights are downloaded into it). */
  baseModel: string;
  gpuType: string;
  cloudType: CloudType;
  allowOnDemandFallback: boolean;
  /** The pod's whole environment: API URL, job id and a fresh job token. Never a user secret. */
  env: Record<string, string>;
  /** The previous attempt's pod, when the provider can resume it (RunPod spot bid-resume). */
  previousPodId?: string | null;
}

export interface LaunchResult {
  podId: string;
  cloudType: CloudType;
  pricePerHour: number;
  /** Storage attributed to the job per hour while this pod runs (the workspace's model-cache volume); 0 or absent: none. */
  storageUsdPerHour?: number;
}

/**
 * Where a workspace's jobs are pinned: a RunPod model-cache network volume lives in one data
 * center, and every pod that mounts it must run there.
 */
export interface JobPlacement {
  dataCenterId: string;
  /** RunPod's name for it; null when RunPod did not answer. */
  dataCenterName: string | null;
  modelCacheVolumeId: string;
  sizeGb: number;
  usdPerGbMonth: number;
  /** The volume's storage cost per hour, attributed to a job while its pod runs (size × rate ÷ 730 h). */
  storageUsdPerHour: number;
  /** Whether the data center offers the GPU type asked about; null when RunPod could not be asked. */
  gpuOffered: boolean | null;
  /** RunPod's stock level for it there (NONE when not offered); null when unknown. */
  gpuAvailability: 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | null;
  /** The GPU types the data center offers (RunPod ids), for the fix; empty when unknown. */
  offeredGpuTypes: string[];
}

export type PodState = 'STARTING' | 'RUNNING' | 'EXITED' | 'GONE';

export interface PodStatus {
  state: PodState;
  /** Why it ended, when the provider knows (exit code, provider message). */
  detail?: string;
  uptimeSeconds?: number;
}

/** One line of a pod's output. */
export interface PodLogLine {
  /** When the provider stamped it; null when it does not (local files). */
  at: Date | null;
  source: 'CONTAINER' | 'SYSTEM';
  message: string;
}

export interface PodLogOptions {
  /** Lines of history to send first. */
  tail: number;
  /** Keep going with new lines until `signal` aborts or the pod's output ends. */
  follow: boolean;
  signal?: AbortSignal;
}

export interface TrainingProvider {
  readonly name: ProviderName;
  /** Demo jobs are simulations and say so everywhere. */
  readonly simulated: boolean;
  hourlyRate(gpuType: string, cloudType: CloudType, context?: ProviderContext): Promise<HourlyRate>;
  /** Why this provider cannot run a job with this model at all (refused at start, with the fix); null when it can. */
  refuse?(job: { baseModel: string; quantization: string }): string | null;
  /**
   * What this provider still needs from the workspace before it can launch anything (a credential),
   * as a sentence naming the fix; null when it is ready. Absent: always ready.
   */
  missingCredentials?(workspace: { runpodApiKeySet: boolean }): string | null;
  launch(request: LaunchRequest): Promise<LaunchResult>;
  status(podId: string, context?: ProviderContext): Promise<PodStatus>;
  /** Stops and releases the pod; idempotent. */
  terminate(podId: string, context?: ProviderContext): Promise<void>;
  /** The pod's output (the trainer's stdout/stderr, and provider messages where there are any). */
  logs?(podId: string, options: PodLogOptions, context?: ProviderContext): AsyncIterable<PodLogLine>;
  /** Where the workspace's jobs must run (RunPod: its model-cache volume's data center); null when anywhere. */
  placement?(gpuType: string, context: ProviderContext): Promise<JobPlacement | null>;
  /** What the provider says it charged for the pod, when it says. */
  billedUsd?(podId: string, context?: ProviderContext): Promise<number | null>;
  close?(): Promise<void>;
}

/** Expected launch failures, with what the supervisor should do about them. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly kind: 'NO_CAPACITY' | 'RATE_LIMITED' | 'INSUFFICIENT_BALANCE' | 'SPOT_UNAVAILABLE' | 'AUTH' | 'CONTRACT' | 'TRANSIENT' | 'GPU_NOT_IN_DATA_CENTER',
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  get retryable(): boolean {
    return this.kind === 'NO_CAPACITY' || this.kind === 'RATE_LIMITED' || this.kind === 'TRANSIENT';
  }
}
