import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhookBody, verifyWebhookSignature } from './signature.js';

const secret = 'whsec_test-secret-0123456789';
const body = '{"id":"ntf_1","kind":"JOB_COMPLETED"}';
const now = 1_800_000_000;

describe('webhook signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 in the Stripe-style header', () => {
    const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(signWebhookBody(secret, body, now)).toBe(`t=${now},v1=${expected}`);
  });

  it('accepts a fresh, matching signature (string or bytes body; any of several v1 entries)', () => {
    const header = signWebhookBody(secret, body, now);
    expect(verifyWebhookSignature(secret, header, body, 300, now + 10)).toEqual({ valid: true, timestamp: now });
    expect(verifyWebhookSignature(secret, header, Buffer.from(body), 300, now).valid).toBe(true);
    const rotated = `t=${now},v1=${'0'.repeat(64)},${header.split(',')[1]}`;
    expect(verifyWebhookSignature(secret, rotated, body, 300, now).valid).toBe(true);
  });

  it('refuses another secret, a changed body, an old or future timestamp, and malformed headers', () => {
    const header = signWebhookBody(secret, body, now);
    const reason = (check: ReturnType<typeof verifyWebhookSignature>) => (check.valid ? 'valid' : check.reason);
    expect(reason(verifyWebhookSignature('whsec_other-secret-0123456789', header, body, 300, now))).toMatch(/no v1 signature matches/);
    expect(reason(verifyWebhookSignature(secret, header, body.replace('COMPLETED', 'FAILED'), 300, now))).toMatch(/no v1 signature matches/);
    expect(reason(verifyWebhookSignature(secret, header, body, 300, now + 301))).toMatch(/301 s from now, beyond the tolerance of 300 s/);
    expect(reason(verifyWebhookSignature(secret, header, body, 300, now - 400))).toMatch(/tolerance/);
    expect(reason(verifyWebhookSignature(secret, undefined, body, 300, now))).toMatch(/missing X-BrightRun-Signature/);
    expect(reason(verifyWebhookSignature(secret, `v1=${'a'.repeat(64)}`, body, 300, now))).toMatch(/no t=/);
    expect(reason(verifyWebhookSignature(secret, `t=${now},v1=xyz`, body, 300, now))).toMatch(/no v1=/);
  });
});
