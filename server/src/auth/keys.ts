import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'brk_';
export const TRAINER_TOKEN_PREFIX = 'brj_';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomToken(prefix: string, length = 40): string {
  // Rejection sampling keeps every character equally likely.
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return prefix + out;
}

export const generateApiKey = () => randomToken(API_KEY_PREFIX);
export const generateTrainerToken = () => randomToken(TRAINER_TOKEN_PREFIX);

/**
 * A job's trainer token, derived from the server secret so it can be handed to every pod of the
 * job (a resumed spot pod keeps the env it was created with) without storing it; only its hash
 * is stored. It opens that job's trainer operations only, and only while the job is unfinished.
 */
export function trainerTokenFor(serverSecret: string, jobId: string): string {
  const digest = createHmac('sha256', serverSecret).update(`brightrun-trainer-token:${jobId}`).digest();
  let out = '';
  for (const byte of digest) out += ALPHABET[byte % 62];
  // 32 bytes → 32 characters; stretch with a second block to the usual 40.
  const more = createHmac('sha256', serverSecret).update(`brightrun-trainer-token-2:${jobId}`).digest();
  for (const byte of more.subarray(0, 8)) out += ALPHABET[byte % 62];
  return TRAINER_TOKEN_PREFIX + out;
}

/** Keys are random 238-bit secrets, so a fast hash is enough (no need for a password KDF). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** What a user sees to tell keys apart: `brk_` and the next 8 characters. */
export const keyPrefix = (key: string) => key.slice(0, API_KEY_PREFIX.length + 8);

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
