/**
 * Hourly prices used when RunPod's live prices cannot be read (no key yet, API down). Estimates
 * built on them say so (`source: 'FALLBACK'`).
 *
 * H100 PCIe is the product brief's figure: $2.49/h spot, $7.99/h on-demand. The other GPU types
 * keep the brief's level and take their ratio to the H100 PCIe from RunPod's secure-cloud
 * on-demand list prices seen in 2025–26 (H100 PCIe $2.39, H100 SXM $2.69, H100 NVL $2.59, H200
 * $3.59 per GPU-hour), applied to both the spot and the on-demand figure, so that the fallback
 * never ranks GPUs differently from the live catalog.
 */
import type { CloudType, GpuTypeId } from '../presets/index.js';

export interface HourlyRate {
  pricePerHour: number;
  /** LOCAL: the server's own machine (nothing rented); SIMULATED: a demo job, priced in simulated time. */
  source: 'RUNPOD_LIVE' | 'FALLBACK' | 'LOCAL' | 'SIMULATED';
  note: string;
}

const BRIEF_H100_PCIE = { SPOT: 2.49, ON_DEMAND: 7.99 } as const;
const LIST_PRICE_RATIO_TO_H100_PCIE: Record<GpuTypeId, number> = {
  'NVIDIA H100 PCIe': 1,
  'NVIDIA H100 80GB HBM3': 2.69 / 2.39,
  'NVIDIA H100 NVL': 2.59 / 2.39,
  'NVIDIA H200': 3.59 / 2.39,
};

function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}

export const FALLBACK_PRICES: Record<GpuTypeId, Record<CloudType, number>> = Object.fromEntries(
  Object.entries(LIST_PRICE_RATIO_TO_H100_PCIE).map(([gpu, ratio]) => [
    gpu,
    { SPOT: roundCents(BRIEF_H100_PCIE.SPOT * ratio), ON_DEMAND: roundCents(BRIEF_H100_PCIE.ON_DEMAND * ratio) },
  ]),
) as Record<GpuTypeId, Record<CloudType, number>>;

export function fallbackRate(gpuType: GpuTypeId, cloudType: CloudType): HourlyRate & { source: 'FALLBACK' } {
  const pricePerHour = FALLBACK_PRICES[gpuType][cloudType];
  const kind = cloudType === 'SPOT' ? 'spot' : 'on-demand';
  return {
    pricePerHour,
    source: 'FALLBACK',
    note: `Live RunPod prices unavailable; using the fallback ${kind} price for ${gpuType} ($${pricePerHour.toFixed(2)}/h).`,
  };
}

/** The part of a live RunPod quote the estimate needs (RunPodClient.gpuPrices returns it). */
export interface LiveQuote {
  gpuTypeId: string;
  onDemand: { secure: number; community: number };
  spot: { secure: number | null; community: number | null } | null;
}

/**
 * The hourly rate for one GPU from a live quote: secure cloud (where BrightRun rents), the
 * community price only when secure has none. Null when the quote has no price for that cloud type
 * (RunPod no longer quoting spot): use `fallbackRate` then, and the estimate will say so.
 */
export function liveRate(quote: LiveQuote, cloudType: CloudType, readAt: Date = new Date()): HourlyRate | null {
  const price =
    cloudType === 'SPOT'
      ? (quote.spot?.secure ?? quote.spot?.community ?? null)
      : quote.onDemand.secure || quote.onDemand.community || null;
  if (price === null || !(price > 0)) return null;
  const kind = cloudType === 'SPOT' ? 'spot' : 'on-demand';
  return {
    pricePerHour: price,
    source: 'RUNPOD_LIVE',
    note: `RunPod ${kind} price for ${quote.gpuTypeId}, read ${readAt.toISOString()}.`,
  };
}
