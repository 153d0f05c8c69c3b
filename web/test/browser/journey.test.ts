import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { cancelUnfinished, launchBrowser, newContext, waitUntilReady } from './harness';

// The product's acceptance test (issue #14): P01 → P02 → P03 → P04 → P05 → back to P02 through the
// lineage link, on a fresh server started with the README's run command (`npm start` from the
// repository root, nothing seeded: the first start's own admin key and demo datasets), training a
// real tiny-llama adapter with the local provider (the real trainer on the CPU).
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

interface ReadmeServer { url: string; adminKey: string; output: () => string; stop: () => Promise<void> }

/** `npm start` as the README says, on port 0 and a fresh data folder; nothing else set. */
async function startWithReadmeCommand(): Promise<ReadmeServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'brightrun-journey-'));
  // What a fresh machine's shell has: no seeded key (the first start prints one), no external
  // services, and none of the test runner's variables. VITEST/NODE_ENV=test reach `npm start`'s
  // prestart build otherwise, and that build renders pages whose onMount never runs (found here:
  // the monitor stayed a skeleton and the shell never opened its socket).
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', BRIGHTRUN_DATA_DIR: dataDir };
  for (const name of Object.keys(env)) {
    if (/^(VITEST|TEST$|NODE_ENV$|npm_)/.test(name)) delete env[name];
  }
  for (const name of ['BRIGHTRUN_ADMIN_KEY', 'DATABASE_URL', 'REDIS_URL', 'BRIGHTRUN_PROVIDER', 'RUNPOD_API_KEY', 'SUPABASE_URL']) delete env[name];
  let output = '';
  const child: ChildProcess = spawn('npm', ['start'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // `npm start` rebuilds the dashboard first (prestart), which takes minutes on two busy cores.
  const deadline = Date.now() + 420_000;
  let url: string | undefined;
  let adminKey: string | undefined;
  while (!url || !adminKey) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not print its URL and admin key:\n${output}`);
    url = /BrightRun LoRA API\s+(\S+)\/graphql/.exec(output)?.[1];
    adminKey = /Admin API key \(shown once; store it now\):\s+(\S+)/.exec(output)?.[1];
    await new Promise((r) => setTimeout(r, 200));
  }
  await waitUntilReady(url, deadline, () => output);
  return {
    url,
    adminKey,
    output: () => output,
    async stop() {
      // npm → node: signal the whole process group, so the server itself gets SIGTERM, and wait
      // until every process of the group is gone (npm exits before the server has closed).
      const group = -child.pid!;
      const alive = () => { try { process.kill(group, 0); return true; } catch { return false; } };
      try { process.kill(group, 'SIGTERM'); } catch { /* already gone */ }
      await exited;
      for (let waited = 0; alive() && waited < 20_000; waited += 200) await new Promise((r) => setTimeout(r, 200));
      if (alive()) process.kill(group, 'SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let server: ReadmeServer;
let browser: Browser;
let page: Page;
let jobId: string | undefined;
const pageErrors: string[] = [];

async function gql<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data!;
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startWithReadmeCommand(), launchBrowser()]);
  const context = await newContext(browser, server.url);
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 480_000);

afterAll(async () => {
  if (server) await cancelUnfinished(server, [jobId], 'journey test teardown');
  await browser?.close();
  await server?.stop();
});

describe('the whole journey, on a server started with the README command', () => {
  it('signs in, picks the sample dataset, configures and launches a local job, watches it finish, opens its model and goes back to the dataset', async () => {
    // P01: sign in with the admin key the first start printed; the shell and the dashboard.
    await page.goto('/');
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('API key').fill(server.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: /main|primary/i }).getByRole('link', { name: /Datasets/ }).first().click();

    // P02: the real CC-BY sample the first start imported (12 conversations: small enough for the
    // CPU); its card hands it to the configurator.
    await page.getByRole('heading', { name: 'Datasets', level: 1 }).waitFor();
    const card = page.locator('article.dcard', { hasText: 'EQ Alignment sample' });
    await card.waitFor();
    await card.getByRole('link', { name: 'Start Training' }).click();

    // P03: the configurator, the dataset in it; a small real run: tiny-llama, one epoch, short sequences.
    await page.waitForURL(/\/training\/new\?dataset_id=/);
    const datasetId = new URL(page.url()).searchParams.get('dataset_id')!;
    await page.getByRole('heading', { name: 'New training job', level: 1 }).waitFor();
    await page.getByLabel('Base model').selectOption('tiny-llama');
    // On a fresh machine with the trainer installed the default provider is the local one (README: BRIGHTRUN_PROVIDER=auto).
    expect(await page.getByLabel('Run on', { exact: true }).evaluate((el: HTMLSelectElement) => el.selectedOptions[0]!.textContent)).toBe('This server’s machine (default)');
    await page.getByLabel('Quantization').selectOption('BF16');
    await page.getByRole('button', { name: /Advanced settings/ }).click();
    await page.getByLabel('Epochs', { exact: true }).fill('1');
    await page.getByRole('radiogroup', { name: /Max sequence length/ }).getByRole('radio', { name: '512' }).check();
    await page.getByRole('button', { name: 'Start Training' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Start training?' });
    await dialog.waitFor();
    for (const box of await dialog.getByRole('checkbox').all()) await box.check();
    await dialog.getByRole('button', { name: /Confirm & Start Training/ }).click();

    // P04: the monitor of the new job follows it live to the end.
    await page.waitForURL(/\/training\/jobs\/job_/);
    jobId = new URL(page.url()).pathname.split('/').pop()!;
    const { trainingJob } = await gql<{ trainingJob: { provider: string; isSimulated: boolean; baseModel: string } }>('query($id: ID!) { trainingJob(id: $id) { provider isSimulated baseModel } }', { id: jobId });
    expect(trainingJob).toEqual({ provider: 'LOCAL', isSimulated: false, baseModel: 'tiny-llama' });
    if (process.env.JOURNEY_DEBUG) {
      for (let i = 0; i < 12; i++) {
        await page.waitForTimeout(10_000);
        const st = await gql('query($id: ID!) { trainingJob(id: $id) { status currentStep totalSteps errorMessage } }', { id: jobId });
        console.log(i, JSON.stringify(st), (await page.locator('main').innerText()).slice(0, 400).replace(/\n/g, ' | '));
        console.log('monitor global', await page.evaluate(() => typeof (window as any).__brightrunMonitor));
        await page.screenshot({ path: `/tmp/journey-${i}.png` });
      }
    }
    // Live: the chart's data grows while the job runs (the monitor's test hook), then the banner.
    await page.waitForFunction(() => ((window as unknown as { __brightrunMonitor?: { train: unknown[] } }).__brightrunMonitor?.train.length ?? 0) > 0, undefined, { timeout: 240_000 });
    await page.getByRole('heading', { name: /Training complete/ }).waitFor({ timeout: 360_000 });
    // Every stage passed (preprocessing → model loading → training → finalization).
    const stages = page.locator('section[aria-labelledby="stages-title"] li.stage');
    expect(await stages.count()).toBe(4);
    expect(await stages.evaluateAll((items) => items.filter((li) => li.classList.contains('completed')).length)).toBe(4);
    const trained = await page.evaluate(() => (window as unknown as { __brightrunMonitor: { train: { step: number }[] } }).__brightrunMonitor.train.map((p) => p.step));
    const { trainingJob: done } = await gql<{ trainingJob: { totalSteps: number; artifact: { id: string; files: { name: string; sha256: string }[] } } }>('query($id: ID!) { trainingJob(id: $id) { totalSteps artifact { id files { name sha256 } } } }', { id: jobId });
    expect(trained).toEqual(Array.from({ length: done.totalSteps }, (_, i) => i + 1)); // every step once, none missing
    await page.getByRole('link', { name: 'View LoRA model' }).click();

    // P05: the model page of the adapter the real trainer made, its lineage back to the dataset.
    await page.waitForURL(new RegExp(`/models/${done.artifact.id}$`));
    await page.getByRole('heading', { level: 1 }).waitFor();
    // The real adapter's files, with the checksums the API stored, and no simulated label.
    for (const file of done.artifact.files) expect(await page.locator(`li[data-file="${file.name}"] code.checksum`).innerText()).toBe(file.sha256);
    expect(await page.getByText(/simulated/i).count()).toBe(0);
    const lineage = page.locator('section[aria-labelledby="lineage-title"]');
    await lineage.waitFor();
    expect(await lineage.locator(`a[href="/training/jobs/${jobId}"]`).count()).toBe(1);
    await lineage.locator(`a[href="/datasets/${datasetId}"]`).first().click();

    // Back in P02: the dataset's detail, which lists the model trained on it.
    await page.waitForURL(new RegExp(`/datasets/${datasetId}`));
    await page.getByRole('heading', { name: /EQ Alignment sample/, level: 1 }).waitFor();
    const models = page.locator('section[aria-labelledby="dsmodels-title"]');
    await models.locator(`a[href="/models/${done.artifact.id}"]`).waitFor();
    expect(pageErrors).toEqual([]);
  }, 600_000);
});
