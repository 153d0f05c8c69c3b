import type { ArtifactStatus, ModelArtifact, PrismaClient } from '../generated/prisma/client.js';
import { ConfirmationMismatchError, NotFoundError } from '../errors.js';
import { keyset, pageOf, type PageRequest, type PageResult } from '../db/keyset.js';
import type { Storage } from '../storage/storage.js';

export const DOWNLOAD_LIFETIME_SECONDS = 3600;

export interface ArtifactFilter {
  datasetId?: string | null;
  status?: ArtifactStatus[] | null;
}

/** Trained adapters: list, read, promote through their statuses, delete. */
export class ArtifactService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly storage: Storage,
  ) {}

  find(workspaceId: string, id: string): Promise<ModelArtifact | null> {
    return this.prisma.modelArtifact.findFirst({ where: { id, workspaceId, deletedAt: null } });
  }

  private where(workspaceId: string, filter: ArtifactFilter) {
    return { workspaceId, deletedAt: null, ...(filter.datasetId ? { datasetId: filter.datasetId } : {}), ...(filter.status?.length ? { status: { in: filter.status } } : {}) };
  }

  /** Newest first. */
  async list(workspaceId: string, filter: ArtifactFilter, page: PageRequest): Promise<PageResult<ModelArtifact>> {
    const { orderBy, where, take } = keyset({ field: 'createdAt', direction: 'desc' }, page);
    return pageOf(await this.prisma.modelArtifact.findMany({ where: { AND: [this.where(workspaceId, filter), ...(where ? [where] : [])] }, orderBy, take }), page);
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
