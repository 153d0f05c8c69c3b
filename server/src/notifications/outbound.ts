import type { Notification } from '../generated/prisma/client.js';
import type { DeliveryTargets } from '../settings/service.js';
import type { DeliveryRequest } from './delivery.js';
import type { NotificationKind } from './kinds.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhookBody } from './signature.js';
import { slackMessage } from './slack.js';

/** The JSON body POSTed to a workspace's generic webhook. */
export interface WebhookPayload {
  id: string;
  kind: string;
  title: string;
  body: string;
  /** Absolute URL (the public URL + the dashboard path), or null. */
  link: string | null;
  jobId: string | null;
  workspaceId: string;
  createdAt: string;
}

/** `/jobs/job_…` → `https://<public URL>/jobs/job_…` (receivers outside the app need a full URL). */
export function absoluteLink(link: string | null, publicUrl: string): string | null {
  if (!link) return null;
  try {
    return new URL(link, `${publicUrl.replace(/\/$/, '')}/`).toString();
  } catch {
    return null;
  }
}

/**
 * The HTTP deliveries of one notification to a workspace's targets. The delivery id derives from
 * the notification id, so it is the same on every retry and a receiver can dedupe on it.
 */
export function deliveriesFor(notification: Notification, targets: DeliveryTargets, publicUrl: string): DeliveryRequest[] {
  const link = absoluteLink(notification.link, publicUrl);
  const deliveryId = `dlv_${notification.id.slice(notification.id.indexOf('_') + 1)}`;
  const requests: DeliveryRequest[] = [];
  if (targets.slackWebhookUrl) {
    const body = JSON.stringify(slackMessage({ ...notification, kind: notification.kind as NotificationKind }, link));
    requests.push({ id: `${deliveryId}_slack`, target: 'slack', url: targets.slackWebhookUrl, body, headers: () => ({}) });
  }
  if (targets.webhook) {
    const { url, secret } = targets.webhook;
    const payload: WebhookPayload = {
      id: notification.id,
      kind: notification.kind,
      title: notification.title,
      body: notification.body,
      link,
      jobId: notification.jobId,
      workspaceId: notification.workspaceId,
      createdAt: notification.createdAt.toISOString(),
    };
    const body = JSON.stringify(payload);
    requests.push({
      id: deliveryId,
      target: 'webhook',
      url,
      body,
      // Signed at each try, so the timestamp is the time of sending and retries stay within tolerance.
      headers: () => ({ [SIGNATURE_HEADER]: signWebhookBody(secret, body), [EVENT_HEADER]: notification.kind, [DELIVERY_HEADER]: deliveryId }),
    });
  }
  return requests;
}
