import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPubSub } from 'graphql-yoga';
import { openDatabase, type Database } from '../db/client.js';
import type { PubSubEvents } from '../pubsub/pubsub.js';
import { SecretBox } from '../auth/secrets.js';
import { SettingsService } from '../settings/service.js';
import { JobLifecycle } from '../training/jobs/lifecycle.js';
import { DeliveryQueue, type DeliveryOutcome } from './delivery.js';
import { NotificationService } from './service.js';
import { verifyWebhookSignature } from './signature.js';
import { startReceiver } from '../../test/support/receiver.js';

describe('NotificationService', () => {
  let db: Database;
  let settings: SettingsService;
  let notifications: NotificationService;
  const pubsub = createPubSub<PubSubEvents>();
  const outcomes: DeliveryOutcome[] = [];
  const logs: string[] = [];
  let failuresLeft = 0;
  let answerAfterMs = 0;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let slack: Awaited<ReturnType<typeof startReceiver>>;
  let webhookSecret: string;

  beforeAll(async () => {
    [db, receiver, slack] = await Promise.all([
      openDatabase({ dataDir: '', inMemory: true }),
      startReceiver(async () => {
        if (answerAfterMs) await new Promise((resolve) => setTimeout(resolve, answerAfterMs));
        return { status: failuresLeft-- > 0 ? 502 : 200 };
      }),
      startReceiver(),
    ]);
    await db.sql.exec(`
      INSERT INTO "Workspace" (id, name) VALUES ('ws_a', 'a'), ('ws_b', 'b');
      INSERT INTO "Dataset" (id, "workspaceId", name, status, "storagePath", "updatedAt") VALUES ('ds_1', 'ws_a', 'EQ-242', 'READY', 'datasets/x', now());
      INSERT INTO "TrainingJob" (id, "workspaceId", "datasetId", preset, hyperparameters, "baseModel", "gpuType", "cloudType", "maxDurationHours", estimate, "totalEpochs", provider, "trainerTokenHash", "updatedAt")
      VALUES ('job_1', 'ws_a', 'ds_1', 'BALANCED', '{}', 'org/tiny-llama', 'NVIDIA H100 PCIe', 'SPOT', 24, '{"cost":{"low":1,"high":2}}', 3, 'local', 'h', now());`);
    settings = new SettingsService(db.prisma, new SecretBox('notification-test-secret-0123456789'), { allowLoopbackWebhooks: true });
    const update = await settings.update('ws_a', { webhookUrl: receiver.url, slackWebhookUrl: slack.url });
    if (!update.ok) throw new Error(JSON.stringify(update.problems));
    webhookSecret = update.generatedWebhookSecret!;
    const deliveries = new DeliveryQueue({ retryDelaysMs: [20, 20, 20, 20], timeoutMs: 3000, onOutcome: (o) => outcomes.push(o), log: (l) => logs.push(l) });
    notifications = new NotificationService({ prisma: db.prisma, pubsub, targets: settings, publicUrl: 'https://brightrun.example', deliveries, log: (l) => logs.push(l) });
  });
  afterAll(async () => {
    await notifications?.close();
    await Promise.all([db?.close(), receiver?.close(), slack?.close()]);
  });

  it('records, publishes, and delivers a signed webhook and a Slack message', async () => {
    const events = pubsub.subscribe('workspace:notification', 'ws_a')[Symbol.asyncIterator]();
    const next = events.next();
    const before = receiver.requests.length;
    const row = await notifications.notify('ws_a', { kind: 'JOB_COMPLETED', title: 'Training completed: “EQ-242”', body: 'spent $1.20', link: '/jobs/job_1', jobId: 'job_1' });
    expect(row).toMatchObject({ id: expect.stringMatching(/^ntf_/), workspaceId: 'ws_a', kind: 'JOB_COMPLETED', readAt: null });
    expect((await next).value).toEqual({ notificationId: row.id });
    await events.return?.();
    await notifications.idle();

    const delivered = receiver.requests.slice(before);
    expect(delivered).toHaveLength(1);
    const request = delivered[0]!;
    expect(request.headers['x-brightrun-event']).toBe('JOB_COMPLETED');
    expect(request.headers['x-brightrun-delivery']).toBe(`dlv_${row.id.slice(4)}`);
    expect(JSON.parse(request.body)).toEqual({
      id: row.id, kind: 'JOB_COMPLETED', title: 'Training completed: “EQ-242”', body: 'spent $1.20', link: 'https://brightrun.example/jobs/job_1', jobId: 'job_1', workspaceId: 'ws_a', createdAt: row.createdAt.toISOString(),
    });
    // The receiver's side: the documented verify function accepts it, and only with the right secret and a fresh timestamp.
    const header = request.headers['x-brightrun-signature'];
    expect(verifyWebhookSignature(webhookSecret, header, request.body)).toMatchObject({ valid: true });
    expect(verifyWebhookSignature('whsec_not-the-secret-000000000', header, request.body).valid).toBe(false);
    expect(verifyWebhookSignature(webhookSecret, header, request.body, 300, Math.floor(request.receivedAt / 1000) + 301).valid).toBe(false);

    const slackBody = JSON.parse(slack.requests.at(-1)!.body);
    expect(slackBody.text).toBe('Training completed: “EQ-242”: spent $1.20');
    expect(slackBody.blocks.map((b: { type: string }) => b.type)).toEqual(['section', 'context']);
    expect(slackBody.blocks[1].elements[0].text).toContain('<https://brightrun.example/jobs/job_1|Open in BrightRun>');
  });

  it('retries a failing receiver: delivered once, the same delivery id each try', async () => {
    failuresLeft = 2;
    const before = receiver.requests.length;
    const row = await notifications.notify('ws_a', { kind: 'JOB_FAILED', title: 't', body: 'b' });
    await notifications.idle();
    const tries = receiver.requests.slice(before);
    expect(tries.map((r) => r.headers['x-brightrun-delivery'])).toEqual(Array(3).fill(`dlv_${row.id.slice(4)}`));
    expect(outcomes.filter((o) => o.id === `dlv_${row.id.slice(4)}`)).toEqual([expect.objectContaining({ delivered: true, attempts: 3 })]);
  });

  it('returns before a slow receiver answers', async () => {
    answerAfterMs = 800;
    try {
      const started = performance.now();
      const row = await notifications.notify('ws_a', { kind: 'COST_WARNING', title: 't', body: 'b' });
      expect(performance.now() - started).toBeLessThan(400);
      const webhookOutcome = () => outcomes.find((o) => o.id === `dlv_${row.id.slice(4)}`);
      expect(webhookOutcome()).toBeUndefined();
      await notifications.idle();
      expect(webhookOutcome()).toMatchObject({ delivered: true, attempts: 1 });
      expect(performance.now() - started).toBeGreaterThanOrEqual(790);
    } finally {
      answerAfterMs = 0;
    }
  });

  it('lists newest first a keyset page at a time, counts and marks unread, per workspace', async () => {
    await notifications.notify('ws_b', { kind: 'JOB_STARTED', title: 'other workspace', body: 'b' });
    const first = (size: number) => ({ size, cursor: null, backward: false });
    const all = (await notifications.list('ws_a', false, first(50))).rows;
    expect(all.map((n) => n.kind)).toEqual(['COST_WARNING', 'JOB_FAILED', 'JOB_COMPLETED']);
    const page2 = await notifications.list('ws_a', false, { size: 1, cursor: { value: all[0]!.createdAt, id: all[0]!.id }, backward: false });
    expect(page2).toEqual({ rows: [all[1]], hasMore: true });
    const newer = await notifications.list('ws_a', false, { size: 5, cursor: { value: all[2]!.createdAt, id: all[2]!.id }, backward: true });
    expect(newer.rows.map((n) => n.id)).toEqual([all[0]!.id, all[1]!.id]);
    expect(await notifications.count('ws_a', false)).toBe(3);

    expect(await notifications.unreadCount('ws_a')).toBe(3);
    const foreign = (await notifications.list('ws_b', false, first(1))).rows[0]!;
    expect(await notifications.markRead('ws_a', { ids: [all[0]!.id, foreign.id] })).toEqual({ ok: false, unknownId: foreign.id });
    expect(await notifications.markRead('ws_a', { ids: [all[0]!.id, all[0]!.id] })).toEqual({ ok: true, marked: 1 });
    expect((await notifications.list('ws_a', true, first(50))).rows.map((n) => n.id)).toEqual([all[1]!.id, all[2]!.id]);
    expect(await notifications.count('ws_a', true)).toBe(2);
    expect(await notifications.markRead('ws_a', { all: true })).toEqual({ ok: true, marked: 2 });
    expect(await notifications.unreadCount('ws_a')).toBe(0);
    expect(await notifications.unreadCount('ws_b')).toBe(1);
  });

  it('notifies on lifecycle transitions and never fails one', async () => {
    const lifecycle = new JobLifecycle(db.prisma, pubsub);
    lifecycle.onTransition(notifications.transitionListener());
    expect(await lifecycle.apply('job_1', { type: 'PROVISION' }, { kind: 'provisioning', message: 'pod requested' })).toMatchObject({ ok: true, changed: true });
    expect(await lifecycle.apply('job_1', { type: 'STAGE', stage: 'PREPROCESSING' }, { kind: 'stage', message: 'x' })).toMatchObject({ ok: true });
    expect(await lifecycle.apply('job_1', { type: 'INTERRUPT' }, { kind: 'interrupted', message: 'The spot pod was reclaimed' })).toMatchObject({ ok: true });
    expect(await lifecycle.apply('job_1', { type: 'PROVISION' }, { kind: 'provisioning', message: 'pod requested' })).toMatchObject({ ok: true });
    const kinds = (await notifications.list('ws_a', false, { size: 3, cursor: null, backward: false })).rows.map((n) => [n.kind, n.title]);
    expect(kinds).toEqual([
      ['JOB_RESUMED', 'Training resuming: “EQ-242”'],
      ['JOB_INTERRUPTED', 'Training interrupted: “EQ-242”'],
      ['JOB_STARTED', 'Training started: “EQ-242”'],
    ]);
    const job = await db.prisma.trainingJob.findUniqueOrThrow({ where: { id: 'job_1' } });
    // A notification that cannot be written (no such workspace) is logged, not thrown.
    await expect(notifications.transitionListener()({ ...job, status: 'FAILED', workspaceId: 'ws_missing' }, 'TRAINING', { kind: 'failed', message: 'x' })).resolves.toBeUndefined();
    expect(logs.at(-1)).toMatch(/job job_1: notification for TRAINING → FAILED failed/);
    expect(await notifications.tryNotify('ws_missing', { kind: 'COST_WARNING', title: 'over', body: 'b' })).toBeNull();
    expect(logs.at(-1)).toMatch(/notification "over" for workspace ws_missing not recorded/);
    await notifications.idle();
  });
});
