import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from './harness.js';
import { startRunPodStandIn, type RunPodStandIn } from '../src/training/providers/runpod/standin.js';

const CSRF = { 'x-brightrun-csrf': '1' };
const STATUS = `{ systemStatus {
  runpod { state offered message keySource providerStatus dataCenterCount checkedAt }
  defaultGpu { gpuTypeId label availability dataCentersWithStock dataCenterCount pinnedDataCenter { dataCenterId dataCenterName availability } }
  gpus { gpuTypeId availability dataCentersWithStock pinnedDataCenter { dataCenterId availability } }
  apiBudget { limit remaining resetInSeconds windowSeconds }
  defaultProvider { name isDefault ready setupHint } } }`;

async function post(server: TestServer, query: string, headers: Record<string, string>) {
  const response = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://dashboard.example', ...headers }, body: JSON.stringify({ query }) });
  return { response, body: (await response.json()) as { data?: Record<string, any>; errors?: { extensions?: Record<string, unknown> }[] } };
}
const rateHeaders = (response: Response) => ({
  limit: response.headers.get('ratelimit-limit'),
  remaining: response.headers.get('ratelimit-remaining'),
  reset: response.headers.get('ratelimit-reset'),
});

/** The status bar's server side: RateLimit-* headers, the budget in systemStatus, and the RunPod probe. */
describe('API budget: RateLimit headers and systemStatus.apiBudget', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { BRIGHTRUN_RATE_LIMIT_PER_KEY: '6', BRIGHTRUN_RATE_LIMIT_PER_IP: '200' });
  });
  afterAll(() => server?.stop());
  const newKey = async () => (await server.services.apiKeys.create(server.bootstrap.workspaceId, { name: `k${Math.random()}`, scopes: ['READ'] })).secret;

  it('sends the key budget on every answer, decreasing, and exposes it to browsers; the 429 keeps Retry-After', async () => {
    const key = await newKey();
    const seen: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const { response } = await post(server, '{ viewer { scopes } }', { authorization: `Bearer ${key}` });
      expect(response.status).toBe(200);
      const headers = rateHeaders(response);
      expect(headers.limit).toBe('6');
      expect(Number(headers.reset)).toBeGreaterThanOrEqual(1);
      expect(Number(headers.reset)).toBeLessThanOrEqual(60);
      seen.push(Number(headers.remaining));
      expect(response.headers.get('access-control-expose-headers')).toMatch(/RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset/);
    }
    expect(seen).toEqual([5, 4, 3, 2, 1, 0]);
    const { response, body } = await post(server, '{ viewer { scopes } }', { authorization: `Bearer ${key}` });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(rateHeaders(response)).toMatchObject({ limit: '6', remaining: '0' });
    expect(body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('systemStatus.apiBudget matches the headers of the same request and costs no extra hit', async () => {
    const key = await newKey();
    const first = await post(server, STATUS, { authorization: `Bearer ${key}` });
    expect(first.body.data!.systemStatus.apiBudget).toMatchObject({ limit: 6, remaining: 5, windowSeconds: 60 });
    expect(String(first.body.data!.systemStatus.apiBudget.remaining)).toBe(rateHeaders(first.response).remaining);
    const second = await post(server, STATUS, { authorization: `Bearer ${key}` });
    expect(second.body.data!.systemStatus.apiBudget.remaining).toBe(4);
    expect(second.body.data!.systemStatus.apiBudget.resetInSeconds).toBe(Number(rateHeaders(second.response).reset));
  });

  it('over graphql-ws each operation is counted and reads the budget it left', async () => {
    const key = await newKey();
    const ws = createClient({ url: `${server.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0, lazy: true });
    try {
      const once = () =>
        new Promise<Record<string, any>>((resolve, reject) => {
          let result: Record<string, any> = {};
          ws.subscribe({ query: '{ systemStatus { apiBudget { limit remaining } } }' }, { next: (value) => (result = value as never), error: reject, complete: () => resolve(result) });
        });
      expect((await once()).data.systemStatus.apiBudget).toEqual({ limit: 6, remaining: 5 });
      expect((await once()).data.systemStatus.apiBudget).toEqual({ limit: 6, remaining: 4 });
    } finally {
      await ws.dispose();
    }
  });

  it("counts a dashboard session against its key's budget", async () => {
    const key = await newKey();
    const signIn = await fetch(`${server.url}/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...CSRF }, body: JSON.stringify({ apiKey: key }) });
    const token = /brightrun_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')?.[1];
    expect(token).toBeTruthy();
    await post(server, '{ viewer { scopes } }', { authorization: `Bearer ${key}` });
    const viaCookie = await post(server, STATUS, { cookie: `brightrun_session=${token}`, ...CSRF });
    expect(viaCookie.body.data!.systemStatus.apiBudget).toMatchObject({ limit: 6, remaining: 4 });
    expect(rateHeaders(viaCookie.response).remaining).toBe('4');
  });
});

describe('systemStatus without a key limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(() => server?.stop());

  it('says "not limited" (null, no headers) instead of a made-up budget', async () => {
    const { response, body } = await post(server, STATUS, { authorization: `Bearer ${server.adminKey}` });
    expect(body.data!.systemStatus.apiBudget).toBeNull();
    expect(rateHeaders(response)).toEqual({ limit: null, remaining: null, reset: null });
  });

  it('needs a key with the read scope', async () => {
    const { response, body } = await post(server, STATUS, {});
    expect(response.status).toBe(401);
    expect(body.data ?? null).toBeNull();
  });
});

describe('systemStatus.runpod and GPU stock (RunPod stand-in)', () => {
  let standIn: RunPodStandIn;
  let server: TestServer;
  const catalogCalls = () => standIn.requests.filter((r) => r.path.endsWith('/catalog/datacenters')).length;
  const status = async () => {
    const result = await server.gql(STATUS);
    expect(result.errors).toBeUndefined();
    return result.data!.systemStatus;
  };
  const setKey = (key: string | null) => server.gql(`mutation($key: String) { updateWorkspaceSettings(input: { runpodApiKey: $key }) { __typename } }`, { key });

  beforeAll(async () => {
    standIn = await startRunPodStandIn({ launch: () => ({ stop: () => undefined, exited: new Promise(() => undefined) }) });
    // No server key: each workspace brings its own.
    server = await startTestServer('pglite', { RUNPOD_REST_URL: standIn.restUrl, RUNPOD_GRAPHQL_URL: standIn.graphqlUrl });
  });
  afterAll(async () => {
    await server?.stop();
    await standIn?.close();
  });

  it('no key: NOT_CONFIGURED with the fix, GPU stock unknown, RunPod not asked', async () => {
    const s = await status();
    expect(s.runpod).toMatchObject({ state: 'NOT_CONFIGURED', offered: true, keySource: null, dataCenterCount: null, message: expect.stringMatching(/No RunPod API key: set one in Settings/) });
    expect(s.defaultGpu).toEqual({ gpuTypeId: 'NVIDIA H100 PCIe', label: expect.any(String), availability: null, dataCentersWithStock: null, dataCenterCount: null, pinnedDataCenter: null });
    expect(s.defaultProvider).toMatchObject({ isDefault: true });
    expect(catalogCalls()).toBe(0);
  });

  it('a key RunPod accepts: CONNECTED, the default GPU best stock and its data centers; cached across polls', async () => {
    await setKey(standIn.apiKey);
    const s = await status();
    expect(s.runpod).toMatchObject({ state: 'CONNECTED', message: null, keySource: 'WORKSPACE', dataCenterCount: 3 });
    // The stand-in: H100 PCIe HIGH in US-KS-2, MEDIUM in EU-RO-1, not in US-TX-3.
    expect(s.defaultGpu).toMatchObject({ gpuTypeId: 'NVIDIA H100 PCIe', availability: 'HIGH', dataCentersWithStock: 2, dataCenterCount: 3, pinnedDataCenter: null });
    expect(s.gpus.find((g: { gpuTypeId: string }) => g.gpuTypeId === 'NVIDIA H200')).toMatchObject({ availability: 'HIGH', dataCentersWithStock: 2 });
    expect(catalogCalls()).toBe(1);
    const again = await Promise.all([status(), status(), status()]);
    expect(again.map((a) => a.runpod.checkedAt)).toEqual([s.runpod.checkedAt, s.runpod.checkedAt, s.runpod.checkedAt]);
    expect(catalogCalls()).toBe(1);
  });

  it('a model-cache volume pins the stock to its data center', async () => {
    const created = await server.gql(`mutation { createModelCacheVolume(input: { sizeGb: 10, dataCenterId: "EU-RO-1" }) { __typename } }`);
    expect(created.data!.createModelCacheVolume.__typename).toBe('CreateModelCacheVolumeSuccess');
    const s = await status();
    expect(s.defaultGpu.pinnedDataCenter).toEqual({ dataCenterId: 'EU-RO-1', dataCenterName: 'EU Romania 1', availability: 'MEDIUM' });
    expect(s.gpus.find((g: { gpuTypeId: string }) => g.gpuTypeId === 'NVIDIA H200').pinnedDataCenter).toMatchObject({ dataCenterId: 'EU-RO-1', availability: 'NONE' });
  });

  it('a key RunPod refuses: REFUSED with its words and the fix, asked at once after the key changed', async () => {
    const before = catalogCalls();
    await setKey('rpa_not-a-key-runpod-knows');
    const s = await status();
    expect(catalogCalls()).toBe(before + 1);
    expect(s.runpod).toMatchObject({ state: 'REFUSED', keySource: 'WORKSPACE', providerStatus: 401, message: expect.stringMatching(/^RunPod refused the workspace's key \(HTTP 401: "Unauthorized"\)\. To fix: set a valid key in Settings/) });
    expect(s.defaultGpu).toMatchObject({ availability: null, dataCentersWithStock: null });
    await status();
    expect(catalogCalls()).toBe(before + 1);
  });

  it('RunPod down: UNREACHABLE with the reason', async () => {
    await standIn.close();
    await setKey('rpa_yet-another-key');
    const s = await status();
    expect(s.runpod).toMatchObject({ state: 'UNREACHABLE', keySource: 'WORKSPACE', message: expect.stringMatching(/RunPod (did not answer|could not be reached)/) });
    expect(s.defaultGpu.availability).toBeNull();
  });

  it('removing the key goes back to NOT_CONFIGURED', async () => {
    await setKey(null);
    expect((await status()).runpod.state).toBe('NOT_CONFIGURED');
  });
});
