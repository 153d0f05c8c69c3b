import type { RunPodAvailability } from '../training/providers/runpod/index.js';
import type { RunPodProbe } from './runpod-probe.js';

/** Where jobs of the workspace must run (its model-cache volume's data center), and the stock there. */
export interface PinnedStock {
  dataCenterId: string;
  dataCenterName: string | null;
  /** NONE: not offered there; null when RunPod was not asked. */
  availability: RunPodAvailability | null;
}

export interface GpuStock {
  gpuTypeId: string;
  label: string;
  /** The best stock level across data centers; null when RunPod was not asked (no key, no answer). */
  availability: RunPodAvailability | null;
  /** Data centers with any stock (LOW or better) of it; null when unknown. */
  dataCentersWithStock: number | null;
  /** Data centers RunPod listed; null when unknown. */
  dataCenterCount: number | null;
  pinned: PinnedStock | null;
}

const RANK: Record<RunPodAvailability, number> = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };

/** One GPU type's stock from a probe's data centers; pinned to the model-cache volume's data center when there is one. */
export function gpuStock(gpu: { id: string; label: string }, probe: RunPodProbe, pinnedDataCenterId: string | null): GpuStock {
  const known = probe.state === 'CONNECTED';
  const levels = probe.dataCenters.map((dc) => dc.gpuAvailability.find((g) => g.id === gpu.id)?.availability ?? 'NONE');
  const best = levels.reduce<RunPodAvailability>((a, b) => (RANK[b] > RANK[a] ? b : a), 'NONE');
  let pinned: PinnedStock | null = null;
  if (pinnedDataCenterId) {
    const dc = probe.dataCenters.find((d) => d.id === pinnedDataCenterId);
    pinned = {
      dataCenterId: pinnedDataCenterId,
      dataCenterName: dc?.name ?? null,
      availability: known ? (dc?.gpuAvailability.find((g) => g.id === gpu.id)?.availability ?? 'NONE') : null,
    };
  }
  return {
    gpuTypeId: gpu.id,
    label: gpu.label,
    availability: known ? best : null,
    dataCentersWithStock: known ? levels.filter((level) => level !== 'NONE').length : null,
    dataCenterCount: known ? probe.dataCenters.length : null,
    pinned,
  };
}
