import type { TrainingJob } from '../generated/prisma/client.js';
import type { JobEventInput } from '../training/jobs/lifecycle.js';
import { podLabel } from '../training/providers/placement.js';

export const NOTIFICATION_KINDS = ['JOB_STARTED', 'JOB_INTERRUPTED', 'JOB_RESUMED', 'COST_WARNING', 'JOB_COMPLETED', 'JOB_FAILED', 'JOB_CANCELLED'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const isNotificationKind = (value: string): value is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(value);

/** What `NotificationService.notify` records and sends. */
export interface NotificationInput {
  kind: NotificationKind;
  title: string;
  body: string;
  /** A dashboard path such as `/jobs/job_…` (made absolute with the public URL for Slack and webhooks). */
  link?: string | null;
  jobId?: string | null;
}

export const jobLink = (jobId: string) => `/jobs/${jobId}`;

type JobFacts = Pick<
  TrainingJob,
  'id' | 'status' | 'baseModel' | 'gpuType' | 'cloudType' | 'preset' | 'estimate' | 'currentStep' | 'totalSteps' | 'interruptionCount' | 'spendUsd' | 'errorMessage' | 'cancelReason' | 'startedAt' | 'finishedAt'
> & Partial<Pick<TrainingJob, 'provider' | 'isSimulated'>>;

/** Which notification a status change raises, if any (pure; the texts are built separately). */
export function notificationKindForTransition(to: TrainingJob['status'], from: TrainingJob['status']): NotificationKind | null {
  if (to === 'PROVISIONING') return from === 'QUEUED' ? 'JOB_STARTED' : from === 'INTERRUPTED' ? 'JOB_RESUMED' : null;
  if (to === 'INTERRUPTED') return 'JOB_INTERRUPTED';
  if (to === 'COMPLETED') return 'JOB_COMPLETED';
  if (to === 'FAILED') return 'JOB_FAILED';
  if (to === 'CANCELLED') return 'JOB_CANCELLED';
  return null;
}

/**
 * The notification for one JobLifecycle transition (called with what `onTransition` listeners
 * get), or null when the change is not worth telling anyone (trainer stages).
 */
export function notificationForTransition(job: JobFacts, from: TrainingJob['status'], event: Pick<JobEventInput, 'message'>, names: { dataset?: string | null } = {}): NotificationInput | null {
  const kind = notificationKindForTransition(job.status, from);
  if (!kind) return null;
  const subject = names.dataset ? `“${names.dataset}”` : job.id;
  const model = shortModel(job.baseModel);
  const progress = job.totalSteps ? `step ${job.currentStep.toLocaleString('en-US')} of ${job.totalSteps.toLocaleString('en-US')}` : `step ${job.currentStep}`;
  const spent = `${job.isSimulated ? 'simulated ' : ''}$${Number(job.spendUsd).toFixed(2)}`;
  const base = { kind, link: jobLink(job.id), jobId: job.id };
  const sim = job.isSimulated ? '[Simulated] ' : '';
  switch (kind) {
    case 'JOB_STARTED': {
      const range = estimateRange(job.estimate);
      return { ...base, title: `${sim}Training started: ${subject}`, body: `${model} (${job.preset.toLowerCase()}) is getting ${podLabel(job)}.${range ? ` Estimated ${job.isSimulated ? 'simulated ' : ''}cost ${range}.` : ''}` };
    }
    case 'JOB_INTERRUPTED':
      return { ...base, title: `${sim}Training interrupted: ${subject}`, body: `${event.message} (at ${progress}; interruption ${job.interruptionCount || 1}). It resumes from the last checkpoint.` };
    case 'JOB_RESUMED':
      return { ...base, title: `${sim}Training resuming: ${subject}`, body: `Restarting on ${podLabel(job)}; training continues from the last checkpoint (${progress}).` };
    case 'JOB_COMPLETED':
      return { ...base, title: `${sim}Training completed: ${subject}`, body: `${model} finished${durationText(job)}; spent ${spent}. ${job.isSimulated ? 'The adapter is synthetic (demo output), not a trained model.' : 'The adapter is ready to download.'}` };
    case 'JOB_FAILED':
      return { ...base, title: `${sim}Training failed: ${subject}`, body: `${job.errorMessage ?? event.message} (at ${progress}; spent ${spent}).` };
    case 'JOB_CANCELLED':
      return { ...base, title: `${sim}Training cancelled: ${subject}`, body: `${job.cancelReason ? `Reason: ${job.cancelReason}.` : event.message} Spent ${spent}.` };
    default:
      return null;
  }
}

/** The thresholds of the estimate's high end at which the supervisor warns (80% and 100%). */
export const COST_WARNING_SHARES = [0.8, 1] as const;
export type CostWarningShare = (typeof COST_WARNING_SHARES)[number];

/** The estimate's high end in USD, or null when the job has no usable estimate. */
export function estimateHighUsd(estimate: unknown): number | null {
  const high = (estimate as { cost?: { high?: unknown } } | null)?.cost?.high;
  return typeof high === 'number' && Number.isFinite(high) && high > 0 ? high : null;
}

/** The warning thresholds that spend crossed going from `beforeUsd` to `afterUsd` (so each fires once). */
export function crossedCostWarnings(beforeUsd: number, afterUsd: number, highUsd: number | null): CostWarningShare[] {
  if (highUsd === null) return [];
  return COST_WARNING_SHARES.filter((share) => beforeUsd < share * highUsd && afterUsd >= share * highUsd);
}

/** The COST_WARNING notification for a job whose spend reached `share` of its estimate's high end. */
export function costWarningNotification(job: Pick<TrainingJob, 'id' | 'estimate' | 'costCapUsd'>, share: CostWarningShare, spentUsd: number, names: { dataset?: string | null } = {}): NotificationInput {
  const high = estimateHighUsd(job.estimate);
  const subject = names.dataset ? `“${names.dataset}”` : job.id;
  const cap = job.costCapUsd === null ? '' : ` The job stops at its cost cap of $${Number(job.costCapUsd).toFixed(2)}.`;
  const title = share >= 1 ? `Over estimate: ${subject}` : `${Math.round(share * 100)}% of estimate: ${subject}`;
  const body = `Spent $${spentUsd.toFixed(2)}${high === null ? '' : ` of the estimated high of $${high.toFixed(2)}`}.${share >= 1 ? ' It is still running; cancel it if the cost is no longer worth it.' : ''}${cap}`;
  return { kind: 'COST_WARNING', title, body, link: jobLink(job.id), jobId: job.id };
}

function estimateRange(estimate: unknown): string | null {
  const cost = (estimate as { cost?: { low?: unknown; high?: unknown } } | null)?.cost;
  if (typeof cost?.low !== 'number' || typeof cost.high !== 'number') return null;
  return `$${cost.low.toFixed(2)}–$${cost.high.toFixed(2)}`;
}

const shortModel = (id: string) => id.split('/').pop() ?? id;

function durationText(job: JobFacts): string {
  if (!job.startedAt || !job.finishedAt) return '';
  const minutes = Math.max(0, Math.round((job.finishedAt.getTime() - job.startedAt.getTime()) / 60_000));
  return ` in ${minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`}`;
}
