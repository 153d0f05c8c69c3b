/**
 * Whether a workspace can reach RunPod, and its GPU stock, from one cheap real call the settings
 * already make (REST v2 GET /catalog/datacenters?include=GPU_AVAILABILITY). The answer is cached
 * per workspace and key, so a dashboard footer polling every minute from many tabs costs RunPod
 * at most one call per workspace per TTL.
 */
import { createHash } from 'node:crypto';
import { BoundedCache } from '../http/limits/bounded-cache.js';
import { RunPodClient, RunPodError, type RunPodDataCenter } from '../training/providers/runpod/index.js';

export type RunPodConnectionState = 'CONNECTED' | 'NOT_CONFIGURED' | 'UNREACHABLE' | 'REFUSED';
export type RunPodKeySource = 'WORKSPACE' | 'SERVER';

export interface RunPodProbe {
  state: RunPodConnectionState;
  /** Whether this server offers RunPod at all (NOT_CONFIGURED: false means no key would help). */
  offered: boolean;
  /** What is wrong and the fix, with RunPod's own words where it gave some; null when connected. */
  message: string | null;
  keySource: RunPodKeySource | null;
  /** RunPod's HTTP status when it answered with an error. */
  providerStatus: number | null;
  checkedAt: Date;
  /** Every data center RunPod listed, with its GPU stock; empty unless connected. */
  dataCenters: RunPodDataCenter[];
}

export interface RunPodProbeOptions {
  /** The workspace's own key first, else the server's; null when neither is set. */
  apiKeyFor: (workspaceId: string) => Promise<{ key: string; source: RunPodKeySource } | null>;
  /** False when this server offers no RunPod provider at all. */
  runpodOffered: () => boolean;
  restUrl?: string;
  graphqlUrl?: string;
  fetch?: typeof fetch;
  /** How long an answer is reused. @default 60000 */
  ttlMs?: number;
  /** How long a failure is reused (shorter: a fixed outage shows soon). @default 15000 */
  failureTtlMs?: number;
  /** One RunPod call's limit: the footer must not hang on a slow RunPod. @default 5000 */
  timeoutMs?: number;
  /** Workspaces (× keys) remembered at once. @default 1000 */
  maxEntries?: number;
}

const NO_KEY =
  'No RunPod API key: set one in Settings → RunPod API key (updateWorkspaceSettings runpodApiKey), or start the server with RUNPOD_API_KEY. Jobs on RunPod cannot start until then.';
const NO_PROVIDER = 'This server does not offer RunPod (BRIGHTRUN_PROVIDER and the provider list): jobs run on the providers listed in trainingCatalog.providers.';

export class RunPodProbeService {
  private readonly cache: BoundedCache<{ at: number; ttlMs: number; probe: Promise<RunPodProbe> }>;
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;
  /** Calls made to RunPod (tests and the metrics log count them). */
  calls = 0;

  constructor(private readonly options: RunPodProbeOptions) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.failureTtlMs = Math.min(this.ttlMs, options.failureTtlMs ?? 15_000);
    this.cache = new BoundedCache(options.maxEntries ?? 1_000);
  }

  /**
   * The workspace's connection, from the cache when fresh. The cache key includes a hash of the
   * key in use, so a key changed in Settings (on any server instance) is probed at once.
   */
  async probe(workspaceId: string): Promise<RunPodProbe> {
    if (!this.options.runpodOffered()) return { ...notConfigured(NO_PROVIDER, null), offered: false };
    let credential;
    try {
      credential = await this.options.apiKeyFor(workspaceId);
    } catch (error) {
      // The stored key cannot be decrypted (BRIGHTRUN_SECRET changed): its message says to set it again.
      return notConfigured(`The workspace's RunPod key cannot be used: ${(error as Error).message}`, 'WORKSPACE');
    }
    if (!credential) return notConfigured(NO_KEY, null);
    const cacheKey = `${workspaceId}:${createHash('sha256').update(credential.key).digest('hex').slice(0, 32)}`;
    const cached = this.cache.get(cacheKey);
    const now = Date.now();
    if (cached && now - cached.at < cached.ttlMs) return cached.probe;
    // Concurrent polls share one call: the pending promise is cached, then its TTL is set by the answer.
    const entry = { at: now, ttlMs: this.ttlMs, probe: this.call(credential.key, credential.source) };
    this.cache.set(cacheKey, entry);
    const probe = await entry.probe;
    if (probe.state !== 'CONNECTED') entry.ttlMs = this.failureTtlMs;
    return probe;
  }

  private async call(apiKey: string, keySource: RunPodKeySource): Promise<RunPodProbe> {
    this.calls += 1;
    try {
      const client = new RunPodClient({
        apiKey,
        restUrl: this.options.restUrl,
        graphqlUrl: this.options.graphqlUrl,
        fetch: this.options.fetch,
        timeoutMs: this.options.timeoutMs ?? 5_000,
        // One attempt: the next poll is the retry.
        retry: { maxAttempts: 1 },
      });
      const dataCenters = await client.listDataCenters();
      return { state: 'CONNECTED', offered: true, message: null, keySource, providerStatus: null, checkedAt: new Date(), dataCenters };
    } catch (error) {
      return { ...failure(error, keySource), offered: true, keySource, checkedAt: new Date(), dataCenters: [] };
    }
  }
}

function notConfigured(message: string, keySource: RunPodKeySource | null): RunPodProbe {
  return { state: 'NOT_CONFIGURED', offered: true, message, keySource, providerStatus: null, checkedAt: new Date(), dataCenters: [] };
}

function failure(error: unknown, keySource: RunPodKeySource): { state: RunPodConnectionState; message: string; providerStatus: number | null } {
  if (!(error instanceof RunPodError)) {
    return { state: 'UNREACHABLE', message: `RunPod could not be reached (${(error as Error).message}); asked again within a minute.`, providerStatus: null };
  }
  const status = error.status;
  const answer = `${status ? ` (HTTP ${status}` : ''}${status && error.detail ? `: "${error.detail.slice(0, 300)}"` : ''}${status ? ')' : ''}`;
  if (error.code === 'AUTH') {
    const whose = keySource === 'WORKSPACE' ? "the workspace's key" : "the server's key (RUNPOD_API_KEY)";
    const fix = keySource === 'WORKSPACE' ? 'set a valid key in Settings → RunPod API key' : "fix the server's RUNPOD_API_KEY, or set your workspace's own key in Settings → RunPod API key";
    return { state: 'REFUSED', message: `RunPod refused ${whose}${answer}. To fix: ${fix}.`, providerStatus: status };
  }
  if (error.retryable) {
    return { state: 'UNREACHABLE', message: `RunPod did not answer${answer}: ${error.message} Asked again within a minute; RunPod jobs cannot start until it answers.`, providerStatus: status };
  }
  return { state: 'REFUSED', message: `RunPod refused the request${answer}: ${error.message}`, providerStatus: status };
}
