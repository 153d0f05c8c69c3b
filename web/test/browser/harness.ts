import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startRunPodStandIn, type RunPodStandIn } from '../../../server/src/training/providers/runpod/standin';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const SCREENSHOTS = path.join(REPO, 'web/test-results/screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];

export interface RunningServer {
  url: string;
  adminKey: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * The real server (`src/main.ts`, as `npm start` runs it) on port 0 with a fresh data folder, its
 * first-start demo import, and the web build. Resolves once /readyz says so.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  if (!existsSync(path.join(REPO, 'web/build/index.html'))) throw new Error('web/build is missing: run "npm run build -w web" first (npm test does)');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'brightrun-web-'));
  const adminKey = `brk_${randomBytes(30).toString('base64url').replace(/[-_]/g, 'x').slice(0, 40)}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.join(REPO, 'server'),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', BRIGHTRUN_DATA_DIR: dataDir, BRIGHTRUN_ADMIN_KEY: adminKey, NODE_ENV: 'development', DATABASE_URL: '', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 180_000;
  let url: string | undefined;
  while (!url) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`server did not print its URL:\n${output}`);
    url = /BrightRun LoRA API\s+(\S+)\/graphql/.exec(output)?.[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  await waitUntilReady(url, deadline, () => output);
  return {
    url,
    adminKey,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls the server's /readyz until it answers 200; past `deadline` (epoch ms), fails with its output. */
/**
 * The server with RunPod's stand-in (REST v2 contract enforced) as its RunPod, and a browser: for
 * the screens that talk to RunPod (settings, the status bar). No pod runs; `stop` ends all three.
 */
export async function startWithRunPod(env: Record<string, string> = {}): Promise<{ server: RunningServer; browser: Browser; runpod: RunPodStandIn; stop: () => Promise<void> }> {
  const runpod = await startRunPodStandIn({ launch: () => ({ stop: () => undefined, exited: new Promise(() => undefined) }) });
  const [server, browser] = await Promise.all([startServer({ RUNPOD_REST_URL: runpod.restUrl, RUNPOD_GRAPHQL_URL: runpod.graphqlUrl, ...env }), launchBrowser()]);
  return {
    server, browser, runpod,
    async stop() {
      await browser.close();
      await server.stop();
      await runpod.close();
    },
  };
}

/**
 * A local trainer outlives the server by design (it resumes against the next one): before a suite
 * stops its server, it cancels the local jobs that have not ended, so no trainer keeps training
 * (and using the CPU) through the next suites. A job that already ended is left alone.
 */
export async function cancelUnfinished(server: Pick<RunningServer, 'url' | 'adminKey'>, jobIds: (string | undefined)[], reason: string) {
  const call = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` }, body: JSON.stringify({ query, variables }) });
    return ((await response.json()) as { data?: Record<string, any> }).data; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  let cancelled = 0;
  for (const id of jobIds) {
    if (!id) continue;
    const job = (await call('query($id: ID!) { trainingJob(id: $id) { status } }', { id }).catch(() => undefined))?.trainingJob as { status: string } | null | undefined;
    if (!job || ['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.status)) continue;
    await call('mutation($input: CancelTrainingJobInput!) { cancelTrainingJob(input: $input) { __typename } }', { input: { id, reason } }).catch(() => undefined);
    cancelled += 1;
  }
  // The supervisor stops the trainer on its next tick.
  if (cancelled) await new Promise((r) => setTimeout(r, 3_000));
}

export async function waitUntilReady(url: string, deadline: number, output: () => string) {
  while ((await fetch(`${url}/readyz`).then((r) => r.status, () => 0)) !== 200) {
    if (Date.now() > deadline) throw new Error(`the server never became ready:\n${output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Headless Chromium; fails (never skips) when it is not installed. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

export async function newContext(browser: Browser, baseURL: string, colorScheme: 'light' | 'dark' = 'light'): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1440, height: 900 }, colorScheme, reducedMotion: 'reduce' });
}

export const WIDTHS = [1440, 1024, 390] as const;
export const THEMES = ['light', 'dark'] as const;

/** The page at 1440, 1024 and 390 px in light and dark, into web/test-results/screenshots/<name>-<width>-<theme>.png. */
export async function screenshots(page: Page, name: string, options: { fullPage?: boolean; before?: () => Promise<void> } = {}) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize()!;
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width < 768 ? 844 : 900 });
      await options.before?.();
      await page.waitForTimeout(80); // a resize settles (layout, popover placement)
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}-${theme}.png`), fullPage: options.fullPage ?? false });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(original);
  // Let the page settle back (layout at the original width, the light scheme) before the test goes on:
  // axe right after the switch saw the header in mid-change (color-contrast on breadcrumbs and h1).
  // A wait on this side, not in the page: a test may hold the page's clock (timers and frames).
  await page.waitForTimeout(250);
}

/** axe-core on the page as it is (an open dialog included): the serious and critical violations. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    return run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
  });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Keyboard only: Tab (or Shift+Tab) until the focused element matches, at most `limit` presses. */
export async function tabTo(page: Page, matches: (el: { tag: string; text: string; label: string | null; href: string | null }) => boolean, { limit = 60, back = false } = {}) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return a ? { tag: a.tagName.toLowerCase(), text: (a.innerText ?? '').trim(), label: a.getAttribute('aria-label'), href: a.getAttribute('href') } : null;
    });
    if (el && matches(el)) return el;
  }
  throw new Error(`tabTo: nothing matched after ${limit} presses`);
}

/** Counts pointer events the page saw (the keyboard-only run asserts it stays 0). */
export async function countPointerEvents(page: Page) {
  await page.addInitScript(() => {
    (window as unknown as { __pointer: number }).__pointer = 0;
    for (const type of ['mousedown', 'mouseup', 'click', 'pointerdown'] as const) {
      window.addEventListener(type, (e) => { if ((e as MouseEvent).detail > 0 || e.type === 'pointerdown') (window as unknown as { __pointer: number }).__pointer++; }, true);
    }
  });
  return () => page.evaluate(() => (window as unknown as { __pointer: number }).__pointer);
}

/** A distinct small dataset: the sample's first conversation, named by `n` (no upload is a duplicate). */
function smallDataset(lines: string[], n: number): string {
  const pairs = lines.slice(1).map((l) => JSON.parse(l) as { conversation_id: string });
  const first = pairs[0]!.conversation_id;
  const chosen = lines.slice(1).filter((_, i) => pairs[i]!.conversation_id === first);
  return [JSON.stringify({ _meta: { file_name: `bench-${n}`, total_pairs: chosen.length, version: '4.0.0' } }), ...chosen].join('\n') + '\n';
}

const UPLOAD = 'mutation($file: Upload!, $name: String) { uploadDataset(input: { file: $file, name: $name }) { __typename } }';
/**
 * Uploads datasets numbered from..to-1 ("Bench dataset 0000" …) by multipart, 4 at a time, each the
 * first conversation of `lines` (a brightrun-lora-v4 JSONL file's lines). The server needs a rate
 * limit that allows it (BRIGHTRUN_RATE_LIMIT_PER_KEY / _PER_IP).
 */
export async function seedDatasets(server: RunningServer, lines: string[], from: number, to: number) {
  let next = from;
  const worker = async () => {
    for (let n = next++; n < to; n = next++) {
      const body = new FormData();
      body.set('operations', JSON.stringify({ query: UPLOAD, variables: { file: null, name: `Bench dataset ${String(n).padStart(4, '0')}` } }));
      body.set('map', JSON.stringify({ 0: ['variables.file'] }));
      body.set('0', new Blob([smallDataset(lines, n)]), `bench-${n}.jsonl`);
      const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${server.adminKey}`, 'graphql-require-preflight': '1' }, body });
      const json = (await response.json()) as { data?: { uploadDataset: { __typename: string } }; errors?: { message: string }[] };
      if (json.data?.uploadDataset.__typename !== 'UploadDatasetSuccess') throw new Error(`seeding dataset ${n}: ${JSON.stringify(json).slice(0, 300)}`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}
