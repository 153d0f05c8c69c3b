import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 links for the local file routes: `?op=…&exp=…[&max=…][&name=…][&once=1]&sig=…`. */

export type LinkOp = 'get' | 'put';

export interface LinkFields {
  op: LinkOp;
  path: string;
  /** Unix seconds after which the link is refused. */
  exp: number;
  /** Upload size limit in bytes (PUT links). */
  max?: number;
  /** Download file name for Content-Disposition (GET links). */
  name?: string;
  /** PUT links: create only, never overwrite (the link is spent once its bytes are stored). */
  once?: true;
}

export type LinkCheck =
  | { ok: true; max?: number; name?: string; once?: true }
  | { ok: false; code: 'link_invalid' | 'link_expired' | 'wrong_method'; message: string };

function signature(secret: Uint8Array, fields: LinkFields): Buffer {
  // JSON keeps the fields unambiguous: no separator can be smuggled through a name.
  const message = JSON.stringify([fields.op, fields.path, fields.exp, fields.max ?? null, fields.name ?? null, ...(fields.once ? ['once'] : [])]);
  return createHmac('sha256', secret).update(message).digest();
}

export function signLinkQuery(secret: Uint8Array, fields: LinkFields): string {
  const query = new URLSearchParams({ op: fields.op, exp: String(fields.exp) });
  if (fields.max !== undefined) query.set('max', String(fields.max));
  if (fields.name !== undefined) query.set('name', fields.name);
  if (fields.once) query.set('once', '1');
  query.set('sig', signature(secret, fields).toString('base64url'));
  return query.toString();
}

const DIGITS = /^\d+$/;

export function checkLink(
  secret: Uint8Array,
  expectedOp: LinkOp,
  path: string,
  query: URLSearchParams,
  nowMs: number,
): LinkCheck {
  const op = query.get('op');
  const exp = query.get('exp');
  const max = query.get('max');
  const name = query.get('name');
  const sig = query.get('sig');
  if ((op !== 'get' && op !== 'put') || !exp || !DIGITS.test(exp) || !sig || (max !== null && !DIGITS.test(max))) {
    return {
      ok: false,
      code: 'link_invalid',
      message: 'the link is incomplete or malformed (it needs op, exp and sig); ask for a new one',
    };
  }
  const fields: LinkFields = {
    op,
    path,
    exp: Number(exp),
    ...(max !== null && { max: Number(max) }),
    ...(name !== null && { name }),
    ...(query.get('once') === '1' && { once: true as const }),
  };
  const expected = signature(secret, fields);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      ok: false,
      code: 'link_invalid',
      message: 'the link signature does not match (the link was altered or signed by another server); ask for a new one',
    };
  }
  if (op !== expectedOp) {
    const allowed = op === 'get' ? 'GET or HEAD' : 'PUT';
    return { ok: false, code: 'wrong_method', message: `this link is for ${allowed} requests only` };
  }
  if (nowMs > fields.exp * 1000) {
    const at = new Date(fields.exp * 1000).toISOString();
    return { ok: false, code: 'link_expired', message: `the link expired at ${at}; ask for a new one` };
  }
  return {
    ok: true,
    ...(fields.max !== undefined && { max: fields.max }),
    ...(fields.name !== undefined && { name: fields.name }),
    ...(fields.once && { once: true as const }),
  };
}
