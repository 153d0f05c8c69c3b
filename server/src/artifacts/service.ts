import type { ArtifactStatus, ModelArtifact, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { ConfirmationMismatchError, NotFoundError } from '../errors.js';
import { keyset, pageOf, type PageRequest, type PageResult, type SortKey, type SortValue } from '../db/keyset.js';
import type { Storage } from '../storage/storage.js';

export const DOWNLOAD_LIFETIME_SECONDS = 3600;

export interface ArtifactFilter {
  datasetId?: string | null;
  status?: ArtifactStatus[] | null;
  /** Exact base model id, e.g. "tiny-llama". */
  baseModel?: string | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
  /** Case-insensitive match on the artifact's name or its dataset's name. */
  search?: string | null;
  /** Simulated (demo) artifacts only (true) or real ones only (false). */
  isSimulated?: boolean | null;
}

export type ArtifactOrderField = 'CREATED_AT' | 'NAME' | 'EVAL_LOSS' | 'QUALITY' | 'VERSION';

const SORT_FIELDS: Record<ArtifactOrderField, { field: keyof ModelArtifact; nullable?: boolean }> = {
  CREATED_AT: { field: 'createdAt' },
  NAME: { field: 'name' },
  EVAL_LOSS: { field: 'evalLoss', nullable: true },
  QUALITY: { field: 'qualityRating', nullable: true },
  VERSION: { field: 'version' },
};

/** Trained adapters: list, read, promote through their statuses, delete. */
export class ArtifactService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly storage: Storage,
  ) {}

  find(workspaceId: string, id: string): Promise<ModelArtifact | null> {
    return this.prisma.modelArtifact.findFirst({ where: { id, workspaceId, deletedAt: null } });
  }

  private where(workspaceId: string, filter: ArtifactFilter): Prisma.ModelArtifactWhereInput {
    const created: Prisma.DateTimeFilter = {};
    if (filter.createdAfter) created.gte = filter.createdAfter;
    if (filter.createdBefore) created.lte = filter.createdBefore;
    const search = filter.search?.trim();
    return {
      workspaceId,
      deletedAt: null,
      ...(filter.datasetId ? { datasetId: filter.datasetId } : {}),
      ...(filter.status?.length ? { status: { in: filter.status } } : {}),
      ...(filter.baseModel ? { baseModel: filter.baseModel } : {}),
      ...(filter.isSimulated != null ? { isSimulated: filter.isSimulated } : {}),
      ...(Object.keys(created).length ? { createdAt: created } : {}),
      ...(search ? { OR: [{ name: { contains: search, mode: 'insensitive' } }, { dataset: { name: { contains: search, mode: 'insensitive' } } }] } : {}),
    };
  }

  /** The keyset sort for an order field (nullable losses and ratings come last). */
  sortKey(field: ArtifactOrderField = 'CREATED_AT', direction: 'ASC' | 'DESC' = 'DESC'): SortKey {
    const sort = SORT_FIELDS[field];
    return { field: sort.field, direction: direction === 'ASC' ? 'asc' : 'desc', nullable: sort.nullable };
  }

  /** The sort value and id of a row: its position in a list sorted by `sort`. */
  position(artifact: ModelArtifact, sort: SortKey): [SortValue, string] {
    return [artifact[sort.field as keyof ModelArtifact] as SortValue, artifact.id];
  }

  /** Newest first unless `sort` says otherwise. */
  async list(workspaceId: string, filter: ArtifactFilter, page: PageRequest, sort: SortKey = this.sortKey()): Promise<PageResult<ModelArtifact>> {
    const { orderBy, where, take } = keyset(sort, page);
    const rows = await this.prisma.modelArtifact.findMany({
      where: { AND: [this.where(workspaceId, filter), ...(where ? [where as Prisma.ModelArtifactWhereInput] : [])] },
      orderBy: orderBy as Prisma.ModelArtifactOrderByWithRelationInput[],
      take,
    });
    return pageOf(rows, page);
  }

  /** The base models the workspace's artifacts were trained on (for filter choices), alphabetical. */
  async baseModels(workspaceId: string): Promise<string[]> {
    const rows = await this.prisma.modelArtifact.findMany({ where: { workspaceId, deletedAt: null }, distinct: ['baseModel'], select: { baseModel: true }, orderBy: { baseModel: 'asc' } });
    return rows.map((r) => r.baseModel);
  }

  count(workspaceId: string, filter: ArtifactFilter): Promise<number> {
    return this.prisma.modelArtifact.count({ where: this.where(workspaceId, filter) });
  }

  async setStatus(workspaceId: string, id: string, status: ArtifactStatus): Promise<ModelArtifact> {
    const artifact = await this.find(workspaceId, id);
    if (!artifact) throw new NotFoundError('model artifact', id);
    if (artifact.status === status) return artifact;
    return this.prisma.modelArtifact.update({ where: { id }, data: { status } });
  }

  /** Deletes the adapter's files and hides the row (its job keeps its history). The name must be typed to confirm. */
  async delete(workspaceId: string, id: string, confirmName: string): Promise<ModelArtifact> {
    const artifact = await this.find(workspaceId, id);
    if (!artifact) throw new NotFoundError('model artifact', id);
    if (confirmName.trim() !== artifact.name) throw new ConfirmationMismatchError('model artifact', artifact.name);
    // The row is hidden first: if removing the files fails half-way, nothing points at them.
    const deleted = await this.prisma.modelArtifact.update({ where: { id }, data: { deletedAt: new Date() } });
    await this.storage.deletePrefix(artifact.storagePrefix);
    return deleted;
  }

  downloadUrl(artifact: ModelArtifact, fileName: string): Promise<string> {
    return this.storage.signedDownloadUrl(`${artifact.storagePrefix}/${fileName}`, { expiresInSeconds: DOWNLOAD_LIFETIME_SECONDS, downloadName: fileName });
  }
}
