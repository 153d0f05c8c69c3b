import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { axeViolations, cancelUnfinished, countPointerEvents, launchBrowser, newContext, screenshots, startServer, tabTo, type RunningServer } from './harness';

// P05, Model artifacts, against the real server: three demo-provider versions on one dataset (fast,
// labelled simulated) and one real tiny-llama adapter from the local provider (the real trainer).
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const TRAINER_PYTHON = path.join(REPO, 'trainer/.venv/bin/python');

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const demo: { id: string; name: string; version: number; preset: string }[] = [];
let localJobId: string;
let emptyViolations: string[] = [];

async function gql<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data!;
}
const START = `mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { __typename ... on StartTrainingJobSuccess { job { id } } ... on Error { message } ... on ValidationError { fieldErrors { field message } } } }`;
async function start(input: Record<string, unknown>): Promise<string> {
  const r = (await gql<{ startTrainingJob: { job?: { id: string } } }>(START, { input })).startTrainingJob;
  if (!r.job) throw new Error(`job did not start: ${JSON.stringify(r)}`);
  return r.job.id;
}
async function waitForArtifact(jobId: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const { trainingJob: j } = await gql<{ trainingJob: { status: string; errorMessage: string | null; artifact: { id: string; name: string; version: number } | null } }>(
      'query($id: ID!) { trainingJob(id: $id) { status errorMessage artifact { id name version } } }', { id: jobId });
    last = `${j.status} ${j.errorMessage ?? ''}`;
    if (j.status === 'COMPLETED' && j.artifact) return j.artifact;
    if (['FAILED', 'CANCELLED'].includes(j.status)) throw new Error(`job ${jobId} ended ${last}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`job ${jobId} did not complete in ${timeoutMs} ms (last: ${last})`);
}
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startServer({ BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_DEMO_SPEEDUP: '20000', BRIGHTRUN_SUPERVISOR_TICK_MS: '200', BRIGHTRUN_TRAINER_PYTHON: TRAINER_PYTHON }),
    launchBrowser(),
  ]);
  const { datasets } = await gql<{ datasets: { edges: { node: { id: string; name: string } }[] } }>('{ datasets(first: 10) { edges { node { id name } } } }');
  const ready = datasets.edges.find((e) => e.node.name === 'Demo: ready to train')!.node;
  const sample = datasets.edges.find((e) => e.node.name.startsWith('EQ Alignment sample'))!.node;
  // The real trainer first: it takes longest (CPU), and runs while the demo jobs and the UI tests do.
  localJobId = await start({
    plan: { datasetId: sample.id, preset: 'BALANCED', provider: 'LOCAL', overrides: { baseModel: 'tiny-llama', maxSequenceLength: 512, quantization: 'BF16', gpuType: 'NVIDIA H100 PCIe' } },
    acknowledgeDatasetWarnings: true, maxSteps: 12, checkpointEverySteps: 6,
  });
  context = await newContext(browser, server.url);
  page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('API key').fill(server.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  // The empty state, while no job has finished yet (the local one needs minutes on the CPU).
  await page.goto('/models');
  await page.getByRole('heading', { name: 'No models yet' }).waitFor();
  emptyViolations = await axeViolations(page);
  await screenshots(page, 'p05-list-empty');
  for (const preset of ['CONSERVATIVE', 'BALANCED', 'AGGRESSIVE']) {
    const jobId = await start({ plan: { datasetId: ready.id, preset }, maxSteps: 40 });
    const artifact = await waitForArtifact(jobId, 60_000);
    demo.push({ ...artifact, preset });
  }
});
afterAll(async () => {
  if (server) await cancelUnfinished(server, [localJobId], 'models test teardown');
  await browser?.close();
  await server?.stop();
});

describe('models (P05)', () => {
  it('says what to do when there are no models yet', () => {
    expect(emptyViolations).toEqual([]);
  });

  it('lists models as a grid and a table, with status badges, sort, filters and search kept in the URL', async () => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: /Models/ }).click();
    await page.getByRole('heading', { name: 'Models', level: 1 }).waitFor();
    // The local job (another dataset, no "Simulated" badge) may finish at any moment of this test
    // — on a fast machine it does — so the checks below count the three demo versions, not all cards.
    await page.locator('article.mcard.sim').nth(2).waitFor();
    expect(await page.locator('article.mcard.sim').count()).toBe(3);
    expect(await page.locator('article.mcard.sim').first().innerText()).toMatch(/Stored[\s\S]*Simulated/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p05-list-grid', { fullPage: true });

    await page.getByRole('button', { name: 'Table' }).click();
    await page.waitForURL(/view=table/);
    await page.getByRole('table').waitFor();
    await page.getByLabel('Sort models').selectOption('version');
    await page.waitForURL(/sort=version/);
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length >= 3);
    const demoNames = new Set(demo.map((m) => m.name));
    const rows = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      name: tr.querySelector('th a')?.textContent?.trim() ?? '', version: tr.querySelector('th .mono')?.textContent?.trim() ?? '',
    })));
    expect(rows.filter((r) => demoNames.has(r.name)).map((r) => r.version)).toEqual(['v3', 'v2', 'v1']);
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p05-list-table');

    await page.getByRole('button', { name: 'Stored' }).click();
    await page.waitForURL(/status=STORED/);
    await page.getByLabel('Dataset', { exact: true }).selectOption({ label: 'Demo: ready to train' });
    await page.waitForURL(/dataset=ds_/);
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel('Created from').fill(today);
    await page.waitForURL(/from=/);
    await page.getByRole('button', { name: /Remove filter Status: Stored/ }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: /match/ }).innerText()).toBe('3 matches');
    // Shareable: a fresh load of the URL shows the same view.
    await page.goto(page.url());
    await page.getByRole('button', { name: /Remove filter Dataset: Demo: ready to train/ }).waitFor();
    await page.getByLabel('Search models').fill('aggressive');
    await page.waitForURL(/q=aggressive/);
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    expect(await page.locator('tbody th a').innerText()).toMatch(/Aggressive/);
    await page.getByLabel('Search models').fill('zzz-nothing');
    await page.getByRole('heading', { name: 'No model matches these filters' }).waitFor();
    await screenshots(page, 'p05-list-empty-filter');
    await page.getByRole('button', { name: 'Clear all' }).click();
    await page.waitForURL((u) => u.pathname === '/models' && u.search === '?view=table&sort=version');
  });

  it('model page: card header, quality with its derivation, training summary, frozen configuration, lineage, snippet', async () => {
    const v2 = demo[1]!;
    await page.goto('/models');
    await page.getByRole('link', { name: v2.name }).first().click();
    await page.waitForURL(`**/models/${v2.id}`);
    await page.getByRole('heading', { name: v2.name, level: 1 }).waitFor();
    expect(await page.getByRole('note').innerText()).toContain('Simulated artifact');
    expect(await page.getByRole('navigation', { name: 'Breadcrumb' }).innerText()).toContain(v2.name);
    await page.getByText('How the rating was derived').click();
    expect(await page.locator('.derivation').innerText()).toMatch(/Perplexity e\^[\d.]+ = [\d.]+ from the held-out \(eval\) loss/);
    expect(await page.getByRole('link', { name: /Open configuration/ }).getAttribute('href')).toMatch(/^\/training\/new\?from_job=job_[\w-]+&readonly=1$/);
    expect(await page.locator('#summary-title').locator('..').innerText()).toMatch(/Steps completed\s+40 \/ 40/);
    expect(await page.getByLabel('Python snippet', { exact: true }).innerText()).toContain('PeftModel.from_pretrained(base, "./');
    await page.locator('.chart path.lc-path').first().waitFor();
    expect(await page.locator('.chart path.lc-path').count()).toBe(2); // training and validation loss
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p05-overview', { fullPage: true });
  });

  it('downloads every file with a progress bar, resumes a cut-off download with HTTP Range, and the bytes match the checksums shown', async () => {
    const v2 = demo[1]!;
    await page.goto(`/models/${v2.id}`);
    await page.getByRole('button', { name: /^Download LoRA adapter/ }).waitFor();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const ranges: (string | undefined)[] = [];
    await page.route(/\/files\/.*adapter_model\.safetensors/, async (route) => {
      const range = route.request().headers()['range'];
      ranges.push(range);
      if (!range) {
        // The first answer is cut off at 45%: the page must continue from that byte.
        const real = await route.fetch();
        const body = await real.body();
        await route.fulfill({ status: 200, body: body.subarray(0, Math.floor(body.length * 0.45)), headers: { 'content-type': 'application/octet-stream' } });
        return;
      }
      await released;
      await route.continue();
    });
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await page.getByRole('button', { name: /^Download LoRA adapter/ }).click();
    const bar = page.getByRole('progressbar', { name: 'adapter_model.safetensors download progress' });
    await bar.waitFor();
    await page.waitForFunction(() => Number(document.querySelector('[aria-label="adapter_model.safetensors download progress"]')?.getAttribute('aria-valuenow')) >= 44);
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p05-download-progress');
    release();
    await page.locator('li[data-file="adapter_config.json"]').getByText('Verified').waitFor();
    expect(ranges.length).toBe(2);
    expect(ranges[1]).toMatch(/^bytes=\d+-$/);
    await page.getByText(/Download complete: adapter_model\.safetensors/).waitFor();
    await page.unroute(/\/files\//);

    // Every file the page lists: download it and compare its bytes with the SHA-256 the page shows.
    const rows = page.locator('ul[aria-label="Files"] > li');
    const count = await rows.count();
    expect(count).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < count; i++) {
      const row = rows.nth(i);
      const name = (await row.getAttribute('data-file'))!;
      if (!downloads.some((d) => d.suggestedFilename() === name)) {
        const next = page.waitForEvent('download');
        await row.getByRole('button', { name: new RegExp(`^Download ${name.replace('.', '\\.')}`) }).click();
        downloads.push(await next);
      }
    }
    expect(downloads.map((d) => d.suggestedFilename()).sort()).toEqual((await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-file')!))).sort());
    for (const d of downloads) {
      const shown = await page.locator(`li[data-file="${d.suggestedFilename()}"] .checksum`).innerText();
      const bytes = await readFile((await d.path())!);
      expect(sha256(bytes), d.suggestedFilename()).toBe(shown);
    }
    expect(await page.locator('li[data-file="adapter_model.safetensors"]').innerText()).toContain('resumed 1×');
  });

  it('lineage: the dataset step previews on hover, leads to the dataset, whose page lists the models trained on it, and back', async () => {
    const v2 = demo[1]!;
    await page.goto(`/models/${v2.id}`);
    const datasetStep = page.locator('.path a.step').first();
    await datasetStep.hover();
    await page.getByRole('tooltip').waitFor();
    await page.locator('#lineage-title').scrollIntoViewIfNeeded();
    await screenshots(page, 'p05-lineage', { before: async () => { await datasetStep.hover(); } });
    await datasetStep.click();
    await page.getByRole('heading', { name: 'Demo: ready to train', level: 1 }).waitFor();
    const list = page.locator('section[aria-labelledby="dsmodels-title"]');
    await list.getByRole('link', { name: new RegExp(v2.name) }).first().waitFor();
    expect(await list.locator('li').count()).toBe(3);
    expect(await axeViolations(page)).toEqual([]);
    await page.goBack();
    await page.getByRole('heading', { name: v2.name, level: 1 }).waitFor();
  });

  it('compares two versions: metrics, configuration diff, loss curves overlaid', async () => {
    const [v1, , v3] = demo;
    await page.goto(`/models/${v3!.id}`);
    const history = page.locator('section[aria-labelledby="versions-title"]');
    await history.getByRole('checkbox', { name: `Compare v${v1!.version} (simulated)` }).check();
    await history.getByRole('button', { name: 'Compare 2/2' }).waitFor();
    await history.scrollIntoViewIfNeeded();
    await screenshots(page, 'p05-versions');
    await history.getByRole('button', { name: 'Compare 2/2' }).click();
    await page.getByRole('heading', { name: 'Compare versions', level: 1 }).waitFor();
    expect(page.url()).toContain(`a=${v3!.id}&b=${v1!.id}`);
    const diff = page.locator('table.diff');
    expect(await diff.innerText()).toMatch(/Preset[\s\S]*?Aggressive\s+Conservative/);
    expect(await page.getByRole('rowheader', { name: 'Validation loss' }).count()).toBe(1);
    await page.locator('.chart path.lc-path').first().waitFor();
    expect(await page.locator('.chart path.lc-path').count()).toBe(4); // two runs × training and validation
    expect(await page.locator('.loss .legend span').count()).toBe(4);
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p05-compare', { fullPage: true });
  });

  it('promotes to production, archives (confirmation with the transition), and deletes with the typed name', async () => {
    const v1 = demo[0]!;
    await page.goto(`/models/${v1.id}`);
    await page.getByRole('button', { name: 'Promote to production' }).click();
    const dialog = page.getByRole('dialog', { name: 'Promote to production?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Promote to production' }).click();
    await page.getByText(`${v1.name} v${v1.version} is now production`).waitFor();
    await page.locator('.modelhead .badge').filter({ hasText: 'Production' }).waitFor();

    await page.getByRole('button', { name: 'Archive' }).click();
    const archive = page.getByRole('dialog', { name: 'Archive?' });
    await archive.waitFor();
    expect(await archive.getByLabel('Status change').innerText()).toMatch(/Production[\s\S]*Archived/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p05-archive-dialog');
    await archive.getByRole('button', { name: 'Archive' }).click();
    await page.locator('.modelhead .badge').filter({ hasText: 'Archived' }).waitFor();
    expect((await gql<{ modelArtifact: { status: string } }>('query($id: ID!) { modelArtifact(id: $id) { status } }', { id: v1.id })).modelArtifact.status).toBe('ARCHIVED');

    await page.getByRole('button', { name: 'Delete' }).click();
    const del = page.getByRole('dialog', { name: 'Delete model' });
    await del.waitFor();
    const confirm = del.getByRole('button', { name: 'Delete model' });
    await del.getByLabel('Type the model name to confirm').fill(`${v1.name}x`);
    expect(await confirm.isDisabled()).toBe(true);
    await del.getByLabel('Type the model name to confirm').fill(v1.name);
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p05-delete-dialog');
    await confirm.click();
    await page.waitForURL((u) => u.pathname === '/models');
    await page.getByText(`Deleted ${v1.name} v${v1.version}`).waitFor();
    expect((await gql<{ modelArtifact: null }>('query($id: ID!) { modelArtifact(id: $id) { id } }', { id: v1.id })).modelArtifact).toBeNull();
  });

  it('keyboard only: from the list to a model, a status change through its dialog, and the snippet copy', async () => {
    const kb = await newContext(browser, server.url);
    const p = await kb.newPage();
    const pointer = await countPointerEvents(p);
    await p.goto('/sign-in');
    await p.getByLabel('API key').fill(server.adminKey);
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await p.goto('/models');
    await p.locator('article.mcard').first().waitFor();
    const v3 = demo[2]!;
    await tabTo(p, (el) => el.tag === 'a' && el.href === `/models/${v3.id}`, { limit: 80 });
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: v3.name, level: 1 }).waitFor();
    await tabTo(p, (el) => el.text === 'Mark as testing', { limit: 80 });
    await p.keyboard.press('Enter');
    const dialog = p.getByRole('dialog', { name: 'Mark as testing?' });
    await dialog.waitFor();
    await tabTo(p, (el) => el.tag === 'button' && el.text === 'Mark as testing', { limit: 10 });
    await p.keyboard.press('Enter');
    await p.locator('.modelhead .badge').filter({ hasText: 'Testing' }).waitFor();
    await tabTo(p, (el) => el.label === 'Compare v1 (simulated)' || el.label === 'Compare v2 (simulated)', { limit: 120 });
    await p.keyboard.press('Space');
    await tabTo(p, (el) => el.text.startsWith('Compare 2/2'), { limit: 10, back: true });
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: 'Compare versions', level: 1 }).waitFor();
    expect(await pointer()).toBe(0);
    await kb.close();
  });

  it('a completed local-provider job (the real trainer, tiny-llama) leads to its model page; its files download with matching checksums', async () => {
    const artifact = await waitForArtifact(localJobId, 420_000);
    await page.goto('/models?base=tiny-llama');
    await page.getByRole('button', { name: /Remove filter Base: tiny-llama/ }).waitFor();
    await page.getByRole('link', { name: artifact.name }).first().click();
    await page.getByRole('heading', { name: artifact.name, level: 1 }).waitFor();
    expect(await page.getByRole('note').count()).toBe(0); // a trained adapter: no simulated banner
    expect(await page.locator('.modelhead').innerText()).not.toContain('Simulated');
    expect(await page.getByLabel('Python snippet', { exact: true }).innerText()).toContain('from brightrun_trainer.tiny_llama import build_model, build_tokenizer');
    expect(await page.locator('#summary-title').locator('..').innerText()).toMatch(/Steps completed\s+12 \/ 12/);
    const names = await page.locator('ul[aria-label="Files"] > li').evaluateAll((els) => els.map((e) => e.getAttribute('data-file')!));
    expect(names).toEqual(expect.arrayContaining(['adapter_model.safetensors', 'adapter_config.json']));
    for (const name of names) {
      const row = page.locator(`li[data-file="${name}"]`);
      const next = page.waitForEvent('download');
      await row.getByRole('button', { name: new RegExp(`^Download ${name.replace('.', '\\.')}`) }).click();
      const d = await next;
      expect(sha256(await readFile((await d.path())!)), name).toBe(await row.locator('.checksum').innerText());
      await row.getByText('Verified').waitFor();
    }
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p05-local-model', { fullPage: true });
  }, 480_000);
});
