import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, slackMessage } from './slack.js';

describe('slackMessage', () => {
  it('follows the incoming-webhook Block Kit shape and escapes mrkdwn control characters', () => {
    const message = slackMessage({ kind: 'JOB_FAILED', title: 'Training failed: “a<b>”', body: 'x & y' }, 'https://brightrun.example/jobs/job_1');
    expect(message).toEqual({
      text: 'Training failed: “a&lt;b&gt;”: x &amp; y',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Training failed: “a&lt;b&gt;”*\nx &amp; y' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: ':x: Job failed · BrightRun LoRA · <https://brightrun.example/jobs/job_1|Open in BrightRun>' }] },
      ],
    });
    expect(escapeMrkdwn('<!channel>')).toBe('&lt;!channel&gt;');
    const long = slackMessage({ kind: 'COST_WARNING', title: 't', body: 'b'.repeat(5000) }, null);
    expect((long.blocks[0] as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(3000);
    expect(long.blocks[1]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: ':moneybag: Cost warning · BrightRun LoRA' }] });
  });
});
