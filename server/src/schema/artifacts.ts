import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import type { ModelArtifact } from '../generated/prisma/client.js';
import { DatasetRef } from './dataset-ref.js';
import { ConfirmationMismatchError, NotFoundError } from './errors.js';
import { connectionType, pageLimitsText, pageRequest, toConnection } from './pagination.js';
import { nodeInterface } from './node.js';

const ArtifactStatusEnum = builder.enumType('ArtifactStatus', {
  values: {
    STORED: { description: 'Trained and stored (the starting status).' },
    TESTING: { description: 'Being evaluated.' },
    PRODUCTION: { description: 'In use.' },
    ARCHIVED: { description: 'Kept, but no longer in use.' },
  } as const,
});

interface ArtifactFile { name: string; sizeBytes: number; sha256: string; artifact: ModelArtifact }
const ArtifactFileRef = builder.objectRef<ArtifactFile>('ArtifactFile').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    sizeBytes: t.field({ type: 'SafeInt', resolve: (f) => f.sizeBytes }),
    sha256: t.exposeString('sha256'),
    downloadUrl: t.string({ description: 'A signed link valid for an hour.', resolve: (f, _a, ctx) => ctx.services.artifacts.downloadUrl(f.artifact, f.name) }),
  }),
});

export const ArtifactRef = builder.objectRef<ModelArtifact>('ModelArtifact');

ArtifactRef.implement({
  description: 'A trained LoRA adapter (PEFT format) with its lineage: dataset → configuration → job → files.',
  interfaces: [nodeInterface],
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name', { description: '{Dataset}-{Preset}-{YYYY-MM-DD}.' }),
    version: t.exposeInt('version', { description: '1, 2, … per dataset.' }),
    status: t.field({ type: ArtifactStatusEnum, resolve: (a) => a.status }),
    baseModel: t.exposeString('baseModel'),
    dataset: t.field({ type: DatasetRef, resolve: async (a, _x, ctx) => (await ctx.loaders.dataset.load(a.datasetId))! }),
    files: t.field({ type: [ArtifactFileRef], resolve: (a) => (a.files as unknown as Omit<ArtifactFile, 'artifact'>[]).map((f) => ({ ...f, artifact: a })) }),
    initialLoss: t.exposeFloat('initialLoss', { nullable: true }),
    finalLoss: t.exposeFloat('finalLoss', { nullable: true }),
    evalLoss: t.exposeFloat('evalLoss', { nullable: true }),
    perplexity: t.exposeFloat('perplexity', { nullable: true }),
    qualityRating: t.exposeInt('qualityRating', { nullable: true, description: '1–5 from held-out perplexity and loss improvement (server/src/training/trainer-api/quality.ts).' }),
    summary: t.field({ type: 'JSON', nullable: true, description: "The trainer's run summary (steps, runtime, tokens/s, examples).", resolve: (a) => a.summary }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const ArtifactFilterInput = builder.inputType('ModelArtifactFilter', {
  fields: (t) => ({ datasetId: t.id(), status: t.field({ type: [ArtifactStatusEnum], description: 'Any of these statuses.' }) }),
});
const ArtifactConnection = connectionType(ArtifactRef, 'ModelArtifact');
const ARTIFACT_PAGES = { defaultSize: 25, maxSize: 100 };

builder.queryField('modelArtifacts', (t) =>
  t.connection(
    {
      type: ArtifactRef,
      description: `Trained adapters, newest first. ${pageLimitsText(ARTIFACT_PAGES)}`,
      authScopes: { read: true },
      args: { filter: t.arg({ type: ArtifactFilterInput }) },
      resolve: async (_root, args, ctx) => {
        const page = pageRequest(args, ARTIFACT_PAGES);
        const filter = { datasetId: args.filter?.datasetId != null ? String(args.filter.datasetId) : null, status: args.filter?.status };
        const service = ctx.services.artifacts;
        const workspaceId = workspaceOf(ctx);
        return toConnection(await service.list(workspaceId, filter, page), page, (a) => [a.createdAt, a.id], service.count(workspaceId, filter));
      },
    },
    ArtifactConnection,
  ),
);

builder.queryField('modelArtifact', (t) =>
  t.field({
    type: ArtifactRef,
    nullable: true,
    description: 'Null when no artifact of this workspace has the id.',
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.artifacts.find(workspaceOf(ctx), String(id)),
  }),
);

const SetStatusInput = builder.inputType('SetModelArtifactStatusInput', {
  fields: (t) => ({ id: t.id({ required: true }), status: t.field({ type: ArtifactStatusEnum, required: true }) }),
});

builder.mutationField('setModelArtifactStatus', (t) =>
  t.field({
    type: ArtifactRef,
    description: 'Moves an adapter between STORED, TESTING, PRODUCTION and ARCHIVED (any order).',
    authScopes: { write: true },
    args: { input: t.arg({ type: SetStatusInput, required: true }) },
    errors: { types: [NotFoundError], dataField: { name: 'modelArtifact' } },
    resolve: (_root, { input }, ctx) => ctx.services.artifacts.setStatus(workspaceOf(ctx), String(input.id), input.status),
  }),
);

const DeleteArtifactInput = builder.inputType('DeleteModelArtifactInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    confirmName: t.string({ required: true, description: "The artifact's name, typed exactly." }),
  }),
});

builder.mutationField('deleteModelArtifact', (t) =>
  t.field({
    type: ArtifactRef,
    description: "Deletes the adapter's files and hides it; its job keeps its history. Needs the name typed as confirmName.",
    authScopes: { write: true },
    args: { input: t.arg({ type: DeleteArtifactInput, required: true }) },
    errors: { types: [NotFoundError, ConfirmationMismatchError], dataField: { name: 'modelArtifact' } },
    resolve: (_root, { input }, ctx) => ctx.services.artifacts.delete(workspaceOf(ctx), String(input.id), input.confirmName),
  }),
);
