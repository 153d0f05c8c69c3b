import type { NotificationKind } from './kinds.js';

/**
 * The message posted to a Slack incoming webhook: Block Kit blocks plus `text`, which Slack
 * uses for the push notification and for clients that cannot show blocks
 * (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks).
 *
 *   { text, blocks: [ section (mrkdwn: *title* + body), context (kind · <link|Open in BrightRun>) ] }
 */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export type SlackBlock =
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: Array<{ type: 'mrkdwn'; text: string }> };

/** Slack's limit on a section's text. */
const SECTION_LIMIT = 3000;

const KIND_LABELS: Record<NotificationKind, string> = {
  JOB_STARTED: ':rocket: Job started',
  JOB_INTERRUPTED: ':warning: Job interrupted',
  JOB_RESUMED: ':arrows_counterclockwise: Job resuming',
  COST_WARNING: ':moneybag: Cost warning',
  JOB_COMPLETED: ':white_check_mark: Job completed',
  JOB_FAILED: ':x: Job failed',
  JOB_CANCELLED: ':no_entry_sign: Job cancelled',
};

/** Slack mrkdwn treats &, < and > as control characters: escape them in user-derived text. */
export const escapeMrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackMessage(notification: { kind: NotificationKind; title: string; body: string }, absoluteLink: string | null): SlackMessage {
  const title = escapeMrkdwn(notification.title);
  let body = escapeMrkdwn(notification.body);
  const room = SECTION_LIMIT - title.length - 4;
  if (body.length > room) body = `${body.slice(0, Math.max(0, room - 1))}…`;
  const context = [KIND_LABELS[notification.kind], 'BrightRun LoRA'];
  if (absoluteLink) context.push(`<${absoluteLink.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|Open in BrightRun>`);
  return {
    text: escapeMrkdwn(`${notification.title}: ${notification.body}`),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${title}*\n${body}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] },
    ],
  };
}
