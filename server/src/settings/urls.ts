/**
 * Which URLs the server may POST notifications to. The server sends requests on a user's behalf,
 * so targets must be public HTTPS endpoints: a webhook must not become a way to reach the
 * server's own network. Loopback targets (http://127.0.0.1, http://localhost, http://[::1]) are
 * allowed only when the operator says so (`allowLoopbackWebhooks`: tests, and a self-hosted
 * receiver on the same machine).
 *
 * Only literal addresses are checked; a public name that resolves to a private address is not
 * (that needs a resolving, pinning HTTP agent).
 */
export interface UrlRules {
  allowLoopback: boolean;
}

const MAX_URL_LENGTH = 2000;
export const SLACK_WEBHOOK_HOST = 'hooks.slack.com';

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function isPrivateLiteral(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  return host === '::' || /^f[cd][0-9a-f]{2}:/.test(host) || host.startsWith('fe80:') || host.startsWith('::ffff:');
}

/** Returns the normalized URL, or a message saying what to change. */
export function checkWebhookUrl(raw: string, kind: 'slack' | 'generic', rules: UrlRules): { url: string } | { problem: string } {
  const text = raw.trim();
  const example = kind === 'slack' ? 'https://hooks.slack.com/services/T…/B…/…' : 'https://example.com/brightrun-webhook';
  if (text.length === 0) return { problem: `must not be empty; pass null to remove it, or a URL such as ${example}` };
  if (text.length > MAX_URL_LENGTH) return { problem: `must be at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: `must be an absolute URL such as ${example}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: `must use https:// (got ${url.protocol}//)` };
  if (url.username || url.password) return { problem: 'must not carry a user name or password' };
  if (isLoopback(url.hostname)) {
    if (!rules.allowLoopback) return { problem: 'must be a public HTTPS address: loopback targets are disabled on this server' };
    return { url: url.toString() };
  }
  if (url.protocol !== 'https:') return { problem: `must use https:// (plain http is allowed only for loopback targets on servers that enable them)` };
  if (kind === 'slack' && url.hostname !== SLACK_WEBHOOK_HOST) {
    return { problem: `must be a Slack incoming-webhook URL (${example}); create one under your Slack app → Incoming Webhooks` };
  }
  if (kind === 'generic' && isPrivateLiteral(url.hostname)) return { problem: 'must be a public address (private, link-local and unspecified IPs are refused)' };
  return { url: url.toString() };
}
