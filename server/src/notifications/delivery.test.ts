import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryQueue, type DeliveryOutcome, type DeliveryRequest } from './delivery.js';
import { startReceiver } from '../../test/support/receiver.js';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const r = await startReceiver(...args);
  cleanup.push(() => r.close());
  return r;
}

function queue(options: ConstructorParameters<typeof DeliveryQueue>[0] = {}) {
  const outcomes: DeliveryOutcome[] = [];
  const logs: string[] = [];
  const q = new DeliveryQueue({ retryDelaysMs: [20, 20, 20, 20], timeoutMs: 1000, log: (line) => logs.push(line), onOutcome: (o) => outcomes.push(o), ...options });
  cleanup.push(() => q.close());
  return { q, outcomes, logs };
}

const request = (url: string, id = 'dlv_1'): DeliveryRequest => ({ id, target: 'webhook', url, body: '{"hello":1}', headers: () => ({ 'x-brightrun-delivery': id }) });

describe('DeliveryQueue', () => {
  it('retries a failing receiver and delivers once, with the same delivery id on every try', async () => {
    const r = await receiver((_req, index) => ({ status: index < 2 ? 503 : 200 }));
    const { q, outcomes } = queue();
    q.enqueue(request(r.url, 'dlv_abc'));
    await q.idle();
    expect(outcomes).toEqual([{ id: 'dlv_abc', target: 'webhook', url: r.url, delivered: true, attempts: 3, status: 200, error: null }]);
    expect(r.requests.map((x) => x.headers['x-brightrun-delivery'])).toEqual(['dlv_abc', 'dlv_abc', 'dlv_abc']);
    expect(r.requests.every((x) => x.body === '{"hello":1}' && x.headers['content-type'] === 'application/json')).toBe(true);
  });

  it('gives up after the last try, and does not retry a refusal such as 404', async () => {
    const down = await receiver(() => ({ status: 500 }));
    const gone = await receiver(() => ({ status: 404 }));
    const { q, outcomes, logs } = queue();
    q.enqueue(request(down.url, 'dlv_down'));
    q.enqueue(request(gone.url, 'dlv_gone'));
    await q.idle();
    expect(outcomes.find((o) => o.id === 'dlv_down')).toMatchObject({ delivered: false, attempts: 5, status: 500, error: 'HTTP 500' });
    expect(outcomes.find((o) => o.id === 'dlv_gone')).toMatchObject({ delivered: false, attempts: 1, status: 404 });
    expect(down.requests).toHaveLength(5);
    expect(logs.join('\n')).toMatch(/dlv_down to webhook http:\/\/127\.0\.0\.1:\d+\/… gave up after 5 tries: HTTP 500/);
  });

  it('times out a receiver that does not answer and retries it', async () => {
    const r = await receiver((_req, index) => (index === 0 ? new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), 2000)) : { status: 204 }));
    const { q, outcomes } = queue({ timeoutMs: 150 });
    q.enqueue(request(r.url));
    await q.idle();
    expect(outcomes[0]).toMatchObject({ delivered: true, attempts: 2, status: 204 });
  });

  it('honours Retry-After on 429 (bounded) and retries a refused connection', async () => {
    const r = await receiver((_req, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 200 }));
    const closed = await startReceiver();
    await closed.close();
    const { q, outcomes } = queue({ retryDelaysMs: [10] });
    q.enqueue(request(r.url, 'dlv_429'));
    q.enqueue(request(closed.url, 'dlv_refused'));
    await q.idle();
    expect(outcomes.find((o) => o.id === 'dlv_429')).toMatchObject({ delivered: true, attempts: 2 });
    expect(outcomes.find((o) => o.id === 'dlv_refused')).toMatchObject({ delivered: false, attempts: 2, status: null, error: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('returns from enqueue at once, caps what is pending, and stops retrying on close', async () => {
    const r = await receiver(() => ({ status: 503 }));
    const { q, outcomes, logs } = queue({ retryDelaysMs: [60_000], maxPending: 2 });
    const started = performance.now();
    for (const id of ['dlv_a', 'dlv_b', 'dlv_c']) q.enqueue(request(r.url, id));
    expect(performance.now() - started).toBeLessThan(50);
    expect(q.size).toBe(2);
    expect(logs[0]).toMatch(/dlv_c to webhook dropped: 2 deliveries already pending/);
    await r.received(2);
    const closing = performance.now();
    await q.close();
    expect(performance.now() - closing).toBeLessThan(1000);
    expect(outcomes.map((o) => o.delivered)).toEqual([false, false]);
  });
});
