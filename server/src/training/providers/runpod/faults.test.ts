import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RunPodClient } from './client.js';
import {
  RunPodAuthError,
  RunPodContractError,
  RunPodInsufficientBalanceError,
  RunPodNoCapacityError,
  RunPodRateLimitedError,
  RunPodSpotUnavailableError,
  RunPodTransientError,
} from './errors.js';
import { createFakeLaunch } from './standin-fake.js';
import { startRunPodStandIn, type RunPodStandIn } from './standin.js';

let standIn: RunPodStandIn;
let client: RunPodClient;

const podInput = {
  name: 'fault-test',
  image: 'ghcr.io/brightrun/trainer:1',
  gpuTypeId: 'NVIDIA H100 PCIe',
  env: { BRIGHTRUN_JOB_ID: 'job-2' },
  containerDiskInGb: 50,
};
const spotInput = { ...podInput, bidPerGpu: 1.5 };

beforeAll(async () => {
  standIn = await startRunPodStandIn({ launch: createFakeLaunch().launch });
  client = new RunPodClient({
    apiKey: standIn.apiKey,
    restUrl: standIn.restUrl,
    graphqlUrl: standIn.graphqlUrl,
    retry: { baseDelayMs: 10, maxDelayMs: 20 },
  });
});
afterEach(() => {
  standIn.insufficientBalance(false);
  standIn.spotUnavailable(false);
});
afterAll(() => standIn.close());

async function rawPost(path: string, body: unknown, key = standIn.apiKey) {
  const response = await fetch(`${standIn.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { detail?: string; errors?: string[] } };
}

describe('the stand-in enforces the OpenAPI contract', () => {
  it('answers 422 with every violation for a body that breaks CreatePodRequest', async () => {
    const missingName = await rawPost('/v2/pods', { image: 'x', gpu: { id: 'NVIDIA H100 PCIe' } });
    expect(missingName.status).toBe(422);
    expect(missingName.body.errors).toEqual(["$: must have required property 'name'"]);

    const wrongTypes = await rawPost('/v2/pods', {
      name: 'x', image: 'x', gpu: { id: 'NVIDIA H100 PCIe', count: '1' }, disk: 'big', volumeInGb: 20,
    });
    expect(wrongTypes.status).toBe(422);
    expect(wrongTypes.body.errors).toEqual(
      expect.arrayContaining(['$.gpu.count: must be integer', '$.disk: must be integer', "$: property 'volumeInGb' is not allowed"]),
    );
    const valid = await rawPost('/v2/pods', { name: 'x', image: 'x', gpu: { id: 'NVIDIA H100 PCIe' } });
    expect(valid.status).toBe(201);
  });

  it('validates action bodies and query parameters too', async () => {
    expect((await rawPost('/v2/pods/anything/action', { action: 'explode' })).status).toBe(422);
    const response = await fetch(`${standIn.restUrl}/billing/pods?bucketSize=fortnight`, {
      headers: { authorization: `Bearer ${standIn.apiKey}` },
    });
    expect(response.status).toBe(422);
  });

  it('surfaces a 422 to the client as a contract error carrying the detail, without retrying', async () => {
    const before = standIn.requests.length;
    const error = await client.createOnDemandPod({ ...podInput, volumeInGb: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunPodContractError);
    expect((error as RunPodContractError).message).toContain('$.mounts.persistent.size: must be >= 10');
    expect((error as RunPodContractError).retryable).toBe(false);
    expect(standIn.requests.length - before).toBe(1);
  });
});

describe('injected faults map to typed errors', () => {
  it('no capacity, REST and spot: returned to the caller at once', async () => {
    standIn.failNextCreates(2, 'NO_CAPACITY');
    const before = standIn.requests.length;
    const rest = await client.createOnDemandPod(podInput).catch((e: unknown) => e);
    const spot = await client.createSpotPod(spotInput).catch((e: unknown) => e);
    for (const error of [rest, spot]) {
      expect(error).toBeInstanceOf(RunPodNoCapacityError);
      expect((error as RunPodNoCapacityError).detail).toContain('no longer any instances available');
      expect((error as RunPodNoCapacityError).retryable).toBe(true);
    }
    expect(standIn.requests.length - before).toBe(2);
    await expect(client.createOnDemandPod(podInput)).resolves.toMatchObject({ status: 'PROVISIONING' });
  });

  it('insufficient balance (402, and the GraphQL equivalent)', async () => {
    standIn.insufficientBalance();
    await expect(client.createOnDemandPod(podInput)).rejects.toBeInstanceOf(RunPodInsufficientBalanceError);
    await expect(client.createSpotPod(spotInput)).rejects.toBeInstanceOf(RunPodInsufficientBalanceError);
  });

  it('a refused key (401) on either API', async () => {
    const wrongKey = new RunPodClient({ apiKey: 'wrong', restUrl: standIn.restUrl, graphqlUrl: standIn.graphqlUrl });
    const rest = await wrongKey.getPod('x').catch((e: unknown) => e);
    expect(rest).toBeInstanceOf(RunPodAuthError);
    expect((rest as Error).message).toBe('The RunPod API key was refused; set a valid key in Settings.');
    await expect(wrongKey.createSpotPod(spotInput)).rejects.toBeInstanceOf(RunPodAuthError);
  });

  it('spot unavailable: the mutations are gone from the schema', async () => {
    const pod = await client.createSpotPod(spotInput);
    standIn.spotUnavailable();
    const create = await client.createSpotPod(spotInput).catch((e: unknown) => e);
    expect(create).toBeInstanceOf(RunPodSpotUnavailableError);
    expect((create as Error).message).toContain('Cannot query field "podRentInterruptable"');
    await expect(client.resumeSpotPod(pod.id, 1.5)).rejects.toBeInstanceOf(RunPodSpotUnavailableError);
    // Prices still answer, without a spot quote.
    expect((await client.gpuPrices('NVIDIA H100 PCIe')).spot).toBeNull();
  });

  it('a bid under the minimum is a refused spot request', async () => {
    await expect(client.createSpotPod({ ...spotInput, bidPerGpu: 0.1 })).rejects.toThrow(/minimum bid/);
  });

  it('a pod that never starts stays PROVISIONING', async () => {
    standIn.neverStart();
    const pod = await client.createOnDemandPod(podInput);
    const next = await client.createOnDemandPod(podInput); // only the next pod is affected
    await standIn.waitForStatus(next.id, 'RUNNING');
    expect(await client.getPod(pod.id)).toMatchObject({ status: 'PROVISIONING' });
    await client.terminatePod(pod.id);
    await client.terminatePod(next.id);
  });
});

describe('retries', () => {
  it('waits out Retry-After on a 429, then succeeds', async () => {
    const pod = await client.createOnDemandPod(podInput);
    standIn.rateLimitNext(1, 1);
    const started = performance.now();
    await expect(client.getPod(pod.id)).resolves.toMatchObject({ id: pod.id });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(standIn.requests.slice(-2).map((r) => r.path)).toEqual([`/v2/pods/${pod.id}`, `/v2/pods/${pod.id}`]);
  });

  it('gives up with a rate-limit error when attempts run out, carrying Retry-After', async () => {
    const once = new RunPodClient({ apiKey: standIn.apiKey, restUrl: standIn.restUrl, retry: { maxAttempts: 1 } });
    standIn.rateLimitNext(1, 7);
    const error = await once.getPod('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunPodRateLimitedError);
    expect((error as RunPodRateLimitedError).retryAfterSeconds).toBe(7);
  });

  it('retries "Something went wrong" on reads, but not on creates', async () => {
    const pod = await client.createOnDemandPod(podInput);
    standIn.serverErrorNext(2);
    await expect(client.getPod(pod.id)).resolves.toMatchObject({ id: pod.id });
    standIn.serverErrorNext(1);
    await expect(client.createOnDemandPod(podInput)).rejects.toBeInstanceOf(RunPodTransientError);
  });
});
