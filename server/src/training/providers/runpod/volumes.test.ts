import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunPodClient } from './client.js';
import { RunPodError, RunPodNotFoundError } from './errors.js';
import { createFakeLaunch } from './standin-fake.js';
import { OpenApiContract } from './standin-openapi.js';
import { startRunPodStandIn, type RunPodStandIn } from './standin.js';

let standIn: RunPodStandIn;
let client: RunPodClient;
const fake = createFakeLaunch();
const contract = new OpenApiContract();

beforeAll(async () => {
  standIn = await startRunPodStandIn({ launch: fake.launch });
  client = new RunPodClient({ apiKey: standIn.apiKey, restUrl: standIn.restUrl, graphqlUrl: standIn.graphqlUrl, retry: { maxAttempts: 1 } });
});
afterAll(() => standIn.close());

const raw = (method: string, path: string, body?: unknown) =>
  fetch(`${standIn.restUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${standIn.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('RunPod network volumes (REST v2 /network-volumes) against the stand-in', () => {
  it('creates, reads, lists and deletes a volume with bodies and answers that satisfy the contract', async () => {
    const volume = await client.createNetworkVolume({ name: 'brightrun-model-cache', size: 200, dataCenter: 'US-KS-2' });
    expect(volume).toMatchObject({ name: 'brightrun-model-cache', size: 200, dataCenter: 'US-KS-2', type: 'STANDARD' });
    const create = standIn.requests.find((r) => r.method === 'POST' && r.path === '/v2/network-volumes');
    expect(create?.body).toEqual({ name: 'brightrun-model-cache', size: 200, dataCenter: 'US-KS-2' });
    expect(contract.validateSchema('NetworkVolume', volume)).toEqual([]);

    expect(await client.getNetworkVolume(volume.id)).toEqual(volume);
    expect((await client.listNetworkVolumes()).map((v) => v.id)).toContain(volume.id);
    const listed = await (await raw('GET', '/network-volumes')).json();
    expect(contract.validateSchema('ListNetworkVolumesResponse', listed)).toEqual([]);

    await client.deleteNetworkVolume(volume.id);
    await expect(client.getNetworkVolume(volume.id)).rejects.toBeInstanceOf(RunPodNotFoundError);
    await client.deleteNetworkVolume(volume.id); // idempotent: RunPod's 404 counts as deleted
  });

  it('enforces the size bounds (422 from the contract) and the data center (400)', async () => {
    for (const size of [9, 4097]) {
      const response = await raw('POST', '/network-volumes', { name: 'x', size, dataCenter: 'US-KS-2' });
      expect(response.status).toBe(422);
      expect(JSON.stringify(await response.json())).toMatch(/size/);
    }
    await expect(client.createNetworkVolume({ name: 'x', size: 10, dataCenter: 'MARS-1' })).rejects.toMatchObject({ status: 400, detail: expect.stringContaining('MARS-1') });
    await expect(client.createNetworkVolume({ name: 'x', size: 10, dataCenter: 'EU-RO-1', type: 'HIGH_PERFORMANCE' })).rejects.toMatchObject({ status: 400 });
  });

  it('only grows a volume', async () => {
    const volume = await client.createNetworkVolume({ name: 'grow', size: 50, dataCenter: 'EU-RO-1' });
    expect((await raw('PATCH', `/network-volumes/${volume.id}`, { size: 40 })).status).toBe(400);
    expect(await (await raw('PATCH', `/network-volumes/${volume.id}`, { size: 60 })).json()).toMatchObject({ size: 60 });
    await client.deleteNetworkVolume(volume.id);
  });

  it('lists data centers with their GPU stock, as the contract shapes them', async () => {
    const response = await (await raw('GET', '/catalog/datacenters?include=GPU_AVAILABILITY')).json();
    expect(contract.validateSchema('ListDataCentersResponse', response)).toEqual([]);
    const dataCenters = await client.listDataCenters();
    expect(dataCenters.map((dc) => dc.id)).toEqual(['US-KS-2', 'EU-RO-1', 'US-TX-3']);
    const ro = await client.getDataCenter('EU-RO-1');
    expect(ro.gpuAvailability.map((g) => g.id)).not.toContain('NVIDIA H200');
    expect(standIn.requests.at(-1)?.query).toEqual({ include: 'GPU_AVAILABILITY' });
  });

  it("mounts a volume on a pod (mounts.network) in the volume's data center, and refuses other placements", async () => {
    const volume = await client.createNetworkVolume({ name: 'cache', size: 100, dataCenter: 'EU-RO-1' });
    const input = { name: 'p', image: 'img', gpuTypeId: 'NVIDIA H100 PCIe', env: {}, containerDiskInGb: 30, networkVolumeId: volume.id, volumeMountPath: '/workspace' };
    const pod = await client.createOnDemandPod({ ...input, dataCenterIds: ['EU-RO-1'] });
    expect(pod.dataCenterId).toBe('EU-RO-1');
    const body = standIn.requests.filter((r) => r.method === 'POST' && r.path === '/v2/pods').at(-1)?.body as Record<string, unknown>;
    expect(body.mounts).toEqual({ network: [{ volumeId: volume.id, path: '/workspace' }] });
    expect(body.dataCenterIds).toEqual(['EU-RO-1']);
    const view = await (await raw('GET', `/pods/${pod.id}`)).json();
    expect(contract.validateSchema('Pod', view)).toEqual([]);

    // Another data center than the volume's; a GPU the data center does not offer; community cloud.
    await expect(client.createOnDemandPod({ ...input, dataCenterIds: ['US-KS-2'] })).rejects.toMatchObject({ detail: expect.stringContaining('same data center') });
    await expect(client.createOnDemandPod({ ...input, gpuTypeId: 'NVIDIA H200', dataCenterIds: ['EU-RO-1'] })).rejects.toMatchObject({ code: 'NO_CAPACITY' });
    await expect(client.createOnDemandPod({ ...input, cloudType: 'COMMUNITY', dataCenterIds: ['EU-RO-1'] })).rejects.toMatchObject({ detail: expect.stringContaining('Secure Cloud') });

    // A spot pod (GraphQL networkVolumeId + dataCenterId) too.
    const spot = await client.createSpotPod({ ...input, bidPerGpu: 1.49, dataCenterIds: ['EU-RO-1'] });
    expect(standIn.pod(spot.id)).toMatchObject({ networkVolumeId: volume.id, dataCenterId: 'EU-RO-1', volumeInGb: 0 });

    // A volume in use cannot be deleted.
    await expect(client.deleteNetworkVolume(volume.id)).rejects.toMatchObject({ status: 409 });
    await client.terminatePod(pod.id);
    await client.terminatePod(spot.id);
    await client.deleteNetworkVolume(volume.id);
    expect(standIn.volumes()).not.toContainEqual(expect.objectContaining({ id: volume.id }));
  });

  it('reports a RunPod error for a volume that does not exist', async () => {
    const error = await client.createOnDemandPod({ name: 'p', image: 'img', gpuTypeId: 'NVIDIA H100 PCIe', env: {}, containerDiskInGb: 30, networkVolumeId: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunPodError);
    expect((error as RunPodError).detail).toMatch(/not found/);
  });
});
