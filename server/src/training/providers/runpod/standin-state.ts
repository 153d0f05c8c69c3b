/** What the stand-in's REST and GraphQL halves share: pods, prices, injected faults. */
import type { OpenApiContract } from './standin-openapi.js';
import type { PodFleet } from './standin-pods.js';
import type { StandInDataCenter, StandInVolume } from './standin-volumes.js';

export interface StandInGpuPrice {
  displayName: string;
  memoryInGb: number;
  /** On-demand, per GPU-hour. */
  secure: number;
  community: number;
  /** Spot, per GPU-hour. */
  secureSpot: number;
  communitySpot: number;
  minimumBid: number;
}

/** Distinct figures per field, so a test can tell which one a client read. */
export const STANDIN_GPU_PRICES: Record<string, StandInGpuPrice> = {
  'NVIDIA H100 PCIe': {
    displayName: 'H100 PCIe', memoryInGb: 80,
    secure: 2.39, community: 1.99, secureSpot: 1.49, communitySpot: 1.25, minimumBid: 1.25,
  },
  'NVIDIA H100 80GB HBM3': {
    displayName: 'H100 SXM', memoryInGb: 80,
    secure: 2.69, community: 2.49, secureSpot: 1.75, communitySpot: 1.55, minimumBid: 1.55,
  },
  'NVIDIA H100 NVL': {
    displayName: 'H100 NVL', memoryInGb: 94,
    secure: 2.59, community: 2.29, secureSpot: 1.65, communitySpot: 1.39, minimumBid: 1.39,
  },
  'NVIDIA H200': {
    displayName: 'H200', memoryInGb: 141,
    secure: 3.59, community: 3.29, secureSpot: 2.29, communitySpot: 1.99, minimumBid: 1.99,
  },
};

/** RunPod's own words (RUNPOD.md). */
export const MESSAGES = {
  noCapacity:
    'There are no longer any instances available with the requested specifications. Please refresh and try again.',
  hostFull: 'There are not enough free GPUs on the host machine to start this pod.',
  transient: 'Something went wrong. Please try again later or contact support.',
  spotAsOnDemand: 'Cannot resume a spot pod as an on demand pod.',
  insufficientBalance: 'Insufficient balance: your account balance is too low to deploy this pod.',
  networkVolumeSecureOnly: 'Network volumes are only available on Secure Cloud.',
};

export interface Faults {
  noCapacityCreates: number;
  noCapacityResumes: number;
  serverErrors: number;
  rateLimited: number;
  retryAfterSeconds: number;
  neverStartNext: boolean;
  insufficientBalance: boolean;
  spotUnavailable: boolean;
}

export interface StandInState {
  fleet: PodFleet;
  contract: OpenApiContract;
  prices: Record<string, StandInGpuPrice>;
  diskUsdPerGbMonth: number;
  dataCenters: StandInDataCenter[];
  volumes: Map<string, StandInVolume>;
  faults: Faults;
  now(): number;
  /** Consumes the "never start the next pod" fault. */
  takeNeverStart(): boolean;
}

export interface HttpAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** For streamed answers (SSE): writes and ends the response itself. */
  stream?: (write: (chunk: string) => void, end: () => void, onClose: (fn: () => void) => void) => void;
}

export function problem(status: number, title: string, detail: string, errors?: string[]): HttpAnswer {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: { title, status, detail, ...(errors ? { errors } : {}) },
  };
}
