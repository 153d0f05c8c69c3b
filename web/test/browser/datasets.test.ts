import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, countPointerEvents, launchBrowser, newContext, screenshots, seedDatasets, startServer, tabTo, type RunningServer } from './harness';

const SAMPLE_JSONL = path.resolve(import.meta.dirname, '../../../../shared/data/brightrun-v4/EQ-12-conversations-demo.jsonl');

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  // The last test seeds 997 datasets and loads all 1,000 in the grid: a rate limit that allows it.
  [server, browser] = await Promise.all([startServer({ BRIGHTRUN_RATE_LIMIT_PER_KEY: '10000000', BRIGHTRUN_RATE_LIMIT_PER_IP: '10000000' }), launchBrowser()]);
  context = await newContext(browser, server.url);
  page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('API key').fill(server.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The grid's cards (not the hidden probe card the grid measures its row height with). */
const CARDS = '[role=feed] > article.dcard';
const cardNames = () => page.locator(`${CARDS} h2`).allInnerTexts();

describe('datasets (P02)', () => {
  it('grid with readiness, sort and filters kept in the URL', async () => {
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: /Datasets/ }).click();
    await page.getByRole('heading', { name: 'Datasets', level: 1 }).waitFor();
    await page.locator(CARDS).first().waitFor();
    expect(await page.locator(CARDS).count()).toBe(3);
    expect(await page.locator(`${CARDS} .ready.ok`).count()).toBe(1); // the demo import's one ready dataset
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p02-grid', { fullPage: true });

    await page.getByLabel('Sort datasets').selectOption('name');
    await page.waitForURL(/sort=name/);
    const sorted = await cardNames();
    expect(sorted).toEqual([...sorted].sort((a, b) => a.localeCompare(b)));

    await page.getByLabel('Minimum quality').selectOption('3');
    await page.waitForURL(/minQuality=3/);
    await page.getByLabel('Format').selectOption('brightrun-lora-v4');
    await page.waitForURL(/format=brightrun-lora-v4/);
    await page.getByRole('button', { name: /Remove filter Quality ≥ 3/ }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p02-filtered');
    // The view is shareable: a fresh load of the URL shows the same filters.
    const url = page.url();
    await page.goto(url);
    await page.getByRole('button', { name: /Remove filter Format: v4/ }).waitFor();

    await page.getByLabel('Search datasets').fill('zzz-no-such-dataset');
    await page.getByRole('heading', { name: 'No dataset matches these filters' }).waitFor();
    await page.getByRole('button', { name: 'Clear all' }).click();
    await page.waitForURL((u) => u.pathname === '/datasets' && u.search === '');
  });

  it('detail modal over the grid: readiness, layerchart charts with hover counts, conversations 10 per page; deep link as a page', async () => {
    await page.goto('/datasets?sort=name');
    await page.getByRole('link', { name: 'Demo: ready to train' }).click();
    const modal = page.getByRole('dialog', { name: 'Demo: ready to train' });
    await modal.waitFor();
    await page.waitForURL(/\/datasets\/ds_/); // the modal's URL is the detail's deep link
    const deepLink = new URL(page.url()).pathname;
    await modal.getByText('Sufficient volume').waitFor();
    expect(await modal.locator('.convs > li').count()).toBe(10);
    expect(await page.getByRole('navigation', { name: 'Breadcrumb' }).innerText()).toContain('Demo: ready to train');
    // The stacked scaffolding chart (layerchart): hovering a bar lists each persona's count for that arc.
    const chart = modal.getByTestId('scaffolding-chart');
    await chart.locator('.lc-bar, .lc-bars-bar').first().waitFor();
    await chart.scrollIntoViewIfNeeded(); // the modal's body scrolls between its fixed header and footer
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + 260, box.y + 15);
    const tip = page.locator('.lc-tooltip-header').first();
    await tip.waitFor();
    const counts = await page.locator('.lc-tooltip-content').first().innerText();
    expect(counts).toMatch(/anxious planner\s+\d+/i);
    expect(counts).toMatch(/total\s+\d+/i);
    await modal.getByTestId('quality-chart').locator('.lc-bar, .lc-bars-bar').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p02-detail-modal');
    const firstPage = await modal.locator('.convs summary .ord').first().innerText();
    const ordinal = (text: string) => Number(text.replace('#', ''));
    await modal.getByRole('link', { name: 'Next →' }).click();
    await page.waitForURL(/after=/);
    await page.waitForFunction((before) => document.querySelector('dialog[open] .convs summary .ord')?.textContent !== before, firstPage);
    expect(ordinal(await modal.locator('.convs summary .ord').first().innerText())).toBe(ordinal(firstPage) + 10);
    await modal.locator('.convs summary').first().click();
    await modal.locator('.convs .bubble.assistant').first().waitFor();
    await page.keyboard.press('Escape'); // closes the modal and goes back to the grid
    await page.waitForURL((u) => u.pathname === '/datasets');
    expect(await page.getByRole('dialog').count()).toBe(0);
    // Keyboard: Shift+Enter on a focused card is the spec's "View Details".
    await page.getByRole('link', { name: 'Demo: ready to train' }).focus();
    await page.keyboard.press('Shift+Enter');
    await modal.waitFor();
    await page.keyboard.press('Escape');
    await page.waitForURL((u) => u.pathname === '/datasets');

    // The deep link shows the same detail as a page.
    await page.goto(deepLink);
    await page.getByRole('heading', { name: 'Demo: ready to train', level: 1 }).waitFor();
    expect(await page.locator('.convs > li').count()).toBe(10);
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p02-detail', { fullPage: true });
    await page.getByRole('link', { name: 'Next →' }).click();
    await page.waitForURL(/after=/);
    await page.waitForFunction((before) => document.querySelector('.convs summary .ord')?.textContent !== before, firstPage);
  });

  it('uploads the shared sample as JSONL with progress, and lists a bad file’s problems', async () => {
    await page.goto('/datasets');
    await page.getByRole('button', { name: 'Upload dataset' }).click();
    await page.getByLabel('Dataset file').setInputFiles(SAMPLE_JSONL);
    await page.getByLabel('Name').fill('EQ sample (JSONL upload)');
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p02-upload');
    const sawProgress = page.getByRole('progressbar', { name: 'Upload progress' }).waitFor();
    await page.getByRole('dialog', { name: 'Upload a dataset' }).getByRole('button', { name: 'Upload' }).click();
    await sawProgress;
    const outcome = await Promise.race([
      page.getByRole('heading', { name: 'EQ sample (JSONL upload)', level: 1 }).waitFor({ timeout: 120_000 }).then(() => 'imported'),
      page.getByRole('dialog', { name: 'Upload a dataset' }).getByRole('alert').waitFor({ timeout: 120_000 }).then(() => page.getByRole('dialog', { name: 'Upload a dataset' }).getByRole('alert').innerText()),
    ]);
    expect(outcome).toBe('imported');

    const dir = await mkdtemp(path.join(tmpdir(), 'bad-'));
    const bad = path.join(dir, 'broken.jsonl');
    await writeFile(bad, '{"_meta": {"format": "brightrun-lora-v4"}}\n{"conversation_id": "c1", "turns": [\n{not json}\n');
    await page.goto('/datasets?upload=1');
    await page.getByLabel('Dataset file').setInputFiles(bad);
    await page.getByRole('dialog', { name: 'Upload a dataset' }).getByRole('button', { name: 'Upload' }).click();
    const alert = page.getByRole('dialog', { name: 'Upload a dataset' }).getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/line \d+/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p02-upload-errors');
    await page.keyboard.press('Escape');
  });

  it('compares two datasets in the side-by-side modal and renames and deletes with the typed name', async () => {
    await page.goto('/datasets?sort=name');
    const cards = page.locator(`${CARDS} h2 a`);
    await cards.nth(2).waitFor();
    const names = await cards.allInnerTexts();
    await cards.nth(0).click({ modifiers: ['ControlOrMeta'] });
    await cards.nth(1).click({ modifiers: ['ControlOrMeta'] });
    expect(await page.getByRole('checkbox', { name: `Compare ${names[0]}` }).isChecked()).toBe(true);
    // A third pick drops the oldest (the comparison is of two).
    await cards.nth(2).click({ modifiers: ['ControlOrMeta'] });
    expect(await page.getByRole('checkbox', { name: `Compare ${names[0]}` }).isChecked()).toBe(false);
    await page.getByRole('checkbox', { name: `Compare ${names[2]}` }).uncheck();
    await page.getByRole('checkbox', { name: `Compare ${names[0]}` }).check();
    expect(await page.locator(`${CARDS}.selected`).count()).toBe(2);
    await page.getByRole('button', { name: 'Compare (2)' }).click();
    const modal = page.getByRole('dialog', { name: 'Compare datasets' });
    await modal.waitFor();
    await modal.getByRole('rowheader', { name: 'Trainable pairs' }).waitFor();
    expect(await modal.evaluate((d: HTMLDialogElement) => d.open && d.matches(':modal'))).toBe(true); // showModal: inert page, trapped focus
    expect(await modal.getByRole('heading', { level: 3 }).allInnerTexts()).toEqual(expect.arrayContaining([names[1], names[0]]));
    expect(await modal.getByRole('heading', { name: /Ready for Training|Review Recommended/ }).count()).toBe(2); // each side's readiness checklist
    const starts = modal.getByRole('link', { name: 'Start Training with this dataset' });
    expect(await starts.count()).toBe(2);
    for (const href of await starts.evaluateAll((links) => links.map((a) => a.getAttribute('href')))) expect(href).toMatch(/^\/training\/new\?dataset_id=ds_/);
    const compareUrl = new URL(page.url());
    expect(compareUrl.pathname).toBe('/datasets');
    expect(compareUrl.searchParams.get('sort')).toBe('name');
    expect(compareUrl.searchParams.get('compare')?.split(',')).toHaveLength(2);
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p02-compare-modal');
    // Escape closes it and goes back to the grid's URL, the picks kept.
    await page.keyboard.press('Escape');
    await page.waitForURL((u) => u.pathname === '/datasets' && !u.searchParams.has('compare'));
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Compare (2)' }).count()).toBe(1);
    // The modal's URL opens it on a fresh load (shareable); so does the old compare page's.
    await page.goto(compareUrl.pathname + compareUrl.search);
    await modal.getByRole('rowheader', { name: 'Trainable pairs' }).waitFor();
    await modal.getByRole('button', { name: 'Close' }).last().click();
    await page.waitForURL((u) => u.pathname === '/datasets' && !u.searchParams.has('compare'));
    expect(await page.getByRole('dialog').count()).toBe(0);
    const [a, b] = compareUrl.searchParams.get('compare')!.split(',');
    await page.goto(`/datasets/compare?a=${a}&b=${b}`);
    await page.waitForURL((u) => u.pathname === '/datasets' && u.searchParams.get('compare') === `${a},${b}`);
    await modal.getByRole('rowheader', { name: 'Trainable pairs' }).waitFor();
    // "Start Training with this dataset" is the way on to P03.
    await starts.first().click();
    await page.waitForURL((u) => u.pathname === '/training/new' && u.searchParams.get('dataset_id') === a);

    await page.goto('/datasets?q=JSONL');
    await page.goto((await page.getByRole('link', { name: 'EQ sample (JSONL upload)' }).getAttribute('href'))!);
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('Name', { exact: true }).fill('EQ sample renamed');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'EQ sample renamed', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete dataset' });
    expect(await axeViolations(page)).toEqual([]);
    await confirm.getByLabel('Dataset name').fill('EQ sample');
    expect(await confirm.getByRole('button', { name: 'Delete' }).isDisabled()).toBe(true);
    await confirm.getByLabel('Dataset name').fill('EQ sample renamed');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(/\/datasets$/);
    expect(await cardNames()).not.toContain('EQ sample renamed');
  });

  it('keyboard only: picks two cards, opens the comparison, moves in it and closes it', async () => {
    const pointer = await countPointerEvents(page);
    await page.goto('/datasets?sort=name');
    await page.locator(CARDS).nth(2).waitFor();
    const before = await pointer();
    /** Tab until the focused element is the "Compare" checkbox of the card at `pos` (1-based). */
    const tabToCheckbox = async (pos: number) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((p) => { const a = document.activeElement as HTMLInputElement | null; return a?.type === 'checkbox' && a.closest('article')?.getAttribute('aria-posinset') === String(p); }, pos)) return;
      }
      throw new Error(`no "Compare" checkbox on card ${pos} within 40 Tabs`);
    };
    await page.locator('main').focus();
    await tabToCheckbox(1);
    await page.keyboard.press('Space');
    await tabToCheckbox(2);
    await page.keyboard.press('Space');
    expect(await page.locator(`${CARDS}.selected`).count()).toBe(2);
    await tabTo(page, (el) => el.tag === 'button' && el.text.includes('Compare (2)'), { back: true });
    await page.keyboard.press('Enter');
    const modal = page.getByRole('dialog', { name: 'Compare datasets' });
    await modal.getByRole('rowheader', { name: 'Trainable pairs' }).waitFor();
    expect(await modal.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await tabTo(page, (el) => el.tag === 'a' && el.text.includes('Start Training with this dataset'));
    // Focus stays in the modal: nothing behind it takes focus however far one tabs.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const outside = await page.evaluate(() => {
        const a = document.activeElement;
        return !!a && a !== document.body && !document.querySelector('dialog[open]')!.contains(a);
      });
      expect(outside).toBe(false);
    }
    await page.keyboard.press('Escape');
    await page.waitForURL((u) => !u.searchParams.has('compare'));
    expect(await page.getByRole('dialog').count()).toBe(0);
    // Focus goes back to what opened it.
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).innerText)).toContain('Compare (2)');
    expect(await pointer()).toBe(before);
  });

  it('a file over the multipart limit goes through the signed upload (PUT to storage, then finalize), with progress', async () => {
    // > 8 MiB (MULTIPART_MAX_BYTES): the sample's conversations repeated under new ids.
    const lines = (await readFile(SAMPLE_JSONL, 'utf8')).trimEnd().split('\n');
    const out: string[] = [];
    for (let k = 0; out.length === 0 || out.join('\n').length < 8.6 * 1024 * 1024; k++) {
      for (const line of lines.slice(1)) {
        const pair = JSON.parse(line) as { id: string; conversation_id: string };
        const suffix = k.toString(16).padStart(4, '0');
        out.push(JSON.stringify({ ...pair, id: `${pair.id}_${suffix}`, conversation_id: `${pair.conversation_id.slice(0, -4)}${suffix}` }));
      }
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'big-'));
    const big = path.join(dir, 'big-signed.jsonl');
    await writeFile(big, [JSON.stringify({ _meta: { file_name: 'big-signed', total_pairs: out.length, version: '4.0.0' } }), ...out].join('\n') + '\n');
    expect((await stat(big)).size).toBeGreaterThan(8 * 1024 * 1024);

    const requests: { method: string; url: string; type: string }[] = [];
    page.on('request', (r) => requests.push({ method: r.method(), url: r.url(), type: r.headers()['content-type'] ?? '' }));
    await page.goto('/datasets?upload=1');
    await page.getByLabel('Dataset file').setInputFiles(big);
    await page.getByLabel('Name').fill('Big file (signed upload)');
    const sawProgress = page.getByRole('progressbar', { name: 'Upload progress' }).waitFor();
    await page.getByRole('dialog', { name: 'Upload a dataset' }).getByRole('button', { name: 'Upload' }).click();
    await sawProgress;
    const outcome = await Promise.race([
      page.getByRole('heading', { name: 'Big file (signed upload)', level: 1 }).waitFor({ timeout: 170_000 }).then(() => 'imported'),
      page.getByRole('dialog', { name: 'Upload a dataset' }).getByRole('alert').waitFor({ timeout: 170_000 }).then(() => page.getByRole('dialog', { name: 'Upload a dataset' }).getByRole('alert').innerText()),
    ]);
    expect(outcome).toBe('imported');
    // The bytes went to the storage's signed URL, not through the GraphQL multipart request.
    const put = requests.find((r) => r.method === 'PUT');
    expect(put?.url).toMatch(/\/files\//);
    expect(requests.filter((r) => r.url.endsWith('/graphql') && r.type.startsWith('multipart/'))).toEqual([]);
    // Every pair was imported (the detail's facts).
    expect(await page.locator('.facts').innerText()).toContain(out.length.toLocaleString('en-US'));
  }, 240_000);

  it('1,000 datasets: every page loaded, the grid keeps < 100 cards in the DOM; the last is reachable by scrolling and by keyboard', async () => {
    const lines = (await readFile(SAMPLE_JSONL, 'utf8')).trimEnd().split('\n');
    await seedDatasets(server, lines, 0, 997);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/datasets');
    const grid = page.getByRole('feed', { name: 'Datasets' });
    await grid.locator('article').first().waitFor();
    const total = Number(await grid.locator('article').first().getAttribute('aria-setsize'));
    expect(total).toBeGreaterThanOrEqual(1000);
    const loaded = async () => Number(await grid.getAttribute('data-loaded'));
    for (let clicks = 0; ; clicks++) {
      const more = page.getByRole('button', { name: /Load more/ });
      if ((await more.count()) === 0) break;
      expect(clicks).toBeLessThan(60);
      const n = await loaded();
      await more.click();
      await page.waitForFunction((before) => Number(document.querySelector('[role=feed]')?.getAttribute('data-loaded')) > before, n);
    }
    expect(await loaded()).toBe(total);
    expect(await page.locator(CARDS).count()).toBeLessThan(100);
    // Scrolling: to the very end of the page, the last card is rendered and in view.
    // One jump (this once landed 3–4 rows short: reduced motion turned the grid's height change into a
    // one-frame transition, so the page was still its old height when the jump read it; see app.css).
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction((p) => {
      const r = document.querySelector(`[role=feed] > article[aria-posinset="${p}"]`)?.getBoundingClientRect();
      return !!r && r.top >= 0 && r.bottom <= innerHeight;
    }, total, { timeout: 3_000 });
    expect(await page.locator(CARDS).count()).toBeLessThan(100);
    // Keyboard: from the first card, End goes to the last, Page Up to the one before, Home back.
    await page.evaluate(() => window.scrollTo(0, 0));
    await grid.locator('article[aria-posinset="1"] h2 a').focus();
    const focusedCard = () => page.evaluate(() => { const a = document.activeElement!.closest('article'); const r = a?.getBoundingClientRect(); return { pos: Number(a?.getAttribute('aria-posinset')), inView: !!r && r.top >= 60 && r.bottom <= innerHeight ? true : JSON.stringify({ top: r?.top, bottom: r?.bottom, sy: scrollY, docH: document.documentElement.scrollHeight }) }; });
    /** Waits until the focus is in the card at `pos`; says where it is instead when it does not get there. */
    const focusReaches = (pos: number) =>
      page.waitForFunction((p) => document.activeElement?.closest('article')?.getAttribute('aria-posinset') === String(p), pos, { timeout: 10_000 }).catch(async () => {
        const where = await page.evaluate(() => JSON.stringify({ active: document.activeElement?.outerHTML.slice(0, 80), sy: scrollY, grid: document.querySelector('[role=feed]')!.getAttribute('style'), cards: [...document.querySelectorAll('[role=feed] > article')].map((a) => a.getAttribute('aria-posinset')).join(',') }));
        throw new Error(`the focus did not reach card ${pos}: ${where}`);
      });
    await page.keyboard.press('End');
    await focusReaches(total);
    await page.waitForTimeout(300); // and it stays there (a late scroll once took the card, and the focus, away)
    expect(await focusedCard()).toEqual({ pos: total, inView: true });
    await page.keyboard.press('PageUp');
    await focusReaches(total - 1);
    await page.keyboard.press('Home');
    await focusReaches(1);
    expect(await focusedCard()).toEqual({ pos: 1, inView: true });
    // Tab moves on through the cards as they come into view (the window follows the focus).
    for (let i = 0; i < 3 * 12; i++) await page.keyboard.press('Tab');
    expect((await focusedCard()).pos).toBe(13);
    expect(await page.locator(CARDS).count()).toBeLessThan(100);
    expect(await axeViolations(page)).toEqual([]);
  }, 300_000);
});
