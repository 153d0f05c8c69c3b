import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, newContext, screenshots, startWithRunPod, type RunningServer } from './harness';
import { startReceiver } from '../../../server/test/support/receiver';
import type { RunPodStandIn } from '../../../server/src/training/providers/runpod/standin';

let server: RunningServer;
let browser: Browser;
let runpod: RunPodStandIn;
let stop: () => Promise<void>;
beforeAll(async () => {
  // RunPod's stand-in (REST v2 contract enforced) answers the model-cache section's calls; no pod runs here.
  ({ server, browser, runpod, stop } = await startWithRunPod());
});
afterAll(async () => stop?.());

describe('settings', () => {
  it('sets a write-only key (masked), creates an API key shown once, and revokes it', async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/sign-in?next=/settings');
    await page.getByLabel('API key').fill(server.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'settings', { fullPage: true });

    const secret = 'rpa_TESTKEY0000000000000000000000000000WXYZ';
    await page.getByLabel('New RunPod API key').fill(secret);
    await page.getByRole('button', { name: 'Set', exact: true }).first().click();
    await page.getByText('Set · ends in WXYZ').waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await page.getByLabel('New RunPod API key').inputValue()).toBe('');

    await page.getByLabel('Monthly budget in US dollars').fill('-5');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await page.locator('#budget').getByRole('alert').waitFor();

    await page.getByLabel('Key name').fill('CI pipeline');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('secret');
    await shown.waitFor();
    const key = await shown.innerText();
    expect(key).toMatch(/^brk_/);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.content()).not.toContain(key);
    const row = page.getByRole('row', { name: /CI pipeline/ });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog', { name: 'Revoke API key' }).getByRole('button', { name: 'Revoke' }).click();
    await row.getByText(/revoked/).waitFor();
    const refused = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: '{"query":"{ viewer { scopes } }"}' });
    expect(refused.status).toBe(401);
    // The other sections are lists of real data, not dead ends.
    for (const [path, heading, empty] of [['/training', 'Training Jobs', 'No training jobs yet'], ['/models', 'Models', 'No models yet']] as const) {
      await page.goto(path);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.getByText(empty).waitFor();
      expect(await axeViolations(page)).toEqual([]);
    }
    await context.close();
  });

  it('"Send test" delivers to the saved webhook and Slack URL and shows the receiver’s answer', async () => {
    const [hook, refusing] = await Promise.all([startReceiver(), startReceiver(() => ({ status: 404 }))]);
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    try {
      await page.goto('/sign-in?next=/settings');
      await page.getByLabel('API key').fill(server.adminKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
      expect(await page.getByRole('button', { name: /Send test/ }).count()).toBe(0); // nothing saved yet

      await page.getByLabel('Webhook URL', { exact: true }).fill(hook.url);
      await page.locator('form:has(#webhook-url)').getByRole('button', { name: 'Save' }).click();
      await page.getByRole('button', { name: 'Done' }).click(); // the new signing secret, shown once
      await page.getByRole('button', { name: 'Send test to the webhook' }).click();
      await page.getByText(/Test message delivered to the webhook \(HTTP 200, \d+ ms\)/).waitFor();
      expect(hook.requests).toHaveLength(1);
      expect(hook.requests[0]!.headers['x-brightrun-event']).toBe('TEST');

      await page.getByLabel('Slack incoming-webhook URL').fill(refusing.url);
      await page.locator('form:has(#slack-url)').getByRole('button', { name: 'Set' }).click();
      await page.getByRole('button', { name: 'Send test to the Slack webhook' }).click();
      await page.getByText(/The test message to the Slack webhook was not accepted: HTTP 404/).waitFor();
      expect(refusing.requests).toHaveLength(1);
      expect(await axeViolations(page)).toEqual([]);
      await screenshots(page, 'settings-send-test');
    } finally {
      await context.close();
      await Promise.all([hook.close(), refusing.close()]);
    }
  });

  it('creates a model-cache volume (size, data center, cost per month), shows where jobs are pinned, and deletes it only by name', async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/sign-in?next=/settings');
    await page.getByLabel('API key').fill(server.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    const section = page.locator('#model-cache');
    // Without a key, or with one RunPod refuses (the first test sets a made-up one), the section says so.
    await section.getByRole('alert').filter({ hasText: /No RunPod API key|RunPod could not list data centers/ }).waitFor();
    await page.getByLabel('New RunPod API key').fill(runpod.apiKey);
    await page.locator('section[aria-labelledby="runpod-title"]').getByRole('button', { name: /^(Set|Replace)$/ }).click();
    await page.getByText(`Set · ends in ${runpod.apiKey.slice(-4)}`).first().waitFor();
    await page.reload();

    await section.getByLabel('Data center').waitFor();
    expect(await section.getByLabel('Data center').locator('option').allInnerTexts()).toEqual([
      'US-KS-2 · US Kansas 2 — H100 PCIe, H100 SXM, H100 NVL, H200',
      'EU-RO-1 · EU Romania 1 — H100 PCIe, H100 SXM',
      'US-TX-3 · US Texas 3 — H200',
    ]);
    await section.getByLabel('Size (GB)').fill('5000');
    expect(await section.getByRole('button', { name: 'Create volume' }).isDisabled()).toBe(true);
    await section.getByLabel('Size (GB)').fill('300');
    await section.getByTestId('cache-price').getByText('$21.00 / month').waitFor();
    await section.getByLabel('Data center').selectOption('EU-RO-1');
    await section.getByRole('button', { name: 'Create volume' }).click();

    await section.getByTestId('cache-cost').getByText('$21.00 / month').waitFor();
    expect(await section.getByTestId('cache-pin').innerText()).toBe('RunPod jobs run in EU-RO-1, which offers H100 PCIe, H100 SXM. A GPU type not offered there cannot start.');
    expect(runpod.volumes()).toMatchObject([{ size: 300, dataCenter: 'EU-RO-1' }]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'settings-model-cache', { fullPage: true });

    await section.getByRole('button', { name: 'Delete volume…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete model-cache volume' });
    const name = runpod.volumes()[0]!.name;
    expect(await dialog.getByRole('button', { name: 'Delete' }).isDisabled()).toBe(true);
    await dialog.getByLabel(/Type the volume's name/).fill(name);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await section.getByRole('button', { name: 'Create volume' }).waitFor();
    expect(runpod.volumes()).toEqual([]);
    await context.close();
  });
});
