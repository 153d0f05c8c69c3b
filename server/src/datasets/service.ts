import { Readable } from 'node:stream';
import type { Dataset, DatasetConversation, Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { Storage } from '../storage/storage.js';
import type { SqlRunner } from '../db/sql.js';
import { newId } from '../ids.js';
import { DatasetImporter, conversationsPath, sourcePath, type ImportOutcome } from './import-service.js';
import { DatasetInvalidError, UploadStateError } from './errors.js';
import type { ConversationRecord } from './analyze.js';

export const UPLOAD_URL_LIFETIME_SECONDS = 3600;
const DOWNLOAD_URL_LIFETIME_SECONDS = 900;
/** A VALIDATING dataset untouched this long belongs to an import that died with its server. */
const STALE_IMPORT_MS = 15 * 60_000;

export interface DatasetFilter {
  format?: string | null;
  minQuality?: number | null;
  maxQuality?: number | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
  search?: string | null;
  status?: Dataset['status'] | null;
}
export type DatasetOrderField = 'CREATED_AT' | 'NAME' | 'QUALITY' | 'SIZE';

export class DatasetService {
  readonly importer: DatasetImporter;

  constructor(
    private readonly prisma: PrismaClient,
    sql: SqlRunner,
    private readonly storage: Storage,
    readonly maxUploadBytes: number,
  ) {
    this.importer = new DatasetImporter(prisma, sql, storage, maxUploadBytes);
  }

  where(workspaceId: string, filter: DatasetFilter = {}): Prisma.DatasetWhereInput {
    const quality: Prisma.FloatNullableFilter = {};
    if (filter.minQuality != null) quality.gte = filter.minQuality;
    if (filter.maxQuality != null) quality.lte = filter.maxQuality;
    const created: Prisma.DateTimeFilter = {};
    if (filter.createdAfter) created.gte = filter.createdAfter;
    if (filter.createdBefore) created.lte = filter.createdBefore;
    const search = filter.search?.trim();
    return {
      workspaceId,
      deletedAt: null,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.format ? { format: filter.format } : {}),
      ...(Object.keys(quality).length ? { averageQuality: quality } : {}),
      ...(Object.keys(created).length ? { createdAt: created } : {}),
      ...(search
        ? { OR: [{ name: { contains: search, mode: 'insensitive' } }, { description: { contains: search, mode: 'insensitive' } }, { vertical: { contains: search, mode: 'insensitive' } }] }
        : {}),
    };
  }

  orderBy(field: DatasetOrderField = 'CREATED_AT', direction: 'ASC' | 'DESC' = 'DESC'): Prisma.DatasetOrderByWithRelationInput[] {
    const dir = direction === 'ASC' ? 'asc' : 'desc';
    const primary: Prisma.DatasetOrderByWithRelationInput =
      field === 'NAME' ? { name: dir } : field === 'QUALITY' ? { averageQuality: { sort: dir, nulls: 'last' } } : field === 'SIZE' ? { sizeBytes: dir } : { createdAt: dir };
    return [primary, { id: dir }];
  }

  find(workspaceId: string, id: string): Promise<Dataset | null> {
    return this.prisma.dataset.findFirst({ where: { id, workspaceId, deletedAt: null } });
  }

  /** Multipart path: the file is streamed to storage, then through the shared import pipeline. */
  async importFile(workspaceId: string, file: File, name?: string | null, description?: string | null): Promise<ImportOutcome> {
    if (file.size > this.maxUploadBytes) {
      const limit = Math.round(this.maxUploadBytes / 1024 / 1024);
      return {
        ok: false,
        error: new DatasetInvalidError('TOO_LARGE', [{ message: `the file is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ${limit} MB (BRIGHTRUN_MAX_UPLOAD_MB)` }], 1),
      };
    }
    return this.importStream(workspaceId, readableFromFile(file), {
      name: name ?? baseName(file.name),
      fileName: file.name,
      description,
      contentType: file.type,
    });
  }

  /** Streams bytes to storage, then through the import pipeline (uploads and demo data). */
  async importStream(
    workspaceId: string,
    body: Readable,
    input: { name: string; fileName: string; description?: string | null; contentType?: string; isGenerated?: boolean },
  ): Promise<ImportOutcome> {
    const dataset = await this.createPending(workspaceId, { ...input, status: 'VALIDATING' });
    try {
      await this.storage.put(dataset.storagePath, body, { contentType: input.contentType || 'application/octet-stream' });
    } catch (error) {
      await this.importer.discard(dataset);
      throw error;
    }
    return this.importer.importStored(dataset);
  }

  /** Signed-upload path, step 1: a dataset row waiting for its bytes, and where to PUT them. */
  async requestUpload(workspaceId: string, input: { fileName: string; name?: string | null; description?: string | null; sizeBytes?: number | null }) {
    const dataset = await this.createPending(workspaceId, {
      name: input.name ?? baseName(input.fileName),
      fileName: input.fileName,
      description: input.description,
      status: 'UPLOADING',
      uploadExpiresAt: new Date(Date.now() + UPLOAD_URL_LIFETIME_SECONDS * 1000),
    });
    const upload = await this.storage.signedUploadUrl(dataset.storagePath, { expiresInSeconds: UPLOAD_URL_LIFETIME_SECONDS, maxBytes: this.maxUploadBytes });
    return { dataset, upload };
  }

  /** Signed-upload path, step 2: the bytes are in storage; run the import. */
  async finalizeUpload(workspaceId: string, id: string): Promise<ImportOutcome | UploadStateError | null> {
    const dataset = await this.find(workspaceId, id);
    if (!dataset) return null;
    if (dataset.status !== 'UPLOADING') return new UploadStateError(`Dataset ${id} is ${dataset.status.toLowerCase()}, not waiting for an upload; request a new upload URL`);
    const info = await this.storage.stat(dataset.storagePath);
    if (!info) {
      if (dataset.uploadExpiresAt && dataset.uploadExpiresAt < new Date()) {
        await this.importer.discard(dataset);
        return new UploadStateError(`The upload URL for ${id} expired before any bytes arrived; request a new one`);
      }
      return new UploadStateError(`No bytes have arrived for ${id} yet: PUT the file to the upload URL, then finalize`);
    }
    // Claim the row so two finalize calls cannot import twice.
    const claimed = await this.prisma.dataset.updateMany({ where: { id, status: 'UPLOADING' }, data: { status: 'VALIDATING' } });
    if (claimed.count === 0) return new UploadStateError(`Dataset ${id} is already being finalized`);
    return this.importer.importStored({ ...dataset, status: 'VALIDATING' });
  }

  rename(dataset: Dataset, name: string) {
    return this.prisma.dataset.update({ where: { id: dataset.id }, data: { name } });
  }

  /** Soft delete: hidden from every query; files stay for the lineage of jobs trained on it. */
  softDelete(dataset: Dataset) {
    return this.prisma.dataset.update({ where: { id: dataset.id }, data: { deletedAt: new Date() } });
  }

  downloadUrl(dataset: Dataset): Promise<string> {
    return this.storage.signedDownloadUrl(dataset.storagePath, { expiresInSeconds: DOWNLOAD_URL_LIFETIME_SECONDS, downloadName: dataset.fileName ?? `${dataset.name}.json` });
  }

  /** Reads a page of conversations with one ranged read over the index file. */
  async conversations(dataset: Dataset, rows: DatasetConversation[]): Promise<ConversationRecord[]> {
    if (rows.length === 0) return [];
    const first = rows[0]!;
    const last = rows[rows.length - 1]!;
    const start = Number(first.byteOffset);
    const end = Number(last.byteOffset) + last.byteLength - 1;
    const chunks: Buffer[] = [];
    for await (const chunk of await this.storage.read(conversationsPath(dataset.workspaceId, dataset.id), { start, end })) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks);
    return rows.map((row) => {
      const from = Number(row.byteOffset) - start;
      return JSON.parse(text.subarray(from, from + row.byteLength).toString('utf8')) as ConversationRecord;
    });
  }

  /** Start-up sweep: expired signed uploads and imports orphaned by a crash leave nothing behind. */
  async sweepAbandoned(): Promise<number> {
    const now = Date.now();
    const abandoned = await this.prisma.dataset.findMany({
      where: {
        OR: [
          { status: 'UPLOADING', uploadExpiresAt: { lt: new Date(now) } },
          { status: 'VALIDATING', updatedAt: { lt: new Date(now - STALE_IMPORT_MS) } },
        ],
      },
      select: { id: true, workspaceId: true },
    });
    for (const dataset of abandoned) await this.importer.discard(dataset);
    return abandoned.length;
  }

  private createPending(
    workspaceId: string,
    input: { name: string; fileName: string; description?: string | null; status: 'UPLOADING' | 'VALIDATING'; uploadExpiresAt?: Date; isGenerated?: boolean },
  ) {
    const id = newId('ds');
    return this.prisma.dataset.create({
      data: {
        id,
        workspaceId,
        name: input.name,
        fileName: input.fileName,
        description: input.description ?? null,
        status: input.status,
        storagePath: sourcePath(workspaceId, id),
        uploadExpiresAt: input.uploadExpiresAt ?? null,
        isGenerated: input.isGenerated ?? false,
      },
    });
  }
}

/**
 * A Node stream over an uploaded File. Yoga's File is a whatwg-node ponyfill whose stream() is
 * not a native ReadableStream (Readable.fromWeb refuses it), so read it through its reader.
 */
function readableFromFile(file: File): Readable {
  const reader = file.stream().getReader();
  return Readable.from(
    (async function* () {
      try {
        while (true) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value;
        }
      } finally {
        reader.releaseLock();
      }
    })(),
  );
}

function baseName(fileName: string): string {
  return fileName.replace(/\.(jsonl?|json)$/i, '').trim() || 'Untitled dataset';
}
