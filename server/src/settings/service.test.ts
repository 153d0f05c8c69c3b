import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/client.js';
import { SecretBox } from '../auth/secrets.js';
import { SettingsService } from './service.js';

describe('SettingsService', () => {
  let db: Database;
  let settings: SettingsService;
  const secrets = new SecretBox('settings-test-server-secret-0123456789');
  beforeAll(async () => {
    db = await openDatabase({ dataDir: '', inMemory: true });
    await db.sql.exec(`INSERT INTO "Workspace" (id, name) VALUES ('ws_a', 'a'), ('ws_b', 'b');`);
    settings = new SettingsService(db.prisma, secrets);
  });
  afterAll(() => db.close());

  it('starts from the defaults, even for a workspace without a settings row', async () => {
    expect(await settings.get('ws_a')).toMatchObject({
      runpodApiKey: { isSet: false, lastFour: null, problem: null },
      defaultPreset: 'BALANCED',
      defaultGpuType: 'NVIDIA H100 PCIe',
      defaultCloudType: 'SPOT',
      monthlyBudgetUsd: null,
      slackWebhookUrl: { isSet: false },
      webhookUrl: null,
      webhookSecret: { isSet: false },
    });
  });

  it('stores the RunPod key encrypted, shows only its last 4, and clears it with null', async () => {
    const result = await settings.update('ws_a', { runpodApiKey: '  rpa_TESTKEY0000000000WXYZ ' });
    expect(result.ok && result.settings.runpodApiKey).toEqual({ isSet: true, lastFour: 'WXYZ', problem: null });
    const row = await db.prisma.workspaceSettings.findUniqueOrThrow({ where: { workspaceId: 'ws_a' } });
    expect(row.runpodApiKeyEncrypted).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain('TESTKEY');
    expect(await settings.runpodApiKey('ws_a')).toBe('rpa_TESTKEY0000000000WXYZ');
    // Bound to its workspace: copied to another workspace's row it does not decrypt.
    await settings.get('ws_b');
    await db.prisma.workspaceSettings.update({ where: { workspaceId: 'ws_b' }, data: { runpodApiKeyEncrypted: row.runpodApiKeyEncrypted } });
    expect((await settings.get('ws_b')).runpodApiKey).toMatchObject({ isSet: true, lastFour: null, problem: expect.stringMatching(/set it again/) });
    await expect(settings.runpodApiKey('ws_b')).rejects.toThrow(/Cannot decrypt/);

    const cleared = await settings.update('ws_a', { runpodApiKey: null });
    expect(cleared.ok && cleared.settings.runpodApiKey.isSet).toBe(false);
    expect(await settings.runpodApiKey('ws_a')).toBeNull();
  });

  it('reports every invalid field at once, naming the field and the fix, and changes nothing', async () => {
    const result = await settings.update('ws_a', {
      runpodApiKey: 'short',
      defaultPreset: 'TURBO',
      defaultGpuType: 'RTX 4090',
      defaultCloudType: null,
      monthlyBudgetUsd: -5,
      slackWebhookUrl: 'https://example.com/hook',
      webhookUrl: 'http://example.com/hook',
    });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.map((p) => p.field)).toEqual([
      'input.runpodApiKey', 'input.defaultPreset', 'input.defaultGpuType', 'input.defaultCloudType', 'input.monthlyBudgetUsd', 'input.slackWebhookUrl', 'input.webhookUrl',
    ]);
    expect(problems[1]!.message).toBe('must be one of "CONSERVATIVE", "BALANCED", "AGGRESSIVE" (got "TURBO")');
    expect(problems[5]!.message).toMatch(/Slack incoming-webhook URL/);
    expect(problems[6]!.message).toMatch(/https:\/\//);
    expect((await settings.get('ws_a')).defaultPreset).toBe('BALANCED');
  });

  it('refuses loopback and private webhook targets unless loopback is allowed', async () => {
    const refuse = await settings.update('ws_a', { slackWebhookUrl: 'http://127.0.0.1:9/hook', webhookUrl: 'https://10.1.2.3/x' });
    expect(refuse.ok ? [] : refuse.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/loopback targets are disabled/),
      expect.stringMatching(/public address/),
    ]);
    const permissive = new SettingsService(db.prisma, secrets, { allowLoopbackWebhooks: true });
    const allowed = await permissive.update('ws_b', { slackWebhookUrl: 'http://127.0.0.1:9/hook', webhookUrl: 'http://localhost:9/x' });
    expect(allowed.ok).toBe(true);
  });

  it('sets defaults and budget (rounded to cents; null removes it)', async () => {
    const result = await settings.update('ws_a', { defaultPreset: 'AGGRESSIVE', defaultGpuType: 'NVIDIA H200', defaultCloudType: 'ON_DEMAND', monthlyBudgetUsd: 250.456 });
    expect(result.ok && result.settings).toMatchObject({ defaultPreset: 'AGGRESSIVE', defaultGpuType: 'NVIDIA H200', defaultCloudType: 'ON_DEMAND', monthlyBudgetUsd: 250.46 });
    const removed = await settings.update('ws_a', { monthlyBudgetUsd: null });
    expect(removed.ok && removed.settings.monthlyBudgetUsd).toBeNull();
  });

  it('generates a webhook signing secret once, keeps it, rotates on request, and drops it with the URL', async () => {
    const first = await settings.update('ws_a', { webhookUrl: 'https://example.com/hook', slackWebhookUrl: 'https://hooks.slack.com/services/T000/B000/abcdefghijkl' });
    if (!first.ok) throw new Error(JSON.stringify(first.problems));
    expect(first.generatedWebhookSecret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(first.settings.webhookSecret).toEqual({ isSet: true, lastFour: first.generatedWebhookSecret!.slice(-4), problem: null });
    expect(first.settings.slackWebhookUrl).toEqual({ isSet: true, lastFour: 'ijkl', problem: null });
    expect(JSON.stringify(first.settings)).not.toContain(first.generatedWebhookSecret);
    expect((await settings.deliveryTargets('ws_a')).webhook).toEqual({ url: 'https://example.com/hook', secret: first.generatedWebhookSecret });

    const moved = await settings.update('ws_a', { webhookUrl: 'https://example.org/other' });
    expect(moved.ok && moved.generatedWebhookSecret).toBeNull();
    expect((await settings.deliveryTargets('ws_a')).webhook?.secret).toBe(first.generatedWebhookSecret);

    const rotated = await settings.update('ws_a', { rotateWebhookSecret: true });
    expect(rotated.ok && rotated.generatedWebhookSecret).toMatch(/^whsec_/);
    expect(rotated.ok && rotated.generatedWebhookSecret).not.toBe(first.generatedWebhookSecret);

    const own = await settings.update('ws_a', { webhookSecret: 'my-own-signing-secret-1234' });
    expect(own.ok && own.generatedWebhookSecret).toBeNull();
    expect((await settings.deliveryTargets('ws_a')).webhook?.secret).toBe('my-own-signing-secret-1234');

    // A signing secret that no longer decrypts: the webhook is left out (never sent unsigned), Slack still goes.
    const stored = await db.prisma.workspaceSettings.findUniqueOrThrow({ where: { workspaceId: 'ws_a' } });
    await db.prisma.workspaceSettings.update({ where: { workspaceId: 'ws_a' }, data: { webhookSecretEncrypted: stored.webhookSecretEncrypted!.replace(/:[^:]+$/, ':AAAA') } });
    expect(await settings.deliveryTargets('ws_a')).toEqual({ slackWebhookUrl: 'https://hooks.slack.com/services/T000/B000/abcdefghijkl', webhook: null, webhookProblem: expect.stringMatching(/Cannot decrypt a stored secret/) });
    await db.prisma.workspaceSettings.update({ where: { workspaceId: 'ws_a' }, data: { webhookSecretEncrypted: stored.webhookSecretEncrypted } });

    const removed = await settings.update('ws_a', { webhookUrl: null });
    expect(removed.ok && removed.settings.webhookSecret.isSet).toBe(false);
    const orphan = await settings.update('ws_a', { webhookSecret: 'my-own-signing-secret-1234' });
    expect(orphan.ok ? null : orphan.problems[0]).toEqual({ field: 'input.webhookSecret', message: expect.stringMatching(/set webhookUrl first/) });
  });

  it('stores the Slack URL and the Hugging Face token encrypted (never in clear), and encrypts Slack URLs an earlier version stored in clear', async () => {
    const slack = 'https://hooks.slack.com/services/T111/B111/secretpart9876';
    const hf = 'hf_ABCDEFGHIJKLMNOPQRSTUVwxyz';
    const result = await settings.update('ws_b', { slackWebhookUrl: slack, huggingFaceToken: ` ${hf} ` });
    expect(result.ok && [result.settings.slackWebhookUrl, result.settings.huggingFaceToken]).toEqual([
      { isSet: true, lastFour: '9876', problem: null },
      { isSet: true, lastFour: 'wxyz', problem: null },
    ]);
    const row = await db.prisma.workspaceSettings.findUniqueOrThrow({ where: { workspaceId: 'ws_b' } });
    expect([row.slackWebhookUrl, row.slackWebhookUrlEncrypted?.slice(0, 3), row.huggingFaceTokenEncrypted?.slice(0, 3)]).toEqual([null, 'v1:', 'v1:']);
    expect(JSON.stringify(row)).not.toMatch(/secretpart|ABCDEFGH/);
    expect((await settings.deliveryTargets('ws_b')).slackWebhookUrl).toBe(slack);
    expect(await settings.huggingFaceToken('ws_b')).toBe(hf);
    const bad = await settings.update('ws_b', { huggingFaceToken: 'not-a-token' });
    expect(bad.ok ? null : bad.problems).toEqual([{ field: 'input.huggingFaceToken', message: expect.stringMatching(/^must be a Hugging Face access token/) }]);

    // A row written before encryption: the start-up migration moves it, once.
    await db.sql.exec(`UPDATE "WorkspaceSettings" SET "slackWebhookUrl" = '${slack}', "slackWebhookUrlEncrypted" = NULL WHERE "workspaceId" = 'ws_b'`);
    expect(await settings.encryptPlaintextSecrets()).toBe(1);
    expect(await settings.encryptPlaintextSecrets()).toBe(0);
    const migrated = await db.prisma.workspaceSettings.findUniqueOrThrow({ where: { workspaceId: 'ws_b' } });
    expect([migrated.slackWebhookUrl, migrated.slackWebhookUrlEncrypted?.startsWith('v1:')]).toEqual([null, true]);
    expect((await settings.deliveryTargets('ws_b')).slackWebhookUrl).toBe(slack);
    expect((await settings.get('ws_b')).slackWebhookUrl).toEqual({ isSet: true, lastFour: '9876', problem: null });

    const cleared = await settings.update('ws_b', { huggingFaceToken: null, slackWebhookUrl: null });
    expect(cleared.ok && [cleared.settings.huggingFaceToken.isSet, cleared.settings.slackWebhookUrl.isSet]).toEqual([false, false]);
    expect(await settings.huggingFaceToken('ws_b')).toBeNull();
  });
});
