/**
 * Cost is arithmetic on the hours: compute (hours × the hourly rate) + storage + a buffer.
 *
 * Storage, at $0.10 per GB-month (RunPod's rate for pod disk while running; network volumes are
 * $0.07 and Supabase Storage $0.021, so this is the high figure):
 * - the pod's disk while the job runs: the BF16 weights plus 20 GB for the image's scratch space,
 *   prorated over the high hours (730 hours a month);
 * - the kept artifacts for a month: the adapter plus the two most recent resumable checkpoints.
 *
 * Model cache: a workspace with a RunPod network volume as its model cache pays for it per GB-month
 * whether jobs run or not; a job's estimate carries the volume's cost for the job's duration (size ×
 * rate × high hours ÷ 730), the same share its spend accrues per hour its pods run.
 *
 * Buffer: 10% of compute and storage (model cache included), for what the estimate leaves out — a spot interruption's
 * reload, a slower host, a retried upload.
 */
import { POD_SCRATCH_GB, type ArtifactSizes } from './memory.js';
import type { HoursRange } from './stages.js';

export const STORAGE_USD_PER_GB_MONTH = 0.1;
export const HOURS_PER_MONTH = 730;
export const KEPT_CHECKPOINTS = 2;
export const BUFFER_SHARE = 0.1;

export interface CostBreakdown {
  compute: HoursRange;
  storage: number;
  /** The model-cache volume's storage for the job's duration; 0 without one. */
  modelCacheStorage: number;
  buffer: { share: number; low: number; high: number };
}

export function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}

export function storageCost(sizes: ArtifactSizes, highHours: number): number {
  const podDiskGb = sizes.downloadGb + POD_SCRATCH_GB;
  const keptGb = sizes.adapterGb + KEPT_CHECKPOINTS * sizes.checkpointGb;
  const podDisk = podDiskGb * STORAGE_USD_PER_GB_MONTH * (highHours / HOURS_PER_MONTH);
  return roundCents(podDisk + keptGb * STORAGE_USD_PER_GB_MONTH);
}

/** The model-cache volume's cost prorated over `hours`: size × rate × hours ÷ 730. */
export function modelCacheCost(volume: { sizeGb: number; usdPerGbMonth: number } | null | undefined, hours: number): number {
  return volume ? roundCents((volume.sizeGb * volume.usdPerGbMonth * hours) / HOURS_PER_MONTH) : 0;
}

export function costOf(hours: HoursRange, pricePerHour: number, sizes: ArtifactSizes, modelCache?: { sizeGb: number; usdPerGbMonth: number } | null) {
  const compute = { low: roundCents(hours.low * pricePerHour), high: roundCents(hours.high * pricePerHour) };
  const modelCacheStorage = modelCacheCost(modelCache, hours.high);
  const storage = roundCents(storageCost(sizes, hours.high) + modelCacheStorage);
  const buffer = {
    share: BUFFER_SHARE,
    low: roundCents((compute.low + storage) * BUFFER_SHARE),
    high: roundCents((compute.high + storage) * BUFFER_SHARE),
  };
  const breakdown: CostBreakdown = { compute, storage, modelCacheStorage, buffer };
  return {
    low: roundCents(compute.low + storage + buffer.low),
    high: roundCents(compute.high + storage + buffer.high),
    breakdown,
  };
}
