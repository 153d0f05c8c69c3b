/**
 * GET /v2/billing/pods for the stand-in: what each pod's running intervals cost, split into UTC
 * time buckets the way RunPod's `ListPodBillingResponse` reports them.
 */
import type { StandInPod } from './standin-pods.js';

export type BucketSize = 'hour' | 'day' | 'week' | 'month' | 'year';
const HOUR_MS = 3_600_000;
const HOURS_PER_MONTH = 730;

function floorToBucket(ms: number, size: BucketSize): number {
  const d = new Date(ms);
  switch (size) {
    case 'hour':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours());
    case 'day':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case 'week': {
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      return day - ((d.getUTCDay() + 6) % 7) * 24 * HOUR_MS; // back to Monday
    }
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'year':
      return Date.UTC(d.getUTCFullYear(), 0, 1);
  }
}

function nextBucket(start: number, size: BucketSize): number {
  const d = new Date(start);
  switch (size) {
    case 'hour':
      return start + HOUR_MS;
    case 'day':
      return start + 24 * HOUR_MS;
    case 'week':
      return start + 7 * 24 * HOUR_MS;
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    case 'year':
      return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  }
}

export interface BillingQuery {
  podId?: string | null;
  startTime?: string | null;
  endTime?: string | null;
  bucketSize?: BucketSize | null;
  lastN?: number | null;
}

/** `diskUsdPerGbMonth` prices container disk and volume while the pod runs (RunPod: $0.10). */
export function podBilling(pods: StandInPod[], query: BillingQuery, now: number, diskUsdPerGbMonth = 0) {
  const bucketSize = query.bucketSize ?? 'day';
  const end = query.endTime && !query.lastN ? Date.parse(query.endTime) : now;
  const endAligned = floorToBucket(end, bucketSize) === end ? end : nextBucket(floorToBucket(end, bucketSize), bucketSize);
  let start = floorToBucket(query.startTime && !query.lastN ? Date.parse(query.startTime) : now - 30 * 24 * HOUR_MS, bucketSize);
  if (query.lastN) {
    start = floorToBucket(now, bucketSize);
    for (let i = 1; i < query.lastN; i += 1) start = floorToBucket(start - 1, bucketSize);
  }

  const records = [];
  for (const pod of pods.filter((p) => !query.podId || p.id === query.podId)) {
    for (let bucket = start; bucket < endAligned; bucket = nextBucket(bucket, bucketSize)) {
      const bucketEnd = nextBucket(bucket, bucketSize);
      let gpuAmount = 0;
      let diskAmount = 0;
      for (const interval of pod.intervals) {
        const overlapMs = Math.min(interval.end ?? now, bucketEnd) - Math.max(interval.start, bucket);
        if (overlapMs <= 0) continue;
        gpuAmount += (overlapMs / HOUR_MS) * interval.costPerHr;
        diskAmount += (overlapMs / HOUR_MS) * (pod.containerDiskInGb + pod.volumeInGb) * (diskUsdPerGbMonth / HOURS_PER_MONTH);
      }
      if (gpuAmount === 0 && diskAmount === 0) continue;
      records.push({
        startTime: new Date(bucket).toISOString(),
        endTime: new Date(bucketEnd).toISOString(),
        podId: pod.id,
        totalAmount: gpuAmount + diskAmount,
        gpuAmount,
        cpuAmount: 0,
        diskAmount,
      });
    }
  }
  const totals = records.reduce(
    (sum, r) => ({
      totalAmount: sum.totalAmount + r.totalAmount,
      gpuAmount: sum.gpuAmount + r.gpuAmount,
      cpuAmount: 0,
      diskAmount: sum.diskAmount + r.diskAmount,
    }),
    { totalAmount: 0, gpuAmount: 0, cpuAmount: 0, diskAmount: 0 },
  );
  return {
    records,
    metadata: {
      query: {
        startTime: new Date(start).toISOString(),
        endTime: new Date(endAligned).toISOString(),
        bucketSize,
        podId: query.podId ?? null,
      },
      recordCount: records.length,
      uniquePodCount: new Set(records.map((r) => r.podId)).size,
      totals,
    },
  };
}
