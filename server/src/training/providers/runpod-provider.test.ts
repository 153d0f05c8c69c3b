import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunPodClient } from './runpod/client.js';
import { createFakeLaunch } from './runpod/standin-fake.js';
import { startRunPodStandIn, type RunPodStandIn } from './runpod/standin.js';
import { RunPodProvider, WEIGHTS_CACHE_DIR, type ModelCache } from './runpod-provider.js';
import { ProviderError } from './provider.js';

let standIn: RunPodStandIn;
const fake = createFakeLaunch();
let cache: ModelCache | null = null;
let provider: RunPodProvider;

beforeAll(async () => {
  standIn = await startRunPodStandIn({ launch: fake.launch });
  provider = new RunPodProvider({ apiKey: standIn.apiKey, restUrl: standIn.restUrl, graphqlUrl: standIn.graphqlUrl, image: 'trainer:test', modelCacheFor: async () => cache });
});
afterAll(() => standIn.close());

const request = (over: Partial<Parameters<RunPodProvider['launch']>[0]> = {}) => ({
  jobId: 'job_1', workspaceId: 'ws_1', attempt: 1, baseModel: 'meta-llama/Meta-Llama-3-8B-Instruct', gpuType: 'NVIDIA H100 PCIe',
  cloudType: 'SPOT' as const, allowOnDemandFallback: false, env: { BRIGHTRUN_JOB_ID: 'job_1' }, ...over,
});

describe('RunPodProvider with a model-cache network volume', () => {
  it("mounts the workspace's volume where HF_HOME points and pins the pod to its data center", async () => {
    const client = new RunPodClient({ apiKey: standIn.apiKey, restUrl: standIn.restUrl, graphqlUrl: standIn.graphqlUrl });
    const volume = await client.createNetworkVolume({ name: 'cache', size: 100, dataCenter: 'EU-RO-1' });
    cache = { volumeId: volume.id, dataCenterId: 'EU-RO-1', sizeGb: 100, usdPerGbMonth: 0.07 };

    const spot = await provider.launch(request());
    expect(spot.storageUsdPerHour).toBeCloseTo((100 * 0.07) / 730, 8);
    expect(standIn.pod(spot.podId)).toMatchObject({ networkVolumeId: volume.id, dataCenterId: 'EU-RO-1', volumeMountPath: '/workspace', volumeInGb: 0, cloud: 'SECURE' });
    expect(standIn.pod(spot.podId)!.env.HF_HOME).toBe(WEIGHTS_CACHE_DIR);
    expect(WEIGHTS_CACHE_DIR.startsWith('/workspace/')).toBe(true);

    const onDemand = await provider.launch(request({ jobId: 'job_2', cloudType: 'ON_DEMAND' }));
    const body = standIn.requests.filter((r) => r.method === 'POST' && r.path === '/v2/pods').at(-1)!.body as Record<string, unknown>;
    expect(body).toMatchObject({ cloud: 'SECURE', dataCenterIds: ['EU-RO-1'], mounts: { network: [{ volumeId: volume.id, path: '/workspace' }] } });
    expect(standIn.pod(onDemand.podId)!.env.HF_HOME).toBe(WEIGHTS_CACHE_DIR);

    const placement = await provider.placement('NVIDIA H100 PCIe', { workspaceId: 'ws_1' });
    expect(placement).toMatchObject({ dataCenterId: 'EU-RO-1', dataCenterName: 'EU Romania 1', gpuOffered: true, gpuAvailability: 'MEDIUM' });
  });

  it('refuses, naming the data center and the fix, a GPU type the volume\'s data center does not offer', async () => {
    const error = await provider.launch(request({ gpuType: 'NVIDIA H200' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'GPU_NOT_IN_DATA_CENTER', retryable: false });
    expect((error as Error).message).toMatch(/EU Romania 1 \(EU-RO-1\).*does not offer NVIDIA H200.*NVIDIA H100 PCIe.*delete the model-cache volume in Settings/);
    expect(await provider.placement('NVIDIA H200', { workspaceId: 'ws_1' })).toMatchObject({ gpuOffered: false, gpuAvailability: 'NONE' });
  });

  it('says where when the data center has the GPU type but none free', async () => {
    standIn.failNextCreates(1);
    const error = await provider.launch(request({ jobId: 'job_3', cloudType: 'ON_DEMAND' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'NO_CAPACITY' });
    expect((error as Error).message).toMatch(/no NVIDIA H100 PCIe free in EU Romania 1 \(EU-RO-1\).*model-cache volume/);
  });

  it('without a volume, uses the volume disk and lets RunPod place the pod', async () => {
    cache = null;
    const pod = await provider.launch(request({ jobId: 'job_4' }));
    expect(pod.storageUsdPerHour ?? 0).toBe(0);
    expect(standIn.pod(pod.podId)).toMatchObject({ networkVolumeId: null });
    expect(standIn.pod(pod.podId)!.volumeInGb).toBeGreaterThan(0);
    expect(await provider.placement('NVIDIA H200', { workspaceId: 'ws_1' })).toBeNull();
  });
});
