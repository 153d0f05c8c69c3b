import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import { workspaceOf, type Context } from '../context.js';
import type { Dataset } from '../generated/prisma/client.js';
import { DatasetInvalidError, DuplicateDatasetError, UploadStateError } from '../datasets/errors.js';
import type { ImportOutcome } from '../datasets/import-service.js';
import { NotFoundError, ValidationError } from './common.js';
import { DatasetRef } from './dataset-ref.js';
import { QualitySummaryRef, ReadinessRef, ScaffoldingRef, TokenStatsRef } from './datasets-types.js';
import type { QualitySummary, Readiness, ScaffoldingSummary, TokenStats } from '../datasets/analyze.js';
import { ConversationRef } from './conversations.js';

const DatasetStatusEnum = builder.enumType('DatasetStatus', {
  values: {
    UPLOADING: { description: 'Waiting for the bytes of a signed upload.' },
    VALIDATING: { description: 'Being parsed and measured.' },
    READY: { description: 'Imported; see `readiness` for whether it can train.' },
  } as const,
});
const EncodingEnum = builder.enumType('DatasetEncoding', { values: ['JSON', 'JSONL'] as const });

const ConsultantProfileRef = builder.objectRef<Record<string, unknown>>('ConsultantProfile').implement({
  description: "The persona the dataset's responses speak as (from the file's consultant_profile).",
  fields: (t) => ({
    name: t.string({ nullable: true, resolve: (p) => (typeof p.name === 'string' ? p.name : null) }),
    business: t.string({ nullable: true, resolve: (p) => (typeof p.business === 'string' ? p.business : null) }),
    expertise: t.string({ nullable: true, resolve: (p) => (typeof p.expertise === 'string' ? p.expertise : null) }),
    yearsExperience: t.int({ nullable: true, resolve: (p) => (typeof p.years_experience === 'number' ? p.years_experience : null) }),
    raw: t.field({ type: 'JSON', description: 'The whole profile as in the file.', resolve: (p) => p }),
  }),
});

DatasetRef.implement({
  description: 'A conversation dataset in the brightrun-lora-v4 format.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    format: t.exposeString('format'),
    encoding: t.field({ type: EncodingEnum, nullable: true, resolve: (d) => d.encoding }),
    status: t.field({ type: DatasetStatusEnum, resolve: (d) => d.status }),
    isGenerated: t.exposeBoolean('isGenerated', { description: 'Made by the demo generator, not real data.' }),
    fileName: t.exposeString('fileName', { nullable: true }),
    sizeBytes: t.float({ resolve: (d) => Number(d.sizeBytes) }),
    sha256: t.exposeString('sha256', { nullable: true }),
    vertical: t.exposeString('vertical', { nullable: true }),
    conversationCount: t.exposeInt('conversationCount'),
    trainingPairCount: t.exposeInt('trainingPairCount', { description: 'All pairs, trainable or not.' }),
    trainablePairCount: t.exposeInt('trainablePairCount', { description: 'Pairs with a target response.' }),
    averageQuality: t.exposeFloat('averageQuality', { nullable: true }),
    tokenStats: t.field({ type: TokenStatsRef, nullable: true, resolve: (d) => d.tokenStats as TokenStats | null }),
    qualitySummary: t.field({ type: QualitySummaryRef, nullable: true, resolve: (d) => d.qualitySummary as QualitySummary | null }),
    scaffolding: t.field({ type: ScaffoldingRef, nullable: true, resolve: (d) => d.scaffolding as ScaffoldingSummary | null }),
    consultantProfile: t.field({ type: ConsultantProfileRef, nullable: true, resolve: (d) => d.consultantProfile as Record<string, unknown> | null }),
    metadata: t.field({ type: 'JSON', nullable: true, description: "The file's own metadata block (training_file_metadata, or the JSONL _meta line), as a preview.", resolve: (d) => d.fileMetadata }),
    readiness: t.field({ type: ReadinessRef, nullable: true, description: 'Null until the import finished.', resolve: (d) => d.readiness as Readiness | null }),
    downloadUrl: t.string({
      nullable: true,
      description: 'A signed link to the original file, valid 15 minutes.',
      resolve: (d, _args, ctx) => (d.status === 'READY' ? ctx.services.datasets.downloadUrl(d) : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    conversations: t.connection({
      type: ConversationRef,
      description: 'Conversations in file order, each with its scaffolding and pairs.',
      resolve: async (dataset, args, ctx) => {
        const { prisma } = ctx.services.db;
        const page = await resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, async ({ offset, limit }) => {
          const rows = await prisma.datasetConversation.findMany({ where: { datasetId: dataset.id }, orderBy: { ordinal: 'asc' }, skip: offset, take: limit });
          return ctx.services.datasets.conversations(dataset, rows);
        });
        return { ...page, totalCount: dataset.conversationCount };
      },
    }, { fields: (c) => ({ totalCount: c.int({ resolve: (p) => (p as { totalCount: number }).totalCount }) }) }),
  }),
});

const DatasetOrderFieldEnum = builder.enumType('DatasetOrderField', { values: ['CREATED_AT', 'NAME', 'QUALITY', 'SIZE'] as const });
const OrderDirectionEnum = builder.enumType('OrderDirection', { values: ['ASC', 'DESC'] as const });

const DatasetFilterInput = builder.inputType('DatasetFilter', {
  fields: (t) => ({
    format: t.string({ description: 'e.g. "brightrun-lora-v4".' }),
    status: t.field({ type: DatasetStatusEnum }),
    minQuality: t.float({ description: 'Average quality, 1–5.' }),
    maxQuality: t.float(),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
    search: t.string({ description: 'Case-insensitive match on name, description or vertical.' }),
  }),
});
const DatasetOrderInput = builder.inputType('DatasetOrder', {
  fields: (t) => ({
    field: t.field({ type: DatasetOrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, defaultValue: 'DESC' }),
  }),
});

builder.queryField('datasets', (t) =>
  t.connection({
    type: DatasetRef,
    authScopes: { read: true },
    args: { filter: t.arg({ type: DatasetFilterInput }), orderBy: t.arg({ type: DatasetOrderInput }) },
    resolve: async (_root, args, ctx) => {
      const service = ctx.services.datasets;
      const where = service.where(workspaceOf(ctx), args.filter ?? {});
      const [totalCount, page] = await Promise.all([
        ctx.services.db.prisma.dataset.count({ where }),
        resolveOffsetConnection({ args, defaultSize: 25, maxSize: 100 }, ({ offset, limit }) =>
          ctx.services.db.prisma.dataset.findMany({ where, orderBy: service.orderBy(args.orderBy?.field, args.orderBy?.direction ?? 'DESC'), skip: offset, take: limit }),
        ),
      ]);
      return { ...page, totalCount };
    },
  }, { fields: (c) => ({ totalCount: c.int({ resolve: (p) => (p as { totalCount: number }).totalCount }) }) }),
);

builder.queryField('dataset', (t) =>
  t.field({
    type: DatasetRef,
    nullable: true,
    description: 'Null when no dataset of this workspace has the id (also for ids of other workspaces).',
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.datasets.find(workspaceOf(ctx), String(id)),
  }),
);

async function mustFind(ctx: Context, id: string | number): Promise<Dataset> {
  const dataset = await ctx.services.datasets.find(workspaceOf(ctx), String(id));
  if (!dataset) throw new NotFoundError('dataset', String(id));
  return dataset;
}

function unwrap(outcome: ImportOutcome): Dataset {
  if (!outcome.ok) throw outcome.error;
  return outcome.dataset;
}

const importErrors = [DatasetInvalidError, DuplicateDatasetError, ValidationError];

function checkName(name: string | null | undefined, field = 'name') {
  if (name == null) return undefined;
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200) throw new ValidationError([{ field, message: 'must be 1–200 characters' }]);
  return trimmed;
}

builder.mutationField('uploadDataset', (t) =>
  t.field({
    type: DatasetRef,
    description: 'Uploads a brightrun-lora-v4 file (full JSON or JSONL) with the GraphQL multipart request spec. For files over ~100 MB prefer requestDatasetUpload.',
    authScopes: { write: true },
    args: { file: t.arg({ type: 'Upload', required: true }), name: t.arg.string(), description: t.arg.string() },
    errors: { types: importErrors, dataField: { name: 'dataset' } },
    resolve: async (_root, args, ctx) =>
      unwrap(await ctx.services.datasets.importFile(workspaceOf(ctx), args.file, checkName(args.name), args.description)),
  }),
);

const UploadHeaderRef = builder.objectRef<{ name: string; value: string }>('HttpHeader').implement({
  fields: (t) => ({ name: t.exposeString('name'), value: t.exposeString('value') }),
});
const SignedUploadRef = builder.objectRef<{ url: string; method: string; headers: Record<string, string>; expiresAt: Date }>('SignedUpload').implement({
  description: 'Where to send the bytes: an HTTP request of `method` to `url` with `headers` and the raw file as the body.',
  fields: (t) => ({
    url: t.exposeString('url'),
    method: t.exposeString('method'),
    headers: t.field({ type: [UploadHeaderRef], resolve: (u) => Object.entries(u.headers).map(([name, value]) => ({ name, value })) }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});
const DatasetUploadRef = builder.objectRef<{ dataset: Dataset; upload: { url: string; method: string; headers: Record<string, string>; expiresAt: Date } }>('DatasetUpload').implement({
  fields: (t) => ({
    dataset: t.field({ type: DatasetRef, resolve: (r) => r.dataset }),
    upload: t.field({ type: SignedUploadRef, resolve: (r) => r.upload }),
  }),
});

const RequestDatasetUploadInput = builder.inputType('RequestDatasetUploadInput', {
  fields: (t) => ({
    fileName: t.string({ required: true, description: 'The file name, e.g. "EQ-242.jsonl".' }),
    name: t.string({ description: 'Defaults to the file name without its extension.' }),
    description: t.string(),
    sizeBytes: t.float({ description: 'If known, checked against the size limit before any byte is sent.' }),
  }),
});

builder.mutationField('requestDatasetUpload', (t) =>
  t.field({
    type: DatasetUploadRef,
    description: 'Large files, step 1 of 3: get a signed URL; PUT the file there (step 2); then call finalizeDatasetUpload (step 3).',
    authScopes: { write: true },
    args: { input: t.arg({ type: RequestDatasetUploadInput, required: true }) },
    errors: { types: [ValidationError, DatasetInvalidError] },
    resolve: async (_root, { input }, ctx) => {
      const fileName = checkName(input.fileName, 'input.fileName')!;
      const service = ctx.services.datasets;
      if (input.sizeBytes != null && input.sizeBytes > service.maxUploadBytes) {
        throw new DatasetInvalidError('TOO_LARGE', [{ message: `the file is ${(input.sizeBytes / 1048576).toFixed(1)} MB; the limit is ${Math.round(service.maxUploadBytes / 1048576)} MB (BRIGHTRUN_MAX_UPLOAD_MB)` }], 1);
      }
      return service.requestUpload(workspaceOf(ctx), { ...input, fileName, name: checkName(input.name, 'input.name') });
    },
  }),
);

builder.mutationField('finalizeDatasetUpload', (t) =>
  t.field({
    type: DatasetRef,
    description: 'Large files, step 3: import the bytes PUT to the signed URL. Returns the dataset, or why it was refused (then nothing is kept).',
    authScopes: { write: true },
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [NotFoundError, UploadStateError, ...importErrors], dataField: { name: 'dataset' } },
    resolve: async (_root, { id }, ctx) => {
      const outcome = await ctx.services.datasets.finalizeUpload(workspaceOf(ctx), String(id));
      if (outcome === null) throw new NotFoundError('dataset', String(id));
      if (outcome instanceof UploadStateError) throw outcome;
      return unwrap(outcome);
    },
  }),
);

builder.mutationField('renameDataset', (t) =>
  t.field({
    type: DatasetRef,
    authScopes: { write: true },
    args: { id: t.arg.id({ required: true }), name: t.arg.string({ required: true }) },
    errors: { types: [NotFoundError, ValidationError], dataField: { name: 'dataset' } },
    resolve: async (_root, { id, name }, ctx) => ctx.services.datasets.rename(await mustFind(ctx, id), checkName(name)!),
  }),
);

builder.mutationField('deleteDataset', (t) =>
  t.field({
    type: DatasetRef,
    description: 'Hides the dataset (soft delete). Jobs and models trained on it keep their lineage.',
    authScopes: { write: true },
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [NotFoundError], dataField: { name: 'dataset' } },
    resolve: async (_root, { id }, ctx) => ctx.services.datasets.softDelete(await mustFind(ctx, id)),
  }),
);
