import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createWorkspace } from '../src/auth/bootstrap.js';
import { verifyWebhookSignature } from '../src/notifications/signature.js';
import { startReceiver } from './support/receiver.js';
import { BACKENDS, startTestServer, type TestServer } from './harness.js';

const SETTINGS = `{ runpodApiKey { isSet lastFour } defaultPreset defaultGpuType defaultCloudType monthlyBudgetUsd slackWebhookUrl { isSet lastFour } webhookUrl webhookSecret { isSet lastFour } }`;
const UPDATE = `mutation($input: UpdateWorkspaceSettingsInput!) { updateWorkspaceSettings(input: $input) {
  __typename ... on UpdateWorkspaceSettingsSuccess { webhookSecret settings ${SETTINGS} } ... on ValidationError { fieldErrors { field message } } } }`;
const LIST = `query($unreadOnly: Boolean, $after: String) { notifications(first: 2, after: $after, unreadOnly: $unreadOnly) {
  unreadCount totalCount pageInfo { hasNextPage endCursor } edges { node { id kind title body link jobId readAt createdAt } } } }`;

describe.each(BACKENDS)('settings and notifications (%s)', (backend) => {
  let server: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let slack: Awaited<ReturnType<typeof startReceiver>>;
  let webhookSecret: string;
  beforeAll(async () => {
    // A slow supervisor tick: the test drives its one job through the lifecycle itself.
    [server, receiver, slack] = await Promise.all([startTestServer(backend, { BRIGHTRUN_SUPERVISOR_TICK_MS: '600000' }), startReceiver(), startReceiver()]);
  });
  afterAll(async () => {
    await server?.stop();
    await Promise.all([receiver?.close(), slack?.close()]);
  });

  it('validates every field and never echoes a secret', async () => {
    const invalid = await server.gql(UPDATE, { input: { defaultGpuType: 'RTX 4090', monthlyBudgetUsd: -1, slackWebhookUrl: 'https://example.com/x', webhookUrl: 'ftp://x' } });
    expect(invalid.data?.updateWorkspaceSettings.fieldErrors.map((e: { field: string }) => e.field)).toEqual([
      'input.defaultGpuType', 'input.monthlyBudgetUsd', 'input.slackWebhookUrl', 'input.webhookUrl',
    ]);

    const runpodKey = 'rpa_INTEGRATIONKEY000000000Z9Y8';
    const updated = await server.gql(UPDATE, { input: { runpodApiKey: runpodKey, monthlyBudgetUsd: 50, webhookUrl: receiver.url, slackWebhookUrl: slack.url, defaultCloudType: 'ON_DEMAND' } });
    const data = updated.data?.updateWorkspaceSettings;
    webhookSecret = data.webhookSecret;
    expect(webhookSecret).toMatch(/^whsec_/);
    expect(data.settings).toEqual({
      runpodApiKey: { isSet: true, lastFour: 'Z9Y8' },
      defaultPreset: 'BALANCED',
      defaultGpuType: 'NVIDIA H100 PCIe',
      defaultCloudType: 'ON_DEMAND',
      monthlyBudgetUsd: 50,
      slackWebhookUrl: { isSet: true, lastFour: 'hook' },
      webhookUrl: receiver.url,
      webhookSecret: { isSet: true, lastFour: webhookSecret.slice(-4) },
    });
    expect(JSON.stringify(updated)).not.toContain(runpodKey);
    const read = await server.gql(`{ workspaceSettings ${SETTINGS} }`);
    expect(JSON.stringify(read)).not.toContain(runpodKey);
    expect(JSON.stringify(read)).not.toContain(webhookSecret);
    expect(JSON.stringify(read)).not.toContain(slack.url);
    const stored = await server.services.db.prisma.workspaceSettings.findUniqueOrThrow({ where: { workspaceId: server.bootstrap.workspaceId } });
    expect(stored.runpodApiKeyEncrypted).toMatch(/^v1:/);

    const readOnly = await server.gql(`mutation { createApiKey(input: { name: "r", scopes: [READ] }) { ... on CreateApiKeySuccess { secret } } }`);
    const denied = await server.gql(`{ workspaceSettings { defaultPreset } }`, {}, readOnly.data!.createApiKey.secret);
    expect(denied.errors?.[0]).toMatchObject({ message: expect.stringMatching(/lacks the scope/), extensions: { code: 'FORBIDDEN' } });
  });

  it('notifies on a job transition: listed in the app, signed to the webhook, posted to Slack', async () => {
    const workspaceId = server.bootstrap.workspaceId;
    await server.services.db.sql.exec(`
      INSERT INTO "Dataset" (id, "workspaceId", name, status, "storagePath", "updatedAt") VALUES ('ds_ntf', '${workspaceId}', 'EQ-242', 'READY', 'x', now());
      INSERT INTO "TrainingJob" (id, "workspaceId", "datasetId", preset, hyperparameters, "baseModel", "gpuType", "cloudType", "maxDurationHours", estimate, "totalEpochs", provider, "trainerTokenHash", "updatedAt")
      VALUES ('job_ntf', '${workspaceId}', 'ds_ntf', 'BALANCED', '{}', 'org/tiny', 'NVIDIA H100 PCIe', 'SPOT', 24, '{"cost":{"low":1,"high":2}}', 3, 'local', 'h_ntf', now());`);
    await server.services.lifecycle.apply('job_ntf', { type: 'PROVISION' }, { kind: 'provisioning', message: 'pod requested' });
    await server.services.lifecycle.apply('job_ntf', { type: 'CANCEL' }, { kind: 'cancelled', message: 'Cancelled by the user.' });
    await server.services.notifications.idle();

    const page = await server.gql(LIST, {});
    const nodes = page.data!.notifications.edges.map((e: { node: Record<string, unknown> }) => e.node);
    expect(nodes.map((n: { kind: string }) => n.kind)).toEqual(['JOB_CANCELLED', 'JOB_STARTED']);
    expect(nodes[1]).toMatchObject({ title: 'Training started: “EQ-242”', link: '/jobs/job_ntf', jobId: 'job_ntf', readAt: null });
    expect(page.data!.notifications.unreadCount).toBe(2);

    expect(receiver.requests.map((r) => r.headers['x-brightrun-event'])).toEqual(['JOB_STARTED', 'JOB_CANCELLED']);
    for (const request of receiver.requests) {
      expect(verifyWebhookSignature(webhookSecret, request.headers['x-brightrun-signature'], request.body)).toMatchObject({ valid: true });
      expect(verifyWebhookSignature('whsec_wrong-secret-000000000000', request.headers['x-brightrun-signature'], request.body).valid).toBe(false);
    }
    expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({ id: nodes[1].id, kind: 'JOB_STARTED', jobId: 'job_ntf', workspaceId, link: `${server.url}/jobs/job_ntf` });
    expect(JSON.parse(slack.requests[0]!.body).blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: expect.stringMatching(/^\*Training started: “EQ-242”\*\n/) } });
  });

  it('pages newest first and marks read by id or all', async () => {
    const workspaceId = server.bootstrap.workspaceId;
    await server.services.notifications.notify(workspaceId, { kind: 'COST_WARNING', title: 'third', body: 'b' });
    const first = await server.gql(LIST, {});
    expect(first.data!.notifications.pageInfo.hasNextPage).toBe(true);
    const second = await server.gql(LIST, { after: first.data!.notifications.pageInfo.endCursor });
    expect(second.data!.notifications.edges.map((e: { node: { kind: string } }) => e.node.kind)).toEqual(['JOB_STARTED']);
    const bad = await server.gql(LIST, { after: 'nonsense' });
    expect(bad.errors?.[0]).toMatchObject({ message: expect.stringMatching(/after is not a cursor of this list/), extensions: { code: 'BAD_USER_INPUT' } });
    expect(first.data!.notifications.totalCount).toBe(3);

    const mark = (vars: Record<string, unknown>) =>
      server.gql(`mutation($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { __typename
        ... on MarkNotificationsReadSuccess { markedCount unreadCount } ... on Error { message } } }`, { input: vars });
    const newest = first.data!.notifications.edges[0].node.id;
    expect((await mark({ ids: [newest] })).data?.markNotificationsRead).toEqual({ __typename: 'MarkNotificationsReadSuccess', markedCount: 1, unreadCount: 2 });
    expect((await mark({ ids: ['ntf_unknown'] })).data?.markNotificationsRead).toEqual({ __typename: 'NotFoundError', message: 'No notification with id "ntf_unknown" in this workspace' });
    expect((await mark({})).data?.markNotificationsRead.__typename).toBe('ValidationError');
    const unread = await server.gql(LIST, { unreadOnly: true });
    expect(unread.data!.notifications.edges.every((e: { node: { readAt: string | null } }) => e.node.readAt === null)).toBe(true);
    expect((await mark({ all: true })).data?.markNotificationsRead).toEqual({ __typename: 'MarkNotificationsReadSuccess', markedCount: 2, unreadCount: 0 });
  });

  it("streams notificationAdded to its own workspace's subscribers only", async () => {
    const other = await createWorkspace(server.services.db.prisma, 'Other team');
    const workspaces = { A: server.bootstrap.workspaceId, B: other.workspaceId };
    const clients: Client[] = [];
    const seen: Record<'A' | 'B', string[]> = { A: [], B: [] };
    const subscribe = (name: 'A' | 'B', key: string) => {
      const client = createClient({ url: `${server.url.replace('http', 'ws')}/graphql/ws`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0 });
      clients.push(client);
      client.subscribe<{ notificationAdded: { title: string; kind: string } }>(
        { query: 'subscription { notificationAdded { id kind title } }' },
        { next: (result) => seen[name].push(result.data?.notificationAdded.title ?? JSON.stringify(result.errors)), error: () => undefined, complete: () => undefined },
      );
    };
    try {
      subscribe('A', server.adminKey);
      subscribe('B', other.adminKey);
      // The socket gives no "subscribed" signal: notify each workspace until its subscriber hears it.
      const notify = (name: 'A' | 'B', title: string) => server.services.notifications.notify(workspaces[name], { kind: 'JOB_STARTED', title, body: 'b' });
      for (const name of ['A', 'B'] as const) {
        for (let i = 0; seen[name].length === 0; i++) {
          if (i > 100) throw new Error(`subscriber ${name} heard nothing`);
          await notify(name, `${name}: probe`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      await notify('B', 'B: one');
      await notify('A', 'A: one');
      await notify('B', 'B: two');
      for (let i = 0; !(seen.A.includes('A: one') && seen.B.includes('B: two')); i++) {
        if (i > 100) throw new Error(`events missing: ${JSON.stringify(seen)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(seen.A.filter((t) => t !== 'A: probe')).toEqual(['A: one']);
      expect(seen.B.filter((t) => t !== 'B: probe')).toEqual(['B: one', 'B: two']);
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });
});
