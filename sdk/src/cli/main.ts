#!/usr/bin/env node
// brightrun: the command line of @brightrun/lora-sdk. Every command takes --json (one JSON
// document on stdout; `jobs watch` prints one JSON object per line); failures print one line on
// stderr and exit non-zero (1 API or runtime error, 2 usage, 3 authentication, 4 not found,
// 130 interrupted).
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { AbortError, APIError, AuthenticationError, BrightRun, BrightRunError, NotFoundError, ValidationError, type Job, type LiveMetricPoint } from '../index.js';
import { SDK_VERSION } from '../version.js';
import { SCHEMA_VERSION } from '../graphql/generated/schema-version.js';
import { configPath, maskKey, readConfig, writeConfig } from './config.js';
import { bar, formatBytes, formatDuration, LiveLine, sparkline } from './ui.js';

const HELP = `brightrun ${SDK_VERSION} (API ${SCHEMA_VERSION}): LoRA fine-tuning from the command line

Usage: brightrun <command> [options]

  login [--api-key KEY] [--base-url URL]   check a key against the server and save both
  config [show]                            the settings in use (the key masked) and where they come from
  config set api-key|base-url VALUE        change one saved setting
  datasets upload FILE [--name N] [--description D]
  datasets list [--limit N]
  estimate --dataset ID [plan options]     duration and cost before you commit
  jobs start --dataset ID [plan options] [--max-steps N] [--cost-cap USD]
             [--acknowledge-warnings] [--idempotency-key K] [--yes] [--watch]
                                           shows the estimate, asks, launches
  jobs list [--limit N] [--status S,S]
  jobs get ID
  jobs watch ID                            live progress and a loss sparkline until the job ends
  jobs cancel ID --reason TEXT
  artifacts download ID [--dir DIR]        files verified by sha256; an interrupted download resumes

Plan options: --preset conservative|balanced|aggressive, --provider demo|local|runpod,
  --base-model ID, --gpu TYPE, --cloud spot|on_demand, --epochs N, --lora-rank N,
  --learning-rate X, --max-seq-len N

Everywhere: --json (machine-readable output), --api-key, --base-url (else BRIGHTRUN_API_KEY,
  BRIGHTRUN_BASE_URL, else the saved config: ${configPath()}), --help, --version.
Exit codes: 0 done, 1 error, 2 usage, 3 authentication, 4 not found, 130 interrupted.`;

class UsageError extends Error {}

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  'api-key': { type: 'string' },
  'base-url': { type: 'string' },
  name: { type: 'string' },
  description: { type: 'string' },
  limit: { type: 'string' },
  status: { type: 'string' },
  dataset: { type: 'string' },
  preset: { type: 'string' },
  provider: { type: 'string' },
  'base-model': { type: 'string' },
  gpu: { type: 'string' },
  cloud: { type: 'string' },
  epochs: { type: 'string' },
  'lora-rank': { type: 'string' },
  'learning-rate': { type: 'string' },
  'max-seq-len': { type: 'string' },
  'max-steps': { type: 'string' },
  'cost-cap': { type: 'string' },
  'acknowledge-warnings': { type: 'boolean' },
  'idempotency-key': { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  watch: { type: 'boolean' },
  reason: { type: 'string' },
  dir: { type: 'string' },
} as const;

type Flags = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (see brightrun --help)`);
  }
}

const out = (value: unknown) => process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);

function int(flags: Flags, name: keyof Flags, min = 1): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`--${String(name)} must be a whole number ≥ ${min} (got "${String(raw)}")`);
  return value;
}

function num(flags: Flags, name: keyof Flags): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`--${String(name)} must be a number (got "${String(raw)}")`);
  return value;
}

function upper<T extends string>(flags: Flags, name: keyof Flags, allowed: readonly T[]): T | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const value = String(raw).toUpperCase().replace(/-/g, '_') as T;
  if (!allowed.includes(value)) throw new UsageError(`--${String(name)} must be one of ${allowed.map((a) => a.toLowerCase()).join(', ')} (got "${String(raw)}")`);
  return value;
}

function plan(flags: Flags) {
  if (!flags.dataset) throw new UsageError('--dataset ID is required (brightrun datasets list shows the ids)');
  const overrides = {
    baseModel: flags['base-model'],
    gpuType: flags.gpu,
    cloudType: upper(flags, 'cloud', ['SPOT', 'ON_DEMAND'] as const),
    epochs: int(flags, 'epochs'),
    loraRank: int(flags, 'lora-rank'),
    learningRate: num(flags, 'learning-rate'),
    maxSequenceLength: int(flags, 'max-seq-len'),
  };
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return {
    datasetId: flags.dataset,
    preset: upper(flags, 'preset', ['CONSERVATIVE', 'BALANCED', 'AGGRESSIVE'] as const),
    provider: upper(flags, 'provider', ['DEMO', 'LOCAL', 'RUNPOD'] as const),
    overrides: Object.keys(given).length > 0 ? given : undefined,
  };
}

async function client(flags: Flags): Promise<BrightRun> {
  const saved = await readConfig();
  const apiKey = flags['api-key'] ?? process.env.BRIGHTRUN_API_KEY ?? saved.apiKey;
  if (!apiKey) throw new UsageError('No API key: run `brightrun login`, set BRIGHTRUN_API_KEY, or pass --api-key');
  return new BrightRun({ apiKey, baseUrl: flags['base-url'] ?? process.env.BRIGHTRUN_BASE_URL ?? saved.baseUrl });
}

function describeEstimate(e: Awaited<ReturnType<BrightRun['estimates']['create']>>): string {
  const lines = [
    `Duration  ${e.hours.low.toFixed(2)}–${e.hours.high.toFixed(2)} h   (${e.totalSteps} steps, ${e.trainingPairs} training pairs)`,
    `Cost      $${e.cost.lowUsd.toFixed(2)}–$${e.cost.highUsd.toFixed(2)}   at $${e.cost.pricePerHourUsd.toFixed(2)}/h (${e.cost.priceSource.toLowerCase()})`,
  ];
  for (const warning of e.warnings) lines.push(`Warning   ${warning.message}`);
  return lines.join('\n');
}

function jobLine(job: Job, losses: number[]): string {
  const steps = job.totalSteps ? `${job.currentStep}/${job.totalSteps}` : `${job.currentStep}`;
  const loss = losses.length > 0 ? ` loss ${losses[losses.length - 1]!.toFixed(4)} ${sparkline(losses, 30)}` : '';
  const eta = job.etaSeconds != null && !['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.status) ? ` eta ${formatDuration(job.etaSeconds)}` : '';
  return `${job.id} ${job.status.toLowerCase().padEnd(13)} ${bar(job.progress, 20)} step ${steps}${loss} $${job.spendUsd.toFixed(2)}${eta}`;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Follows a job until it ends: one redrawn line (or NDJSON with --json); the final state. */
async function watch(br: BrightRun, id: string, json: boolean, signal: AbortSignal): Promise<Job> {
  const line = new LiveLine();
  const losses: number[] = [];
  let job = await br.jobs.get(id, { signal });
  let metricsFailure: unknown;
  const metrics = (async () => {
    for await (const point of br.jobs.metrics(id).stream({ signal })) {
      if (json) out(JSON.stringify({ type: 'metric', point }));
      if (point.split === 'TRAIN' && point.loss != null) record(losses, point);
      line.update(jobLine(job, losses));
    }
  })().catch((error: unknown) => {
    metricsFailure = error;
  });
  for await (const update of br.jobs.watch(id, { signal })) {
    job = update;
    if (json) out(JSON.stringify({ type: 'job', job: update }));
    line.update(jobLine(job, losses));
  }
  await metrics;
  if (metricsFailure) throw metricsFailure;
  if (!json) {
    line.done(jobLine(job, losses));
    if (!line.enabled) out(jobLine(job, losses));
  }
  return job;
}

function record(losses: number[], point: LiveMetricPoint) {
  // A replacement step (after a spot resume) rewrites the tail rather than appending.
  if (point.replacement) return;
  losses.push(point.loss!);
  if (losses.length > 2000) losses.splice(0, losses.length - 2000);
}

async function run(argv: string[], signal: AbortSignal): Promise<number> {
  const { values: flags, positionals } = parse(argv);
  const json = Boolean(flags.json);
  if (flags.version) {
    out(json ? { sdk: SDK_VERSION, api: SCHEMA_VERSION } : `${SDK_VERSION} (API ${SCHEMA_VERSION})`);
    return 0;
  }
  const [group, action, ...rest] = positionals;
  if (flags.help || !group) {
    out(HELP);
    return group || flags.help ? 0 : 2;
  }
  const command = action && !['login', 'estimate'].includes(group) ? `${group} ${action}` : group;

  switch (command) {
    case 'login': {
      const saved = await readConfig();
      let apiKey = flags['api-key'] ?? process.env.BRIGHTRUN_API_KEY;
      if (!apiKey) {
        if (!process.stdin.isTTY) throw new UsageError('Pass --api-key KEY (or BRIGHTRUN_API_KEY): there is no terminal to ask on');
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        apiKey = (await rl.question('API key (brk_…): ')).trim();
        rl.close();
      }
      const baseUrl = flags['base-url'] ?? process.env.BRIGHTRUN_BASE_URL ?? saved.baseUrl;
      const br = new BrightRun({ apiKey, baseUrl });
      const viewer = await br.viewer({ signal });
      await writeConfig({ apiKey, baseUrl: br.baseUrl });
      const result = { workspace: viewer.workspace, scopes: viewer.scopes, baseUrl: br.baseUrl, apiVersion: br.transport.serverApiVersion ?? null, config: configPath() };
      out(json ? result : `Logged in to ${viewer.workspace.name} at ${br.baseUrl} (scopes ${viewer.scopes.join(', ')}); saved to ${configPath()}`);
      return 0;
    }
    case 'config':
    case 'config show': {
      const saved = await readConfig();
      const apiKey = flags['api-key'] ?? process.env.BRIGHTRUN_API_KEY ?? saved.apiKey;
      const source = flags['api-key'] ? 'flag' : process.env.BRIGHTRUN_API_KEY ? 'BRIGHTRUN_API_KEY' : saved.apiKey ? 'config' : null;
      const baseUrl = flags['base-url'] ?? process.env.BRIGHTRUN_BASE_URL ?? saved.baseUrl ?? 'http://127.0.0.1:4000';
      const result = { config: configPath(), apiKey: maskKey(apiKey), apiKeySource: source, baseUrl };
      out(json ? result : `config file  ${result.config}\napi key      ${result.apiKey ?? '(none: run brightrun login)'}${source ? ` (from ${source})` : ''}\nbase url     ${baseUrl}`);
      return 0;
    }
    case 'config set': {
      const [key, value] = rest;
      if (!key || value === undefined || !['api-key', 'base-url'].includes(key)) throw new UsageError('Usage: brightrun config set api-key|base-url VALUE');
      const saved = await readConfig();
      await writeConfig({ ...saved, ...(key === 'api-key' ? { apiKey: value } : { baseUrl: value }) });
      out(json ? { saved: key, config: configPath() } : `Saved ${key} in ${configPath()}`);
      return 0;
    }
    case 'datasets upload': {
      const file = rest[0];
      if (!file) throw new UsageError('Usage: brightrun datasets upload FILE [--name N]');
      const br = await client(flags);
      const line = new LiveLine();
      const dataset = await br.datasets.upload(file, {
        name: flags.name,
        description: flags.description,
        signal,
        onProgress: (p) => line.update(`Uploading ${bar(p.total ? p.loaded / p.total : 0)} ${formatBytes(p.loaded)}${p.total ? ` of ${formatBytes(p.total)}` : ''}`),
      });
      line.done();
      out(json ? dataset : `Uploaded ${dataset.id} "${dataset.name}": ${dataset.conversationCount} conversations, ${dataset.trainablePairCount} trainable pairs, ${dataset.readiness?.ready ? 'ready to train' : 'not ready (see its readiness checks)'}`);
      return 0;
    }
    case 'datasets list': {
      const br = await client(flags);
      const datasets = await br.datasets.list({ limit: int(flags, 'limit') ?? 50, pageSize: Math.min(100, int(flags, 'limit') ?? 50), signal }).toArray();
      out(json ? datasets : datasets.map((d) => `${d.id}  ${d.name}  ${d.importStatus.toLowerCase()}  ${d.trainablePairCount} pairs  ${formatBytes(d.sizeBytes)}`).join('\n') || 'No datasets yet: brightrun datasets upload FILE');
      return 0;
    }
    case 'estimate': {
      const br = await client(flags);
      const estimate = await br.estimates.create(plan(flags), { signal });
      out(json ? estimate : describeEstimate(estimate));
      return 0;
    }
    case 'jobs start': {
      const br = await client(flags);
      const p = plan(flags);
      if (!flags.yes && (json || !process.stdin.isTTY)) throw new UsageError('Pass --yes to start without being asked (no terminal to ask on)');
      const estimate = await br.estimates.create(p, { signal });
      if (!flags.yes) {
        process.stderr.write(`${describeEstimate(estimate)}\n`);
        if (!(await confirm('Start this job? [y/N] '))) {
          process.stderr.write('Not started.\n');
          return 1;
        }
      } else if (!json) process.stderr.write(`${describeEstimate(estimate)}\n`);
      const job = await br.jobs.start(
        { ...p, maxSteps: int(flags, 'max-steps'), costCapUsd: num(flags, 'cost-cap'), acknowledgeDatasetWarnings: flags['acknowledge-warnings'], idempotencyKey: flags['idempotency-key'] },
        { signal },
      );
      if (json && !flags.watch) out({ job, estimate });
      else if (!json) out(`Started ${job.id} (${job.provider.toLowerCase()}${job.isSimulated ? ', simulated' : ''}); follow it with: brightrun jobs watch ${job.id}`);
      if (flags.watch) return exitFor(await watch(br, job.id, json, signal));
      return 0;
    }
    case 'jobs list': {
      const br = await client(flags);
      const status = flags.status?.split(',').map((s) => s.trim().toUpperCase()) as Job['status'][] | undefined;
      const jobs = await br.jobs.list({ limit: int(flags, 'limit') ?? 25, pageSize: Math.min(100, int(flags, 'limit') ?? 25), filter: status ? { status } : undefined, signal }).toArray();
      out(json ? jobs : jobs.map((j) => `${j.id}  ${j.status.toLowerCase().padEnd(13)} ${j.dataset.name}  ${Math.round(j.progress * 100)}%  $${j.spendUsd.toFixed(2)}`).join('\n') || 'No jobs yet: brightrun jobs start --dataset ID');
      return 0;
    }
    case 'jobs get': {
      if (!rest[0]) throw new UsageError('Usage: brightrun jobs get ID');
      const job = await (await client(flags)).jobs.get(rest[0], { signal });
      out(json ? job : jobLine(job, []));
      return 0;
    }
    case 'jobs watch': {
      if (!rest[0]) throw new UsageError('Usage: brightrun jobs watch ID');
      return exitFor(await watch(await client(flags), rest[0], json, signal));
    }
    case 'jobs cancel': {
      if (!rest[0] || !flags.reason) throw new UsageError('Usage: brightrun jobs cancel ID --reason TEXT');
      const job = await (await client(flags)).jobs.cancel(rest[0], { reason: flags.reason }, { signal });
      out(json ? job : `Cancelled ${job.id} (${job.status.toLowerCase()}); spent $${job.spendUsd.toFixed(2)}`);
      return 0;
    }
    case 'artifacts download': {
      if (!rest[0]) throw new UsageError('Usage: brightrun artifacts download ID [--dir DIR]');
      const br = await client(flags);
      const dir = flags.dir ?? rest[0];
      const line = new LiveLine();
      const files = await br.artifacts.download(rest[0], dir, {
        signal,
        onProgress: (p) => line.update(`Downloading ${p.file} ${bar(p.overall.total ? p.overall.loaded / p.overall.total : 1)} ${formatBytes(p.overall.loaded)} of ${formatBytes(p.overall.total ?? 0)}`),
      });
      line.done();
      out(json ? { dir, files } : files.map((f) => `${f.path}  ${formatBytes(f.sizeBytes)}  sha256 ok${f.skipped ? ' (already there)' : f.resumedFromBytes ? ` (resumed at ${formatBytes(f.resumedFromBytes)})` : ''}`).join('\n'));
      return 0;
    }
    default:
      throw new UsageError(`Unknown command "${positionals.join(' ')}" (see brightrun --help)`);
  }
}

function exitFor(job: Job): number {
  if (job.status === 'COMPLETED') return 0;
  process.stderr.write(`brightrun: job ${job.id} ended ${job.status}${job.errorCode ? ` (${job.errorCode})` : ''}${job.errorMessage ? `: ${job.errorMessage}` : ''}\n`);
  return 1;
}

/** One line for any failure, and the exit code for its kind. */
export function failure(error: unknown): { line: string; code: number } {
  if (error instanceof UsageError) return { line: error.message, code: 2 };
  if (error instanceof AbortError) return { line: 'interrupted', code: 130 };
  if (error instanceof ValidationError && error.fieldErrors.length > 0) {
    return { line: `${error.message}: ${error.fieldErrors.map((f) => `${f.field}: ${f.message}`).join('; ')}`, code: 1 };
  }
  if (error instanceof AuthenticationError) return { line: `${error.message} (check the key: brightrun config)`, code: 3 };
  if (error instanceof NotFoundError) return { line: error.message, code: 4 };
  if (error instanceof APIError) return { line: `${error.message}${error.requestId ? ` [request ${error.requestId}]` : ''}`, code: 1 };
  if (error instanceof BrightRunError) return { line: error.message, code: 1 };
  return { line: (error as Error)?.message ?? String(error), code: 1 };
}

async function main(): Promise<void> {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  try {
    process.exitCode = await run(process.argv.slice(2), controller.signal);
  } catch (error) {
    const { line, code } = failure(error);
    process.stderr.write(`brightrun: ${line.replace(/\s*\n\s*/g, ' ')}\n`);
    process.exitCode = code;
  }
}

await main();
