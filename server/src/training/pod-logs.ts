import type { PrismaClient, TrainingJob } from '../generated/prisma/client.js';
import type { PodLogLine, ProviderName } from './providers/provider.js';
import type { ProviderRegistry } from './provider-registry.js';

export const MAX_LOG_LINES = 1000;

export interface PodLogs {
  podId: string;
  attempt: number;
  lines: PodLogLine[];
}

/** A job's pod output through its provider (RunPod's log stream, the local trainer's log file, the demo's simulated console). */
export class PodLogService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly providers: ProviderRegistry,
  ) {}

  /** The latest attempt that got a pod, and the provider that runs it; null before the first pod. */
  private async latestPod(job: TrainingJob) {
    const attempt = await this.prisma.jobAttempt.findFirst({ where: { jobId: job.id, providerPodId: { not: null } }, orderBy: { number: 'desc' } });
    if (!attempt?.providerPodId) return null;
    const provider = this.providers.all().find((p) => p.name === (job.provider as ProviderName));
    return provider?.logs ? { podId: attempt.providerPodId, attempt: attempt.number, provider } : null;
  }

  /** The last `lines` lines of the latest pod. */
  async recent(job: TrainingJob, lines: number): Promise<PodLogs | null> {
    const pod = await this.latestPod(job);
    if (!pod) return null;
    const out: PodLogLine[] = [];
    for await (const line of pod.provider.logs!(pod.podId, { tail: lines, follow: false }, { workspaceId: job.workspaceId })) out.push(line);
    return { podId: pod.podId, attempt: pod.attempt, lines: out.slice(-lines) };
  }

  /** The last `tail` lines, then new ones as the pod prints them, until its output ends or `signal` aborts. */
  async *follow(job: TrainingJob, tail: number, signal: AbortSignal): AsyncGenerator<PodLogLine> {
    const pod = await this.latestPod(job);
    if (!pod) return;
    yield* pod.provider.logs!(pod.podId, { tail, follow: true, signal }, { workspaceId: job.workspaceId });
  }
}
