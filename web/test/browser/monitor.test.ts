import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { axeViolations, cancelUnfinished, launchBrowser, newContext, screenshots, startServer, type RunningServer } from './harness';
import { trainerTokenFor } from '../../../server/src/auth/keys';

/**
 * The training monitor (P04) and the jobs list against the real server: demo-provider jobs driven
 * by the real trainer operations, metrics seeded through the trainer's metrics API.
 */

type Gql = <T = any>(query: string, variables?: Record<string, unknown>) => Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any

function gqlFor(server: RunningServer): Gql {
  return async (query, variables = {}) => {
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: unknown; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data as never;
  };
}

async function firstDatasetId(gql: Gql): Promise<string> {
  const d = await gql<{ datasets: { edges: { node: { id: string; name: string; trainablePairCount: number } }[] } }>('{ datasets(first: 10) { edges { node { id name trainablePairCount } } } }');
  const best = d.datasets.edges.map((e) => e.node).sort((a, b) => b.trainablePairCount - a.trainablePairCount)[0];
  if (!best) throw new Error('no dataset: the first-start demo import should have made three');
  return best.id;
}

async function startJob(gql: Gql, datasetId: string, extra: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): Promise<string> {
  const r = await gql<{ startTrainingJob: { __typename: string; job?: { id: string }; message?: string } }>(
    `mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { __typename ... on StartTrainingJobSuccess { job { id } } ... on Error { message } } }`,
    { input: { plan: { datasetId, preset: 'BALANCED', overrides }, acknowledgeDatasetWarnings: true, ...extra } },
  );
  if (!r.startTrainingJob.job) throw new Error(`startTrainingJob: ${r.startTrainingJob.__typename} ${r.startTrainingJob.message ?? ''}`);
  return r.startTrainingJob.job.id;
}

async function jobNow(gql: Gql, id: string) {
  return (await gql<{ trainingJob: { status: string; currentStep: number; totalSteps: number | null; cancelReason: string | null; artifact: { id: string } | null } }>(
    'query($id: ID!) { trainingJob(id: $id) { status currentStep totalSteps cancelReason artifact { id } } }', { id })).trainingJob;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 120_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last as T;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** A signed-in page; `prepare` runs on the context first (e.g. to route its WebSocket through the test). */
async function signedIn(browser: Browser, server: RunningServer, colorScheme: 'light' | 'dark' = 'light', prepare?: (context: BrowserContext) => Promise<void>): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await newContext(browser, server.url, colorScheme);
  await prepare?.(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/sign-in');
  await page.getByLabel('API key').fill(server.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  return { context, page, errors };
}

/** The chart's data as the page holds it (the monitor's test hook): steps of each split. */
const chartSteps = (page: Page) =>
  page.evaluate(() => {
    const m = (window as unknown as { __brightrunMonitor: { train: { step: number }[]; eval: { step: number }[] } }).__brightrunMonitor;
    return { train: m.train.map((p) => p.step), eval: m.eval.map((p) => p.step) };
  });

const consecutive = (steps: number[], from: number, to: number) => steps.length === to - from + 1 && steps.every((s, i) => s === from + i);

describe('training monitor (P04) on demo jobs', () => {
  let server: RunningServer;
  let browser: Browser;
  let gql: Gql;
  let datasetId: string;
  const secret = randomBytes(32).toString('hex');

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_SUPERVISOR_TICK_MS: '200', BRIGHTRUN_SECRET: secret }), launchBrowser()]);
    gql = gqlFor(server);
    datasetId = await firstDatasetId(gql);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('cancels a demo job with a required reason from the monitor; simulated is marked; the dialog passes axe', async () => {
    const id = await startJob(gql, datasetId, { maxSteps: 400 });
    const { context, page, errors } = await signedIn(browser, server);
    await page.goto(`/training/jobs/${id}`);
    await page.getByRole('progressbar', { name: 'Training progress' }).waitFor();
    await page.getByText('Simulated job', { exact: false }).first().waitFor();
    await waitFor('training steps', async () => (await jobNow(gql, id)).currentStep >= 5);

    await page.getByRole('button', { name: 'Cancel job' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this training job?' });
    await dialog.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p04-cancel-dialog');
    // No reason: refused in the dialog, nothing sent.
    await dialog.getByRole('button', { name: 'Cancel job' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Choose a reason' }).waitFor();
    expect((await jobNow(gql, id)).cancelReason).toBeNull();
    await dialog.getByLabel('Other').check();
    await dialog.getByLabel('Describe the reason').fill('Validation loss flat since step 5: wrong learning rate');
    await dialog.getByRole('button', { name: 'Cancel job' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: 'Job cancelled' }).waitFor({ timeout: 60_000 });
    await page.getByRole('region', { name: 'Job cancelled' }).getByText('Reason: Validation loss flat since step 5: wrong learning rate').waitFor();
    const after = await jobNow(gql, id);
    expect([after.status, after.cancelReason]).toEqual(['CANCELLED', 'Validation loss flat since step 5: wrong learning rate']);
    expect(await page.getByRole('button', { name: 'Cancel job' }).evaluateAll((els) => els.map((e) => e.outerHTML + ' in ' + e.parentElement?.outerHTML.slice(0, 200)))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p04-cancelled');

    // The list marks it simulated and cancelled; the status filter lives in the URL.
    await page.goto('/training/jobs?status=cancelled');
    const row = page.getByRole('row').filter({ has: page.locator(`a[href="/training/jobs/${id}"]`) });
    await row.getByText('Simulated').waitFor();
    await row.getByText('Cancelled').waitFor();
    expect(await page.getByRole('link', { name: 'Cancelled' }).getAttribute('aria-current')).toBe('page');
    await page.goto('/training/jobs?status=completed');
    // The completed list is the one shown before counting.
    await expect.poll(() => page.getByRole('link', { name: 'Completed' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('table').or(page.getByText(/No .*jobs/i)).first().waitFor();
    // In the list (the header's notifications panel keeps its own "View job" links to the job in the DOM).
    expect(await page.getByRole('main').locator(`a[href="/training/jobs/${id}"]`).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the loss chart: hovering shows the nearest point’s step and losses, the arrow keys read points; PNG (2000×1200) and CSV exports', async () => {
    const steps = 60;
    const id = await startJob(gql, datasetId, { maxSteps: steps });
    await waitFor('the job to complete', async () => (await jobNow(gql, id)).status === 'COMPLETED', 240_000, 500);
    const series = async (split: 'TRAIN' | 'EVAL') =>
      (await gql<{ jobMetrics: { series: { points: { step: number; loss: number | null; learningRate: number | null }[] } } }>(
        'query($id: ID!, $split: MetricSplit!) { jobMetrics(jobId: $id, split: $split, maxPoints: 10000) { ... on JobMetricsSuccess { series { points { step loss learningRate } } } } }', { id, split })).jobMetrics.series.points;
    const [train, evaluation] = [await series('TRAIN'), await series('EVAL')];
    expect(train.map((p) => p.step)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    expect(evaluation.length).toBeGreaterThan(1);
    // The chart's rule: the nearest point, the earlier one on a tie.
    const nearest = <P extends { step: number }>(points: P[], at: number) => points.reduce((best, p) => (Math.abs(p.step - at) < Math.abs(best.step - at) ? p : best));

    const { context, page, errors } = await signedIn(browser, server);
    await page.goto(`/training/jobs/${id}`);
    const plot = page.locator('.plot[data-first-frame-ms]');
    await plot.waitFor({ timeout: 60_000 });
    await plot.scrollIntoViewIfNeeded();
    const tooltip = page.locator('.plot .tooltip');
    expect(await tooltip.count()).toBe(0);

    // Pointer: a few places inside the plot area (the chart's padding: 56 px left and right, 12 top, 28 bottom).
    const hoverAt = async (at: number) => {
      const [d0, d1] = (await page.locator('.plot').getAttribute('data-domain'))!.split('-').map(Number) as [number, number];
      const box = (await page.locator('.plot').boundingBox())!;
      const x = box.x + 56 + ((at - d0) / (d1 - d0)) * (box.width - 112);
      await page.mouse.move(x, box.y + 12 + (box.height - 40) * 0.5, { steps: 4 });
      await tooltip.waitFor({ timeout: 5_000 });
    };
    const expectTip = async (at: number) => {
      const t = nearest(train, at);
      const e = nearest(evaluation, at);
      const text = (await tooltip.textContent())!.replace(/\s+/g, ' ');
      expect(text, `hovering step ${at}`).toContain(`Step ${t.step}`);
      expect(text).toContain(`Training ${t.loss!.toFixed(4)}`);
      expect(text).toContain(`Validation ${e.loss!.toFixed(4)} (step ${e.step})`);
      expect(text).toContain(`LR ${t.learningRate!.toExponential(2)}`);
    };
    for (const at of [7.3, 31.8, 52]) {
      await hoverAt(at);
      await expect.poll(async () => (await tooltip.locator('strong').textContent())).toBe(`Step ${nearest(train, at).step}`);
      await expectTip(at);
    }
    await screenshots(page, 'p04-loss-tooltip', { before: async () => { await page.locator('.plot').scrollIntoViewIfNeeded(); await page.mouse.move(1, 1); await hoverAt(40); } });
    await page.mouse.move(1, 1); // leaving the chart hides it
    await tooltip.waitFor({ state: 'hidden' });

    // Keyboard: the focused chart reads points with the arrow keys, from the last one back.
    await page.locator('.plot').focus();
    await page.keyboard.press('ArrowLeft');
    await tooltip.waitFor();
    await expectTip(steps - 1);
    await page.keyboard.press('ArrowLeft');
    await expectTip(steps - 2);
    await page.keyboard.press('ArrowRight');
    await expectTip(steps - 1);

    // Zoomed (+ halves the range): the pointer still finds the nearest point of the zoomed range.
    await page.keyboard.press('+');
    await expect.poll(() => page.locator('.plot').getAttribute('data-domain')).toBe('15-45');
    await hoverAt(22.2);
    await expectTip(22);
    await page.keyboard.press('0');
    await expect.poll(() => page.locator('.plot').getAttribute('data-domain')).toBe(`0-${steps}`);
    await page.mouse.move(1, 1);

    // PNG: a real PNG whose IHDR says 2000×1200, with the chart drawn on it (not one flat colour).
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'PNG' }).click()]);
    expect(png.suggestedFilename()).toBe(`${id}-loss.png`);
    const bytes = await readFile((await png.path())!);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([2000, 1200]);
    const inked = await page.evaluate(async (b64) => {
      const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bmp.width, bmp.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      const px = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
      let other = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i] !== px[0] || px[i + 1] !== px[1] || px[i + 2] !== px[2]) other++;
      return other / (px.length / 4);
    }, bytes.toString('base64'));
    expect(inked).toBeGreaterThan(0.005); // title, legend, axes and both curves; a blank canvas is 0

    // CSV: a header, then one row per point of the job's series (every train and validation point, as the API has them).
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe(`${id}-loss.csv`);
    const rows = (await readFile((await csv.path())!, 'utf8')).trimEnd().split('\n').map((r) => r.split(','));
    expect(rows[0]).toEqual(['split', 'step', 'loss', 'learning_rate', 'grad_norm', 'tokens_per_second', 'perplexity', 'epoch']);
    const asRows = (split: string, points: { step: number; loss: number | null }[]) => points.map((p) => [split, p.step, p.loss]);
    expect(rows.slice(1).map((r) => [r[0], Number(r[1]), Number(r[2])])).toEqual([...asRows('train', train), ...asRows('validation', evaluation)]);
    expect(errors).toEqual([]);
    await context.close();
  }, 360_000);

  it('a failed job shows the error, its suggested fix and a retry that opens the configurator with the job’s settings', async () => {
    const id = await startJob(gql, datasetId, { maxSteps: 400 }, { cloudType: 'ON_DEMAND' });
    await waitFor('training steps', async () => (await jobNow(gql, id)).currentStep >= 5);
    const { context, page, errors } = await signedIn(browser, server);
    await page.goto(`/training/jobs/${id}`);
    await page.locator('.plot[data-first-frame-ms]').waitFor({ timeout: 60_000 });
    // The trainer reports an out-of-memory failure (as the real trainer does, with the job's own token).
    const res = await fetch(`${server.url}/trainer/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${trainerTokenFor(secret, id)}` },
      body: JSON.stringify({ query: 'mutation($jobId: ID!, $failure: TrainerFailureInput!) { trainerFail(jobId: $jobId, failure: $failure) { jobId } }', variables: { jobId: id, failure: { code: 'OUT_OF_MEMORY', message: 'CUDA out of memory (tried to allocate 2.10 GiB).' } } }) });
    expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
    const failed = page.getByRole('alert', { name: /^Training failed/ }); // the banner (a toast says it too)
    await failed.waitFor({ timeout: 30_000 });
    await failed.getByText('CUDA out of memory (tried to allocate 2.10 GiB).').waitFor();
    expect(await failed.getByText('Suggested fix:').locator('..').innerText()).toMatch(/^Suggested fix: Lower batchSize or maxSequenceLength/);
    expect(await failed.getByRole('heading').innerText()).toBe('Training failed · OUT_OF_MEMORY');
    expect((await jobNow(gql, id)).status).toBe('FAILED');
    expect(await page.locator('li.stage.failed .label').innerText()).toBe('Training');
    expect(await page.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300); // the theme follows the media change a frame later (axe at once saw the sidebar mid-switch)
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForTimeout(300);
    await screenshots(page, 'p04-failed', { before: async () => page.getByRole('heading', { name: /^Training failed/ }).scrollIntoViewIfNeeded() });

    const retry = failed.getByRole('link', { name: 'Retry with these settings' });
    await retry.click();
    await page.waitForURL(new RegExp(`/training/new\\?dataset_id=${datasetId}&from_job=${id}$`));
    await page.getByRole('heading', { name: 'New training job', level: 1 }).waitFor();
    await page.locator('section.cost[aria-busy="false"] [data-testid="cost-range"]').waitFor({ timeout: 30_000 });
    // Prefilled from the failed job: its dataset and its on-demand cloud (the preset default is spot); editable, not read-only.
    expect(await page.getByRole('radio', { name: /On-Demand/ }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: /On-Demand/ }).isDisabled()).toBe(false);
    expect(await page.getByRole('button', { name: 'Start Training' }).count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('stays correct across a dropped socket and a reload mid-job: no missing or doubled points', async () => {
    const steps = 300;
    const id = await startJob(gql, datasetId, { maxSteps: steps });
    // The live socket goes through the test: it can be closed, and held down, from here.
    const sockets: WebSocketRoute[] = [];
    let blocked = false;
    const { context, page, errors } = await signedIn(browser, server, 'light', (ctx) =>
      ctx.routeWebSocket(/\/graphql$/, (ws) => {
        if (blocked) return void ws.close({ code: 1001, reason: 'test: network down' });
        ws.connectToServer();
        sockets.push(ws);
      }),
    );
    await page.goto(`/training/jobs/${id}`);
    await page.locator('.live-state', { hasText: /^Live$/ }).waitFor({ timeout: 60_000 });
    await waitFor('20 points in the chart', async () => (await chartSteps(page)).train.length >= 20, 90_000);

    // Drop the socket and keep it down: the monitor says so and falls back to polling.
    blocked = true;
    for (const ws of sockets.splice(0)) await ws.close({ code: 1001, reason: 'test: dropped' });
    await page.locator('.live-state', { hasText: 'Live updates interrupted' }).waitFor({ timeout: 15_000 });
    const before = (await chartSteps(page)).train.length;
    if ((await jobNow(gql, id)).status !== 'COMPLETED') {
      await waitFor('points while polling', async () => (await chartSteps(page)).train.length > before || (await jobNow(gql, id)).status === 'COMPLETED', 40_000, 500);
    }
    blocked = false; // the socket comes back; the monitor resubscribes from the last step it holds
    await page.locator('.live-state', { hasText: /^Live$/ }).or(page.getByRole('heading', { name: /Training complete/ })).first().waitFor({ timeout: 60_000 });
    const mid = await chartSteps(page);
    expect(new Set(mid.train).size).toBe(mid.train.length);
    expect(consecutive(mid.train, 1, mid.train.at(-1)!)).toBe(true);

    // A reload mid-job: history, then the live stream from where the history ends.
    await page.reload();
    await page.getByRole('progressbar', { name: 'Training progress' }).waitFor();
    await page.getByRole('heading', { name: /Training complete/ }).waitFor({ timeout: 240_000 });
    await waitFor('every step in the chart', async () => (await chartSteps(page)).train.length >= steps, 30_000);
    const final = await chartSteps(page);
    expect(consecutive(final.train, 1, steps), `train steps: ${final.train.length}, first ${final.train[0]}, last ${final.train.at(-1)}`).toBe(true);
    const evalSteps = (await gql<{ jobMetrics: { series: { points: { step: number }[] } } }>(
      'query($id: ID!) { jobMetrics(jobId: $id, split: EVAL, maxPoints: 10000) { ... on JobMetricsSuccess { series { points { step } } } } }', { id })).jobMetrics.series.points.map((p) => p.step);
    expect(final.eval).toEqual(evalSteps);
    expect(Number(await page.locator('.plot').getAttribute('data-train-points'))).toBe(steps);
    expect(errors).toEqual([]);
    await context.close();
  }, 420_000);
});

describe('training monitor (P04): a demo job that outruns its estimate (BRIGHTRUN_DEMO_PACE=1.5)', () => {
  let server: RunningServer;
  let browser: Browser;
  let gql: Gql;

  beforeAll(async () => {
    // Pace 1.5: the simulated job runs (and bills) half again as long as its estimate says, so its
    // spend crosses 80 % of the estimate's midpoint at about 53 % of the job and 100 % at about 67 %.
    [server, browser] = await Promise.all([startServer({ BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_DEMO_PACE: '1.5', BRIGHTRUN_SUPERVISOR_TICK_MS: '200' }), launchBrowser()]);
    gql = gqlFor(server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('cost warning: spend past 80 % and then past the estimate turns the cost card amber, then red, with an alert; the jobs list shows live rows', async () => {
    const id = await startJob(gql, await firstDatasetId(gql), { maxSteps: 400 });
    const { context, page, errors } = await signedIn(browser, server);
    await page.goto('/training/jobs');
    const row = page.getByRole('row').filter({ has: page.locator(`a[href="/training/jobs/${id}"]`) });
    await row.waitFor();
    const progressOf = async () => Number((await row.locator('.prog .small').innerText()).match(/(\d+)%/)?.[1] ?? -1);
    const p0 = await progressOf();
    await waitFor('the row to move live', async () => (await progressOf()) > p0, 60_000, 300);
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p04-jobs-list');
    await page.goto(`/training/jobs/${id}`);
    const cost = page.getByRole('region', { name: /^Cost/ });
    await cost.getByRole('alert').filter({ hasText: 'Spend above 80% of the estimate' }).waitFor({ timeout: 120_000 });
    expect(await page.locator('.cost.level-warning').count()).toBe(1);
    await cost.getByRole('alert').filter({ hasText: 'Cost exceeding estimate' }).waitFor({ timeout: 120_000 });
    expect(await page.locator('.cost.level-exceeded').count()).toBe(1);
    // The card's words agree with the API: spend above the estimate's midpoint.
    const { trainingJob: j } = await gql<{ trainingJob: { spendUsd: number; estimate: { cost: { lowUsd: number; highUsd: number } } } }>('query($id: ID!) { trainingJob(id: $id) { spendUsd estimate { cost { lowUsd highUsd } } } }', { id });
    expect(j.spendUsd).toBeGreaterThan((j.estimate.cost.lowUsd + j.estimate.cost.highUsd) / 2);
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p04-cost-warning', { before: async () => cost.scrollIntoViewIfNeeded() });
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('training monitor (P04): a 100,000-step history seeded through the metrics API', () => {
  let server: RunningServer;
  let browser: Browser;
  let gql: Gql;
  let jobId: string;
  const secret = randomBytes(32).toString('hex');
  const HISTORY = 100_000;

  beforeAll(async () => {
    // Real-time demo jobs (speedup 1): the simulated trainer sits in preprocessing for minutes,
    // so the points of this job are only the ones the test reports with the job's own token.
    [server, browser] = await Promise.all([startServer({ BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_DEMO_SPEEDUP: '1', BRIGHTRUN_SUPERVISOR_TICK_MS: '200', BRIGHTRUN_SECRET: secret }), launchBrowser()]);
    gql = gqlFor(server);
    jobId = await startJob(gql, await firstDatasetId(gql), { maxSteps: 120_000 });
    await waitFor('the pod', async () => ['PREPROCESSING', 'MODEL_LOADING'].includes((await jobNow(gql, jobId)).status), 60_000);
    const token = trainerTokenFor(secret, jobId);
    const report = async (input: Record<string, unknown>) => {
      const res = await fetch(`${server.url}/trainer/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'mutation($jobId: ID!, $input: TrainerReportInput!) { trainerReport(jobId: $jobId, input: $input) { acceptedMetrics } }', variables: { jobId, input } }) });
      const body = (await res.json()) as { errors?: { message: string }[] };
      if (body.errors) throw new Error(body.errors[0]!.message);
    };
    await report({ stage: 'MODEL_LOADING', substatus: 'Loading the base model in 4-bit' });
    await report({ stage: 'TRAINING', substatus: 'Training: 120,000 steps' });
    const lossAt = (s: number) => 0.45 + 1.9 * Math.exp(-s / 18_000) + 0.05 * Math.sin(s * 12.9898) * Math.cos(s * 0.37);
    for (let from = 1; from <= HISTORY; from += 500) {
      const metrics: Record<string, unknown>[] = [];
      for (let step = from; step < from + 500; step++) {
        metrics.push({ split: 'TRAIN', step, loss: lossAt(step), learningRate: 2e-4 * (1 - step / 120_000), gradNorm: 0.5 + 0.1 * Math.sin(step), tokensPerSecond: 1240 + 20 * Math.sin(step / 7), gpuUtilization: 87 + 3 * Math.sin(step / 11), gpuMemoryGb: 68 + 0.2 * Math.sin(step / 13), epoch: (3 * step) / 120_000 });
        if (step % 1000 === 0) metrics.push({ split: 'EVAL', step, loss: lossAt(step) + 0.06, perplexity: Math.exp(lossAt(step) + 0.06) });
      }
      await report({ metrics, progress: { step: from + 499, totalSteps: 120_000, epoch: (3 * (from + 499)) / 120_000, totalEpochs: 3 } });
    }
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders the first chart frame within 200 ms of the data arriving; a 1,000-step zoom shows every point', async () => {
    const { context, page, errors } = await signedIn(browser, server);
    await page.goto(`/training/jobs/${jobId}`);
    const plot = page.locator('.plot[data-first-frame-ms]');
    await plot.waitFor({ timeout: 60_000 });
    const firstFrameMs = Number(await plot.getAttribute('data-first-frame-ms'));
    console.log(`first chart frame ${firstFrameMs} ms after the 100,000-step history arrived`);
    expect(firstFrameMs).toBeLessThan(200);
    expect(Number(await page.locator('.plot').getAttribute('data-train-points'))).toBeLessThanOrEqual(1001); // downsampled overview
    await page.getByText('downsampled overview').waitFor();

    // Keyboard zoom: each + halves the range; seven of them leave under 1,000 steps, read in full.
    await page.locator('.plot').focus();
    for (let i = 0; i < 7; i++) await page.keyboard.press('+');
    await page.getByText('every point').waitFor({ timeout: 30_000 });
    const zoomed = await page.evaluate(() => {
      const m = (window as unknown as { __brightrunMonitor: { zoom: [number, number]; zoomed: { train: { step: number }[]; downsampled: boolean } } }).__brightrunMonitor;
      return { zoom: m.zoom, steps: m.zoomed.train.map((p) => p.step), downsampled: m.zoomed.downsampled };
    });
    const [from, to] = zoomed.zoom;
    expect(to - from).toBeGreaterThanOrEqual(900);
    expect(to - from).toBeLessThanOrEqual(1000);
    expect(zoomed.downsampled).toBe(false);
    expect(consecutive(zoomed.steps, from, to)).toBe(true);
    expect(Number(await page.locator('.plot').getAttribute('data-train-points'))).toBe(to - from + 1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('page-plan screenshots: active training and stage progression', async () => {
    const { context, page, errors } = await signedIn(browser, server);
    await page.goto(`/training/jobs/${jobId}`);
    await page.locator('.plot[data-first-frame-ms]').waitFor({ timeout: 60_000 });
    await page.getByRole('region', { name: 'Current metrics' }).getByText('Training loss').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p04-active');
    await screenshots(page, 'p04-stages', { before: async () => page.getByRole('region', { name: 'Stages' }).scrollIntoViewIfNeeded() });
    expect(await page.locator('li.stage .label').allInnerTexts()).toEqual(['Preprocessing', 'Model loading', 'Training', 'Finalization']);
    expect(await page.locator('li.stage.completed').count()).toBe(2);
    expect(await page.locator('li.stage.active .label').innerText()).toBe('Training');

    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('training monitor (P04) on the local provider: the real trainer (tiny-llama) to completion', () => {
  let server: RunningServer;
  let browser: Browser;
  let gql: Gql;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ BRIGHTRUN_PROVIDER: 'local', BRIGHTRUN_SUPERVISOR_TICK_MS: '200' }), launchBrowser()]);
    gql = gqlFor(server);
  });
  let localId: string | undefined;
  afterAll(async () => {
    if (server) await cancelUnfinished(server, [localId], 'monitor test teardown');
    await browser?.close();
    await server?.stop();
  });

  it('the chart grows while it trains, the stages pass in order, the banner leads to the artifact', async () => {
    const upload = new FormData();
    const sample = await readFile(new URL('../../../../shared/data/brightrun-v4/EQ-12-conversations-demo.jsonl', import.meta.url));
    upload.append('operations', JSON.stringify({ query: 'mutation($file: Upload!) { uploadDataset(input: { file: $file, name: "local-sample" }) { ... on UploadDatasetSuccess { dataset { id } } ... on Error { message } } }', variables: { file: null } }));
    upload.append('map', JSON.stringify({ 0: ['variables.file'] }));
    upload.append('0', new Blob([sample], { type: 'application/json' }), 'sample.jsonl');
    const uploaded = (await (await fetch(`${server.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${server.adminKey}`, 'graphql-require-preflight': '1' }, body: upload })).json()) as { data: { uploadDataset: { dataset?: { id: string }; message?: string } } };
    const datasetId = uploaded.data.uploadDataset.dataset?.id;
    expect(datasetId, JSON.stringify(uploaded)).toBeTruthy();
    // 60 steps: the trainer reports every 2 s, and 12 steps on a quiet machine fit in one report (the chart went 0 → 12 at once).
    const id = await startJob(gql, datasetId!, { maxSteps: 60, checkpointEverySteps: 20 }, { baseModel: 'tiny-llama', maxSequenceLength: 512, quantization: 'BF16', gpuType: 'NVIDIA H100 PCIe' });
    localId = id;
    const { context, page, errors } = await signedIn(browser, server);
    await page.goto(`/training/jobs/${id}`);
    await page.getByRole('progressbar', { name: 'Training progress' }).waitFor();

    // Watch the page: which stage is active, and how many points the chart holds, as it trains.
    const seenStages = new Set<string>();
    const seenCounts: number[] = [];
    const deadline = Date.now() + 280_000;
    while (Date.now() < deadline) {
      const active = await page.locator('li.stage.active .label').allInnerTexts();
      active.forEach((s) => seenStages.add(s));
      const n = Number(await page.locator('.plot').getAttribute('data-train-points'));
      if (seenCounts.at(-1) !== n) seenCounts.push(n);
      if (await page.getByRole('heading', { name: /Training complete/ }).count()) break;
      await page.waitForTimeout(150);
    }
    const job = await jobNow(gql, id);
    expect(job.status).toBe('COMPLETED');
    // The chart grew while the job ran (more than one size seen before the end), to every step.
    expect(seenCounts.length, `chart sizes seen: ${seenCounts.join(', ')}`).toBeGreaterThan(2);
    expect(consecutive((await chartSteps(page)).train, 1, 60)).toBe(true);
    // Every stage was passed: those seen active, and all four completed at the end.
    expect([...seenStages]).toContain('Training');
    expect(await page.locator('li.stage.completed .label').allInnerTexts()).toEqual(['Preprocessing', 'Model loading', 'Training', 'Finalization']);
    expect(await page.locator('li.stage .sub').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/^Done in /)]));
    await page.getByRole('heading', { name: /Training complete! Final loss: \d/ }).waitFor();
    expect(await page.getByText('Simulated job').count()).toBe(0); // a real trainer: not marked simulated
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p04-completed');
    await page.getByRole('link', { name: 'View LoRA model' }).click();
    await page.waitForURL(new RegExp(`/models/${job.artifact!.id}$`));
    expect(errors).toEqual([]);
    await context.close();
  }, 320_000);
});
