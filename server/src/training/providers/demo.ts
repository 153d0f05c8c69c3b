import type { HourlyRate, LaunchRequest, LaunchResult, PodLogLine, PodLogOptions, PodStatus, TrainingProvider } from './provider.js';
import { runDemoTrainer } from './demo-trainer.js';
import { fallbackRate } from '../estimate/prices.js';
import type { GpuTypeId } from '../presets/index.js';

export interface DemoProviderOptions {
  /** Real seconds per simulated second; absent → a whole job takes about `targetSeconds`. */
  speedup?: number;
  targetSeconds?: number;
  /** Steps and realistic hours of each job (from its frozen estimate). */
  jobShape: (jobId: string) => Promise<{ totalSteps: number; estimatedHours: number }>;
}

interface Pod {
  started: number;
  speedup: number;
  pricePerHour: number;
  controller: AbortController;
  ended?: number;
  done?: { ok: boolean; detail: string };
  /** The simulated trainer's output (the newest MAX_LOG_LINES), and who waits for more. */
  lines: PodLogLine[];
  /** Lines ever logged (the buffer drops old ones; this does not go back). */
  total: number;
  waiting: Set<() => void>;
}

const MAX_LOG_LINES = 5000;

/**
 * A labelled simulation for a first look without a GPU or Python: a whole job in about a minute
 * by default, while hours, steps and spend stay realistic (spend is billed in simulated time).
 */
export class DemoProvider implements TrainingProvider {
  readonly name = 'demo' as const;
  readonly simulated = true;
  private readonly pods = new Map<string, Pod>();

  constructor(private readonly options: DemoProviderOptions) {}

  async hourlyRate(gpuType: string, cloudType: 'SPOT' | 'ON_DEMAND'): Promise<HourlyRate> {
    const rate = fallbackRate(gpuType as GpuTypeId, cloudType);
    return { pricePerHour: rate.pricePerHour, source: 'SIMULATED', note: `Simulated job billed at the documented ${cloudType === 'SPOT' ? 'spot' : 'on-demand'} rate for ${gpuType}` };
  }

  async launch(request: LaunchRequest): Promise<LaunchResult> {
    const shape = await this.options.jobShape(request.jobId);
    const realHours = shape.estimatedHours;
    const durationSeconds = this.options.speedup ? (realHours * 3600) / this.options.speedup : (this.options.targetSeconds ?? 60);
    const speedup = (realHours * 3600) / durationSeconds;
    const { pricePerHour } = await this.hourlyRate(request.gpuType, request.cloudType);
    const podId = `demo-${request.jobId}-${request.attempt}`;
    const pod: Pod = { started: Date.now(), speedup, pricePerHour, controller: new AbortController(), lines: [], total: 0, waiting: new Set() };
    const log = (message: string) => {
      pod.lines.push({ at: new Date(), source: 'CONTAINER', message });
      pod.total += 1;
      if (pod.lines.length > MAX_LOG_LINES) pod.lines.splice(0, pod.lines.length - MAX_LOG_LINES);
      for (const wake of pod.waiting) wake();
    };
    log(`[demo] simulated trainer for ${request.jobId}, attempt ${request.attempt}: no GPU, synthetic metrics`);
    this.pods.set(podId, pod);
    runDemoTrainer(
      { apiUrl: request.env.BRIGHTRUN_API_URL!, jobId: request.jobId, token: request.env.BRIGHTRUN_JOB_TOKEN!, durationSeconds, signal: pod.controller.signal, log },
      shape.totalSteps,
    ).then(
      () => {
        pod.ended = Date.now();
        pod.done = { ok: true, detail: 'simulation finished' };
        log('[demo] simulation finished');
      },
      (error: Error) => {
        pod.ended = Date.now();
        pod.done = { ok: false, detail: pod.controller.signal.aborted ? 'simulation stopped' : `simulation failed: ${error.message}` };
        log(`[demo] ${pod.done.detail}`);
      },
    );
    return { podId, cloudType: request.cloudType, pricePerHour };
  }

  async status(podId: string): Promise<PodStatus> {
    const pod = this.pods.get(podId);
    if (!pod) return { state: 'GONE', detail: 'demo pods do not survive a server restart' };
    const uptimeSeconds = (((pod.ended ?? Date.now()) - pod.started) / 1000) * pod.speedup;
    return pod.done ? { state: 'EXITED', detail: pod.done.detail, uptimeSeconds } : { state: 'RUNNING', uptimeSeconds };
  }

  /** The simulated trainer's output, kept in memory while the server runs. */
  async *logs(podId: string, options: PodLogOptions): AsyncGenerator<PodLogLine> {
    const pod = this.pods.get(podId);
    if (!pod) return;
    let sent = pod.total;
    yield* options.tail > 0 ? pod.lines.slice(-options.tail) : [];
    if (!options.follow) return;
    let wake: () => void = () => undefined;
    const onAbort = () => wake();
    options.signal?.addEventListener('abort', onAbort);
    try {
      while (!options.signal?.aborted) {
        const fresh = pod.total > sent ? pod.lines.slice(-Math.min(pod.lines.length, pod.total - sent)) : [];
        sent = pod.total;
        yield* fresh;
        if (pod.done) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
          pod.waiting.add(resolve);
        });
        pod.waiting.delete(wake);
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      pod.waiting.delete(wake);
    }
  }

  async terminate(podId: string): Promise<void> {
    const pod = this.pods.get(podId);
    if (pod && !pod.done) pod.controller.abort(new Error('terminated'));
  }

  /** Spend in simulated time, so a one-minute demo shows what the real job would cost. */
  async billedUsd(podId: string): Promise<number | null> {
    const pod = this.pods.get(podId);
    if (!pod) return null;
    const hours = (((pod.ended ?? Date.now()) - pod.started) / 3_600_000) * pod.speedup;
    return Math.round(hours * pod.pricePerHour * 10_000) / 10_000;
  }

  async close(): Promise<void> {
    for (const pod of this.pods.values()) if (!pod.done) pod.controller.abort(new Error('server stopping'));
  }
}
