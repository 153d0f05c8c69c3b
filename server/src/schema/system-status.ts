import { builder } from '../builder.js';
import { workspaceOf, type Context } from '../context.js';
import type { RateBudget } from '../http/limits/rate-limit.js';
import type { ProviderInfo } from '../training/provider-registry.js';
import { GPU_TYPES } from '../training/presets/catalog.js';
import type { RunPodProbe } from '../status/runpod-probe.js';
import { gpuStock, type GpuStock, type PinnedStock } from '../status/gpu-stock.js';
import { AvailabilityEnum, ProviderRef } from './training.js';

/** One request's status: the probe and the settings are read once, whichever fields are asked. */
interface StatusRoot {
  workspaceId: string;
  probe: () => Promise<RunPodProbe>;
  pinnedDataCenterId: () => Promise<string | null>;
  budget: RateBudget | null;
}

const once = <T>(load: () => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
};

const ConnectionStateEnum = builder.enumType('RunPodConnectionState', {
  description: "Whether this server can reach RunPod with the workspace's key.",
  values: {
    CONNECTED: { description: 'RunPod answered with this key.' },
    NOT_CONFIGURED: { description: 'No RunPod key (in Settings or RUNPOD_API_KEY), or this server offers no RunPod provider: `message` says which.' },
    UNREACHABLE: { description: 'RunPod did not answer (network, timeout, 5xx, rate limit): `message` has the reason; asked again within a minute.' },
    REFUSED: { description: "RunPod answered and refused the key or the request: `message` has RunPod's words and the fix." },
  } as const,
});
const KeySourceEnum = builder.enumType('RunPodKeySource', {
  values: { WORKSPACE: { description: "The workspace's own key (Settings → RunPod API key)." }, SERVER: { description: "The server's RUNPOD_API_KEY." } } as const,
});

const RunPodStatusRef = builder.objectRef<RunPodProbe>('RunPodStatus').implement({
  description: 'The RunPod connection of the caller\'s workspace, from one catalog call to RunPod (GET /v2/catalog/datacenters) cached for up to 60 s per workspace and key (15 s after a failure); a key changed in Settings is asked at once.',
  fields: (t) => ({
    state: t.field({ type: ConnectionStateEnum, resolve: (p) => p.state }),
    offered: t.exposeBoolean('offered', { description: 'Whether this server offers RunPod at all; false: NOT_CONFIGURED, and no key in Settings would change it.' }),
    message: t.exposeString('message', { nullable: true, description: 'What is wrong and how to fix it, with RunPod\'s own words when it gave some; null when CONNECTED.' }),
    keySource: t.field({ type: KeySourceEnum, nullable: true, description: 'Whose key was used; null when there is none.', resolve: (p) => p.keySource }),
    providerStatus: t.exposeInt('providerStatus', { nullable: true, description: "RunPod's HTTP status when it answered with an error." }),
    dataCenterCount: t.int({ nullable: true, description: 'Data centers RunPod listed; null unless CONNECTED.', resolve: (p) => (p.state === 'CONNECTED' ? p.dataCenters.length : null) }),
    checkedAt: t.expose('checkedAt', { type: 'DateTime', description: 'When RunPod was last asked (the cached answer\'s time).' }),
  }),
});

const PinnedStockRef = builder.objectRef<PinnedStock>('PinnedGpuStock').implement({
  description: "The data center of the workspace's model-cache volume, where every RunPod job of the workspace runs, and the GPU type's stock there.",
  fields: (t) => ({
    dataCenterId: t.exposeString('dataCenterId', { description: 'e.g. "EU-RO-1".' }),
    dataCenterName: t.exposeString('dataCenterName', { nullable: true, description: "RunPod's name for it; null when RunPod was not asked." }),
    availability: t.field({ type: AvailabilityEnum, nullable: true, description: 'Stock there (NONE: not offered there, jobs on this GPU type cannot start); null when unknown.', resolve: (p) => p.availability }),
  }),
});

const GpuStockRef = builder.objectRef<GpuStock>('GpuStockStatus').implement({
  description: "A GPU type's stock at RunPod now, from the same cached catalog call as RunPodStatus.",
  fields: (t) => ({
    gpuTypeId: t.exposeString('gpuTypeId', { description: 'The RunPod GPU type id, e.g. "NVIDIA H100 PCIe".' }),
    label: t.exposeString('label', { description: 'The catalog\'s short name, e.g. "H100 PCIe".' }),
    availability: t.field({ type: AvailabilityEnum, nullable: true, description: 'The best stock level across data centers; null when unknown (RunPod not connected).', resolve: (g) => g.availability }),
    dataCentersWithStock: t.exposeInt('dataCentersWithStock', { nullable: true, description: 'Data centers with any stock (LOW or better); null when unknown.' }),
    dataCenterCount: t.exposeInt('dataCenterCount', { nullable: true, description: 'Data centers RunPod listed; null when unknown.' }),
    pinnedDataCenter: t.field({ type: PinnedStockRef, nullable: true, description: 'Set when the workspace has a model-cache volume: jobs run only in its data center, so this is the stock that matters.', resolve: (g) => g.pinned }),
  }),
});

const ApiBudgetRef = builder.objectRef<RateBudget>('ApiRateBudget').implement({
  description: "The calling API key's request budget (a dashboard session counts as its key), as this request left it: reading it costs no extra request. The same numbers as the RateLimit-* headers.",
  fields: (t) => ({
    limit: t.exposeInt('limit', { description: 'Requests allowed per window (BRIGHTRUN_RATE_LIMIT_PER_KEY).' }),
    remaining: t.exposeInt('remaining', { description: 'Requests left in this window, this one counted.' }),
    resetInSeconds: t.int({ description: 'Seconds until the window ends and the budget is full again.', resolve: (b) => Math.max(0, Math.ceil(b.resetInMs / 1000)) }),
    windowSeconds: t.int({ description: 'The window length (BRIGHTRUN_RATE_LIMIT_WINDOW_S).', resolve: (b) => Math.round(b.windowMs / 1000) }),
  }),
});

const catalogGpus = GPU_TYPES.map((g) => ({ id: g.id, label: g.label }));
const gpuLabel = (id: string) => catalogGpus.find((g) => g.id === id) ?? { id, label: id };

const SystemStatusRef = builder.objectRef<StatusRoot>('SystemStatus').implement({
  description: "What the dashboard's status bar shows: the RunPod connection, GPU stock, the caller's API budget and the default provider. Cheap to poll: RunPod is asked at most once a minute per workspace.",
  fields: (t) => ({
    runpod: t.field({ type: RunPodStatusRef, resolve: (s) => s.probe() }),
    defaultGpu: t.field({
      type: GpuStockRef,
      description: "The workspace's default GPU type (Settings → defaults).",
      resolve: async (s, _args, ctx) => {
        const { defaultGpuType } = await ctx.services.settings.launchSettings(s.workspaceId);
        return gpuStock(gpuLabel(defaultGpuType), await s.probe(), await s.pinnedDataCenterId());
      },
    }),
    gpus: t.field({
      type: [GpuStockRef],
      description: 'Every GPU type of trainingCatalog.gpuTypes, in its order.',
      resolve: async (s) => {
        const [probe, pinned] = await Promise.all([s.probe(), s.pinnedDataCenterId()]);
        return catalogGpus.map((gpu) => gpuStock(gpu, probe, pinned));
      },
    }),
    apiBudget: t.field({ type: ApiBudgetRef, nullable: true, description: 'Null when the key is not rate-limited (BRIGHTRUN_RATE_LIMIT_PER_KEY=0) or the counter store cannot count now.', resolve: (s) => s.budget }),
    defaultProvider: t.field({
      type: ProviderRef,
      description: 'The provider a job that names none runs on, with whether it is ready for this workspace (the same entry as in trainingCatalog.providers).',
      resolve: async (s, _args, ctx) => defaultProvider(ctx, s.workspaceId),
    }),
  }),
});

async function defaultProvider(ctx: Context, workspaceId: string): Promise<ProviderInfo> {
  const list = ctx.services.providers.list(await ctx.services.settings.launchSettings(workspaceId));
  return list.find((p) => p.isDefault) ?? list[0]!;
}

builder.queryField('systemStatus', (t) =>
  t.field({
    type: SystemStatusRef,
    description: "The status bar's facts for the caller's workspace. Needs the read scope.",
    authScopes: { read: true },
    resolve: (_root, _args, ctx) => {
      const workspaceId = workspaceOf(ctx);
      return {
        workspaceId,
        probe: once(() => ctx.services.runpodStatus.probe(workspaceId)),
        pinnedDataCenterId: once(async () => (await ctx.services.modelCache.modelCacheFor(workspaceId))?.dataCenterId ?? null),
        budget: ctx.rateBudget,
      };
    },
  }),
);
