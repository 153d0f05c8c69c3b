import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import type { ModelArtifact } from '../generated/prisma/client.js';
import { DatasetRef } from './dataset-ref.js';

const DOWNLOAD_LIFETIME_SECONDS = 3600;

const ArtifactStatusEnum = builder.enumType('ArtifactStatus', { values: ['STORED', 'TESTING', 'PRODUCTION', 'ARCHIVED'] as const });

interface ArtifactFile { name: string; sizeBytes: number; sha256: string; prefix: string }
const ArtifactFileRef = builder.objectRef<ArtifactFile>('ArtifactFile').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    sizeBytes: t.exposeFloat('sizeBytes'),
    sha256: t.exposeString('sha256'),
    downloadUrl: t.string({
      description: 'A signed link valid for an hour.',
      resolve: (f, _a, ctx) => ctx.services.storage.signedDownloadUrl(`${f.prefix}/${f.name}`, { expiresInSeconds: DOWNLOAD_LIFETIME_SECONDS, downloadName: f.name }),
    }),
  }),
});

export const ArtifactRef = builder.objectRef<ModelArtifact>('ModelArtifact');


ArtifactRef.implement({
  description: 'A trained LoRA adapter (PEFT format) with its lineage: dataset → configuration → job → files.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name', { description: '{Dataset}-{Preset}-{YYYY-MM-DD}.' }),
    version: t.exposeInt('version', { description: '1, 2, … per dataset.' }),
    status: t.field({ type: ArtifactStatusEnum, resolve: (a) => a.status }),
    baseModel: t.exposeString('baseModel'),
    jobId: t.exposeID('jobId'),
    dataset: t.field({ type: DatasetRef, resolve: (a, _x, ctx) => ctx.services.db.prisma.dataset.findUniqueOrThrow({ where: { id: a.datasetId } }) }),
    files: t.field({ type: [ArtifactFileRef], resolve: (a) => (a.files as unknown as Omit<ArtifactFile, 'prefix'>[]).map((f) => ({ ...f, prefix: a.storagePrefix })) }),
    initialLoss: t.exposeFloat('initialLoss', { nullable: true }),
    finalLoss: t.exposeFloat('finalLoss', { nullable: true }),
    evalLoss: t.exposeFloat('evalLoss', { nullable: true }),
    perplexity: t.exposeFloat('perplexity', { nullable: true }),
    qualityRating: t.exposeInt('qualityRating', { nullable: true, description: '1–5 from held-out perplexity and loss improvement (server/src/training/trainer-api/quality.ts).' }),
    summary: t.field({ type: 'JSON', nullable: true, description: "The trainer's run summary (steps, runtime, tokens/s, examples).", resolve: (a) => a.summary }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('modelArtifacts', (t) =>
  t.connection({
    type: ArtifactRef,
    authScopes: { read: true },
    args: { datasetId: t.arg.id() },
    resolve: (_root, args, ctx) =>
      resolveOffsetConnection({ args, defaultSize: 25, maxSize: 100 }, ({ offset, limit }) =>
        ctx.services.db.prisma.modelArtifact.findMany({
          where: { workspaceId: workspaceOf(ctx), deletedAt: null, ...(args.datasetId ? { datasetId: String(args.datasetId) } : {}) },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          skip: offset,
          take: limit,
        }),
      ),
  }),
);

builder.queryField('modelArtifact', (t) =>
  t.field({
    type: ArtifactRef,
    nullable: true,
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.db.prisma.modelArtifact.findFirst({ where: { id: String(id), workspaceId: workspaceOf(ctx), deletedAt: null } }),
  }),
);
