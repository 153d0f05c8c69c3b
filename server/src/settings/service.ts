import { randomBytes } from 'node:crypto';
import type { PrismaClient, WorkspaceSettings } from '../generated/prisma/client.js';
import { secretHint, SecretDecryptionError, type SecretBox, type SecretHint } from '../auth/secrets.js';
import { checkSettingsPatch, type FieldProblem, type SettingsPatch } from './validate.js';

/** What the API shows of a workspace's settings: secrets only as hints. */
export interface WorkspaceSettingsView {
  workspaceId: string;
  runpodApiKey: StoredSecretHint;
  /** Passed to pods as HF_TOKEN so gated base models (Llama 3) can be downloaded. */
  huggingFaceToken: StoredSecretHint;
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
  /** Why a configured Slack URL is left out (it cannot be decrypted; the settings hint says so too). */
  slackProblem?: string;
}

export interface SettingsServiceOptions {
  /** Accept http://127.0.0.1 / localhost notification targets (tests, self-hosted receivers). */
  allowLoopbackWebhooks?: boolean;
}

export const generateWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

const RUNPOD_KEY = 'runpodApiKey';
const WEBHOOK_SECRET = 'webhookSecret';
const HF_TOKEN = 'huggingFaceToken';
const SLACK_URL = 'slackWebhookUrl';

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
    if (change.huggingFaceToken !== undefined) {
      data.huggingFaceTokenEncrypted = change.huggingFaceToken === null ? null : this.secrets.encrypt(change.huggingFaceToken, `${workspaceId}:${HF_TOKEN}`);
    }
    if (change.slackWebhookUrl !== undefined) {
      // A credential like the others: stored encrypted, never in clear.
      data.slackWebhookUrlEncrypted = change.slackWebhookUrl === null ? null : this.secrets.encrypt(change.slackWebhookUrl, `${workspaceId}:${SLACK_URL}`);
      data.slackWebhookUrl = null;
    }

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

  /** The launch defaults and whether a Hugging Face token is set (for estimates and starts). */
  async launchSettings(workspaceId: string): Promise<{ defaultPreset: string; defaultGpuType: string; defaultCloudType: 'SPOT' | 'ON_DEMAND'; huggingFaceTokenSet: boolean; runpodApiKeySet: boolean }> {
    const row = await this.row(workspaceId);
    return {
      defaultPreset: row.defaultPreset, defaultGpuType: row.defaultGpuType, defaultCloudType: row.defaultCloudType,
      huggingFaceTokenSet: row.huggingFaceTokenEncrypted !== null, runpodApiKeySet: row.runpodApiKeyEncrypted !== null,
    };
  }

  /** The Hugging Face token for pods (HF_TOKEN), or null when the workspace has none. */
  async huggingFaceToken(workspaceId: string): Promise<string | null> {
    const row = await this.prisma.workspaceSettings.findUnique({ where: { workspaceId }, select: { huggingFaceTokenEncrypted: true } });
    return row?.huggingFaceTokenEncrypted ? this.secrets.decrypt(row.huggingFaceTokenEncrypted, `${workspaceId}:${HF_TOKEN}`) : null;
  }

  /**
   * The data migration behind the `slackWebhookUrlEncrypted` column: encrypts any Slack URL still
   * stored in clear (rows written before it) and clears the plaintext column. Idempotent; run at
   * start-up after the schema migrations. Returns how many rows it moved.
   */
  async encryptPlaintextSecrets(): Promise<number> {
    const rows = await this.prisma.workspaceSettings.findMany({ where: { slackWebhookUrl: { not: null } }, select: { workspaceId: true, slackWebhookUrl: true } });
    for (const row of rows) {
      await this.prisma.workspaceSettings.updateMany({
        where: { workspaceId: row.workspaceId, slackWebhookUrl: row.slackWebhookUrl },
        data: { slackWebhookUrlEncrypted: this.secrets.encrypt(row.slackWebhookUrl!, `${row.workspaceId}:${SLACK_URL}`), slackWebhookUrl: null },
      });
    }
    return rows.length;
  }

  async deliveryTargets(workspaceId: string): Promise<DeliveryTargets> {
    const row = await this.prisma.workspaceSettings.findUnique({ where: { workspaceId } });
    let slackWebhookUrl: string | null = row?.slackWebhookUrl ?? null;
    let slackProblem: string | null = null;
    if (row?.slackWebhookUrlEncrypted) {
      try {
        slackWebhookUrl = this.secrets.decrypt(row.slackWebhookUrlEncrypted, `${workspaceId}:${SLACK_URL}`);
      } catch (error) {
        if (!(error instanceof SecretDecryptionError)) throw error;
        slackProblem = error.message;
      }
    }
    const targets: DeliveryTargets = { slackWebhookUrl, webhook: null, webhookProblem: null, ...(slackProblem ? { slackProblem } : {}) };
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
      slackWebhookUrl: row.slackWebhookUrlEncrypted ? this.hint(row.slackWebhookUrlEncrypted, `${row.workspaceId}:${SLACK_URL}`) : { ...secretHint(row.slackWebhookUrl), problem: null },
      huggingFaceToken: this.hint(row.huggingFaceTokenEncrypted, `${row.workspaceId}:${HF_TOKEN}`),
      webhookUrl: row.webhookUrl,
      webhookSecret: this.hint(row.webhookSecretEncrypted, `${row.workspaceId}:${WEBHOOK_SECRET}`),
      updatedAt: row.updatedAt,
    };
  }
}
