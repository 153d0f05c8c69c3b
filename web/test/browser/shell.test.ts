import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser, newContext, screenshots, startServer, tabTo, countPointerEvents, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ BRIGHTRUN_PROVIDER: 'demo' }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page: Page, key = server.adminKey) {
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('sign-in and the shell (P01)', () => {
  it('signs in with a pasted key, shows the dashboard with real data, and signs out', async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    await page.goto('/datasets?sort=name');
    await page.waitForURL(/\/sign-in\?next=/);
    await expect(page.getByRole('heading', { name: 'First start: where is the admin key?' }).isVisible()).resolves.toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p01-sign-in');

    await signIn(page, 'brk_wrongwrongwrongwrongwrongwrongwrong1234');
    await page.getByRole('alert').filter({ hasText: 'Invalid API key' }).waitFor();
    await signIn(page);
    await page.waitForURL(/\/datasets\?sort=name$/); // back to the page asked for
    expect(await page.evaluate(() => JSON.stringify(localStorage) + document.cookie)).not.toContain('brk_');

    await page.goto('/');
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.getByRole('link', { name: /Datasets\s+\d+/ }).first().waitFor();
    const datasetsMetric = await page.locator('.metric').first().innerText();
    expect(datasetsMetric).toMatch(/Datasets\s+3/); // the first-start demo import: 3 datasets
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p01-dashboard', { fullPage: true });

    // Landmarks and the skip link.
    expect(await page.locator('main#main').count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Primary' }).count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Breadcrumb' }).count()).toBe(1);

    // Notifications panel, active training dropdown, user menu, command palette: each passes axe open.
    await page.getByRole('button', { name: /^Notifications/ }).click();
    await page.getByRole('dialog', { name: /^Notifications/ }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p01-notifications', { before: async () => undefined });
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: /^Active training/ }).click();
    await page.getByRole('dialog', { name: /^Active training/ }).getByText('Nothing is training').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p01-active-training');
    await page.keyboard.press('Escape');

    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Command' }).waitFor();
    await page.keyboard.type('sample');
    await page.getByRole('option', { name: /Dataset$/ }).first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'p01-command-palette');
    await page.keyboard.press('Escape');

    // Tablet: the icon rail; mobile: the drawer.
    await page.setViewportSize({ width: 1024, height: 800 });
    expect(await page.locator('aside.sidebar').evaluate((el) => el.getBoundingClientRect().width)).toBe(72);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.locator('aside.sidebar').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await page.getByRole('dialog', { name: 'Navigation' }).getByRole('link', { name: 'Datasets' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/screenshots/p01-drawer-390-light.png' });
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1440, height: 900 });

    // Sign out revokes the session: the old cookie no longer works.
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'brightrun_session', httpOnly: true, sameSite: 'Strict' });
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in$/);
    const replay = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-brightrun-csrf': '1', cookie: `${cookie!.name}=${cookie!.value}` }, body: '{"query":"{ viewer { scopes } }"}' });
    expect(replay.status).toBe(401);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('an ended session returns to sign-in and back to the page afterwards', async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await signIn(page);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.goto('/settings');
    await page.locator('aside.sidebar .badge', { hasText: '3' }).waitFor(); // the shell has loaded
    // The session ends elsewhere (as an expiry would): the server closes the live socket (4403) and
    // the next request is refused; either way the app goes to sign-in and back to this page.
    const [cookie] = await context.cookies();
    await fetch(`${server.url}/auth/session`, { method: 'DELETE', headers: { 'x-brightrun-csrf': '1', cookie: `${cookie!.name}=${cookie!.value}` } });
    await page.getByRole('link', { name: 'Dashboard' }).first().click({ timeout: 2000 }).catch(() => undefined);
    await page.waitForURL(/\/sign-in\?next=%2F/);
    const next = new URL(page.url()).searchParams.get('next');
    expect(['/', '/settings']).toContain(next);
    await page.getByRole('status').filter({ hasText: /signed out|expired/ }).waitFor();
    await signIn(page);
    await page.waitForURL((url) => url.pathname === next);
    await context.close();
  });

  it('keyboard only: skip link, sidebar, palette, sign out — no pointer events', async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    const pointer = await countPointerEvents(page);
    await page.goto('/sign-in');
    await page.getByLabel('API key').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type(server.adminKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    const skip = await tabTo(page, (el) => el.text === 'Skip to content');
    expect(skip.href).toBe('#main');
    await tabTo(page, (el) => el.href === '/datasets');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/datasets$/);
    await page.keyboard.press('Control+k');
    await page.keyboard.type('Go to Dashboard');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/');
    await tabTo(page, (el) => el.label === 'Account menu');
    await page.keyboard.press('Enter');
    await tabTo(page, (el) => el.text === 'Sign out');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/sign-in$/);
    expect(await pointer()).toBe(0);
    await context.close();
  });

  it('page-plan states: "2 jobs training" with its dropdown open (live), the dashboard charts, the rail hover at 1024 px', async () => {
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` }, body: JSON.stringify({ query, variables }) });
      return ((await response.json()) as { data: any }).data;
    };
    const datasets = await gql('{ datasets(first: 10) { edges { node { id name } } } }');
    const ready = datasets.datasets.edges.find((e: { node: { name: string } }) => e.node.name === 'Demo: ready to train').node;
    const START = `mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { __typename ... on StartTrainingJobSuccess { job { id } } ... on Error { message } } }`;
    const ids: string[] = [];
    for (const preset of ['CONSERVATIVE', 'BALANCED']) {
      const r = await gql(START, { input: { plan: { datasetId: ready.id, preset, provider: 'DEMO' }, acknowledgeDatasetWarnings: true } });
      expect(r.startTrainingJob.__typename).toBe('StartTrainingJobSuccess');
      ids.push(r.startTrainingJob.job.id);
    }
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    try {
      await page.goto('/sign-in');
      await signIn(page);
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      // The header's indicator follows the activeTrainingJobs subscription: no reload needed.
      const indicator = page.getByRole('button', { name: 'Active training: 2 jobs training' });
      await indicator.waitFor({ timeout: 60_000 });
      await page.getByRole('heading', { name: 'Training jobs by status' }).waitFor();
      await page.getByTestId('jobs-status-chart').locator('.lc-bar, .lc-bars-bar').first().waitFor({ state: 'attached' }); // a zero count draws a 0-wide bar
      expect(await page.getByRole('table', { name: 'Training jobs by status' }).innerText()).toMatch(/Training\s+2|Queued\s+[12]/);
      await screenshots(page, 'p01-dashboard-2-jobs', { fullPage: true });
      await indicator.click();
      const dropdown = page.getByRole('dialog', { name: /^Active training/ });
      await dropdown.getByRole('progressbar').nth(1).waitFor();
      expect(await dropdown.getByRole('link').count()).toBe(2);
      expect(await axeViolations(page)).toEqual([]);
      await screenshots(page, 'p01-active-training-2-jobs', { before: async () => { if (!(await dropdown.isVisible())) await indicator.click(); } });
      await page.keyboard.press('Escape');

      // "?" opens the help panel (the spec's contextual help, with the keyboard shortcuts); Esc closes it.
      await page.keyboard.press('?');
      const help = page.getByRole('complementary', { name: 'Help' });
      await help.getByText('Keyboard shortcuts').waitFor();
      expect(await help.getByRole('term').count()).toBeGreaterThanOrEqual(8);
      expect(await axeViolations(page)).toEqual([]);
      await screenshots(page, 'p01-help-panel');
      await page.keyboard.press('Escape');
      await help.waitFor({ state: 'detached' });

      // Tablet: the icon rail expands while hovered (the page plan's "hover expanded state").
      await page.setViewportSize({ width: 1024, height: 800 });
      const rail = page.locator('aside.sidebar');
      expect(await rail.evaluate((el) => el.getBoundingClientRect().width)).toBe(72);
      await rail.hover();
      await page.waitForFunction(() => document.querySelector('aside.sidebar')!.getBoundingClientRect().width === 240);
      await page.emulateMedia({ colorScheme: 'light' });
      await page.screenshot({ path: 'test-results/screenshots/p01-rail-hover-1024-light.png' });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: 'test-results/screenshots/p01-rail-hover-1024-dark.png' });
      await page.emulateMedia({ colorScheme: 'light' });
      // axe at 1024 px with the rail at rest (while hovered it overlays the page, and axe would judge
      // the contrast of the text under it).
      await page.mouse.move(700, 400);
      await page.waitForFunction(() => document.querySelector('aside.sidebar')!.getBoundingClientRect().width === 72);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      for (const id of ids) await gql('mutation($input: CancelTrainingJobInput!) { cancelTrainingJob(input: $input) { __typename } }', { input: { id, reason: 'browser test done' } });
      await context.close();
    }
  });
});
