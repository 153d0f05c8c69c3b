import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunPodClient } from './client.js';
import { createFakeLaunch } from './standin-fake.js';
import { OpenApiContract } from './standin-openapi.js';
import { startRunPodStandIn, type RunPodStandIn } from './standin.js';

let standIn: RunPodStandIn;
let client: RunPodClient;
const fake = createFakeLaunch();

const podInput = {
  name: 'brightrun-job-1',
  image: 'ghcr.io/brightrun/trainer:1',
  gpuTypeId: 'NVIDIA H100 PCIe',
  env: { BRIGHTRUN_API_URL: 'http://127.0.0.1:4000/graphql', BRIGHTRUN_JOB_ID: 'job-1', BRIGHTRUN_JOB_TOKEN: 'secret' },
  containerDiskInGb: 50,
  volumeInGb: 20,
};

beforeAll(async () => {
  standIn = await startRunPodStandIn({ launch: fake.launch });
  client = new RunPodClient({ apiKey: standIn.apiKey, restUrl: standIn.restUrl, graphqlUrl: standIn.graphqlUrl });
});
afterAll(() => standIn.close());

describe('RunPodClient against the stand-in', () => {
  it('creates an on-demand pod with a body that satisfies the OpenAPI contract, and runs it', async () => {
    const pod = await client.createOnDemandPod({ ...podInput, dataCenterIds: ['EU-RO-1'] });
    expect(pod).toMatchObject({ status: 'PROVISIONING', costPerHr: 2.39, gpuTypeId: 'NVIDIA H100 PCIe', dataCenterId: 'EU-RO-1' });

    const create = standIn.requests.find((r) => r.method === 'POST' && r.path === '/v2/pods');
    expect(create?.body).toEqual({
      name: 'brightrun-job-1',
      image: 'ghcr.io/brightrun/trainer:1',
      gpu: { id: 'NVIDIA H100 PCIe', count: 1 },
      cloud: 'SECURE',
      env: podInput.env,
      disk: 50,
      mounts: { persistent: { size: 20, path: '/workspace' } },
      dataCenterIds: ['EU-RO-1'],
    });

    await standIn.waitForStatus(pod.id, 'RUNNING');
    const run = fake.runs.find((r) => r.pod.id === pod.id)!;
    expect(run.pod.env).toMatchObject({ ...podInput.env, RUNPOD_POD_ID: pod.id, RUNPOD_GPU_COUNT: '1' });
    expect(run.pod.image).toBe(podInput.image);

    const running = await client.getPod(pod.id);
    expect(running).toMatchObject({ id: pod.id, status: 'RUNNING', costPerHr: 2.39, uptimeSeconds: expect.any(Number) });
    const runtime = await client.getPodRuntime(pod.id);
    expect(runtime).toMatchObject({ id: pod.id, desiredStatus: 'RUNNING', uptimeSeconds: expect.any(Number) });
    expect(runtime?.gpus).toHaveLength(1);

    run.exit(0);
    await standIn.waitForStatus(pod.id, 'EXITED');
    expect(await client.getPod(pod.id)).toMatchObject({ status: 'EXITED', costPerHr: 0 });
  });

  it('answers with pods that are themselves valid per the contract', async () => {
    const pod = await client.createOnDemandPod({ ...podInput, name: 'contract-check' });
    await standIn.waitForStatus(pod.id, 'RUNNING');
    const response = await fetch(`${standIn.restUrl}/pods/${pod.id}`, { headers: { authorization: `Bearer ${standIn.apiKey}` } });
    const contract = new OpenApiContract();
    expect(contract.validateSchema('Pod', await response.json())).toEqual([]);
    await client.terminatePod(pod.id);
  });

  it('stops, starts and terminates an on-demand pod through the action endpoint', async () => {
    const pod = await client.createOnDemandPod({ ...podInput, name: 'stop-start' });
    await standIn.waitForStatus(pod.id, 'RUNNING');
    const first = fake.runs.find((r) => r.pod.id === pod.id)!;

    expect(await client.stopPod(pod.id)).toMatchObject({ status: 'EXITED' });
    expect(first.signals).toEqual(['SIGTERM']);
    expect(await client.startPod(pod.id)).toMatchObject({ status: 'PROVISIONING' });
    await standIn.waitForStatus(pod.id, 'RUNNING');
    expect(fake.runs.filter((r) => r.pod.id === pod.id)).toHaveLength(2);

    await client.terminatePod(pod.id);
    expect(await client.getPod(pod.id)).toMatchObject({ status: 'TERMINATED' });
    await client.terminatePod(pod.id); // twice is fine
    await client.terminatePod('no-such-pod'); // already gone counts as terminated
    const actions = standIn.requests.filter((r) => r.path === `/v2/pods/${pod.id}/action`).map((r) => r.body);
    expect(actions).toEqual([{ action: 'stop' }, { action: 'start' }, { action: 'terminate' }, { action: 'terminate' }]);
    await expect(client.stopPod(pod.id)).rejects.toThrow('action "stop" is not valid for a pod in status TERMINATED');
  });

  it('reads the pod log stream', async () => {
    const pod = await client.createOnDemandPod({ ...podInput, name: 'logs' });
    await standIn.waitForStatus(pod.id, 'RUNNING');
    const run = fake.runs.find((r) => r.pod.id === pod.id)!;
    run.log('loading model');
    run.log('step 1 loss 2.31');
    run.exit(0);
    await standIn.waitForStatus(pod.id, 'EXITED');

    const container = await client.getLogs(pod.id, { source: 'container' });
    expect(container.map((l) => l.line)).toEqual(['loading model', 'step 1 loss 2.31']);
    expect(container[0]).toMatchObject({ source: 'container', ts: expect.any(String) });
    const all = await client.getLogs(pod.id, { tail: 2 });
    expect(all).toHaveLength(2);
    expect(all.at(-1)?.line).toBe('container exited with code 0');
  });

  it('returns what has been logged so far while the pod still runs', async () => {
    const pod = await client.createOnDemandPod({ ...podInput, name: 'live-logs' });
    await standIn.waitForStatus(pod.id, 'RUNNING');
    fake.runs.find((r) => r.pod.id === pod.id)!.log('epoch 1');
    const started = Date.now();
    const lines = await client.getLogs(pod.id, { source: 'container', idleMs: 150 });
    expect(lines.map((l) => l.line)).toEqual(['epoch 1']);
    expect(Date.now() - started).toBeLessThan(5000); // returned on idle, not on a timeout
    await client.terminatePod(pod.id);
  });

  it('reads on-demand prices from the REST catalog and spot prices from GraphQL', async () => {
    const prices = await client.gpuPrices('NVIDIA H100 PCIe');
    expect(prices).toEqual({
      gpuTypeId: 'NVIDIA H100 PCIe',
      displayName: 'H100 PCIe',
      memoryInGb: 80,
      onDemand: { secure: 2.39, community: 1.99 },
      spot: { secure: 1.49, community: 1.25, minimumBid: 1.25 },
      source: 'RUNPOD_LIVE',
    });
    expect(standIn.requests.some((r) => r.path === '/v2/catalog/gpus/NVIDIA H100 PCIe')).toBe(true);
    expect(standIn.requests.some((r) => r.graphqlFields?.includes('gpuTypes'))).toBe(true);
  });

  it("reports a pod's billing from GET /v2/billing/pods", async () => {
    let clock = Date.parse('2026-12-01T10:00:00Z');
    const billed = await startRunPodStandIn({ launch: createFakeLaunch().launch, now: () => clock, diskUsdPerGbMonth: 0.1 });
    try {
      const billing = new RunPodClient({ apiKey: billed.apiKey, restUrl: billed.restUrl, graphqlUrl: billed.graphqlUrl });
      const pod = await billing.createOnDemandPod({ ...podInput, volumeInGb: 0 });
      await billed.waitForStatus(pod.id, 'RUNNING');
      clock += 90 * 60_000; // 1.5 h at $2.39/h, across the 11:00 boundary
      await billing.stopPod(pod.id);
      clock += 60 * 60_000; // stopped: not billed

      const daily = await billing.podBilling(pod.id, { startTime: '2026-12-01T00:00:00Z' });
      expect(daily.gpuAmount).toBeCloseTo(1.5 * 2.39, 6);
      expect(daily.diskAmount).toBeCloseTo(1.5 * 50 * (0.1 / 730), 6);
      expect(daily.totalAmount).toBeCloseTo(daily.gpuAmount + daily.diskAmount, 9);
      expect(daily.records).toHaveLength(1);
      const hourly = await billing.podBilling(pod.id, { startTime: '2026-12-01T10:00:00Z', bucketSize: 'hour' });
      expect(hourly.records.map((r) => [r.startTime, Number(r.gpuAmount.toFixed(4))])).toEqual([
        ['2026-12-01T10:00:00.000Z', 2.39],
        ['2026-12-01T11:00:00.000Z', 1.195],
      ]);
      expect(billed.requests.at(-1)?.query).toMatchObject({ podId: pod.id, bucketSize: 'hour' });
    } finally {
      await billed.close();
    }
  });

  it('defaults to the published servers, sends the Bearer key, and uses an injected fetch', async () => {
    const seen: Array<{ url: string; authorization: string | null }> = [];
    const fakeFetch: typeof fetch = async (input, init) => {
      seen.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
      const body = String(input).endsWith('/graphql')
        ? { data: { pod: null } }
        : { id: 'abc', status: 'RUNNING', cost: 2.39, runtime: { uptime: 12 } };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const offline = new RunPodClient({ apiKey: 'k-123', fetch: fakeFetch });
    expect(await offline.getPod('abc')).toEqual({ id: 'abc', status: 'RUNNING', costPerHr: 2.39, uptimeSeconds: 12 });
    expect(await offline.getPodRuntime('abc')).toBeNull();
    expect(seen).toEqual([
      { url: 'https://api.runpod.io/v2/pods/abc', authorization: 'Bearer k-123' },
      { url: 'https://api.runpod.io/graphql', authorization: 'Bearer k-123' },
    ]);
  });
});
