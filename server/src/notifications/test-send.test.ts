import { describe, expect, it } from 'vitest';
import { NotificationDeliveryFailedError, NotificationTargetNotSetError, TestSendLimiter, TooManyTestNotificationsError, testDeliveryRequest, testResult } from './test-send.js';
import { verifyWebhookSignature } from './signature.js';

describe('TestSendLimiter', () => {
  it('allows perWindow sends in a sliding window per workspace, then says when to retry', () => {
    let now = 1_000_000;
    const limiter = new TestSendLimiter({ perWindow: 2, windowMs: 60_000 }, () => now);
    limiter.take('ws_a');
    now += 10_000;
    limiter.take('ws_a');
    limiter.take('ws_b'); // another workspace has its own window
    now += 5_000;
    let refused: unknown;
    try {
      limiter.take('ws_a');
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(TooManyTestNotificationsError);
    expect((refused as TooManyTestNotificationsError).retryAfterSeconds).toBe(45); // the first send leaves the window 45 s later
    now += 45_000;
    expect(() => limiter.take('ws_a')).not.toThrow();
  });
});

describe('testDeliveryRequest', () => {
  const targets = { slackWebhookUrl: 'https://hooks.slack.com/services/T/B/x', webhook: { url: 'https://example.com/hook', secret: 'whsec_0123456789abcdef0123456789' }, webhookProblem: null };

  it('signs the webhook body with the saved secret, kind TEST', () => {
    const request = testDeliveryRequest('webhook', targets, 'ws_1', 'https://app.example.com');
    const headers = request.headers();
    expect(verifyWebhookSignature(targets.webhook.secret, headers['X-BrightRun-Signature'], request.body).valid).toBe(true);
    expect(headers['X-BrightRun-Event']).toBe('TEST');
    expect(JSON.parse(request.body)).toMatchObject({ kind: 'TEST', workspaceId: 'ws_1', link: null });
  });

  it('refuses a missing or unreadable target with the setting to fix', () => {
    expect(() => testDeliveryRequest('slack', { ...targets, slackWebhookUrl: null }, 'ws_1', 'http://x')).toThrow(NotificationTargetNotSetError);
    expect(() => testDeliveryRequest('webhook', { ...targets, webhook: null, webhookProblem: 'the secret cannot be decrypted.' }, 'ws_1', 'http://x')).toThrow(/cannot be used: the secret cannot be decrypted/);
  });

  it('turns a failed try into NotificationDeliveryFailedError with the status', () => {
    const outcome = { id: 'dlv_test_x', target: 'slack' as const, url: 'u', delivered: false, attempts: 1, status: 500, error: 'HTTP 500' };
    expect(() => testResult('slack', outcome, new Date(), 3)).toThrow(NotificationDeliveryFailedError);
    expect(testResult('slack', { ...outcome, delivered: true, status: 200, error: null }, new Date(0), 3)).toMatchObject({ httpStatus: 200, durationMs: 3, deliveryId: 'dlv_test_x' });
  });
});
