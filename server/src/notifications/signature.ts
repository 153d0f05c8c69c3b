import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, Stripe-style. Each request carries
 *
 *   X-BrightRun-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">
 *
 * keyed with the workspace's signing secret (shown once when it is created). A receiver checks
 * it with `verifyWebhookSignature` on the raw request body — before parsing the JSON, since
 * re-serializing changes the bytes — and refuses old timestamps to stop replays. The header may
 * carry several `v1=` entries; one match is enough.
 *
 * Receiver example (node:http):
 *
 *   const body = await readRawBody(req);
 *   const check = verifyWebhookSignature(process.env.BRIGHTRUN_WEBHOOK_SECRET!, req.headers['x-brightrun-signature'], body);
 *   if (!check.valid) return res.writeHead(400).end(check.reason);
 *   // dedupe on req.headers['x-brightrun-delivery']: a retried delivery repeats it
 */
export const SIGNATURE_HEADER = 'X-BrightRun-Signature';
export const EVENT_HEADER = 'X-BrightRun-Event';
export const DELIVERY_HEADER = 'X-BrightRun-Delivery';
export const DEFAULT_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, timestamp: number, body: string | Uint8Array) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');

/** The X-BrightRun-Signature value for `body` sent at `timestamp` (unix seconds). */
export function signWebhookBody(secret: string, body: string | Uint8Array, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

export type SignatureCheck = { valid: true; timestamp: number } | { valid: false; reason: string };

/**
 * Checks an X-BrightRun-Signature header against the raw body. Valid when one `v1` matches the
 * HMAC under `secret` and the timestamp is within `toleranceSeconds` of now (either side, for
 * clock skew). Comparison is constant-time.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | string[] | null | undefined,
  body: string | Uint8Array,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
  nowSeconds = Math.floor(Date.now() / 1000),
): SignatureCheck {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return { valid: false, reason: `missing ${SIGNATURE_HEADER} header` };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const [key, ...rest] = part.trim().split('=');
    const item = rest.join('=');
    if (key === 't' && /^\d+$/.test(item)) timestamp = Number(item);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(item)) signatures.push(item.toLowerCase());
  }
  if (timestamp === undefined) return { valid: false, reason: 'the signature header has no t=<unix seconds>' };
  if (signatures.length === 0) return { valid: false, reason: 'the signature header has no v1=<hex HMAC-SHA256>' };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    return { valid: false, reason: `the timestamp is ${nowSeconds - timestamp} s from now, beyond the tolerance of ${toleranceSeconds} s (a replay, or a clock off)` };
  }
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  const matches = signatures.some((signature) => timingSafeEqual(expected, Buffer.from(signature, 'hex')));
  return matches ? { valid: true, timestamp } : { valid: false, reason: 'no v1 signature matches the body under this secret' };
}
