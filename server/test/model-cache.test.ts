import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settled, startTestServer, uploadFile, waitForJob, type TestServer } from './harness.js';
import { startRunPodStandIn, type RunPodStandIn } from '../src/training/providers/runpod/standin.js';
import { runDemoTrainer } from '../src/training/providers/demo-trainer.js';

const SAMPLE = new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.json', import.meta.url);

const VOLUME = `volumeId name sizeGb dataCenterId mountPath usdPerGbMonth monthlyCostUsd priceNote`;
const CREATE = `mutation($input: CreateModelCacheVolumeInput!) { createModelCacheVolume(input: $input) {
  __typename ... on CreateModelCacheVolumeSuccess { modelCacheVolume { ${VOLUME} } }
  ... on Error { code message } ... on ValidationError { fieldErrors { field message } } } }`;
const DELETE = `mutation($input: DeleteModelCacheVolumeInput!) { deleteModelCacheVolume(input: $input) {
  __typename ... on DeleteModelCacheVolumeSuccess { modelCacheVolume { volumeId } }
  ... on Error { code message } ... on ConfirmationMismatchError { expectedName } ... on ResourceInUseError { blockingIds } } }`;
const ESTIMATE = `query($input: TrainingPlanInput!) { estimateTraining(input: $input) { __typename ... on EstimateTrainingSuccess { estimate {
  hours { high } cost { storageUsd modelCacheStorageUsd highUsd }
  placement { dataCenterId dataCenterName modelCacheVolumeId gpuOffered gpuAvailability offeredGpuTypes storageUsdPerHour }
  warnings { code message } } } } }`;

/**
 * The workspace's model-cache network volume, end to end on the RunPod stand-in: created through
 * the API with the workspace's key, shown with its cost, its data center pinning estimates and
 * launches, its storage in the estimate and in spend, and deleted only by name.
 */
describe('model-cache network volume (RunPod stand-in)', () => {
  let standIn: RunPodStandIn;
  let server: TestServer;
  let datasetId: string;

  beforeAll(async () => {
    standIn = await startRunPodStandIn({
      killGraceMs: 200,
      launch: (pod) => {
        const controller = new AbortController();
        const run = runDemoTrainer({ apiUrl: pod.env.BRIGHTRUN_API_URL!, jobId: pod.env.BRIGHTRUN_JOB_ID!, token: pod.env.BRIGHTRUN_JOB_TOKEN!, durationSeconds: 3, signal: controller.signal }, 20);
        return { stop: () => controller.abort(), exited: run.then(() => ({ code: 0 }), () => ({ code: 143 })) };
      },
    });
    server = await startTestServer('pglite', {
      BRIGHTRUN_PROVIDER: 'runpod',
      RUNPOD_API_KEY: 'the-server-key-runpod-refuses',
      RUNPOD_REST_URL: standIn.restUrl,
      RUNPOD_GRAPHQL_URL: standIn.graphqlUrl,
      BRIGHTRUN_SUPERVISOR_TICK_MS: '100',
      BRIGHTRUN_LAUNCH_BACKOFF_MS: '50',
    });
    datasetId = (await uploadFile(server, { name: 'sample.json', content: await readFile(SAMPLE) })).data!.uploadDataset.dataset.id;
    // The workspace's own key is the one the stand-in accepts: creating the volume must use it.
    await server.gql(`mutation { updateWorkspaceSettings(input: { runpodApiKey: "${standIn.apiKey}", huggingFaceToken: "hf_modelCacheSuite000000000000" }) { __typename } }`);
  });
  afterAll(async () => {
    await server?.stop();
    await standIn?.close();
  });

  const estimate = async (gpuType: string) => {
    const result = await server.gql(ESTIMATE, { input: { datasetId, overrides: { gpuType } } });
    return result.data!.estimateTraining.estimate;
  };

  it('lists the data centers that hold volumes, with their GPUs, and bounds the size', async () => {
    const dcs = await server.gql('{ modelCacheDataCenters { __typename ... on ModelCacheDataCentersSuccess { dataCenters { id name volumeTypes gpus { gpuTypeId availability } } } } }');
    const list = dcs.data!.modelCacheDataCenters.dataCenters;
    expect(list.map((d: { id: string }) => d.id)).toEqual(['US-KS-2', 'EU-RO-1', 'US-TX-3']);
    expect(list[1].gpus.map((g: { gpuTypeId: string }) => g.gpuTypeId)).toEqual(['NVIDIA H100 PCIe', 'NVIDIA H100 80GB HBM3']);

    for (const sizeGb of [9, 4097]) {
      const refused = await server.gql(CREATE, { input: { sizeGb, dataCenterId: 'EU-RO-1' } });
      expect(refused.data!.createModelCacheVolume).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ field: 'input.sizeGb', message: expect.stringMatching(/must be at (least 10|most 4096)/) }] });
    }
    const unknown = await server.gql(CREATE, { input: { sizeGb: 100, dataCenterId: 'MARS-1' } });
    expect(unknown.data!.createModelCacheVolume).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ field: 'input.dataCenterId', message: expect.stringMatching(/US-KS-2, EU-RO-1, US-TX-3/) }] });
    expect(standIn.volumes()).toEqual([]);
  });

  it("creates the volume at RunPod with the workspace's key and shows its monthly cost and data center", async () => {
    const created = await server.gql(CREATE, { input: { sizeGb: 4096, dataCenterId: 'EU-RO-1' } });
    const volume = created.data!.createModelCacheVolume.modelCacheVolume;
    expect(volume).toMatchObject({ sizeGb: 4096, dataCenterId: 'EU-RO-1', mountPath: '/workspace/huggingface', usdPerGbMonth: 0.05, monthlyCostUsd: 204.8 });
    expect(volume.priceNote).toMatch(/RunPod's published network-volume rate/);
    expect(standIn.volumes()).toEqual([{ id: volume.volumeId, name: volume.name, size: 4096, dataCenter: 'EU-RO-1', type: 'STANDARD' }]);
    const settings = await server.gql(`{ workspaceSettings { modelCacheVolume { ${VOLUME} } } }`);
    expect(settings.data!.workspaceSettings.modelCacheVolume).toEqual(volume);

    const again = await server.gql(CREATE, { input: { sizeGb: 50, dataCenterId: 'US-KS-2' } });
    expect(again.data!.createModelCacheVolume).toMatchObject({ __typename: 'ValidationError', message: expect.stringMatching(/already has a model-cache volume/) });
  });

  it('pins estimates to the data center, adds the storage share, and refuses a GPU type not offered there', async () => {
    const pinned = await estimate('NVIDIA H100 PCIe');
    expect(pinned.placement).toMatchObject({ dataCenterId: 'EU-RO-1', dataCenterName: 'EU Romania 1', gpuOffered: true, gpuAvailability: 'MEDIUM' });
    expect(pinned.placement.storageUsdPerHour).toBeCloseTo(204.8 / 730, 6);
    expect(pinned.cost.modelCacheStorageUsd).toBe(Math.round(((204.8 * pinned.hours.high) / 730) * 100) / 100);
    expect(pinned.cost.modelCacheStorageUsd).toBeGreaterThan(0);

    const h200 = await estimate('NVIDIA H200');
    expect(h200.placement).toMatchObject({ gpuOffered: false, gpuAvailability: 'NONE', offeredGpuTypes: ['NVIDIA H100 PCIe', 'NVIDIA H100 80GB HBM3'] });
    expect(h200.warnings.find((w: { code: string }) => w.code === 'GPU_NOT_IN_DATA_CENTER').message).toMatch(/EU Romania 1 \(EU-RO-1\), which does not offer NVIDIA H200/);
    const start = await server.gql(`mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { __typename ... on ValidationError { fieldErrors { field message } } } }`,
      { input: { plan: { datasetId, overrides: { gpuType: 'NVIDIA H200' } }, acknowledgeDatasetWarnings: true } });
    expect(start.data!.startTrainingJob).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ field: 'input.plan.overrides.gpuType', message: expect.stringMatching(/delete the model-cache volume in Settings/) }] });

    const catalog = await server.gql('{ trainingCatalog { gpuTypes { id pinnedDataCenter { dataCenterId gpuOffered } } } }');
    expect(Object.fromEntries(catalog.data!.trainingCatalog.gpuTypes.map((g: { id: string; pinnedDataCenter: { gpuOffered: boolean } }) => [g.id, g.pinnedDataCenter.gpuOffered]))).toEqual({
      'NVIDIA H100 PCIe': true, 'NVIDIA H100 80GB HBM3': true, 'NVIDIA H100 NVL': false, 'NVIDIA H200': false,
    });
  });

  it("runs a job on a pod that mounts the volume at HF_HOME in its data center, and accrues the storage in spend", async () => {
    const started = await server.gql(`mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { ... on StartTrainingJobSuccess { job { id } } ... on Error { message } } }`,
      { input: { plan: { datasetId, overrides: { gpuType: 'NVIDIA H100 PCIe' } }, acknowledgeDatasetWarnings: true, maxSteps: 20 } });
    const id = started.data!.startTrainingJob.job.id as string;
    const job = await waitForJob(server, id, settled, 60_000);
    expect(job.status).toBe('COMPLETED');
    const volumeId = standIn.volumes()[0]!.id;
    const pod = standIn.pod(job.attempts[0].podId)!;
    expect(pod).toMatchObject({ networkVolumeId: volumeId, dataCenterId: 'EU-RO-1', volumeMountPath: '/workspace', volumeInGb: 0, cloud: 'SECURE' });
    expect(pod.env.HF_HOME).toBe('/workspace/huggingface');

    const attempts = await server.gql(`query($id: ID!) { trainingJob(id: $id) { spendUsd attempts { storageUsdPerHour spendUsd } } }`, { id });
    expect(attempts.data!.trainingJob.attempts[0].storageUsdPerHour).toBeCloseTo(204.8 / 730, 6);
    const spend = (await server.gql('{ spend { __typename ... on SpendSuccess { spend { totalUsd modelCacheStorageUsd jobs { jobId spendUsd storageUsd } } } } }')).data!.spend.spend;
    const line = spend.jobs.find((j: { jobId: string }) => j.jobId === id);
    expect(line.storageUsd).toBeGreaterThan(0);
    expect(line.spendUsd).toBeGreaterThan(line.storageUsd);
    // The volume bills from its creation, used or not, so it is never less than a job's share; both are
    // rounded to four decimals, so on a fast machine (CI: created and used within a second) they can be equal.
    expect(spend.modelCacheStorageUsd).toBeGreaterThanOrEqual(line.storageUsd);
    expect(spend.totalUsd).toBeCloseTo(spend.jobs.reduce((sum: number, j: { spendUsd: number; storageUsd: number }) => sum + j.spendUsd - j.storageUsd, 0) + spend.modelCacheStorageUsd, 3);
  });

  it('deletes the volume only by its name, at RunPod too, and unpins the workspace', async () => {
    const { name } = (await server.gql('{ workspaceSettings { modelCacheVolume { name } } }')).data!.workspaceSettings.modelCacheVolume;
    const wrong = await server.gql(DELETE, { input: { confirmName: 'model-cache' } });
    expect(wrong.data!.deleteModelCacheVolume).toMatchObject({ __typename: 'ConfirmationMismatchError', code: 'CONFIRMATION_MISMATCH', expectedName: name });
    expect(standIn.volumes()).toHaveLength(1);

    const deleted = await server.gql(DELETE, { input: { confirmName: name } });
    expect(deleted.data!.deleteModelCacheVolume.__typename).toBe('DeleteModelCacheVolumeSuccess');
    expect(standIn.volumes()).toEqual([]);
    expect((await server.gql('{ workspaceSettings { modelCacheVolume { name } } }')).data!.workspaceSettings.modelCacheVolume).toBeNull();
    expect((await estimate('NVIDIA H200')).placement).toBeNull();
    const gone = await server.gql(DELETE, { input: { confirmName: name } });
    expect(gone.data!.deleteModelCacheVolume).toMatchObject({ __typename: 'NotFoundError' });
  });
});
