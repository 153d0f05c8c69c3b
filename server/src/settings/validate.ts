import { CLOUD_TYPES, GPU_TYPE_IDS, PRESET_KEYS, type CloudType } from '../training/presets/index.js';
import { checkWebhookUrl, type UrlRules } from './urls.js';

/**
 * A change to a workspace's settings. For every field: absent (undefined) keeps the stored value;
 * null clears it where clearing makes sense (RunPod key, budget, Slack URL, webhook URL).
 */
export interface SettingsPatch {
  runpodApiKey?: string | null;
  /** A Hugging Face access token (hf_…), for gated base models; write-only. */
  huggingFaceToken?: string | null;
  defaultPreset?: string | null;
  defaultGpuType?: string | null;
  defaultCloudType?: string | null;
  monthlyBudgetUsd?: number | null;
  slackWebhookUrl?: string | null;
  webhookUrl?: string | null;
  /** Your own signing secret; otherwise one is generated when a webhook URL is first set. */
  webhookSecret?: string | null;
  /** Replace the signing secret with a new generated one (returned once). */
  rotateWebhookSecret?: boolean | null;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** The patch after validation: trimmed, normalized, ready to store (secrets still in clear). */
export interface CheckedPatch {
  runpodApiKey?: string | null;
  huggingFaceToken?: string | null;
  defaultPreset?: string;
  defaultGpuType?: string;
  defaultCloudType?: CloudType;
  monthlyBudgetUsd?: number | null;
  slackWebhookUrl?: string | null;
  webhookUrl?: string | null;
  webhookSecret?: string;
  rotateWebhookSecret: boolean;
}

/** Largest value of the Decimal(12, 2) column. */
const MAX_BUDGET_USD = 9_999_999_999.99;
const SECRET_PATTERN = /^[\x21-\x7e]{16,256}$/;

export function checkSettingsPatch(patch: SettingsPatch, rules: UrlRules, field = (name: string) => `input.${name}`): { ok: true; patch: CheckedPatch } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const out: CheckedPatch = { rotateWebhookSecret: patch.rotateWebhookSecret === true };
  const problem = (name: string, message: string) => problems.push({ field: field(name), message });

  if (patch.runpodApiKey === null) out.runpodApiKey = null;
  else if (patch.runpodApiKey !== undefined) {
    const key = patch.runpodApiKey.trim();
    if (!/^\S{10,200}$/.test(key)) problem('runpodApiKey', 'must be 10–200 characters without spaces (RunPod → Settings → API Keys); pass null to remove the key');
    else out.runpodApiKey = key;
  }

  if (patch.huggingFaceToken === null) out.huggingFaceToken = null;
  else if (patch.huggingFaceToken !== undefined) {
    const token = patch.huggingFaceToken.trim();
    if (!/^hf_[A-Za-z0-9]{20,200}$/.test(token)) problem('huggingFaceToken', 'must be a Hugging Face access token: "hf_" followed by 20–200 letters or digits (huggingface.co → Settings → Access Tokens, "Read" is enough); pass null to remove it');
    else out.huggingFaceToken = token;
  }

  const choice = <T extends string>(name: keyof SettingsPatch, value: string | null | undefined, allowed: readonly T[]): T | undefined => {
    if (value === undefined) return undefined;
    if (value === null || !allowed.includes(value as T)) {
      problem(name, `must be one of ${allowed.map((v) => `"${v}"`).join(', ')}${value === null ? ' (it cannot be cleared)' : ` (got "${value}")`}`);
      return undefined;
    }
    return value as T;
  };
  const preset = choice('defaultPreset', patch.defaultPreset, PRESET_KEYS);
  if (preset) out.defaultPreset = preset;
  const gpu = choice('defaultGpuType', patch.defaultGpuType, GPU_TYPE_IDS);
  if (gpu) out.defaultGpuType = gpu;
  const cloud = choice('defaultCloudType', patch.defaultCloudType, CLOUD_TYPES);
  if (cloud) out.defaultCloudType = cloud;

  if (patch.monthlyBudgetUsd === null) out.monthlyBudgetUsd = null;
  else if (patch.monthlyBudgetUsd !== undefined) {
    const budget = patch.monthlyBudgetUsd;
    if (!Number.isFinite(budget) || budget < 0 || budget > MAX_BUDGET_USD) problem('monthlyBudgetUsd', `must be a number of US dollars from 0 to ${MAX_BUDGET_USD}, or null for no budget (got ${budget})`);
    else out.monthlyBudgetUsd = Math.round(budget * 100) / 100;
  }

  for (const [name, kind] of [['slackWebhookUrl', 'slack'], ['webhookUrl', 'generic']] as const) {
    const value = patch[name];
    if (value === null) out[name] = null;
    else if (value !== undefined) {
      const checked = checkWebhookUrl(value, kind, rules);
      if ('problem' in checked) problem(name, checked.problem);
      else out[name] = checked.url;
    }
  }

  if (patch.webhookSecret != null) {
    if (out.rotateWebhookSecret) problem('webhookSecret', 'give either webhookSecret or rotateWebhookSecret, not both');
    else if (!SECRET_PATTERN.test(patch.webhookSecret)) problem('webhookSecret', 'must be 16–256 visible ASCII characters without spaces; or leave it out to get a generated one');
    else out.webhookSecret = patch.webhookSecret;
  }
  if (patch.webhookUrl === null && (out.webhookSecret !== undefined || out.rotateWebhookSecret)) {
    problem('webhookSecret', 'cannot set a signing secret while removing the webhook URL');
  }

  return problems.length > 0 ? { ok: false, problems } : { ok: true, patch: out };
}
