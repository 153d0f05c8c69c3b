import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../src/notifications/signature.js';
import { TEST_LIMIT } from '../src/notifications/test-send.js';
import { startReceiver } from './support/receiver.js';
import { BACKENDS, startTestServer, type TestServer } from './harness.js';

const UPDATE = `mutation($input: UpdateWorkspaceSettingsInput!) { updateWorkspaceSettings(input: $input) { __typename ... on UpdateWorkspaceSettingsSuccess { webhookSecret } } }`;
const SEND = `mutation($target: NotificationTarget!) { sendTestNotification(input: { target: $target }) {
  __typename
  ... on SendTestNotificationSuccess { delivery { target deliveryId httpStatus durationMs sentAt } }
  ... on NotificationTargetNotSetError { code message target }
  ... on NotificationDeliveryFailedError { code message target httpStatus reason }
  ... on TooManyTestNotificationsError { code message limit retryAfterSeconds }
} }`;

describe.each(BACKENDS)('sendTestNotification against local receivers (%s)', (backend) => {
  let server: TestServer;
  let webhook: Awaited<ReturnType<typeof startReceiver>>;
  let slack: Awaited<ReturnType<typeof startReceiver>>;
  let refusing: Awaited<ReturnType<typeof startReceiver>>;
  let secret: string;
  beforeAll(async () => {
    [server, webhook, slack, refusing] = await Promise.all([startTestServer(backend), startReceiver(), startReceiver(), startReceiver(() => ({ status: 404 }))]);
  });
  afterAll(async () => {
    await server?.stop();
    await Promise.all([webhook?.close(), slack?.close(), refusing?.close()]);
  });
  const send = async (target: 'SLACK' | 'WEBHOOK') => (await server.gql(SEND, { target })).data!.sendTestNotification;

  it('says which setting to fill when no target is saved (and sends nothing)', async () => {
    for (const target of ['SLACK', 'WEBHOOK'] as const) {
      const r = await send(target);
      expect(r).toMatchObject({ __typename: 'NotificationTargetNotSetError', code: 'NOTIFICATION_TARGET_NOT_SET', target });
      expect(r.message).toMatch(/Settings → Notifications/);
    }
  });

  it('delivers a signed test to the webhook and a Block Kit message to Slack, without recording a notification', async () => {
    const updated = await server.gql(UPDATE, { input: { webhookUrl: webhook.url, slackWebhookUrl: slack.url } });
    secret = updated.data!.updateWorkspaceSettings.webhookSecret;
    const before = (await server.gql(`{ notifications(first: 1) { totalCount } }`)).data!.notifications.totalCount;

    const hook = await send('WEBHOOK');
    expect(hook.__typename).toBe('SendTestNotificationSuccess');
    expect(hook.delivery).toMatchObject({ target: 'WEBHOOK', httpStatus: 200, deliveryId: expect.stringMatching(/^dlv_test_/) });
    expect(hook.delivery.durationMs).toBeGreaterThanOrEqual(0);
    expect(webhook.requests).toHaveLength(1);
    const request = webhook.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.headers['x-brightrun-event']).toBe('TEST');
    expect(request.headers['x-brightrun-delivery']).toBe(hook.delivery.deliveryId);
    expect(verifyWebhookSignature(secret, request.headers['x-brightrun-signature'], request.body)).toMatchObject({ valid: true });
    expect(JSON.parse(request.body)).toMatchObject({ kind: 'TEST', title: 'Test message from BrightRun LoRA', jobId: null, workspaceId: server.bootstrap.workspaceId });

    const toSlack = await send('SLACK');
    expect(toSlack.delivery).toMatchObject({ target: 'SLACK', httpStatus: 200 });
    expect(slack.requests).toHaveLength(1);
    const message = JSON.parse(slack.requests[0]!.body);
    expect(message.text).toMatch(/^Test message from BrightRun LoRA: /);
    expect(message.blocks.map((b: { type: string }) => b.type)).toEqual(['section', 'context']);
    expect(slack.requests[0]!.headers['x-brightrun-signature']).toBeUndefined(); // Slack URLs carry their own token

    expect((await server.gql(`{ notifications(first: 1) { totalCount } }`)).data!.notifications.totalCount).toBe(before);
  });

  it('reports a refusal with the receiver’s status after one try (no retries)', async () => {
    await server.gql(UPDATE, { input: { webhookUrl: refusing.url } });
    const r = await send('WEBHOOK');
    expect(r).toMatchObject({ __typename: 'NotificationDeliveryFailedError', code: 'NOTIFICATION_DELIVERY_FAILED', target: 'WEBHOOK', httpStatus: 404, reason: 'HTTP 404' });
    expect(r.message).toMatch(/check the URL/);
    expect(refusing.requests).toHaveLength(1);
  });

  it(`refuses more than ${TEST_LIMIT.perWindow} tests a minute per workspace, with a retry hint`, async () => {
    await server.gql(UPDATE, { input: { webhookUrl: webhook.url } });
    // Three were sent above; the bound counts refused deliveries too.
    const results = [];
    for (let i = 4; i <= TEST_LIMIT.perWindow; i++) results.push(await send('WEBHOOK'));
    expect(results.map((r) => r.__typename)).toEqual(Array(TEST_LIMIT.perWindow - 3).fill('SendTestNotificationSuccess'));
    const refused = await send('SLACK');
    expect(refused).toMatchObject({ __typename: 'TooManyTestNotificationsError', code: 'TOO_MANY_TEST_NOTIFICATIONS', limit: TEST_LIMIT.perWindow });
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(slack.requests).toHaveLength(1); // nothing went out
  });

  it('needs the write scope', async () => {
    const readOnly = await server.gql(`mutation { createApiKey(input: { name: "r", scopes: [READ] }) { ... on CreateApiKeySuccess { secret } } }`);
    const denied = await server.gql(SEND, { target: 'SLACK' }, readOnly.data!.createApiKey.secret);
    expect(denied.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });
});
