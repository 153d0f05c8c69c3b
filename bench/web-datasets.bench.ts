// The dashboard's datasets page in real Chromium against the real server (as the browser tests
// start it: `server/src/main.ts` on port 0, embedded PGlite, the web build on the same origin):
//   1. JavaScript the datasets page loads (gzip, as served), against the 150 KB budget;
//   2. first contentful paint of /datasets with 200 datasets, cold cache, median of 7 (target < 1 s);
//   3. smoothness with 1,000 datasets: the grid pages (24 cards, "Load more" on the keyset cursor)
//      and is VIRTUALISED (only the rows in view and 2 either side are in the DOM); long tasks
//      (PerformanceObserver 'longtask', > 50 ms) and frames over 50 ms while scrolling through the
//      whole grid with every page loaded, the cards in the DOM meanwhile, and each "Load more".
// Usage (repo root, after `npm run build -w web`): npx tsx bench/web-datasets.bench.ts [--quick]
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, seedDatasets, startServer, type RunningServer } from '../web/test/browser/harness.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILD = path.join(ROOT, 'web/build');
const SAMPLE = path.join(ROOT, '../shared/data/brightrun-v4/EQ-12-conversations-demo.jsonl');
const quick = process.argv.includes('--quick');
const FCP_DATASETS = quick ? 40 : 200;
const SMOOTH_DATASETS = quick ? 100 : 1000;
const FCP_RUNS = quick ? 3 : 7;
const BUDGET_KB = 150;
const FCP_TARGET_MS = 1000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))]!;

/** The grid's cards (not the hidden probe card it measures its row height with). */
const CARDS = '[role=feed] > article.dcard';
const seed = seedDatasets;

async function signedInState(browser: Browser, server: RunningServer) {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('API key').fill(server.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  const state = await context.storageState();
  await context.close();
  return state;
}

async function freshContext(browser: Browser, server: RunningServer, state: Awaited<ReturnType<BrowserContext['storageState']>>) {
  const context = await browser.newContext({ baseURL: server.url, storageState: state, viewport: { width: 1440, height: 900 } });
  await context.addInitScript('window.__name = (f) => f'); // tsx (esbuild keepNames) wraps functions passed to evaluate
  return context;
}

/** The JS files a cold load of /datasets fetched, with their gzip size as served (the build's precompressed .gz). */
async function pageJs(browser: Browser, server: RunningServer, state: Awaited<ReturnType<BrowserContext['storageState']>>) {
  const context = await freshContext(browser, server, state);
  const page = await context.newPage();
  const scripts = new Set<string>();
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (url.origin === server.url && url.pathname.endsWith('.js')) scripts.add(url.pathname);
  });
  await page.goto('/datasets');
  await page.locator(CARDS).first().waitFor();
  await page.waitForLoadState('networkidle');
  const files = [];
  for (const p of scripts) {
    const file = path.join(BUILD, p);
    const raw = await readFile(file);
    const gz = existsSync(`${file}.gz`) ? (await stat(`${file}.gz`)).size : gzipSync(raw, { level: 9 }).length;
    files.push({ path: p, raw: raw.length, gzip: gz });
  }
  // layerchart must not be among them (the charts load with the detail modal).
  const hasLayerchart = files.some((f) => /lc-tooltip|layerchart/.test(String(f.path)));
  await context.close();
  return { files, hasLayerchart };
}

async function fcp(browser: Browser, server: RunningServer, state: Awaited<ReturnType<BrowserContext['storageState']>>) {
  const context = await freshContext(browser, server, state); // a new context: cold HTTP cache
  const page = await context.newPage();
  await page.goto('/datasets');
  await page.locator(CARDS).first().waitFor();
  const timing = await page.evaluate(async () => {
    // The paint entry can be queued after the DOM settles: wait for it (buffered observer).
    const paint = await new Promise<PerformanceEntry>((resolve) => {
      const found = performance.getEntriesByName('first-contentful-paint')[0];
      if (found) return resolve(found);
      new PerformanceObserver((list, observer) => {
        const entry = list.getEntriesByName('first-contentful-paint')[0];
        if (entry) {
          observer.disconnect();
          resolve(entry);
        }
      }).observe({ type: 'paint', buffered: true });
    });
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { fcp: paint.startTime, domContentLoaded: nav.domContentLoadedEventEnd };
  });
  // Cards painted: the first frame after the first screen of cards is in the DOM (a lower bound of "cards visible").
  const cards = await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now()))));
  const fcpText = await page.evaluate(() => document.querySelector('main h1')?.textContent ?? '');
  await context.close();
  return { ...timing, cards, fcpText };
}

/** In the page: scroll the whole grid over ~4 s in animation frames; frame gaps and long tasks. */
const scrollMeasure = async (distance: number | null) => {
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
    observer.observe({ type: 'longtask' });
    const gaps: number[] = [];
    const cardCounts: number[] = [];
    const max = document.documentElement.scrollHeight - innerHeight;
    const from = distance === null ? 0 : Math.max(0, Math.min(max - distance, max / 2));
    const height = distance === null ? max : Math.min(distance, max - from);
    window.scrollTo(0, from);
    await new Promise((r) => setTimeout(r, 300));
    const start = performance.now();
    const duration = 4000;
    await new Promise<void>((resolve) => {
      let last = start;
      const step = (now: number) => {
        gaps.push(now - last);
        cardCounts.push(document.querySelectorAll('[role=feed] > article').length);
        last = now;
        const share = Math.min(1, (now - start) / duration);
        window.scrollTo(0, from + height * share);
        if (share < 1) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    });
    await new Promise((r) => setTimeout(r, 100));
    observer.disconnect();
    return { gaps: gaps.slice(1), longTasks, height, domNodes: document.getElementsByTagName('*').length, maxCards: Math.max(...cardCounts) };
};

async function smoothness(browser: Browser, server: RunningServer, state: Awaited<ReturnType<BrowserContext['storageState']>>, total: number) {
  const context = await freshContext(browser, server, state);
  const page = await context.newPage();
  await page.goto('/datasets');
  await page.locator(CARDS).first().waitFor();
  const control = await page.evaluate(scrollMeasure, null);
  const loadMore: number[] = [];
  const loaded = () => page.evaluate(() => Number(document.querySelector('[role=feed]')?.getAttribute('data-loaded')));
  for (;;) {
    const button = page.getByRole('button', { name: /Load more/ });
    if ((await button.count()) === 0) break;
    const before = await loaded();
    const t = Date.now();
    await button.click();
    await page.waitForFunction((n) => Number(document.querySelector('[role=feed]')?.getAttribute('data-loaded')) > n, before);
    loadMore.push(Date.now() - t);
  }
  const cards = await loaded();
  if (cards !== total) throw new Error(`expected ${total} cards loaded after every page, saw ${cards}`);
  const result = await page.evaluate(scrollMeasure, null);
  const brisk = await page.evaluate(scrollMeasure, 12_000);
  await context.close();
  return { ...result, control, brisk, loadMore, cards };
}

async function main() {
  if (!existsSync(path.join(BUILD, 'index.html'))) throw new Error('web/build is missing: run "npm run build -w web" first');
  const lines = (await readFile(SAMPLE, 'utf8')).trimEnd().split('\n');
  const [server, browser] = await Promise.all([startServer({ BRIGHTRUN_RATE_LIMIT_PER_KEY: '10000000', BRIGHTRUN_RATE_LIMIT_PER_IP: '10000000' }), launchBrowser()]);
  try {
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; Chromium ${browser.version()}; Node ${process.version}`);
    const demo = 3; // the first start's demo import
    let t = Date.now();
    await seed(server, lines, 0, FCP_DATASETS - demo);
    console.log(`seeded ${FCP_DATASETS - demo} datasets (+${demo} demo) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const state = await signedInState(browser, server);

    const js = await pageJs(browser, server, state);
    const gzipKb = js.files.reduce((s, f) => s + f.gzip, 0) / 1024;
    const rawKb = js.files.reduce((s, f) => s + f.raw, 0) / 1024;
    console.log(`\n1. datasets page JavaScript (cold load of /datasets): ${js.files.length} files, ${rawKb.toFixed(1)} KB raw, ${gzipKb.toFixed(1)} KB gzip — budget ${BUDGET_KB} KB: ${(gzipKb / BUDGET_KB).toFixed(2)}× of it${js.hasLayerchart ? ' (layerchart included!)' : ''}`);
    for (const f of js.files.sort((a, b) => b.gzip - a.gzip).slice(0, 5)) console.log(`   ${f.path}  ${(f.gzip / 1024).toFixed(1)} KB gzip`);

    await fcp(browser, server, state); // warm the server's own caches once
    const runs = [];
    for (let i = 0; i < FCP_RUNS; i++) runs.push(await fcp(browser, server, state));
    const fcpMs = median(runs.map((r) => r.fcp));
    console.log(`\n2. /datasets with ${FCP_DATASETS} datasets, cold cache, ${FCP_RUNS} runs: first contentful paint median ${fcpMs.toFixed(0)} ms (min ${Math.min(...runs.map((r) => r.fcp)).toFixed(0)}, max ${Math.max(...runs.map((r) => r.fcp)).toFixed(0)}) — target ${FCP_TARGET_MS} ms: ${(fcpMs / FCP_TARGET_MS).toFixed(2)}× of it`);
    console.log(`   DOMContentLoaded median ${median(runs.map((r) => r.domContentLoaded)).toFixed(0)} ms; first screen of cards painted median ${median(runs.map((r) => r.cards)).toFixed(0)} ms`);

    t = Date.now();
    await seed(server, lines, FCP_DATASETS - demo, SMOOTH_DATASETS - demo);
    console.log(`\nseeded up to ${SMOOTH_DATASETS} datasets in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const s = await smoothness(browser, server, state, SMOOTH_DATASETS);
    const janky = s.gaps.filter((g) => g > 50).length;
    const tbt = s.longTasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0);
    console.log(`3. grid with ${SMOOTH_DATASETS} datasets — paged (24 a page, "Load more") and VIRTUALISED; after ${s.loadMore.length} "Load more" clicks ${s.cards} cards are loaded, at most ${s.maxCards} of them in the DOM while scrolling (${s.domNodes} elements at the end):`);
    console.log(`   "Load more" (24 cards): median ${median(s.loadMore)} ms, p95 ${pct(s.loadMore, 0.95)} ms, max ${Math.max(...s.loadMore)} ms`);
    const c = s.control;
    console.log(`   control, first page only (24 cards loaded): scrolling ${c.height} px in 4 s: frame gap median ${median(c.gaps).toFixed(1)} ms, p95 ${pct(c.gaps, 0.95).toFixed(1)} ms; frames over 50 ms: ${c.gaps.filter((g) => g > 50).length}/${c.gaps.length}; long tasks: ${c.longTasks.length}`);
    const b = s.brisk;
    console.log(`   all ${s.cards} cards, a brisk scroll (12,000 px in 4 s, from the middle): frame gap median ${median(b.gaps).toFixed(1)} ms, p95 ${pct(b.gaps, 0.95).toFixed(1)} ms; frames over 50 ms: ${b.gaps.filter((g) => g > 50).length}/${b.gaps.length}; long tasks: ${b.longTasks.length} (total blocking ${b.longTasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0).toFixed(0)} ms)`);
    console.log(`   all ${s.cards} cards, the whole grid flung through (top to bottom in 4 s): ${s.gaps.length} frames, frame gap median ${median(s.gaps).toFixed(1)} ms, p95 ${pct(s.gaps, 0.95).toFixed(1)} ms, max ${Math.max(...s.gaps).toFixed(1)} ms; frames over 50 ms: ${janky}/${s.gaps.length}; long tasks: ${s.longTasks.length} (total blocking ${tbt.toFixed(0)} ms, longest ${s.longTasks.length ? Math.max(...s.longTasks).toFixed(0) : 0} ms)`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
