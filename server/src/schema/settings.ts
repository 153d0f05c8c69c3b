import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import type { StoredSecretHint, WorkspaceSettingsView } from '../settings/service.js';
import { ConfirmationMismatchError, ErrorInterface, NotFoundError, ResourceInUseError, ValidationError } from './errors.js';
import { ProviderRequestError, type ModelCacheVolumeView } from '../settings/model-cache.js';
import type { RunPodDataCenter } from '../training/providers/runpod/index.js';
import { NETWORK_VOLUME_MAX_GB, NETWORK_VOLUME_MIN_GB, NETWORK_VOLUME_PRICE_SOURCE, networkVolumeMonthlyUsd, networkVolumeUsdPerGbMonth } from '../training/estimate/network-volume.js';
import { AvailabilityEnum, CloudTypeEnum, PresetEnum } from './training.js';
import type { PresetKey } from '../training/presets/index.js';

const SecretHintRef = builder.objectRef<StoredSecretHint>('SecretHint').implement({
  description: 'A stored secret as the API shows it: whether it is set and its last 4 characters, never the value.',
  fields: (t) => ({
    isSet: t.exposeBoolean('isSet'),
    lastFour: t.exposeString('lastFour', { nullable: true, description: 'Null when not set, or when the secret is too short to show any of it.' }),
    problem: t.exposeString('problem', { nullable: true, description: 'Set when the stored value cannot be decrypted (the server secret changed): set it again.' }),
  }),
});

builder.objectType(ProviderRequestError, {
  name: 'ProviderRequestError',
  description: 'RunPod refused or failed a call made for you (e.g. creating a network volume); `message` quotes it and says what to do.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    providerStatus: t.exposeInt('providerStatus', { nullable: true, description: "RunPod's HTTP status, when it answered." }),
    retryable: t.exposeBoolean('retryable', { description: 'Whether the same call may succeed later.' }),
  }),
});


const DataCenterGpuRef = builder.objectRef<RunPodDataCenter['gpuAvailability'][number]>('DataCenterGpu').implement({
  fields: (t) => ({
    gpuTypeId: t.exposeString('id', { description: 'The RunPod GPU type id, e.g. "NVIDIA H100 PCIe".' }),
    name: t.exposeString('name'),
    availability: t.field({ type: AvailabilityEnum, resolve: (g) => g.availability }),
  }),
});

const DataCenterRef = builder.objectRef<RunPodDataCenter>('RunPodDataCenter').implement({
  description: 'A RunPod data center that can hold a network volume, as RunPod lists it (GET /v2/catalog/datacenters).',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'e.g. "US-KS-2".' }),
    name: t.exposeString('name'),
    region: t.exposeString('region', { description: 'RunPod\'s region name, e.g. "NORTH_AMERICA".' }),
    volumeTypes: t.exposeStringList('networkVolumeTypes', { description: 'Network volume tiers offered there (STANDARD, HIGH_PERFORMANCE).' }),
    gpus: t.field({ type: [DataCenterGpuRef], description: 'The GPU types offered there and their stock now. A job pinned here (by the model-cache volume) can use only these.', resolve: (dc) => dc.gpuAvailability }),
  }),
});

export const ModelCacheVolumeRef = builder.objectRef<ModelCacheVolumeView>('ModelCacheVolume').implement({
  description:
    "The workspace's RunPod network volume used as the model cache: every RunPod pod of the workspace mounts it where HF_HOME points, so base weights are downloaded once for all pods (replacement pods included). It pins those pods to its data center, and RunPod bills it per GB-month until it is deleted.",
  fields: (t) => ({
    volumeId: t.exposeString('volumeId', { description: "RunPod's network volume id." }),
    name: t.exposeString('name', { description: 'Type it as confirmName to delete the volume.' }),
    sizeGb: t.exposeInt('sizeGb'),
    dataCenterId: t.exposeString('dataCenterId', { description: 'Where the volume lives: RunPod jobs of this workspace run only here.' }),
    mountPath: t.exposeString('mountPath', { description: 'HF_HOME inside the pods (the Hugging Face cache on the volume).' }),
    usdPerGbMonth: t.exposeFloat('usdPerGbMonth', { description: 'The storage rate used for estimates and spend.' }),
    monthlyCostUsd: t.exposeFloat('monthlyCostUsd', { description: 'sizeGb × usdPerGbMonth: what keeping the volume costs per month (730 h), used or not.' }),
    priceNote: t.exposeString('priceSource', { description: "Where the rate comes from (RunPod's published price; its API quotes none)." }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const WorkspaceSettingsRef = builder.objectRef<WorkspaceSettingsView>('WorkspaceSettings').implement({
  description: "The workspace's provider key, launch defaults, budget and notification targets.",
  fields: (t) => ({
    runpodApiKey: t.field({ type: SecretHintRef, description: 'Write-only: used to launch pods on RunPod; encrypted at rest.', resolve: (s) => s.runpodApiKey }),
    huggingFaceToken: t.field({
      type: SecretHintRef,
      description: 'Write-only: a Hugging Face access token, passed to pods as HF_TOKEN so gated base models (Llama 3) can be downloaded; encrypted at rest, never returned or logged.',
      resolve: (s) => s.huggingFaceToken,
    }),
    defaultPreset: t.field({ type: PresetEnum, resolve: (s) => s.defaultPreset as PresetKey }),
    defaultGpuType: t.exposeString('defaultGpuType', { description: 'A RunPod GPU type id, e.g. "NVIDIA H100 PCIe".' }),
    defaultCloudType: t.field({ type: CloudTypeEnum, resolve: (s) => s.defaultCloudType }),
    monthlyBudgetUsd: t.exposeFloat('monthlyBudgetUsd', { nullable: true, description: 'Null: no budget.' }),
    slackWebhookUrl: t.field({
      type: SecretHintRef,
      description: 'The Slack incoming-webhook URL is itself a credential (whoever has it can post): encrypted at rest, and only its last 4 characters are shown.',
      resolve: (s) => s.slackWebhookUrl,
    }),
    webhookUrl: t.exposeString('webhookUrl', { nullable: true, description: 'Where signed JSON notifications are POSTed.' }),
    webhookSecret: t.field({ type: SecretHintRef, description: 'Signs webhook requests (X-BrightRun-Signature); shown in full only when generated.', resolve: (s) => s.webhookSecret }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    modelCacheVolume: t.field({
      type: ModelCacheVolumeRef,
      nullable: true,
      description: 'The RunPod network volume used as the model cache; null when the workspace has none (pods then cache weights on their own volume disk).',
      resolve: (s, _args, ctx) => ctx.services.modelCache.current(s.workspaceId),
    }),
  }),
});

builder.queryField('workspaceSettings', (t) =>
  t.field({
    type: WorkspaceSettingsRef,
    description: 'Needs the admin scope.',
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) => ctx.services.settings.get(workspaceOf(ctx)),
  }),
);

const UpdateWorkspaceSettingsInput = builder.inputType('UpdateWorkspaceSettingsInput', {
  description: 'Leave a field out to keep its value; null clears it where that makes sense.',
  fields: (t) => ({
    runpodApiKey: t.string({ description: 'Your RunPod API key (RunPod → Settings → API Keys); null removes it.' }),
    huggingFaceToken: t.string({ description: 'A Hugging Face access token ("hf_…", huggingface.co → Settings → Access Tokens; "Read" is enough) for gated base models; accept the model\'s license on its Hugging Face page first. Null removes it.' }),
    defaultPreset: t.field({ type: PresetEnum }),
    defaultGpuType: t.string({ description: '"NVIDIA H100 PCIe", "NVIDIA H100 80GB HBM3", "NVIDIA H100 NVL" or "NVIDIA H200".' }),
    defaultCloudType: t.field({ type: CloudTypeEnum }),
    monthlyBudgetUsd: t.float({ description: 'US dollars, ≥ 0; null removes the budget.' }),
    slackWebhookUrl: t.string({
      description: 'A Slack incoming-webhook URL (https://hooks.slack.com/…); null removes it. Servers started outside production also accept http://127.0.0.1 and http://localhost targets.',
      bounds: { maxLength: 2048 },
    }),
    webhookUrl: t.string({ description: 'An https:// URL that receives signed JSON notifications; null removes it and its signing secret.', bounds: { maxLength: 2048 } }),
    webhookSecret: t.string({ description: 'Your own signing secret (16–256 visible ASCII characters). Left out, one is generated when the webhook URL is first set.', bounds: { maxLength: 256 } }),
    rotateWebhookSecret: t.boolean({ description: 'Replace the signing secret with a new generated one (returned once).' }),
  }),
});

const UpdatedWorkspaceSettingsRef = builder.objectRef<{ settings: WorkspaceSettingsView; webhookSecret: string | null }>('UpdateWorkspaceSettingsSuccess').implement({
  fields: (t) => ({
    settings: t.field({ type: WorkspaceSettingsRef, resolve: (r) => r.settings }),
    webhookSecret: t.exposeString('webhookSecret', {
      nullable: true,
      description: 'The signing secret generated by this call (first webhook URL, or rotateWebhookSecret). Store it now: it is never shown again.',
    }),
  }),
});

builder.mutationField('updateWorkspaceSettings', (t) =>
  t.field({
    type: UpdatedWorkspaceSettingsRef,
    description: 'Needs the admin scope. Every invalid field is reported at once, and then nothing changes.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpdateWorkspaceSettingsInput, required: true }) },
    errors: { types: [ValidationError], directResult: true },
    resolve: async (_root, { input }, ctx) => {
      const result = await ctx.services.settings.update(workspaceOf(ctx), input);
      if (!result.ok) throw new ValidationError(result.problems);
      return { settings: result.settings, webhookSecret: result.generatedWebhookSecret };
    },
  }),
);

builder.queryField('modelCacheDataCenters', (t) =>
  t.field({
    type: [DataCenterRef],
    description: "RunPod's data centers that can hold a network volume, with the GPU types each offers (asked with the workspace's RunPod key). Needs the admin scope.",
    authScopes: { admin: true },
    errors: { types: [ProviderRequestError], dataField: { name: 'dataCenters' } },
    resolve: (_root, _args, ctx) => ctx.services.modelCache.dataCenters(workspaceOf(ctx)),
  }),
);

const CreateModelCacheVolumeInput = builder.inputType('CreateModelCacheVolumeInput', {
  fields: (t) => ({
    sizeGb: t.int({
      required: true,
      description: `GB, ${NETWORK_VOLUME_MIN_GB}–${NETWORK_VOLUME_MAX_GB} (RunPod's bounds). Size it for the base models you train: their BF16 weights (Llama 3 70B ≈ 140 GB, 8B ≈ 16 GB).`,
      bounds: { min: NETWORK_VOLUME_MIN_GB, max: NETWORK_VOLUME_MAX_GB },
    }),
    dataCenterId: t.string({ required: true, description: 'One of modelCacheDataCenters, e.g. "US-KS-2". RunPod jobs of the workspace will run only there.', bounds: { maxLength: 50 } }),
  }),
});

builder.mutationField('createModelCacheVolume', (t) =>
  t.field({
    type: ModelCacheVolumeRef,
    description:
      "Creates the workspace's model-cache network volume at RunPod (POST /v2/network-volumes, with the workspace's RunPod key). From then on its RunPod pods mount it at HF_HOME and run in its data center; RunPod bills it per GB-month until deleteModelCacheVolume. Needs the admin scope.",
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateModelCacheVolumeInput, required: true }) },
    errors: { types: [ValidationError, ProviderRequestError], dataField: { name: 'modelCacheVolume' } },
    resolve: (_root, { input }, ctx) => ctx.services.modelCache.create(workspaceOf(ctx), { sizeGb: input.sizeGb, dataCenterId: input.dataCenterId }),
  }),
);

const DeleteModelCacheVolumeInput = builder.inputType('DeleteModelCacheVolumeInput', {
  fields: (t) => ({
    confirmName: t.string({ required: true, description: "The volume's name (modelCacheVolume.name), typed exactly: the cached weights are lost.", bounds: { maxLength: 200 } }),
  }),
});

builder.mutationField('deleteModelCacheVolume', (t) =>
  t.field({
    type: ModelCacheVolumeRef,
    description:
      "Deletes the model-cache volume at RunPod (its cached weights are lost; its storage billing stops) and unpins the workspace's jobs. Refused while a RunPod job of the workspace is unfinished. Needs the admin scope and the volume's name typed as confirmName.",
    authScopes: { admin: true },
    args: { input: t.arg({ type: DeleteModelCacheVolumeInput, required: true }) },
    errors: { types: [NotFoundError, ConfirmationMismatchError, ResourceInUseError, ProviderRequestError, ValidationError], dataField: { name: 'modelCacheVolume' } },
    resolve: (_root, { input }, ctx) => ctx.services.modelCache.delete(workspaceOf(ctx), { confirmName: input.confirmName }),
  }),
);

const ModelCachePriceRef = builder.objectRef<{ sizeGb: number; usdPerGbMonth: number; monthlyCostUsd: number; priceNote: string }>('ModelCacheVolumePrice').implement({
  description: 'What a model-cache volume of a given size would cost to keep, before creating it.',
  fields: (t) => ({
    sizeGb: t.exposeInt('sizeGb'),
    usdPerGbMonth: t.exposeFloat('usdPerGbMonth'),
    monthlyCostUsd: t.exposeFloat('monthlyCostUsd', { description: 'sizeGb × usdPerGbMonth, per month (730 h), used or not.' }),
    priceNote: t.exposeString('priceNote', { description: 'Where the rate comes from.' }),
  }),
});

builder.queryField('modelCacheVolumePrice', (t) =>
  t.field({
    type: ModelCachePriceRef,
    description: "The storage cost of a model-cache volume of `sizeGb` (RunPod's published network-volume rate), for the settings form.",
    authScopes: { read: true },
    args: { sizeGb: t.arg.int({ required: true, bounds: { min: NETWORK_VOLUME_MIN_GB, max: NETWORK_VOLUME_MAX_GB }, description: `GB, ${NETWORK_VOLUME_MIN_GB}–${NETWORK_VOLUME_MAX_GB}.` }) },
    resolve: (_root, { sizeGb }) => {
      const usdPerGbMonth = networkVolumeUsdPerGbMonth(sizeGb);
      return { sizeGb, usdPerGbMonth, monthlyCostUsd: networkVolumeMonthlyUsd(sizeGb, usdPerGbMonth), priceNote: NETWORK_VOLUME_PRICE_SOURCE };
    },
  }),
);
