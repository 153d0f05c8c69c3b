import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import type { ModelArtifact } from '../generated/prisma/client.js';
import { DatasetRef } from './dataset-ref.js';
import { ConfirmationMismatchError, NotFoundError, ValidationError } from './errors.js';
import { connectionType, pageLimitsText, pageRequest, toConnection } from './pagination.js';
import { nodeInterface } from './node.js';
import { OrderDirectionEnum } from './datasets.js';
import { assessQuality, MIN_IMPROVEMENT, PERPLEXITY_BANDS, type QualityAssessment } from '../training/trainer-api/quality.js';

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

const QualityBasisEnum = builder.enumType('QualityBasis', {
  values: {
    EVAL_LOSS: { description: 'The held-out (validation) loss.' },
    TRAIN_LOSS: { description: 'The final training loss: the job had no validation split.' },
  } as const,
});

const PerplexityBandRef = builder.objectRef<{ rating: number; maxPerplexity: number | null }>('PerplexityBand').implement({
  description: 'One step of the rating scale: perplexities up to maxPerplexity rate `rating`.',
  fields: (t) => ({
    rating: t.exposeInt('rating'),
    maxPerplexity: t.exposeFloat('maxPerplexity', { nullable: true, description: 'Null for the last band (anything higher).' }),
  }),
});

const ArtifactQualityRef = builder.objectRef<QualityAssessment & { isSimulated: boolean }>('ArtifactQuality').implement({
  description: 'How the 1–5 rating was derived: perplexity of a loss, placed on the scale, less a point when training barely improved the loss.',
  fields: (t) => ({
    rating: t.exposeInt('rating', { description: '1–5.' }),
    basis: t.field({ type: QualityBasisEnum, resolve: (q) => q.basis }),
    basisLoss: t.exposeFloat('basisLoss', { description: 'The loss the perplexity is e to the power of.' }),
    perplexity: t.exposeFloat('perplexity'),
    perplexityRating: t.exposeInt('perplexityRating', { description: 'The rating of the perplexity alone, before the improvement check.' }),
    lossImprovement: t.exposeFloat('lossImprovement', { nullable: true, description: '(initial − final) / initial training loss, 0–1; null without both losses.' }),
    minImprovement: t.float({ description: 'Below this improvement share the rating drops a point.', resolve: () => MIN_IMPROVEMENT }),
    improvementPenalty: t.exposeBoolean('improvementPenalty', { description: 'A point was taken off for too little improvement.' }),
    scale: t.field({ type: [PerplexityBandRef], description: 'The whole scale, best first.', resolve: () => [...PERPLEXITY_BANDS] }),
    explanation: t.exposeString('explanation', { description: 'The derivation in words.' }),
    isSimulated: t.exposeBoolean('isSimulated', { description: 'Rates synthetic losses of a demo artifact: says nothing about a real model.' }),
  }),
});

export const ArtifactRef = builder.objectRef<ModelArtifact>('ModelArtifact');

ArtifactRef.implement({
  description: 'A trained LoRA adapter (PEFT format) with its lineage: dataset → configuration → job → files.',
  interfaces: [nodeInterface],
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name', { description: '{Dataset}-{Preset}-{YYYY-MM-DD}.' }),
    version: t.exposeInt('version', { description: '1, 2, … per dataset; simulated (demo) artifacts count their own sequence.' }),
    isSimulated: t.exposeBoolean('isSimulated', { description: 'Made by the demo provider: synthetic weights and losses, not a trained adapter.' }),
    status: t.field({ type: ArtifactStatusEnum, resolve: (a) => a.status }),
    baseModel: t.exposeString('baseModel'),
    dataset: t.field({ type: DatasetRef, resolve: async (a, _x, ctx) => (await ctx.loaders.dataset.load(a.datasetId))! }),
    files: t.field({ type: [ArtifactFileRef], resolve: (a) => (a.files as unknown as Omit<ArtifactFile, 'artifact'>[]).map((f) => ({ ...f, artifact: a })) }),
    initialLoss: t.exposeFloat('initialLoss', { nullable: true }),
    finalLoss: t.exposeFloat('finalLoss', { nullable: true }),
    evalLoss: t.exposeFloat('evalLoss', { nullable: true }),
    perplexity: t.exposeFloat('perplexity', { nullable: true }),
    qualityRating: t.exposeInt('qualityRating', { nullable: true, description: '1–5 from held-out perplexity and loss improvement (server/src/training/trainer-api/quality.ts). For a simulated artifact it rates synthetic losses: see qualityRatingLabel.' }),
    qualityRatingLabel: t.string({
      nullable: true,
      description: 'The rating in words, e.g. "4 of 5", or "4 of 5 (simulated: synthetic losses)" for a demo artifact; null without a rating.',
      resolve: (a) => (a.qualityRating == null ? null : `${a.qualityRating} of 5${a.isSimulated ? ' (simulated: synthetic losses)' : ''}`),
    }),
    quality: t.field({
      type: ArtifactQualityRef,
      nullable: true,
      description: 'How qualityRating was derived (server/src/training/trainer-api/quality.ts); null without a loss.',
      resolve: (a) => {
        const q = assessQuality({ initialLoss: a.initialLoss, finalLoss: a.finalLoss, evalLoss: a.evalLoss });
        return q ? { ...q, isSimulated: a.isSimulated } : null;
      },
    }),
    summary: t.field({ type: 'JSON', nullable: true, description: "The trainer's run summary (steps, runtime, tokens/s, examples).", resolve: (a) => a.summary }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const ArtifactFilterInput = builder.inputType('ModelArtifactFilter', {
  fields: (t) => ({
    datasetId: t.id({ bounds: { idOf: 'ds' } }),
    status: t.field({ type: [ArtifactStatusEnum], description: 'Any of these statuses.' }),
    baseModel: t.string({ description: 'The base model id exactly, e.g. "meta-llama/Meta-Llama-3-8B-Instruct" (see modelArtifactBaseModels).' }),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
    search: t.string({ description: "Case-insensitive match on the artifact's name or its dataset's name (at most 200 characters)." }),
    isSimulated: t.boolean({ description: 'true: demo artifacts only; false: trained ones only.' }),
  }),
});
const ArtifactOrderFieldEnum = builder.enumType('ModelArtifactOrderField', {
  values: {
    CREATED_AT: {},
    NAME: {},
    EVAL_LOSS: { description: 'Held-out loss; artifacts without one come last.' },
    QUALITY: { description: 'The 1–5 rating; artifacts without one come last.' },
    VERSION: { description: 'The per-dataset version number.' },
  } as const,
});
const ArtifactOrderInput = builder.inputType('ModelArtifactOrder', {
  fields: (t) => ({
    field: t.field({ type: ArtifactOrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, defaultValue: 'DESC' }),
  }),
});
const ArtifactConnection = connectionType(ArtifactRef, 'ModelArtifact');
const ARTIFACT_PAGES = { defaultSize: 25, maxSize: 100 };

builder.queryField('modelArtifacts', (t) =>
  t.connection(
    {
      type: ArtifactRef,
      description: `Trained adapters, newest first unless orderBy says otherwise. ${pageLimitsText(ARTIFACT_PAGES)}`,
      authScopes: { read: true },
      args: { filter: t.arg({ type: ArtifactFilterInput }), orderBy: t.arg({ type: ArtifactOrderInput }) },
      resolve: async (_root, args, ctx) => {
        const page = pageRequest(args, ARTIFACT_PAGES);
        const f = args.filter ?? {};
        if (f.createdAfter && f.createdBefore && f.createdAfter > f.createdBefore) {
          throw new ValidationError([{ field: 'filter.createdBefore', message: 'must not be before createdAfter' }]);
        }
        const filter = {
          datasetId: f.datasetId != null ? String(f.datasetId) : null,
          status: f.status,
          baseModel: f.baseModel,
          createdAfter: f.createdAfter,
          createdBefore: f.createdBefore,
          search: f.search,
          isSimulated: f.isSimulated,
        };
        const service = ctx.services.artifacts;
        const workspaceId = workspaceOf(ctx);
        const sort = service.sortKey(args.orderBy?.field, args.orderBy?.direction ?? 'DESC');
        return toConnection(await service.list(workspaceId, filter, page, sort), page, (a) => service.position(a, sort), service.count(workspaceId, filter));
      },
    },
    ArtifactConnection,
  ),
);

builder.queryField('modelArtifactBaseModels', (t) =>
  t.stringList({
    description: "The base models the workspace's adapters were trained on, alphabetical (the choices for filter.baseModel).",
    authScopes: { read: true },
    resolve: (_root, _args, ctx) => ctx.services.artifacts.baseModels(workspaceOf(ctx)),
  }),
);

builder.queryField('modelArtifact', (t) =>
  t.field({
    type: ArtifactRef,
    nullable: true,
    description: 'Null when no artifact of this workspace has the id.',
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true, bounds: { idOf: 'art' } }) },
    resolve: (_root, { id }, ctx) => ctx.services.artifacts.find(workspaceOf(ctx), String(id)),
  }),
);

const SetStatusInput = builder.inputType('SetModelArtifactStatusInput', {
  fields: (t) => ({ id: t.id({ required: true, bounds: { idOf: 'art' } }), status: t.field({ type: ArtifactStatusEnum, required: true }) }),
});

builder.mutationField('setModelArtifactStatus', (t) =>
  t.field({
    type: ArtifactRef,
    description: 'Moves an adapter between STORED, TESTING, PRODUCTION and ARCHIVED (any order).',
    authScopes: { write: true },
    args: { input: t.arg({ type: SetStatusInput, required: true }) },
    errors: { types: [NotFoundError, ValidationError], dataField: { name: 'modelArtifact' } },
    resolve: (_root, { input }, ctx) => ctx.services.artifacts.setStatus(workspaceOf(ctx), String(input.id), input.status),
  }),
);

const DeleteArtifactInput = builder.inputType('DeleteModelArtifactInput', {
  fields: (t) => ({
    id: t.id({ required: true, bounds: { idOf: 'art' } }),
    confirmName: t.string({ required: true, description: "The artifact's name, typed exactly." }),
  }),
});

builder.mutationField('deleteModelArtifact', (t) =>
  t.field({
    type: ArtifactRef,
    description: "Deletes the adapter's files and hides it; its job keeps its history. Needs the name typed as confirmName.",
    authScopes: { write: true },
    args: { input: t.arg({ type: DeleteArtifactInput, required: true }) },
    errors: { types: [NotFoundError, ConfirmationMismatchError, ValidationError], dataField: { name: 'modelArtifact' } },
    resolve: (_root, { input }, ctx) => ctx.services.artifacts.delete(workspaceOf(ctx), String(input.id), input.confirmName),
  }),
);
