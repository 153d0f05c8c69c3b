import { randomBytes } from 'node:crypto';
import type { DeliveryTargets } from '../settings/service.js';
import type { DeliveryOutcome, DeliveryRequest } from './delivery.js';
import type { WebhookPayload } from './outbound.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhookBody } from './signature.js';
import { escapeMrkdwn, type SlackMessage } from './slack.js';

/** Where "send test" goes: the workspace's saved Slack incoming webhook or generic webhook. */
export type TestTarget = 'slack' | 'webhook';

/** The kind a test message carries (webhook `kind` and X-BrightRun-Event): receivers can ignore it. */
export const TEST_KIND = 'TEST';

/** Tests per workspace within the window: enough to fix a URL, too few to use the server as a relay. */
export const TEST_LIMIT = { perWindow: 5, windowMs: 60_000 } as const;

const TARGET_LABEL: Record<TestTarget, string> = { slack: 'Slack webhook', webhook: 'webhook' };

/** No URL of that kind is saved (or it cannot be read back): nothing to test. */
export class NotificationTargetNotSetError extends Error {
  readonly code = 'NOTIFICATION_TARGET_NOT_SET';
  constructor(
    readonly target: TestTarget,
    reason?: string,
  ) {
    super(
      reason
        ? `The saved ${TARGET_LABEL[target]} cannot be used: ${reason} Save the ${target === 'slack' ? 'Slack URL' : 'webhook URL and secret'} again in Settings → Notifications, then send a test.`
        : `No ${TARGET_LABEL[target]} URL is saved. Set one in Settings → Notifications (updateSettings: ${target === 'slack' ? 'slackWebhookUrl' : 'webhookUrl'}), then send a test.`,
    );
  }
}

/** The receiver did not accept the test message (one try, no retries: the answer is shown at once). */
export class NotificationDeliveryFailedError extends Error {
  readonly code = 'NOTIFICATION_DELIVERY_FAILED';
  constructor(
    readonly target: TestTarget,
    readonly httpStatus: number | null,
    readonly reason: string,
  ) {
    super(
      `The test message to the ${TARGET_LABEL[target]} was not accepted: ${reason}. ` +
        (httpStatus !== null && httpStatus >= 400 && httpStatus < 500
          ? 'The receiver refused it: check the URL (a Slack URL looks like https://hooks.slack.com/services/…) and, for a webhook, that it expects POST with JSON.'
          : 'Check that the URL is right and that the receiver is up and reachable from the server.'),
    );
  }
}

/** More tests than TEST_LIMIT allows within its window. */
export class TooManyTestNotificationsError extends Error {
  readonly code = 'TOO_MANY_TEST_NOTIFICATIONS';
  constructor(
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`At most ${limit} test messages a minute per workspace. Retry in ${retryAfterSeconds} s.`);
  }
}

/** A sliding window of test sends per workspace (per server process). */
export class TestSendLimiter {
  private readonly sent = new Map<string, number[]>();
  constructor(
    private readonly limit: { perWindow: number; windowMs: number } = TEST_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one send, or throws TooManyTestNotificationsError when the window is full. */
  take(workspaceId: string): void {
    const now = this.now();
    const recent = (this.sent.get(workspaceId) ?? []).filter((t) => now - t < this.limit.windowMs);
    if (recent.length >= this.limit.perWindow) {
      this.sent.set(workspaceId, recent);
      throw new TooManyTestNotificationsError(this.limit.perWindow, Math.max(1, Math.ceil((recent[0]! + this.limit.windowMs - now) / 1000)));
    }
    recent.push(now);
    this.sent.set(workspaceId, recent);
    if (this.sent.size > 10_000) for (const [id, times] of this.sent) if (times.every((t) => now - t >= this.limit.windowMs)) this.sent.delete(id);
  }
}

export interface TestDelivery {
  target: TestTarget;
  deliveryId: string;
  httpStatus: number;
  durationMs: number;
  sentAt: Date;
}

/** The one HTTP request of a test to `target`, built like a real notification's (Slack blocks; signed webhook JSON). */
export function testDeliveryRequest(target: TestTarget, targets: DeliveryTargets, workspaceId: string, publicUrl: string, now = new Date()): DeliveryRequest {
  const deliveryId = `dlv_test_${randomBytes(9).toString('base64url')}`;
  const title = 'Test message from BrightRun LoRA';
  const body = `If you can read this, ${TARGET_LABEL[target]} notifications work: job starts, completions, failures and cost warnings will arrive here.`;
  if (target === 'slack') {
    if (targets.slackProblem) throw new NotificationTargetNotSetError('slack', targets.slackProblem);
    if (!targets.slackWebhookUrl) throw new NotificationTargetNotSetError('slack');
    const message: SlackMessage = {
      text: escapeMrkdwn(`${title}: ${body}`),
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(title)}*\n${escapeMrkdwn(body)}` } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `:wave: Test · BrightRun LoRA · <${publicUrl.replace(/\/$/, '')}/settings|Settings>` }] },
      ],
    };
    return { id: deliveryId, target: 'slack', url: targets.slackWebhookUrl, body: JSON.stringify(message), headers: () => ({}) };
  }
  if (targets.webhookProblem) throw new NotificationTargetNotSetError('webhook', targets.webhookProblem);
  if (!targets.webhook) throw new NotificationTargetNotSetError('webhook');
  const { url, secret } = targets.webhook;
  const payload: WebhookPayload = { id: deliveryId, kind: TEST_KIND, title, body, link: null, jobId: null, workspaceId, createdAt: now.toISOString() };
  const json = JSON.stringify(payload);
  return {
    id: deliveryId,
    target: 'webhook',
    url,
    body: json,
    headers: () => ({ [SIGNATURE_HEADER]: signWebhookBody(secret, json), [EVENT_HEADER]: TEST_KIND, [DELIVERY_HEADER]: deliveryId }),
  };
}

/** The outcome of the one try as the mutation's answer, or its typed error. */
export function testResult(target: TestTarget, outcome: DeliveryOutcome, startedAt: Date, durationMs: number): TestDelivery {
  if (!outcome.delivered || outcome.status === null) throw new NotificationDeliveryFailedError(target, outcome.status, outcome.error ?? 'no answer');
  return { target, deliveryId: outcome.id, httpStatus: outcome.status, durationMs, sentAt: startedAt };
}
