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

export interface LaunchRequest {
  jobId: string;
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
  hourlyRate(gpuType: string, cloudType: CloudType): Promise<HourlyRate>;
  launch(request: LaunchRequest): Promise<LaunchResult>;
  status(podId: string): Promise<PodStatus>;
  /** Stops and releases the pod; idempotent. */
  terminate(podId: string): Promise<void>;
  /** The pod's output (the trainer's stdout/stderr, and provider messages where there are any). */
  logs?(podId: string, options: PodLogOptions): AsyncIterable<PodLogLine>;
  /** What the provider says it charged for the pod, when it says. */
  billedUsd?(podId: string): Promise<number | null>;
  close?(): Promise<void>;
}

/** Expected launch failures, with what the supervisor should do about them. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly kind: 'NO_CAPACITY' | 'RATE_LIMITED' | 'INSUFFICIENT_BALANCE' | 'SPOT_UNAVAILABLE' | 'AUTH' | 'CONTRACT' | 'TRANSIENT',
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  get retryable(): boolean {
    return this.kind === 'NO_CAPACITY' || this.kind === 'RATE_LIMITED' || this.kind === 'TRANSIENT';
  }
}
