import type { ConnectionState } from '$lib/state/connection.svelte';
import type { SystemStatus } from '$lib/state/system-status.svelte';

/** The dot's meaning, always said in words beside it too (never colour alone). */
export type Tone = 'ok' | 'warn' | 'bad' | 'off';

export interface RunPodLine {
  tone: Tone;
  /** Short words, always shown. */
  label: string;
  /** The server's explanation (RunPod's words and the fix), shown where there is room. */
  detail: string | null;
  /** A link to Settings' RunPod key, when a key there is the fix. */
  settingsLink: boolean;
}

export function runpodLine(runpod: SystemStatus['runpod']): RunPodLine {
  switch (runpod.state) {
    case 'CONNECTED':
      return { tone: 'ok', label: 'RunPod connected', detail: null, settingsLink: false };
    case 'NOT_CONFIGURED':
      return runpod.offered
        ? { tone: 'off', label: 'RunPod: no API key', detail: null, settingsLink: true }
        : { tone: 'off', label: 'RunPod not offered by this server', detail: runpod.message ?? null, settingsLink: false };
    case 'REFUSED':
      return { tone: 'bad', label: 'RunPod refused the key', detail: runpod.message ?? null, settingsLink: runpod.keySource !== 'SERVER' };
    default:
      return { tone: 'warn', label: 'RunPod unreachable', detail: runpod.message ?? null, settingsLink: false };
  }
}

const STOCK: Record<string, string> = { HIGH: 'high', MEDIUM: 'medium', LOW: 'low' };

/** "H100 PCIe: high stock in 2 of 3 data centers", or the pinned data center's stock; null when unknown. */
export function gpuLine(gpu: SystemStatus['defaultGpu']): { tone: Tone; text: string } | null {
  const pinned = gpu.pinnedDataCenter;
  if (pinned?.availability) {
    const where = pinned.dataCenterName ?? pinned.dataCenterId;
    return pinned.availability === 'NONE'
      ? { tone: 'bad', text: `${gpu.label}: not offered in ${where} (your model cache's data center)` }
      : { tone: pinned.availability === 'LOW' ? 'warn' : 'ok', text: `${gpu.label}: ${STOCK[pinned.availability]} stock in ${where}` };
  }
  if (!gpu.availability || gpu.dataCenterCount == null || gpu.dataCentersWithStock == null) return null;
  if (gpu.availability === 'NONE') return { tone: 'bad', text: `${gpu.label}: no stock in any of ${gpu.dataCenterCount} data centers` };
  const centers = `${gpu.dataCentersWithStock} of ${gpu.dataCenterCount} data center${gpu.dataCenterCount === 1 ? '' : 's'}`;
  return { tone: gpu.availability === 'LOW' ? 'warn' : 'ok', text: `${gpu.label}: ${STOCK[gpu.availability]} stock in ${centers}` };
}

export function liveText(state: ConnectionState): string {
  if (state === 'live') return 'Live';
  if (state === 'idle') return 'Connecting…';
  return 'Polling every 60 s';
}

/** "587 of 600 left · resets in 42 s"; null when not limited. */
export function budgetText(budget: { limit: number | null; remaining: number | null; resetsAt: number | null }, now: number): { left: string; reset: string | null } | null {
  if (budget.limit == null || budget.remaining == null || budget.resetsAt == null) return null;
  const seconds = Math.ceil((budget.resetsAt - now) / 1000);
  // Past the window's end the budget is full again (the next answer says so exactly).
  if (seconds <= 0) return { left: `${budget.limit.toLocaleString('en-US')} of ${budget.limit.toLocaleString('en-US')} left`, reset: null };
  return { left: `${budget.remaining.toLocaleString('en-US')} of ${budget.limit.toLocaleString('en-US')} left`, reset: `resets in ${duration(seconds)}` };
}

const duration = (seconds: number) => (seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`);
