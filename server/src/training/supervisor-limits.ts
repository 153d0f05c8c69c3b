import type { JobAttempt, PrismaClient, TrainingJob } from '../generated/prisma/client.js';
import type { JobLifecycle } from './jobs/lifecycle.js';
import type { TrainingProvider } from './providers/provider.js';

/**
 * Spend = Σ attempts (what the provider billed, else price × runtime, plus the model-cache volume's
 * storage attributed per hour the attempt ran: RunPod bills the volume apart from the pod); written to the job. A
 * running attempt is priced by the clock (RunPod's billing lags and is asked once, when the
 * attempt ends); only the demo simulation bills live, in its compressed time.
 */
export async function accountSpend(prisma: PrismaClient, provider: TrainingProvider, job: TrainingJob, open: JobAttempt | null): Promise<TrainingJob> {
  const attempts = await prisma.jobAttempt.findMany({ where: { jobId: job.id } });
  const now = Date.now();
  let total = 0;
  for (const attempt of attempts) {
    let billed = attempt.billedUsd != null ? Number(attempt.billedUsd) : null;
    if (billed == null && provider.simulated && open && attempt.id === open.id && attempt.providerPodId && provider.billedUsd) {
      billed = await provider.billedUsd(attempt.providerPodId).catch(() => null);
    }
    const hours = ((attempt.endedAt?.getTime() ?? now) - attempt.startedAt.getTime()) / 3_600_000;
    total += (billed ?? Math.max(0, hours) * Number(attempt.pricePerHour)) + Math.max(0, hours) * Number(attempt.storageUsdPerHour);
  }
  const spendUsd = Math.round(total * 10_000) / 10_000;
  if (Math.abs(spendUsd - Number(job.spendUsd)) < 0.00005) return job;
  return prisma.trainingJob.update({ where: { id: job.id }, data: { spendUsd } });
}

interface LimitContext {
  prisma: PrismaClient;
  lifecycle: JobLifecycle;
  notify?: (job: TrainingJob, kind: 'COST_WARNING', title: string, body: string) => Promise<void> | void;
}

/** Silence, max duration, cost cap and the estimate's 80% / 100% marks, for a running job. */
export async function checkLimits(ctx: LimitContext, job: TrainingJob, attempt: JobAttempt, options: { heartbeatTimeoutMs: number; stallTimeoutMs: number }): Promise<void> {
  const now = Date.now();
  const lastSign = Math.max(job.lastHeartbeatAt?.getTime() ?? 0, attempt.startedAt.getTime());
  const silentMs = now - lastSign;
  if (silentMs > 2 * options.heartbeatTimeoutMs) {
    const minutes = Math.round(silentMs / 60_000);
    await ctx.lifecycle.apply(job.id, { type: 'FAIL' }, { kind: 'trainer_silent', level: 'ERROR', message: `The trainer sent nothing for ${minutes} min; the job was stopped (its pod may be hung)` }, { errorCode: 'TRAINER_SILENT', errorMessage: `no report for ${minutes} min` });
    return;
  }
  if (silentMs > options.heartbeatTimeoutMs && !(await hasEvent(ctx.prisma, job.id, 'trainer_quiet', attempt.startedAt))) {
    await ctx.lifecycle.record(job, { kind: 'trainer_quiet', level: 'WARNING', message: `No report from the trainer for ${Math.round(silentMs / 60_000)} min` });
  }
  // The heartbeat comes from the trainer's reporter thread, so a hung training loop still "beats":
  // while TRAINING, only a step that moves counts as progress (lastProgressAt, set by trainerReport).
  if (job.status === 'TRAINING') {
    const sinceProgress = now - Math.max(job.lastProgressAt?.getTime() ?? 0, attempt.startedAt.getTime());
    if (sinceProgress > options.stallTimeoutMs) {
      const minutes = Math.max(1, Math.round(sinceProgress / 60_000));
      const message = `Training stalled: the trainer kept reporting but stayed at step ${job.currentStep} for ${minutes} min (the stall limit is ${Math.round(options.stallTimeoutMs / 60_000)} min, BRIGHTRUN_STALL_TIMEOUT_S); the job was stopped. Read the pod logs (trainingJob.logs) for where it hung.`;
      await ctx.lifecycle.apply(job.id, { type: 'FAIL' }, { kind: 'training_stalled', level: 'ERROR', message, data: { step: job.currentStep } }, { errorCode: 'TRAINING_STALLED', errorMessage: message });
      return;
    }
  }
  if (job.startedAt && now - job.startedAt.getTime() > job.maxDurationHours * 3_600_000) {
    await stop(ctx, job, `Stopped at its max duration of ${job.maxDurationHours} h`, 'MAX_DURATION');
    return;
  }
  const spend = Number(job.spendUsd);
  if (job.costCapUsd != null && spend >= Number(job.costCapUsd)) {
    await stop(ctx, job, `Stopped at its cost cap of $${Number(job.costCapUsd).toFixed(2)}`, 'COST_CAP');
    return;
  }
  const high = (job.estimate as { cost?: { high?: number } }).cost?.high;
  if (!high || high <= 0) return;
  for (const mark of [1, 0.8]) {
    if (spend < high * mark) continue;
    const kind = `cost_warning_${Math.round(mark * 100)}`;
    if (await hasEvent(ctx.prisma, job.id, kind)) break;
    const title = `Job ${job.id} has spent ${Math.round(mark * 100)}% of its estimate`;
    const body = `$${spend.toFixed(2)} spent; the estimate's high end was $${high.toFixed(2)}.`;
    await ctx.lifecycle.record(job, { kind, level: 'WARNING', message: `${title}: ${body}` });
    await ctx.notify?.(job, 'COST_WARNING', title, body);
    break;
  }
}

async function stop(ctx: LimitContext, job: TrainingJob, reason: string, code: string) {
  await ctx.prisma.trainingJob.update({ where: { id: job.id }, data: { cancelRequestedAt: new Date(), cancelReason: reason } });
  await ctx.lifecycle.apply(job.id, { type: 'CANCEL' }, { kind: 'auto_cancelled', level: 'WARNING', message: reason, data: { code } }, { errorCode: code });
}

async function hasEvent(prisma: PrismaClient, jobId: string, kind: string, since?: Date): Promise<boolean> {
  return (await prisma.jobEvent.count({ where: { jobId, kind, ...(since ? { createdAt: { gte: since } } : {}) } })) > 0;
}
