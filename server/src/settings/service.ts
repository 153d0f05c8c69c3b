import { randomBytes } from 'node:crypto';
import type { PrismaClient, WorkspaceSettings } from '../generated/prisma/client.js';
import { secretHint, SecretDecryptionError, type SecretBox, type SecretHint } from '../auth/secrets.js';
import { checkSettingsPatch, type FieldProblem, type SettingsPatch } from './validate.js';

/** What the API shows of a workspace's settings: secrets only as hints. */
export interface WorkspaceSettingsView {
  workspaceId: string;
  runpodApiKey: StoredSecretHint;
  defaultPreset: string;
  defaultGpuType: string;
  defaultCloudType: 'SPOT' | 'ON_DEMAND';
  monthlyBudgetUsd: number | null;
  /** The Slack URL is itself a credential (whoever holds it can post to the channel). */
  slackWebhookUrl: StoredSecretHint;
  webhookUrl: string | null;
  webhookSecret: StoredSecretHint;
  updatedAt: Date;
}

export interface StoredSecretHint extends SecretHint {
  /** Set when the stored value cannot be decrypted (the server secret changed): set it again. */
  problem: string | null;
}

export type SettingsUpdate =
  | { ok: true; settings: WorkspaceSettingsView; /** Generated now; shown this once. */ generatedWebhookSecret: string | null }
  | { ok: false; problems: FieldProblem[] };

/** Where a workspace's notifications go besides the in-app list. */
export interface DeliveryTargets {
  slackWebhookUrl: string | null;
  webhook: { url: string; secret: string } | null;
  /** Why a configured webhook is left out (its signing secret cannot be decrypted): nothing goes unsigned. */
  webhookProblem: string | null;
}

export interface SettingsServiceOptions {
  /** Accept http://127.0.0.1 / localhost notification targets (tests, self-hosted receivers). */
  allowLoopbackWebhooks?: boolean;
}

export const generateWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

const RUNPOD_KEY = 'runpodApiKey';
const WEBHOOK_SECRET = 'webhookSecret';

export class SettingsService {
  private readonly allowLoopback: boolean;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly secrets: SecretBox,
    options: SettingsServiceOptions = {},
  ) {
    this.allowLoopback = options.allowLoopbackWebhooks ?? false;
  }

  async get(workspaceId: string): Promise<WorkspaceSettingsView> {
    return this.view(await this.row(workspaceId));
  }

  async update(workspaceId: string, patch: SettingsPatch): Promise<SettingsUpdate> {
    const checked = checkSettingsPatch(patch, { allowLoopback: this.allowLoopback });
    if (!checked.ok) return checked;
    const change = checked.patch;
    const current = await this.row(workspaceId);
    const data: Partial<Omit<WorkspaceSettings, 'monthlyBudgetUsd'>> & { monthlyBudgetUsd?: number | null } = {};
    if (change.runpodApiKey !== undefined) {
      data.runpodApiKeyEncrypted = change.runpodApiKey === null ? null : this.secrets.encrypt(change.runpodApiKey, `${workspaceId}:${RUNPOD_KEY}`);
    }
    if (change.defaultPreset !== undefined) data.defaultPreset = change.defaultPreset;
    if (change.defaultGpuType !== undefined) data.defaultGpuType = change.defaultGpuType;
    if (change.defaultCloudType !== undefined) data.defaultCloudType = change.defaultCloudType;
    if (change.monthlyBudgetUsd !== undefined) data.monthlyBudgetUsd = change.monthlyBudgetUsd;
    if (change.slackWebhookUrl !== undefined) data.slackWebhookUrl = change.slackWebhookUrl;

    let generatedWebhookSecret: string | null = null;
    const webhookUrl = change.webhookUrl === undefined ? current.webhookUrl : change.webhookUrl;
    if (change.webhookUrl !== undefined) data.webhookUrl = change.webhookUrl;
    if (webhookUrl === null) {
      if (change.webhookSecret !== undefined || change.rotateWebhookSecret) {
        return { ok: false, problems: [{ field: 'input.webhookSecret', message: 'set webhookUrl first: a signing secret needs a webhook to sign for' }] };
      }
      data.webhookSecretEncrypted = null;
    } else {
      let secret = change.webhookSecret;
      if (secret === undefined && (change.rotateWebhookSecret || !current.webhookSecretEncrypted)) secret = generatedWebhookSecret = generateWebhookSecret();
      if (secret !== undefined) data.webhookSecretEncrypted = this.secrets.encrypt(secret, `${workspaceId}:${WEBHOOK_SECRET}`);
    }

    const row = await this.prisma.workspaceSettings.update({ where: { workspaceId }, data });
    return { ok: true, settings: this.view(row), generatedWebhookSecret };
  }

  /** The RunPod key for launching pods, or null when the workspace has none. */
  async runpodApiKey(workspaceId: string): Promise<string | null> {
    const row = await this.prisma.workspaceSettings.findUnique({ where: { workspaceId }, select: { runpodApiKeyEncrypted: true } });
    return row?.runpodApiKeyEncrypted ? this.secrets.decrypt(row.runpodApiKeyEncrypted, `${workspaceId}:${RUNPOD_KEY}`) : null;
  }

  async deliveryTargets(workspaceId: string): Promise<DeliveryTargets> {
    const row = await this.prisma.workspaceSettings.findUnique({ where: { workspaceId } });
    const targets: DeliveryTargets = { slackWebhookUrl: row?.slackWebhookUrl ?? null, webhook: null, webhookProblem: null };
    if (!row?.webhookUrl || !row.webhookSecretEncrypted) return targets;
    try {
      targets.webhook = { url: row.webhookUrl, secret: this.secrets.decrypt(row.webhookSecretEncrypted, `${workspaceId}:${WEBHOOK_SECRET}`) };
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      targets.webhookProblem = error.message;
    }
    return targets;
  }

  private async row(workspaceId: string): Promise<WorkspaceSettings> {
    // Workspaces made by createWorkspace have a row; any other gets the defaults on first use.
    return this.prisma.workspaceSettings.upsert({ where: { workspaceId }, create: { workspaceId }, update: {} });
  }

  private hint(stored: string | null, context: string): StoredSecretHint {
    if (!stored) return { ...secretHint(null), problem: null };
    try {
      return { ...secretHint(this.secrets.decrypt(stored, context)), problem: null };
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      return { isSet: true, lastFour: null, problem: 'it cannot be decrypted with this server secret (BRIGHTRUN_SECRET changed?); set it again' };
    }
  }

  private view(row: WorkspaceSettings): WorkspaceSettingsView {
    return {
      workspaceId: row.workspaceId,
      runpodApiKey: this.hint(row.runpodApiKeyEncrypted, `${row.workspaceId}:${RUNPOD_KEY}`),
      defaultPreset: row.defaultPreset,
      defaultGpuType: row.defaultGpuType,
      defaultCloudType: row.defaultCloudType,
      monthlyBudgetUsd: row.monthlyBudgetUsd === null ? null : row.monthlyBudgetUsd.toNumber(),
      slackWebhookUrl: { ...secretHint(row.slackWebhookUrl), problem: null },
      webhookUrl: row.webhookUrl,
      webhookSecret: this.hint(row.webhookSecretEncrypted, `${row.workspaceId}:${WEBHOOK_SECRET}`),
      updatedAt: row.updatedAt,
    };
  }
}
