import { render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const client = vi.hoisted(() => ({ query: vi.fn(), mutate: vi.fn(), handleUnauthenticated: vi.fn() }));
vi.mock('$lib/graphql/client', () => client);

import StatusBar from './StatusBar.svelte';
import { budgetText, gpuLine } from './status-text';
import { apiBudget } from '$lib/state/api-budget.svelte';
import { connection } from '$lib/state/connection.svelte';
import { STATUS_POLL_MS } from '$lib/state/system-status.svelte';

type Runpod = { state: string; offered?: boolean; message?: string | null; keySource?: string | null };
const gpu = (over: Record<string, unknown> = {}) => ({
  gpuTypeId: 'NVIDIA H100 PCIe', label: 'H100 PCIe', availability: 'HIGH', dataCentersWithStock: 6, dataCenterCount: 9, pinnedDataCenter: null, ...over,
});
const status = (runpod: Runpod, over: Record<string, unknown> = {}) => ({
  systemStatus: {
    runpod: { offered: true, message: null, keySource: 'WORKSPACE', checkedAt: '2026-01-01T00:00:00Z', ...runpod },
    defaultGpu: gpu(),
    apiBudget: { limit: 600, remaining: 587, resetInSeconds: 42, windowSeconds: 60 },
    defaultProvider: { name: 'RUNPOD', simulated: false, ready: true, setupHint: null },
    ...over,
  },
});
const footer = () => screen.getByRole('contentinfo', { name: 'System status' });

beforeEach(() => {
  client.query.mockReset();
  apiBudget.set(null);
  connection.set('live');
});
afterEach(() => vi.useRealTimers());

describe('StatusBar', () => {
  it('says RunPod is connected, the default GPU stock, live updates and the API budget, in words', async () => {
    client.query.mockResolvedValue(status({ state: 'CONNECTED' }));
    render(StatusBar);
    await waitFor(() => expect(footer().textContent).toContain('RunPod connected'));
    const text = footer().textContent!.replace(/\s+/g, ' ');
    expect(text).toContain('H100 PCIe: high stock in 6 of 9 data centers');
    expect(text).toContain('Live');
    expect(text).toMatch(/API: 587 of 600 left\s*· resets in 4[12] s/);
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('without a key: "no API key" and one link, to Settings', async () => {
    client.query.mockResolvedValue(status({ state: 'NOT_CONFIGURED', keySource: null, message: 'No RunPod API key: …' }, { defaultGpu: gpu({ availability: null, dataCentersWithStock: null, dataCenterCount: null }), apiBudget: null }));
    connection.set('down');
    render(StatusBar);
    await waitFor(() => expect(footer().textContent).toContain('RunPod: no API key'));
    const links = screen.getAllByRole('link');
    expect(links).toHaveLength(1);
    expect(links[0]!.getAttribute('href')).toBe('/settings#runpod');
    expect(footer().textContent).toContain('Polling every 60 s');
    expect(footer().textContent).not.toContain('API:');
    expect(footer().textContent).not.toContain('H100');
  });

  it("shows RunPod's words when it refuses the key, and when the server offers no RunPod", async () => {
    client.query.mockResolvedValue(status({ state: 'REFUSED', message: 'RunPod refused the workspace\'s key (HTTP 401). To fix: set a valid key in Settings → RunPod API key.' }));
    const { unmount } = render(StatusBar);
    await waitFor(() => expect(footer().textContent).toContain('RunPod refused the key'));
    expect(footer().textContent).toContain('(HTTP 401)');
    expect(screen.getByRole('link', { name: 'Settings' })).toBeTruthy();
    unmount();
    client.query.mockResolvedValue(status({ state: 'NOT_CONFIGURED', offered: false, keySource: null, message: 'This server does not offer RunPod' }));
    render(StatusBar);
    await waitFor(() => expect(footer().textContent).toContain('RunPod not offered by this server'));
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('never breaks when the query fails: "Status unavailable"', async () => {
    client.query.mockRejectedValue(new Error('Cannot reach the server: Failed to fetch'));
    render(StatusBar);
    await waitFor(() => expect(footer().textContent).toContain('Status unavailable'));
  });

  it('polls every 60 s and at once after the live socket reconnects', async () => {
    vi.useFakeTimers();
    client.query.mockResolvedValue(status({ state: 'CONNECTED' }));
    render(StatusBar);
    await vi.advanceTimersByTimeAsync(0);
    expect(client.query).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(STATUS_POLL_MS);
    expect(client.query).toHaveBeenCalledTimes(2);
    connection.set('down');
    await vi.advanceTimersByTimeAsync(10);
    connection.set('live');
    await vi.advanceTimersByTimeAsync(10);
    expect(client.query).toHaveBeenCalledTimes(3);
  });
});

describe('status texts', () => {
  it('names the pinned data center when a model cache pins jobs there', () => {
    expect(gpuLine(gpu({ pinnedDataCenter: { dataCenterId: 'EU-RO-1', dataCenterName: 'EU Romania 1', availability: 'MEDIUM' } }) as never)?.text).toBe('H100 PCIe: medium stock in EU Romania 1');
    expect(gpuLine(gpu({ pinnedDataCenter: { dataCenterId: 'US-TX-3', dataCenterName: null, availability: 'NONE' } }) as never)).toMatchObject({ tone: 'bad', text: expect.stringContaining('not offered in US-TX-3') });
    expect(gpuLine(gpu({ availability: 'NONE', dataCentersWithStock: 0 }) as never)?.text).toBe('H100 PCIe: no stock in any of 9 data centers');
  });

  it('counts the reset down, and reads a passed window as a full budget', () => {
    const now = 1_000_000;
    expect(budgetText({ limit: 600, remaining: 12, resetsAt: now + 42_000 }, now)).toEqual({ left: '12 of 600 left', reset: 'resets in 42 s' });
    expect(budgetText({ limit: 600, remaining: 12, resetsAt: now + 600_000 }, now)?.reset).toBe('resets in 10 min');
    expect(budgetText({ limit: 600, remaining: 12, resetsAt: now - 1 }, now)).toEqual({ left: '600 of 600 left', reset: null });
    expect(budgetText({ limit: null, remaining: null, resetsAt: null }, now)).toBeNull();
  });

  it('reads the RateLimit headers of any answer', () => {
    apiBudget.fromHeaders(new Headers({ 'RateLimit-Limit': '600', 'RateLimit-Remaining': '599', 'RateLimit-Reset': '60' }), 0);
    expect([apiBudget.limit, apiBudget.remaining, apiBudget.resetsAt]).toEqual([600, 599, 60_000]);
    apiBudget.fromHeaders(new Headers(), 0);
    expect(apiBudget.remaining).toBe(599);
  });
});
