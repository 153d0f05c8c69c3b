import { describe, expect, it, vi } from 'vitest';
import { RunPodProbeService } from './runpod-probe.js';
import { gpuStock } from './gpu-stock.js';

const DATA_CENTERS = {
  dataCenters: [
    { id: 'A-1', name: 'A one', region: 'EUROPE', networkVolumeTypes: ['STANDARD'], gpuAvailability: [{ id: 'G', name: 'G', availability: 'LOW' }] },
    { id: 'B-1', name: 'B one', region: 'EUROPE', networkVolumeTypes: [], gpuAvailability: [{ id: 'G', name: 'G', availability: 'MEDIUM' }] },
    { id: 'C-1', name: 'C one', region: 'EUROPE', networkVolumeTypes: [] },
  ],
};

function fakeRunPod(answer: () => Response) {
  const calls: string[] = [];
  const fetch = vi.fn(async (url: string | URL | Request) => {
    calls.push(String(url));
    return answer();
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}
const ok = () => new Response(JSON.stringify(DATA_CENTERS), { status: 200, headers: { 'content-type': 'application/json' } });

describe('RunPodProbeService', () => {
  it('asks once per workspace and key within the TTL, concurrent polls included', async () => {
    const runpod = fakeRunPod(ok);
    const probes = new RunPodProbeService({ apiKeyFor: async () => ({ key: 'k1', source: 'WORKSPACE' }), runpodOffered: () => true, restUrl: 'http://runpod.test/v2', fetch: runpod.fetch });
    const answers = await Promise.all([probes.probe('ws_a'), probes.probe('ws_a'), probes.probe('ws_a')]);
    expect(answers.map((a) => a.state)).toEqual(['CONNECTED', 'CONNECTED', 'CONNECTED']);
    expect(runpod.calls).toEqual(['http://runpod.test/v2/catalog/datacenters?include=GPU_AVAILABILITY']);
    await probes.probe('ws_b');
    expect(runpod.calls).toHaveLength(2);
  });

  it('asks again after the TTL, sooner after a failure, and at once for another key', async () => {
    let status = 500;
    const runpod = fakeRunPod(() => new Response(JSON.stringify({ error: 'Something went wrong' }), { status }));
    let key = 'k1';
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const probes = new RunPodProbeService({ apiKeyFor: async () => ({ key, source: 'SERVER' }), runpodOffered: () => true, fetch: runpod.fetch, ttlMs: 60_000, failureTtlMs: 15_000 });
      expect((await probes.probe('ws')).state).toBe('UNREACHABLE');
      now += 14_000;
      await probes.probe('ws');
      expect(runpod.calls).toHaveLength(1);
      now += 2_000;
      status = 401;
      const refused = await probes.probe('ws');
      expect(refused).toMatchObject({ state: 'REFUSED', providerStatus: 401, message: expect.stringMatching(/server's RUNPOD_API_KEY/) });
      expect(runpod.calls).toHaveLength(2);
      key = 'k2';
      await probes.probe('ws');
      expect(runpod.calls).toHaveLength(3);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('keeps at most maxEntries workspaces', async () => {
    const runpod = fakeRunPod(ok);
    const probes = new RunPodProbeService({ apiKeyFor: async () => ({ key: 'k', source: 'WORKSPACE' }), runpodOffered: () => true, fetch: runpod.fetch, maxEntries: 2 });
    for (const ws of ['a', 'b', 'c', 'a']) await probes.probe(ws);
    // "a" was evicted by "c" and asked again.
    expect(runpod.calls).toHaveLength(4);
    await probes.probe('c');
    expect(runpod.calls).toHaveLength(4);
  });

  it('needs no RunPod call without a key or without a RunPod provider, and says which', async () => {
    const runpod = fakeRunPod(ok);
    const noKey = new RunPodProbeService({ apiKeyFor: async () => null, runpodOffered: () => true, fetch: runpod.fetch });
    expect(await noKey.probe('ws')).toMatchObject({ state: 'NOT_CONFIGURED', offered: true, message: expect.stringMatching(/No RunPod API key/) });
    const noProvider = new RunPodProbeService({ apiKeyFor: async () => ({ key: 'k', source: 'SERVER' }), runpodOffered: () => false, fetch: runpod.fetch });
    expect(await noProvider.probe('ws')).toMatchObject({ state: 'NOT_CONFIGURED', offered: false, message: expect.stringMatching(/does not offer RunPod/) });
    expect(runpod.calls).toHaveLength(0);
  });
});

describe('gpuStock', () => {
  it('takes the best level, counts the data centers with stock, and reads the pinned one', async () => {
    const probes = new RunPodProbeService({ apiKeyFor: async () => ({ key: 'k', source: 'WORKSPACE' }), runpodOffered: () => true, fetch: fakeRunPod(ok).fetch });
    const probe = await probes.probe('ws');
    expect(gpuStock({ id: 'G', label: 'Gee' }, probe, 'A-1')).toEqual({
      gpuTypeId: 'G', label: 'Gee', availability: 'MEDIUM', dataCentersWithStock: 2, dataCenterCount: 3,
      pinned: { dataCenterId: 'A-1', dataCenterName: 'A one', availability: 'LOW' },
    });
    expect(gpuStock({ id: 'X', label: 'X' }, probe, null)).toMatchObject({ availability: 'NONE', dataCentersWithStock: 0 });
  });
});
