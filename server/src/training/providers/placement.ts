/**
 * Where a job runs, in words. Only RunPod jobs rent a spot or on-demand GPU; a local job runs on the
 * server's own machine and a demo job is a simulation that rents nothing, so neither is ever
 * described as a "spot H100 pod" (events, notifications, estimate warnings).
 */
export interface Placement {
  provider?: string | null;
  isSimulated?: boolean | null;
  gpuType: string;
  cloudType: 'SPOT' | 'ON_DEMAND';
}

export const cloudLabel = (cloud: Placement['cloudType']) => (cloud === 'SPOT' ? 'spot' : 'on-demand');

/** "a spot NVIDIA H100 PCIe", "a simulated NVIDIA H100 PCIe (demo: no GPU is rented)", or the local machine. */
export function podLabel(job: Placement): string {
  if (job.isSimulated || job.provider === 'demo') return `a simulated ${job.gpuType} (demo: no GPU is rented)`;
  if (job.provider === 'local') return "the server's own machine (local trainer, nothing rented)";
  return `a ${cloudLabel(job.cloudType)} ${job.gpuType}`;
}

/** Whether the job rents a GPU that spot interruptions and hourly prices apply to. */
export const rentsGpu = (job: Pick<Placement, 'provider' | 'isSimulated'>) => !job.isSimulated && job.provider !== 'demo' && job.provider !== 'local';
