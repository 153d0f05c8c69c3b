/**
 * The GraphQL operations we send to RunPod: only what REST v2 cannot do (spot pods, the reliable
 * uptime, spot prices). Shapes follow RUNPOD.md, gathered from RunPod's docs and clients.
 */

export const CREATE_SPOT_POD = /* GraphQL */ `
  mutation createSpotPod($input: PodRentInterruptableInput!) {
    podRentInterruptable(input: $input) { id desiredStatus costPerHr lastStatusChange }
  }
`;

export const RESUME_SPOT_POD = /* GraphQL */ `
  mutation resumeSpotPod($input: PodBidResumeInput!) {
    podBidResume(input: $input) { id desiredStatus costPerHr lastStatusChange }
  }
`;

export const POD_RUNTIME = /* GraphQL */ `
  query podRuntime($input: PodFilter!) {
    pod(input: $input) {
      id desiredStatus costPerHr lastStatusChange
      runtime { uptimeInSeconds gpus { id gpuUtilPercent memoryUtilPercent } }
    }
  }
`;

export const GPU_SPOT_PRICES = /* GraphQL */ `
  query gpuSpotPrices($input: GpuTypeFilter) {
    gpuTypes(input: $input) {
      id displayName memoryInGb securePrice communityPrice secureSpotPrice communitySpotPrice
      lowestPrice(input: { gpuCount: 1 }) { minimumBidPrice uninterruptablePrice }
    }
  }
`;

export interface GraphqlPod {
  id: string;
  desiredStatus: string | null;
  costPerHr: number | null;
  lastStatusChange?: string | null;
  runtime?: {
    uptimeInSeconds: number | null;
    gpus: Array<{ id: string; gpuUtilPercent: number | null; memoryUtilPercent: number | null }> | null;
  } | null;
}

export interface GraphqlGpuType {
  id: string;
  displayName: string | null;
  memoryInGb: number | null;
  securePrice: number | null;
  communityPrice: number | null;
  secureSpotPrice: number | null;
  communitySpotPrice: number | null;
  lowestPrice: { minimumBidPrice: number | null; uninterruptablePrice: number | null } | null;
}
