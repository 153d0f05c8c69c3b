import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import { workspaceOf, type Context } from '../context.js';
import type { Dataset } from '../generated/prisma/client.js';
import { ConversationBudgetError, DatasetIntegrityError, DatasetInvalidError, DuplicateDatasetError, UploadStateError } from '../datasets/errors.js';
import { CONVERSATION_PAGE_BUDGET_BYTES, CONVERSATION_REQUEST_BUDGET_BYTES, DatasetService } from '../datasets/service.js';
import type { ImportOutcome } from '../datasets/import-service.js';
import { ConfirmationMismatchError, NotFoundError, ResourceInUseError, ValidationError } from './errors.js';
import { DatasetRef } from './dataset-ref.js';
import { QualitySummaryRef, ReadinessRef, ScaffoldingRef, TokenStatsRef } from './datasets-types.js';
import type { ConversationRecord, QualitySummary, Readiness, ScaffoldingSummary, TokenStats } from '../datasets/analyze.js';
import { ConversationRef } from './conversations.js';
import { connectionType, pageLimitsText, pageRequest, toConnection } from './pagination.js';
import { nodeInterface } from './node.js';

const ImportStatusEnum = builder.enumType('DatasetImportStatus', {
  description: 'Where the file import stands. Whether the dataset can train is `readiness.ready`.',
  values: {
    UPLOADING: { description: 'Waiting for the bytes of a signed upload.' },
    VALIDATING: { description: 'Being parsed and measured.' },
    IMPORTED: { description: 'Imported and measured; see `readiness` for whether it can train.' },
  } as const,
});
type ImportStatus = 'UPLOADING' | 'VALIDATING' | 'IMPORTED';
const importStatusOf = (status: Dataset['status']): ImportStatus => (status === 'READY' ? 'IMPORTED' : status);
const EncodingEnum = builder.enumType('DatasetEncoding', {
  values: { JSON: { description: 'One JSON document (training_file_metadata + conversations).' }, JSONL: { description: 'One conversation per line, optional _meta line.' } } as const,
});

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

const ConversationConnection = connectionType(ConversationRef, 'Conversation');
const CONVERSATION_PAGES = { defaultSize: 20, maxSize: 100 };
const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** Conversation bytes each request has read so far, over all its pages and aliases. */
const requestConversationBytes = new WeakMap<object, number>();

/** Integrity and budget failures of a read become GraphQL errors with their code. */
function asGraphQLError(error: unknown): unknown {
  if (error instanceof DatasetIntegrityError || error instanceof ConversationBudgetError) {
    return new GraphQLError(error.message, { extensions: { code: error.code } });
  }
  return error;
}

DatasetRef.implement({
  description: 'A conversation dataset in the brightrun-lora-v4 format.',
  interfaces: [nodeInterface],
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    format: t.exposeString('format', { description: 'The file format, "brightrun-lora-v4".' }),
    encoding: t.field({ type: EncodingEnum, nullable: true, description: 'Null until the import has read the file.', resolve: (d) => d.encoding }),
    importStatus: t.field({ type: ImportStatusEnum, resolve: (d) => importStatusOf(d.status) }),
    isGenerated: t.exposeBoolean('isGenerated', { description: 'Made by the demo generator, not real data.' }),
    fileName: t.exposeString('fileName', { nullable: true }),
    sizeBytes: t.field({ type: 'SafeInt', resolve: (d) => d.sizeBytes }),
    sha256: t.exposeString('sha256', { nullable: true }),
    vertical: t.exposeString('vertical', { nullable: true }),
    conversationCount: t.exposeInt('conversationCount'),
    trainingPairCount: t.exposeInt('trainingPairCount', { description: 'All pairs, trainable or not.' }),
    trainablePairCount: t.exposeInt('trainablePairCount', { description: 'Pairs with a target response.' }),
    averageQuality: t.exposeFloat('averageQuality', { nullable: true, description: '1–5.' }),
    tokenStats: t.field({ type: TokenStatsRef, nullable: true, resolve: (d) => d.tokenStats as TokenStats | null }),
    qualitySummary: t.field({ type: QualitySummaryRef, nullable: true, resolve: (d) => d.qualitySummary as QualitySummary | null }),
    scaffolding: t.field({ type: ScaffoldingRef, nullable: true, resolve: (d) => d.scaffolding as ScaffoldingSummary | null }),
    consultantProfile: t.field({ type: ConsultantProfileRef, nullable: true, resolve: (d) => d.consultantProfile as Record<string, unknown> | null }),
    metadata: t.field({ type: 'JSON', nullable: true, description: "The file's own metadata block (training_file_metadata, or the JSONL _meta line), as a preview.", resolve: (d) => d.fileMetadata }),
    readiness: t.field({ type: ReadinessRef, nullable: true, description: 'Whether it can train, check by check. Null until the import finished.', resolve: (d) => d.readiness as Readiness | null }),
    downloadUrl: t.string({
      nullable: true,
      description:
        'A signed link to the original file, valid 15 minutes; null until imported. The stored file is checked against `sha256` and `sizeBytes` first: ' +
        'if it changed, this is an error with code DATASET_INTEGRITY, never a link to other bytes.',
      resolve: async (d, _args, ctx) => {
        if (d.status !== 'READY') return null;
        try {
          return await ctx.services.datasets.downloadUrl(d);
        } catch (error) {
          throw asGraphQLError(error);
        }
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    conversations: t.connection(
      {
        type: ConversationRef,
        description:
          `Conversations in file order, each with its scaffolding and pairs. ${pageLimitsText(CONVERSATION_PAGES)} ` +
          `Pages are also bounded in bytes: a page stops early once it holds ${MB(CONVERSATION_PAGE_BUDGET_BYTES)} of conversations ` +
          '(at least one conversation; pageInfo.hasNextPage/endCursor say where to continue, so fewer edges than asked for is normal), ' +
          `one request reads at most ${MB(CONVERSATION_REQUEST_BUDGET_BYTES)} over all its conversation pages (past that, a page is empty, with ` +
          'hasNextPage (hasPreviousPage backward) true and endCursor/startCursor the cursor it was given: ask for it again in another request), ' +
          'and when the server is busy reading pages a page waits, then fails with RESPONSE_BUDGET_EXCEEDED (retry). ' +
          'A conversation index that no longer matches the import fails with DATASET_INTEGRITY.',
        resolve: async (dataset, args, ctx) => {
          const page = pageRequest(args, CONVERSATION_PAGES);
          // Aliases resolve side by side: a page reserves its whole budget before reading, then
          // gives back what it did not use.
          const used = requestConversationBytes.get(ctx) ?? 0;
          const left = CONVERSATION_REQUEST_BUDGET_BYTES - used;
          if (left <= 0) {
            // The request's budget is spent: an empty page whose pageInfo points where this one
            // was asked to start, so the client continues from there in its next request.
            const empty = toConnection<ConversationRecord>({ rows: [], hasMore: true }, page, () => [0, ''], dataset.conversationCount);
            const cursor = (page.backward ? args.before : args.after) ?? null;
            return { ...empty, pageInfo: { ...empty.pageInfo, startCursor: cursor, endCursor: cursor } };
          }
          const reserved = Math.min(CONVERSATION_PAGE_BUDGET_BYTES, left);
          requestConversationBytes.set(ctx, used + reserved);
          const fetched = await ctx.services.datasetLookup.conversationRows(dataset.id, page);
          const fitted = DatasetService.fitPage(fetched.rows, page.backward, reserved);
          const taken = fitted.rows.reduce((sum, row) => sum + row.byteLength, 0);
          requestConversationBytes.set(ctx, (requestConversationBytes.get(ctx) ?? 0) - reserved + taken);
          let records;
          try {
            records = await ctx.services.datasets.conversations(dataset, fitted.rows);
          } catch (error) {
            throw asGraphQLError(error);
          }
          const positions = new Map(records.map((r, i) => [r, fitted.rows[i]!.ordinal]));
          return toConnection({ rows: records, hasMore: fetched.hasMore || fitted.cut }, page, (r) => [positions.get(r)!, String(positions.get(r))], dataset.conversationCount);
        },
      },
      ConversationConnection,
    ),
  }),
});

const DatasetOrderFieldEnum = builder.enumType('DatasetOrderField', {
  values: { CREATED_AT: {}, NAME: {}, QUALITY: { description: 'Average quality; datasets without one come last.' }, SIZE: { description: 'File size.' } } as const,
});
export const OrderDirectionEnum = builder.enumType('OrderDirection', { values: ['ASC', 'DESC'] as const });

const DatasetFilterInput = builder.inputType('DatasetFilter', {
  fields: (t) => ({
    format: t.string({ description: 'e.g. "brightrun-lora-v4".' }),
    importStatus: t.field({ type: ImportStatusEnum }),
    minQuality: t.float({ description: 'Average quality, 1–5.' }),
    maxQuality: t.float(),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
    search: t.string({ description: 'Case-insensitive match on name, description or vertical (at most 200 characters).' }),
  }),
});
const DatasetOrderInput = builder.inputType('DatasetOrder', {
  fields: (t) => ({
    field: t.field({ type: DatasetOrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, defaultValue: 'DESC' }),
  }),
});

const DatasetConnection = connectionType(DatasetRef, 'Dataset');
const DATASET_PAGES = { defaultSize: 25, maxSize: 100 };

builder.queryField('datasets', (t) =>
  t.connection(
    {
      type: DatasetRef,
      description: `The workspace's datasets, newest first unless orderBy says otherwise. ${pageLimitsText(DATASET_PAGES)}`,
      authScopes: { read: true },
      args: { filter: t.arg({ type: DatasetFilterInput }), orderBy: t.arg({ type: DatasetOrderInput }) },
      resolve: async (_root, args, ctx) => {
        const page = pageRequest(args, DATASET_PAGES);
        const filter = args.filter ?? {};
        if ((filter.search?.length ?? 0) > 200) throw new ValidationError([{ field: 'filter.search', message: 'at most 200 characters' }]);
        const status = filter.importStatus === 'IMPORTED' ? 'READY' : filter.importStatus;
        const where = ctx.services.datasets.where(workspaceOf(ctx), { ...filter, status });
        const lookup = ctx.services.datasetLookup;
        const sort = lookup.sortKey(args.orderBy?.field, args.orderBy?.direction ?? 'DESC');
        return toConnection(await lookup.list(where, sort, page), page, (d) => lookup.position(d, sort), lookup.count(where));
      },
    },
    DatasetConnection,
  ),
);

builder.queryField('dataset', (t) =>
  t.field({
    type: DatasetRef,
    nullable: true,
    description: 'Null when no dataset of this workspace has the id (also for ids of other workspaces).',
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true, bounds: { idOf: 'ds' } }) },
    resolve: (_root, { id }, ctx) => ctx.services.datasets.find(workspaceOf(ctx), String(id)),
  }),
);

export async function mustFindDataset(ctx: Context, id: string | number): Promise<Dataset> {
  const dataset = await ctx.services.datasets.find(workspaceOf(ctx), String(id));
  if (!dataset) throw new NotFoundError('dataset', String(id));
  return dataset;
}

function unwrap(outcome: ImportOutcome): Dataset {
  if (!outcome.ok) throw outcome.error;
  return outcome.dataset;
}

const importErrors = [DatasetInvalidError, DuplicateDatasetError, ValidationError];
const MAX_NAME = 200;
const MAX_DESCRIPTION = 2000;

function checkName(name: string | null | undefined, field: string) {
  if (name == null) return undefined;
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_NAME) throw new ValidationError([{ field, message: `must be 1–${MAX_NAME} characters` }]);
  return trimmed;
}
function checkDescription(description: string | null | undefined, field: string) {
  if (description != null && description.length > MAX_DESCRIPTION) throw new ValidationError([{ field, message: `at most ${MAX_DESCRIPTION} characters` }]);
  return description;
}

const UploadDatasetInput = builder.inputType('UploadDatasetInput', {
  fields: (t) => ({
    file: t.field({ type: 'Upload', required: true, description: 'The brightrun-lora-v4 file (full JSON or JSONL).' }),
    name: t.string({ description: '1–200 characters; default: the file name without its extension.' }),
    description: t.string({ description: 'At most 2,000 characters.', bounds: { maxLength: MAX_DESCRIPTION } }),
  }),
});

builder.mutationField('uploadDataset', (t) =>
  t.field({
    type: DatasetRef,
    description: 'Uploads a brightrun-lora-v4 file with the GraphQL multipart request spec (send the header graphql-require-preflight: 1). The body is streamed (the file is staged on disk, never held in memory whole) and bounded: at most 100 MiB (or BRIGHTRUN_MAX_UPLOAD_MB if lower), refused with 413 REQUEST_TOO_LARGE before or while it is read, and 429 with Retry-After while the server already receives its limit of them (256 MiB at once). Larger files go through requestDatasetUpload.',
    authScopes: { write: true },
    args: { input: t.arg({ type: UploadDatasetInput, required: true }) },
    errors: { types: importErrors, dataField: { name: 'dataset' } },
    resolve: async (_root, { input }, ctx) =>
      unwrap(await ctx.services.datasets.importFile(workspaceOf(ctx), input.file, checkName(input.name, 'input.name'), checkDescription(input.description, 'input.description'))),
  }),
);

const UploadHeaderRef = builder.objectRef<{ name: string; value: string }>('HttpHeader').implement({
  fields: (t) => ({ name: t.exposeString('name'), value: t.exposeString('value') }),
});
const HttpMethodEnum = builder.enumType('HttpMethod', { values: ['PUT', 'POST'] as const });
const SignedUploadRef = builder.objectRef<{ url: string; method: string; headers: Record<string, string>; expiresAt: Date }>('SignedUpload').implement({
  description: 'Where to send the bytes: an HTTP request of `method` to `url` with `headers` and the raw file as the body.',
  fields: (t) => ({
    url: t.exposeString('url'),
    method: t.field({ type: HttpMethodEnum, resolve: (u) => u.method.toUpperCase() as 'PUT' }),
    headers: t.field({ type: [UploadHeaderRef], resolve: (u) => Object.entries(u.headers).map(([name, value]) => ({ name, value })) }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});
const RequestDatasetUploadSuccess = builder.objectRef<{ dataset: Dataset; upload: { url: string; method: string; headers: Record<string, string>; expiresAt: Date } }>('RequestDatasetUploadSuccess').implement({
  fields: (t) => ({
    dataset: t.field({ type: DatasetRef, resolve: (r) => r.dataset }),
    upload: t.field({ type: SignedUploadRef, resolve: (r) => r.upload }),
  }),
});

const RequestDatasetUploadInput = builder.inputType('RequestDatasetUploadInput', {
  fields: (t) => ({
    fileName: t.string({ required: true, description: 'The file name, e.g. "EQ-242.jsonl" (1–200 characters).' }),
    name: t.string({ description: '1–200 characters; default: the file name without its extension.' }),
    description: t.string({ description: 'At most 2,000 characters.', bounds: { maxLength: MAX_DESCRIPTION } }),
    sizeBytes: t.field({ type: 'SafeInt', description: 'If known, checked against the size limit before any byte is sent.' }),
  }),
});

builder.mutationField('requestDatasetUpload', (t) =>
  t.field({
    type: RequestDatasetUploadSuccess,
    description: 'Large files, step 1 of 3: get a signed URL; send the file there (step 2); then call finalizeDatasetUpload (step 3).',
    authScopes: { write: true },
    args: { input: t.arg({ type: RequestDatasetUploadInput, required: true }) },
    errors: { types: [ValidationError, DatasetInvalidError], directResult: true },
    resolve: async (_root, { input }, ctx) => {
      const fileName = checkName(input.fileName, 'input.fileName')!;
      const service = ctx.services.datasets;
      if (input.sizeBytes != null && input.sizeBytes > service.maxUploadBytes) {
        throw new DatasetInvalidError('TOO_LARGE', [{ message: `the file is ${(input.sizeBytes / 1048576).toFixed(1)} MB; the limit is ${Math.round(service.maxUploadBytes / 1048576)} MB (BRIGHTRUN_MAX_UPLOAD_MB)` }], 1);
      }
      return service.requestUpload(workspaceOf(ctx), { fileName, name: checkName(input.name, 'input.name'), description: checkDescription(input.description, 'input.description'), sizeBytes: input.sizeBytes });
    },
  }),
);

const DatasetIdInput = (name: string) => builder.inputType(name, { fields: (t) => ({ id: t.id({ required: true, bounds: { idOf: 'ds' } }) }) });

builder.mutationField('finalizeDatasetUpload', (t) =>
  t.field({
    type: DatasetRef,
    description: 'Large files, step 3: import the bytes sent to the signed URL. Returns the dataset, or why it was refused (then nothing is kept).',
    authScopes: { write: true },
    args: { input: t.arg({ type: DatasetIdInput('FinalizeDatasetUploadInput'), required: true }) },
    errors: { types: [NotFoundError, UploadStateError, ...importErrors], dataField: { name: 'dataset' } },
    resolve: async (_root, { input }, ctx) => {
      const outcome = await ctx.services.datasets.finalizeUpload(workspaceOf(ctx), String(input.id));
      if (outcome === null) throw new NotFoundError('dataset', String(input.id));
      if (outcome instanceof UploadStateError) throw outcome;
      return unwrap(outcome);
    },
  }),
);

const UpdateDatasetInput = builder.inputType('UpdateDatasetInput', {
  description: 'Leave a field out to keep it.',
  fields: (t) => ({
    id: t.id({ required: true, bounds: { idOf: 'ds' } }),
    name: t.string({ description: '1–200 characters.' }),
    description: t.string({ description: 'At most 2,000 characters.', bounds: { maxLength: MAX_DESCRIPTION } }),
  }),
});

builder.mutationField('updateDataset', (t) =>
  t.field({
    type: DatasetRef,
    description: 'Renames a dataset or changes its description.',
    authScopes: { write: true },
    args: { input: t.arg({ type: UpdateDatasetInput, required: true }) },
    errors: { types: [NotFoundError, ValidationError], dataField: { name: 'dataset' } },
    resolve: async (_root, { input }, ctx) => {
      const dataset = await mustFindDataset(ctx, input.id);
      const name = checkName(input.name, 'input.name');
      checkDescription(input.description, 'input.description');
      let updated = dataset;
      if (name !== undefined) updated = await ctx.services.datasets.rename(updated, name);
      if (input.description != null) updated = await ctx.services.datasetLookup.describe(updated, input.description);
      return updated;
    },
  }),
);

const DeleteDatasetInput = builder.inputType('DeleteDatasetInput', {
  fields: (t) => ({
    id: t.id({ required: true, bounds: { idOf: 'ds' } }),
    confirmName: t.string({ required: true, description: "The dataset's name, typed exactly: a wrong id then cannot delete the wrong dataset." }),
  }),
});

builder.mutationField('deleteDataset', (t) =>
  t.field({
    type: DatasetRef,
    description: 'Hides the dataset (its files stay: jobs and models trained on it keep their lineage). Refused while a job trains on it.',
    authScopes: { write: true },
    args: { input: t.arg({ type: DeleteDatasetInput, required: true }) },
    errors: { types: [NotFoundError, ConfirmationMismatchError, ResourceInUseError, ValidationError], dataField: { name: 'dataset' } },
    resolve: (_root, { input }, ctx) => ctx.services.datasetLookup.delete(workspaceOf(ctx), String(input.id), input.confirmName),
  }),
);
