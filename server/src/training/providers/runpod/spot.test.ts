import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { RunPodClient } from './client.js';
import { RunPodNoCapacityError } from './errors.js';
import { createFakeLaunch } from './standin-fake.js';
import { startRunPodStandIn, type RunPodStandIn, type StandInLaunch } from './standin.js';

let standIn: RunPodStandIn | undefined;
afterEach(() => standIn?.close());

const spotInput = {
  name: 'brightrun-job-7',
  image: 'ghcr.io/brightrun/trainer:1',
  gpuTypeId: 'NVIDIA H100 PCIe',
  env: { BRIGHTRUN_JOB_ID: 'job-7', BRIGHTRUN_JOB_TOKEN: 'token-7' },
  containerDiskInGb: 60,
  bidPerGpu: 1.5,
};

async function setUp(exitOnSigterm: boolean, clock?: () => number) {
  const fake = createFakeLaunch({ exitOnSigterm });
  standIn = await startRunPodStandIn({ launch: fake.launch, killGraceMs: 100, ...(clock ? { now: clock } : {}) });
  const client = new RunPodClient({ apiKey: standIn.apiKey, restUrl: standIn.restUrl, graphqlUrl: standIn.graphqlUrl });
  return { fake, client, standIn };
}

describe('spot pod life cycle', () => {
  it('creates, is interrupted (SIGTERM, exits), resumes by bid, and bills both runs', async () => {
    let clock = Date.parse('2026-12-02T08:00:00Z');
    const { fake, client, standIn } = await setUp(true, () => clock);

    const pod = await client.createSpotPod(spotInput);
    expect(pod).toMatchObject({ status: 'PROVISIONING', costPerHr: 1.5 });
    const mutation = standIn.requests.find((r) => r.graphqlFields?.includes('podRentInterruptable'));
    expect((mutation?.body as { variables: unknown }).variables).toEqual({
      input: {
        name: 'brightrun-job-7',
        imageName: 'ghcr.io/brightrun/trainer:1',
        gpuTypeId: 'NVIDIA H100 PCIe',
        gpuCount: 1,
        bidPerGpu: 1.5,
        cloudType: 'SECURE',
        env: [
          { key: 'BRIGHTRUN_JOB_ID', value: 'job-7' },
          { key: 'BRIGHTRUN_JOB_TOKEN', value: 'token-7' },
        ],
        containerDiskInGb: 60,
        volumeInGb: 0,
        volumeMountPath: '/workspace',
      },
    });

    await standIn.waitForStatus(pod.id, 'RUNNING');
    expect(fake.runs[0]?.pod.env).toMatchObject({ BRIGHTRUN_JOB_TOKEN: 'token-7', RUNPOD_POD_ID: pod.id });
    clock += 3_600_000; // one hour at $1.50

    await standIn.interrupt(pod.id);
    expect(fake.runs[0]?.signals).toEqual(['SIGTERM']);
    // No field says "interrupted": the pod just reads EXITED.
    expect(await client.getPod(pod.id)).toMatchObject({ status: 'EXITED', costPerHr: 0 });
    expect(await client.getPodRuntime(pod.id)).toMatchObject({ desiredStatus: 'EXITED', uptimeSeconds: null });
    clock += 600_000; // ten idle minutes are not billed

    const resumed = await client.resumeSpotPod(pod.id, 1.8);
    expect(resumed).toMatchObject({ id: pod.id, status: 'PROVISIONING', costPerHr: 1.8 });
    await standIn.waitForStatus(pod.id, 'RUNNING');
    expect(fake.runs).toHaveLength(2);
    expect(fake.runs[1]?.pod.env.BRIGHTRUN_JOB_ID).toBe('job-7');
    clock += 1_800_000; // half an hour at $1.80
    expect((await client.getPodRuntime(pod.id))?.uptimeSeconds).toBe(1800);

    await client.terminatePod(pod.id);
    expect(standIn.pod(pod.id)?.status).toBe('TERMINATED');
    const billing = await client.podBilling(pod.id, { startTime: '2026-12-02T00:00:00Z' });
    expect(billing.gpuAmount).toBeCloseTo(1.5 + 0.9, 9);
  });

  it('kills a workload that ignores SIGTERM after the grace period', async () => {
    const { fake, client, standIn } = await setUp(false);
    const pod = await client.createSpotPod(spotInput);
    await standIn.waitForStatus(pod.id, 'RUNNING');
    const started = performance.now();
    await standIn.interrupt(pod.id);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(fake.runs[0]?.signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(standIn.pod(pod.id)?.status).toBe('EXITED');
  });

  it('reports a full host on resume as no capacity, and refuses to resume a spot pod as on-demand', async () => {
    const { client, standIn } = await setUp(true);
    const pod = await client.createSpotPod(spotInput);
    await standIn.waitForStatus(pod.id, 'RUNNING');
    await standIn.interrupt(pod.id);

    standIn.failNextResumes(1);
    const full = await client.resumeSpotPod(pod.id, 1.5).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(RunPodNoCapacityError);
    expect((full as Error).message).toContain('not enough free GPUs on the host machine');

    await expect(client.startPod(pod.id)).rejects.toThrow('Cannot resume a spot pod as an on demand pod.');
    await expect(client.resumeSpotPod(pod.id, 1.5)).resolves.toMatchObject({ status: 'PROVISIONING' });
  });
});

describe('a real process as the workload', () => {
  /** What the lead's launcher does with the trainer: spawn with the pod's env, stream stdout as logs. */
  const spawnLaunch: StandInLaunch = (pod, tools) => {
    // The handler goes in before the first line, which the test takes as "ready for signals".
    const script =
      "process.on('SIGTERM', () => { console.log('checkpoint saved'); process.exit(0); });" +
      "console.log('job ' + process.env.BRIGHTRUN_JOB_ID + ' on ' + process.env.RUNPOD_POD_ID);" +
      'setInterval(() => {}, 1000);';
    const child = spawn(process.execPath, ['-e', script], { env: pod.env, stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: child.stdout }).on('line', (line) => tools.log(line));
    return {
      stop: (signal) => void child.kill(signal),
      // 'close', not 'exit': only then has the last of stdout been read (and logged).
      exited: new Promise((resolve) => child.on('close', (code) => resolve({ code }))),
    };
  };

  it('passes the env to the process, interrupts it with SIGTERM and records its output', async () => {
    standIn = await startRunPodStandIn({ launch: spawnLaunch, killGraceMs: 2000 });
    const client = new RunPodClient({ apiKey: standIn.apiKey, restUrl: standIn.restUrl, graphqlUrl: standIn.graphqlUrl });
    const pod = await client.createSpotPod(spotInput);
    await standIn.waitForStatus(pod.id, 'RUNNING');
    await expect.poll(() => standIn!.pod(pod.id)?.logs.some((l) => l.source === 'container')).toBe(true);

    await standIn.interrupt(pod.id);
    expect(standIn.pod(pod.id)?.status).toBe('EXITED');
    const container = await client.getLogs(pod.id, { source: 'container' });
    expect(container.map((l) => l.line)).toEqual([`job job-7 on ${pod.id}`, 'checkpoint saved']);
  });

  it('kills what is still dying when the stand-in closes', async () => {
    const fake = createFakeLaunch({ exitOnSigterm: false });
    standIn = await startRunPodStandIn({ launch: fake.launch, killGraceMs: 60_000 });
    const client = new RunPodClient({ apiKey: standIn.apiKey, restUrl: standIn.restUrl, graphqlUrl: standIn.graphqlUrl });
    const pod = await client.createOnDemandPod({ ...spotInput, name: 'stubborn' });
    await standIn.waitForStatus(pod.id, 'RUNNING');
    await client.stopPod(pod.id);
    expect(fake.runs[0]?.signals).toEqual(['SIGTERM']);
    await standIn.close();
    standIn = undefined;
    expect(fake.runs[0]?.signals).toEqual(['SIGTERM', 'SIGKILL']);
  });
});
