import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { CloudType, HourlyRate, LaunchRequest, LaunchResult, PodLogLine, PodLogOptions, PodStatus, TrainingProvider } from './provider.js';
import { followFile, lastLines } from './log-file.js';
import { findBaseModel } from '../presets/index.js';

export interface LocalProviderOptions {
  /** The trainer's Python (trainer/.venv/bin/python after `npm run trainer:setup`). */
  python: string;
  /** Where each attempt's stdout/stderr is kept. */
  logDir: string;
  /** Extra environment for the trainer (e.g. CUDA_VISIBLE_DEVICES); never user secrets. */
  env?: Record<string, string>;
  /** Whether this machine has a CUDA GPU; default: an NVIDIA driver is present. */
  hasGpu?: boolean;
}

/** The repository's trainer venv, if `npm run trainer:setup` made one. */
export const DEFAULT_TRAINER_PYTHON = path.resolve(import.meta.dirname, '../../../../trainer/.venv/bin/python');
export const trainerInstalled = (python = DEFAULT_TRAINER_PYTHON) => existsSync(python);

/**
 * Runs the real trainer as a subprocess of the server (on this machine's GPU if it has one).
 * Pod ids carry the pid, so after a server restart a still-running trainer is recognised.
 */
export class LocalProvider implements TrainingProvider {
  readonly name = 'local' as const;
  readonly simulated = false;
  private readonly children = new Map<string, { child: ChildProcess; exit?: { code: number | null; signal: string | null } }>();

  constructor(private readonly options: LocalProviderOptions) {}

  /**
   * The local trainer runs on this machine as it is: NF4 needs a CUDA GPU (bitsandbytes), and a
   * Hub model needs its weights already in this machine's Hugging Face cache (a 140 GB download
   * is not something to start behind a request). tiny-llama always runs.
   */
  refuse(job: { baseModel: string; quantization: string }): string | null {
    const model = findBaseModel(job.baseModel);
    if (model?.builtIn) return null;
    const fix = 'Choose base model "tiny-llama" to check the pipeline here, or configure RunPod (RUNPOD_API_KEY or the workspace\'s RunPod key) and train there.';
    if (job.quantization === 'NF4' && !this.hasGpu()) return `The local provider cannot run ${job.baseModel} in 4-bit NF4: this machine has no CUDA GPU. ${fix}`;
    if (!this.weightsCached(job.baseModel)) return `The local provider cannot load ${job.baseModel}: its weights are not in this machine's Hugging Face cache (${this.hfHubDir()}) and a local job does not download them. ${fix}`;
    return null;
  }

  private hasGpu(): boolean {
    return this.options.hasGpu ?? (existsSync('/proc/driver/nvidia/version') || existsSync('/dev/nvidia0'));
  }

  private hfHubDir(): string {
    const env = { ...process.env, ...this.options.env };
    return env.HF_HUB_CACHE ?? path.join(env.HF_HOME ?? path.join(env.HOME ?? '', '.cache', 'huggingface'), 'hub');
  }

  private weightsCached(modelId: string): boolean {
    return existsSync(path.join(this.hfHubDir(), `models--${modelId.replace(/\//g, '--')}`, 'snapshots'));
  }

  async hourlyRate(): Promise<HourlyRate> {
    return { pricePerHour: 0, source: 'LOCAL', note: 'Runs on this machine: no GPU rental is charged' };
  }

  async launch(request: LaunchRequest): Promise<LaunchResult> {
    await mkdir(this.options.logDir, { recursive: true });
    const log = createWriteStream(this.logFile(request.jobId, request.attempt));
    const child = spawn(this.options.python, ['-m', 'brightrun_trainer', 'run'], {
      cwd: path.dirname(path.dirname(path.dirname(this.options.python))),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PYTHONUNBUFFERED: '1', ...this.options.env, ...request.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: a server restart does not take the training with it
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    const podId = `local-${child.pid}-${request.jobId}-${request.attempt}`;
    const entry: { child: ChildProcess; exit?: { code: number | null; signal: string | null } } = { child };
    child.on('exit', (code, signal) => {
      entry.exit = { code, signal };
      log.end();
    });
    child.on('error', (error) => {
      entry.exit = { code: -1, signal: null };
      log.end(`\nfailed to start the trainer: ${error.message}\n`);
    });
    child.unref();
    this.children.set(podId, entry);
    return { podId, cloudType: request.cloudType as CloudType, pricePerHour: 0 };
  }

  async status(podId: string): Promise<PodStatus> {
    const entry = this.children.get(podId);
    if (entry) {
      if (!entry.exit) return { state: 'RUNNING' };
      return { state: 'EXITED', detail: entry.exit.signal ? `trainer killed by ${entry.exit.signal}` : `trainer exited with code ${entry.exit.code}` };
    }
    // Started by an earlier server process: all we can know is whether it still runs.
    const pid = Number(podId.split('-')[1]);
    return Number.isInteger(pid) && isAlive(pid) ? { state: 'RUNNING' } : { state: 'GONE', detail: 'the trainer process is no longer running' };
  }

  async terminate(podId: string): Promise<void> {
    const entry = this.children.get(podId);
    const pid = entry?.child.pid ?? Number(podId.split('-')[1]);
    if (!Number.isInteger(pid) || !isAlive(pid) || entry?.exit) return;
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && isAlive(pid) && !entry?.exit) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid) && !entry?.exit) signalGroup(pid, 'SIGKILL');
  }

  /** The trainer's stdout and stderr, from the attempt's log file. */
  async *logs(podId: string, options: PodLogOptions): AsyncGenerator<PodLogLine> {
    const [, , jobId, attempt] = podId.split('-');
    if (!jobId || !attempt) return;
    const file = this.logFile(jobId, Number(attempt));
    if (!existsSync(file)) return;
    const toLine = (message: string): PodLogLine => ({ at: null, source: 'CONTAINER', message });
    const { lines, size } = await lastLines(file, options.tail);
    yield* lines.map(toLine);
    if (!options.follow) return;
    const running = async () => (await this.status(podId)).state === 'RUNNING';
    for await (const line of followFile(file, size, { running, signal: options.signal })) yield toLine(line);
  }

  private logFile(jobId: string, attempt: number) {
    return path.join(this.options.logDir, `${jobId}-attempt-${attempt}.log`);
  }

  async close(): Promise<void> {
    // Running trainers are left alone on purpose: the next server process reconciles them.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}
