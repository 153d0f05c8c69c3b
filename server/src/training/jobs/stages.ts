import type { JobEvent, TrainingJob } from '../../generated/prisma/client.js';
import type { JobStatus } from '../state-machine.js';

export interface StageSpan {
  stage: JobStatus;
  attempt: number;
  startedAt: Date;
  endedAt: Date | null;
}

const ENTERS: Record<string, (e: JobEvent) => JobStatus | null> = {
  queued: () => 'QUEUED',
  provisioning: () => 'PROVISIONING',
  resuming: () => 'PROVISIONING',
  stage: (e) => ((e.data as { stage?: JobStatus } | null)?.stage ?? null),
  interrupted: () => 'INTERRUPTED',
  pod_exited: () => 'INTERRUPTED',
};

/** The job's stages with their durations, rebuilt from its event log (stage changes are events). */
export function stageTimeline(job: Pick<TrainingJob, 'status' | 'finishedAt'>, events: JobEvent[]): StageSpan[] {
  const spans: StageSpan[] = [];
  let attempt = 0;
  for (const event of events) {
    const stage = ENTERS[event.kind]?.(event) ?? null;
    const open = spans[spans.length - 1];
    if (!stage) {
      if (open && !open.endedAt) open.endedAt = event.createdAt; // completed, failed, cancelled…
      continue;
    }
    if (open?.stage === stage && !open.endedAt) continue;
    if (stage === 'PROVISIONING') attempt += 1;
    if (open && !open.endedAt) open.endedAt = event.createdAt;
    spans.push({ stage, attempt: Math.max(attempt, stage === 'QUEUED' ? 0 : 1), startedAt: event.createdAt, endedAt: null });
  }
  const last = spans[spans.length - 1];
  if (last && !last.endedAt && job.finishedAt) last.endedAt = job.finishedAt;
  return spans;
}
