import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { axeViolations, newContext, screenshots, startWithRunPod, type RunningServer } from './harness';
import type { RunPodStandIn } from '../../../server/src/training/providers/runpod/standin';

const PER_KEY = 600;
let server: RunningServer;
let browser: Browser;
let runpod: RunPodStandIn;
let stop: () => Promise<void>;
beforeAll(async () => {
  // RunPod's stand-in answers the status probe (GET /v2/catalog/datacenters); no pod runs here.
  ({ server, browser, runpod, stop } = await startWithRunPod({ BRIGHTRUN_RATE_LIMIT_PER_KEY: String(PER_KEY) }));
});
afterAll(async () => stop?.());

const footerOf = (page: Page) => page.getByRole('contentinfo', { name: 'System status' });
async function apiLeft(footer: Locator): Promise<number> {
  const text = await footer.locator('.api').innerText();
  const match = new RegExp(`API: ([\\d,]+) of ${PER_KEY} left`).exec(text);
  if (!match) throw new Error(`no budget in "${text}"`);
  return Number(match[1]!.replace(/,/g, ''));
}
async function setRunPodKey(page: Page, key: string) {
  await page.goto('/settings');
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  await page.locator('aside.sidebar .badge').first().waitFor(); // hydrated: the shell has loaded
  await page.getByLabel('New RunPod API key').fill(key);
  await page.locator('#runpod').getByRole('button', { name: /^(Set|Replace)$/ }).click();
  await page.getByText(`Set · ends in ${key.slice(-4)}`).waitFor();
}

describe('status bar (P01 footer)', () => {
  it('no RunPod key: says so with a link to Settings; the API budget goes down as the app makes requests', async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto('/sign-in');
    await page.getByLabel('API key').fill(server.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();

    const footer = footerOf(page);
    await footer.getByText('RunPod: no API key').waitFor();
    const links = footer.getByRole('link');
    expect(await links.count()).toBe(1);
    expect(await links.first().getAttribute('href')).toBe('/settings#runpod');
    await footer.locator('.api').waitFor();
    expect(await footer.innerText()).toMatch(/API: [\d,]+ of 600 left\s*· resets in \d+ s/);
    await footer.getByText(/^(Live|Polling every 60 s)$/).waitFor();

    const before = await apiLeft(footer);
    await page.getByRole('link', { name: /^Datasets/ }).first().click();
    await page.getByRole('heading', { name: 'Datasets', level: 1 }).waitFor();
    await expect.poll(() => apiLeft(footer), { timeout: 10_000 }).toBeLessThan(before);

    // The footer's one link goes to the RunPod key.
    await footer.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/settings#runpod$/);
    await page.getByRole('heading', { name: 'RunPod', level: 2, exact: true }).waitFor();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await footer.getByText('RunPod: no API key').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p01-status-no-key', { fullPage: true });
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('a key RunPod accepts: connected and the default GPU stock; a refused key shows RunPod\'s words', async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/sign-in?next=/settings');
    await page.getByLabel('API key').fill(server.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

    await setRunPodKey(page, runpod.apiKey);
    const footer = footerOf(page);
    await footer.getByText('RunPod connected').waitFor();
    // The stand-in: H100 PCIe (the default GPU type) HIGH in US-KS-2, MEDIUM in EU-RO-1, none in US-TX-3.
    await footer.getByText('H100 PCIe (80GB): high stock in 2 of 3 data centers').waitFor();
    expect(await footer.getByRole('link').count()).toBe(0);
    await page.goto('/');
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await footer.getByText('RunPod connected').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p01-status-connected', { fullPage: true });

    await setRunPodKey(page, 'rpa_REFUSEDKEY00000000000000000000000000NOPE');
    await footer.getByText('RunPod refused the key').waitFor();
    expect(await footer.innerText()).toMatch(/HTTP 401/);
    expect(await footer.getByRole('link', { name: 'Settings' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto('/');
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await footer.getByText('RunPod refused the key').waitFor();
    await screenshots(page, 'p01-status-refused', { fullPage: true });

    // Phones keep the essentials on one line, without overflow.
    await page.setViewportSize({ width: 390, height: 844 });
    const widths = await footer.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, doc: document.documentElement.scrollWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    expect(widths.doc).toBeLessThanOrEqual(390);
    await context.close();
  });
});
