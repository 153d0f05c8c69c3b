/**
 * What a RunPod network volume costs to keep. RunPod bills network volumes per GB-month for as long
 * as they exist, attached or not.
 *
 * Source of the rate: RunPod's public pricing page ("Network Volume" storage: $0.07 per GB-month
 * below 1 TB, $0.05 per GB-month from 1 TB), as read in late 2026. The REST v2 contract in
 * shared/reference/runpod-rest-v2.openapi.json has no price field for volumes (only
 * `/v2/billing/network-volumes`, after the fact), so this is a documented assumption, applied to
 * the whole volume by its size, and every figure built on it says so (`NETWORK_VOLUME_PRICE_SOURCE`).
 */
import { HOURS_PER_MONTH } from './cost.js';

export const NETWORK_VOLUME_USD_PER_GB_MONTH = 0.07;
export const NETWORK_VOLUME_USD_PER_GB_MONTH_FROM_1TB = 0.05;
export const NETWORK_VOLUME_PRICE_SOURCE =
  "RunPod's published network-volume rate ($0.07/GB-month below 1 TB, $0.05 from 1 TB; runpod.io/pricing, late 2026); RunPod's API quotes no volume price";
/** RunPod's bounds for a network volume (CreateNetworkVolumeRequest.size). */
export const NETWORK_VOLUME_MIN_GB = 10;
export const NETWORK_VOLUME_MAX_GB = 4096;

export function networkVolumeUsdPerGbMonth(sizeGb: number): number {
  return sizeGb >= 1000 ? NETWORK_VOLUME_USD_PER_GB_MONTH_FROM_1TB : NETWORK_VOLUME_USD_PER_GB_MONTH;
}

/** What the volume costs per month (730 hours). */
export function networkVolumeMonthlyUsd(sizeGb: number, usdPerGbMonth = networkVolumeUsdPerGbMonth(sizeGb)): number {
  return Math.round(sizeGb * usdPerGbMonth * 100) / 100;
}

/** What the volume costs per hour: size × rate ÷ 730 hours (unrounded; spend keeps 4 decimals). */
export function networkVolumeUsdPerHour(sizeGb: number, usdPerGbMonth = networkVolumeUsdPerGbMonth(sizeGb)): number {
  return (sizeGb * usdPerGbMonth) / HOURS_PER_MONTH;
}
