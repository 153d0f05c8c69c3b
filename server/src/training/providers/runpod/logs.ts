/** Pod logs: RunPod streams them as Server-Sent Events and keeps the stream open while the pod runs. */
import { restError } from './errors.js';
import { withRetry, type RetryOptions } from './retry.js';
import { readSse } from './sse.js';
import type { RunPodTransport } from './transport.js';
import type { RunPodLogLine } from './types.js';

export interface LogOptions {
  /** Lines of history to replay first. @default 100 */
  tail?: number;
  source?: 'container' | 'system';
  /** RFC 3339 timestamp to resume from (replaces `tail`). */
  since?: string;
  signal?: AbortSignal;
}

export async function* streamPodLogs(
  transport: RunPodTransport,
  retry: RetryOptions,
  podId: string,
  options: LogOptions & { onOpen?: () => void },
): AsyncGenerator<RunPodLogLine> {
  const url = transport.restUrl(`/pods/${encodeURIComponent(podId)}/logs`, {
    tail: options.since ? undefined : (options.tail ?? 100),
    source: options.source,
    since: options.since,
  });
  const response = await withRetry(async () => {
    const res = await transport.send(url, {
      method: 'GET',
      headers: { accept: 'text/event-stream' },
      timeoutMs: null,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!res.ok) throw restError(res.status, await res.json().catch(() => null), res.headers);
    return res;
  }, retry);
  options.onOpen?.();
  if (!response.body) return;
  for await (const event of readSse(response.body, options.signal)) {
    yield JSON.parse(event.data) as RunPodLogLine;
  }
}

/**
 * Drains a stream until it ends or, once open, nothing arrives for `idleMs`; gives up on a stream
 * that does not open within `connectMs`.
 */
export async function collectUntilIdle<T>(
  open: (signal: AbortSignal, onOpen: () => void) => AsyncIterable<T>,
  timing: { idleMs: number; connectMs: number },
  outer?: AbortSignal,
): Promise<T[]> {
  const controller = new AbortController();
  const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
  let timer = setTimeout(() => controller.abort(), timing.connectMs);
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), timing.idleMs);
  };
  const items: T[] = [];
  try {
    for await (const item of open(signal, restart)) {
      items.push(item);
      restart();
    }
  } finally {
    clearTimeout(timer);
  }
  return items;
}
