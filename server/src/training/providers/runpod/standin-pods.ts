/**
 * The stand-in's pods: each "runs" by calling the injected `launch` with the pod's env, and moves
 * PROVISIONING → RUNNING (launched) → EXITED (process ended, stopped or interrupted), or
 * TERMINATED. Running time is kept per interval and rate, for billing.
 */
import { randomBytes } from 'node:crypto';
import type { RunPodPodStatus } from './types.js';

export interface StandInLaunchedPod {
  id: string;
  env: Record<string, string>;
  image: string;
}
export interface StandInProcess {
  stop(signal: 'SIGTERM' | 'SIGKILL'): void;
  exited: Promise<{ code: number | null }>;
}
export type StandInLaunch = (
  pod: StandInLaunchedPod,
  tools: { log(line: string): void },
) => StandInProcess | Promise<StandInProcess>;

export interface StandInPodSpec {
  name: string;
  image: string;
  env: Record<string, string>;
  args: string;
  ports: string[];
  gpuTypeId: string;
  gpuCount: number;
  cloud: 'SECURE' | 'COMMUNITY';
  interruptible: boolean;
  costPerHr: number;
  containerDiskInGb: number;
  volumeInGb: number;
  volumeMountPath: string;
  dataCenterId: string;
  /** The network volume mounted at volumeMountPath (instead of a volume disk), if any. */
  networkVolumeId: string | null;
}

export interface StandInLogEntry {
  seq: number;
  ts: string;
  source: 'container' | 'system';
  line: string;
}

export interface StandInPod extends StandInPodSpec {
  id: string;
  status: RunPodPodStatus;
  createdAt: number;
  startedAt: number | null;
  lastStatusChange: string;
  exitCode: number | null;
  neverStart: boolean;
  /** Start of the current container run, for uptime. */
  runningSince: number | null;
  intervals: Array<{ start: number; end: number | null; costPerHr: number }>;
  logs: StandInLogEntry[];
}

export interface FleetOptions {
  launch: StandInLaunch;
  killGraceMs: number;
  provisioningMs: number;
  now: () => number;
}

export class PodFleet {
  private readonly pods = new Map<string, StandInPod>();
  private readonly processes = new Map<string, StandInProcess>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly listeners = new Map<string, Set<(entry: StandInLogEntry) => void>>();
  /** Processes in their SIGTERM grace period, with the function that kills them at once. */
  private readonly reaping = new Map<StandInProcess, () => void>();
  /** Bumped on every stop and resume, so that a boot scheduled earlier does not launch twice. */
  private readonly generations = new Map<string, number>();
  private logSeq = 0;

  constructor(private readonly options: FleetOptions) {}

  get(id: string): StandInPod | undefined {
    return this.pods.get(id);
  }

  list(): StandInPod[] {
    return [...this.pods.values()];
  }

  create(spec: StandInPodSpec, neverStart: boolean): StandInPod {
    const id = randomBytes(7).toString('hex');
    const now = this.options.now();
    const pod: StandInPod = {
      ...spec,
      id,
      status: 'PROVISIONING',
      createdAt: now,
      startedAt: null,
      lastStatusChange: `Rented by User: ${new Date(now).toUTCString()}`,
      exitCode: null,
      neverStart,
      runningSince: null,
      intervals: [],
      logs: [],
    };
    this.pods.set(id, pod);
    this.log(pod, 'system', `pod created (${spec.interruptible ? 'spot' : 'on-demand'}, ${spec.gpuCount} × ${spec.gpuTypeId})`);
    this.schedule(pod);
    return pod;
  }

  private schedule(pod: StandInPod): void {
    const generation = (this.generations.get(pod.id) ?? 0) + 1;
    this.generations.set(pod.id, generation);
    if (pod.neverStart) return;
    this.later(() => void this.boot(pod, generation), this.options.provisioningMs);
  }

  private later(fn: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private async boot(pod: StandInPod, generation: number): Promise<void> {
    const current = () => pod.status === 'PROVISIONING' && this.generations.get(pod.id) === generation;
    if (!current()) return;
    this.log(pod, 'system', `starting container ${pod.image}`);
    const env = { ...pod.env, RUNPOD_POD_ID: pod.id, RUNPOD_GPU_COUNT: String(pod.gpuCount), RUNPOD_DC_ID: pod.dataCenterId };
    let handle: StandInProcess;
    try {
      handle = await this.options.launch({ id: pod.id, env, image: pod.image }, { log: (line) => this.log(pod, 'container', line) });
    } catch (error) {
      this.setStatus(pod, 'ERROR', `container failed to start: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!current()) {
      handle.stop('SIGKILL'); // stopped or terminated while launching
      return;
    }
    const now = this.options.now();
    this.processes.set(pod.id, handle);
    pod.startedAt = now;
    pod.runningSince = now;
    pod.intervals.push({ start: now, end: null, costPerHr: pod.costPerHr });
    this.setStatus(pod, 'RUNNING', 'container running');
    const onExit = (code: number | null) => {
      if (this.processes.get(pod.id) !== handle) return; // already stopped, interrupted or replaced
      this.processes.delete(pod.id);
      pod.exitCode = code;
      this.endRun(pod);
      this.setStatus(pod, 'EXITED', `container exited with code ${code}`);
    };
    handle.exited.then(({ code }) => onExit(code), () => onExit(null));
  }

  private endRun(pod: StandInPod): void {
    const open = pod.intervals.at(-1);
    if (open && open.end === null) open.end = this.options.now();
    pod.runningSince = null;
  }

  private setStatus(pod: StandInPod, status: RunPodPodStatus, why: string): void {
    pod.status = status;
    pod.lastStatusChange = `${why}: ${new Date(this.options.now()).toUTCString()}`;
    this.log(pod, 'system', why);
  }

  /** SIGTERM, then SIGKILL after the grace period unless the process exited; resolves when it is gone. */
  private reap(handle: StandInProcess): Promise<void> {
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(killer);
        this.timers.delete(killer);
        this.reaping.delete(handle);
        resolve();
      };
      const kill = () => {
        if (!done) handle.stop('SIGKILL');
        finish();
      };
      const killer = this.later(kill, this.options.killGraceMs);
      this.reaping.set(handle, kill);
      handle.exited.then(finish, finish);
      handle.stop('SIGTERM');
    });
  }

  /** Stop (EXITED, disk kept) or terminate (TERMINATED). Billing ends now. */
  halt(pod: StandInPod, status: 'EXITED' | 'TERMINATED', why: string): void {
    this.generations.set(pod.id, (this.generations.get(pod.id) ?? 0) + 1);
    const handle = this.processes.get(pod.id);
    this.processes.delete(pod.id);
    this.endRun(pod);
    this.setStatus(pod, status, why);
    if (handle) void this.reap(handle);
  }

  /** A spot interruption: SIGTERM, SIGKILL 5 s later unless exited; EXITED once the process is gone. */
  async interrupt(pod: StandInPod): Promise<void> {
    const handle = this.processes.get(pod.id);
    if (pod.status !== 'RUNNING' || !handle) throw new Error(`pod ${pod.id} is ${pod.status}, not running`);
    this.processes.delete(pod.id);
    this.log(pod, 'system', 'spot instance reclaimed: sending SIGTERM');
    await this.reap(handle);
    if (pod.status !== 'RUNNING') return; // stopped or terminated meanwhile
    this.endRun(pod);
    this.setStatus(pod, 'EXITED', 'Spot instance interrupted');
  }

  /** Boot an EXITED or ERROR pod again (REST `start`, GraphQL `podBidResume`), optionally at a new rate. */
  resume(pod: StandInPod, costPerHr = pod.costPerHr): void {
    pod.costPerHr = costPerHr;
    this.setStatus(pod, 'PROVISIONING', 'resuming pod');
    this.schedule(pod);
  }

  log(pod: StandInPod, source: StandInLogEntry['source'], line: string): void {
    const entry = { seq: ++this.logSeq, ts: new Date(this.options.now()).toISOString(), source, line };
    pod.logs.push(entry);
    for (const listener of this.listeners.get(pod.id) ?? []) listener(entry);
  }

  subscribe(podId: string, listener: (entry: StandInLogEntry) => void): () => void {
    const set = this.listeners.get(podId) ?? new Set();
    set.add(listener);
    this.listeners.set(podId, set);
    return () => set.delete(listener);
  }

  /** Kills whatever still runs, or is still dying; for shutting the stand-in down. */
  close(): void {
    for (const kill of [...this.reaping.values()]) kill();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const [id, handle] of this.processes) {
      handle.stop('SIGKILL');
      const pod = this.pods.get(id);
      if (pod) this.endRun(pod);
    }
    this.processes.clear();
  }
}
