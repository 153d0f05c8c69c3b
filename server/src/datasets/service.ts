import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Dataset, DatasetConversation, Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { Storage } from '../storage/storage.js';
import type { SqlRunner } from '../db/sql.js';
import { newId } from '../ids.js';
import { DatasetImporter, conversationsPath, sourcePath, type ImportOutcome } from './import-service.js';
import { ConversationBudgetError, DatasetIntegrityError, DatasetInvalidError, UploadStateError } from './errors.js';
import type { ConversationRecord } from './analyze.js';

export const UPLOAD_URL_LIFETIME_SECONDS = 3600;
const DOWNLOAD_URL_LIFETIME_SECONDS = 900;
/** A VALIDATING dataset untouched this long belongs to an import that died with its server. */
const STALE_IMPORT_MS = 15 * 60_000;

/**
 * Conversation pages are read whole (one ranged read, then parsed), so their size is bounded
 * three ways, in bytes of the stored index (≈ the JSON of the conversations with all fields):
 * a page stops early at PAGE_BUDGET (pageInfo says to continue), one request may read at most
 * REQUEST_BUDGET over all its pages and aliases, and the whole server holds at most
 * INFLIGHT_BUDGET of them at once (a page waits for room, then is refused as busy).
 * Real conversations take ~70 kB each (the sample), so a 100-conversation page is ~7 MB.
 */
export const CONVERSATION_PAGE_BUDGET_BYTES = 2 * 1024 * 1024;
// Below the server's default response budget (8 MB, BRIGHTRUN_MAX_RESPONSE_MB), so that a request
// of pages gets the pages it can have and an error for the rest, not one refusal for all of it.
export const CONVERSATION_REQUEST_BUDGET_BYTES = 6 * 1024 * 1024;
export const CONVERSATION_INFLIGHT_BUDGET_BYTES = 48 * 1024 * 1024;
const CONVERSATION_WAIT_MS = 15_000;
/** Datasets whose stored file was hashed and found intact (keyed by size and modification time). */
const MAX_VERIFIED = 10_000;

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
  /** dataset id → `size:updatedAt` of the stored file when its sha256 last matched. */
  private readonly verified = new Map<string, string>();
  private readonly verifying = new Map<string, Promise<void>>();
  private conversationBytesInFlight = 0;
  /** Highest conversation bytes held at once (for tests and diagnostics). */
  conversationBytesPeak = 0;
  private readonly conversationWaiters: Array<() => void> = [];

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
    return this.remember(await this.importer.importStored(dataset));
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
    // Single-use: once the bytes are stored, the link cannot replace them (and locally it is
    // refused outright once the dataset stops waiting for its upload: see uploadRefusal).
    const upload = await this.storage.signedUploadUrl(dataset.storagePath, { expiresInSeconds: UPLOAD_URL_LIFETIME_SECONDS, maxBytes: this.maxUploadBytes, createOnly: true });
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
    return this.remember(await this.importer.importStored({ ...dataset, status: 'VALIDATING' }));
  }

  /**
   * For the local file routes: why a PUT through a single-use link to `path` must be refused
   * (its dataset was finalized, refused, expired or deleted), or null while it waits for bytes.
   */
  async uploadRefusal(path: string): Promise<string | null> {
    if (!path.startsWith('datasets/')) return null;
    const dataset = await this.prisma.dataset.findFirst({ where: { storagePath: path }, select: { id: true, status: true, deletedAt: true } });
    if (!dataset) return 'No dataset is waiting for this upload (it was refused, expired or removed): request a new upload URL.';
    if (dataset.status !== 'UPLOADING' || dataset.deletedAt) {
      return `Dataset ${dataset.id} is no longer waiting for an upload (it is ${dataset.deletedAt ? 'deleted' : dataset.status.toLowerCase()}): this link closed when the upload was finalized. Request a new upload URL for a new file.`;
    }
    return null;
  }

  /** After a successful import the stored file is known to match its sha256. */
  private async remember(outcome: ImportOutcome): Promise<ImportOutcome> {
    if (!outcome.ok) return outcome;
    const info = await this.storage.stat(outcome.dataset.storagePath);
    if (info) this.markVerified(outcome.dataset.id, stampOf(info));
    return outcome;
  }

  private markVerified(id: string, stamp: string): void {
    if (this.verified.size >= MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(id, stamp);
  }

  /**
   * Checks the stored source against the size and sha256 recorded at import; throws
   * DatasetIntegrityError if it changed. Hashes once per change of the object (size, mtime).
   */
  async verifySource(dataset: Dataset): Promise<void> {
    const info = await this.storage.stat(dataset.storagePath);
    if (!info) throw new DatasetIntegrityError(dataset.id, 'is missing from storage');
    if (dataset.sizeBytes !== null && BigInt(info.sizeBytes) !== BigInt(dataset.sizeBytes)) {
      throw new DatasetIntegrityError(dataset.id, `is ${info.sizeBytes} bytes, not the ${dataset.sizeBytes} bytes that were imported`);
    }
    const stamp = stampOf(info);
    if (this.verified.get(dataset.id) === stamp) return;
    let pending = this.verifying.get(dataset.id);
    if (!pending) {
      pending = (async () => {
        const hash = createHash('sha256');
        for await (const chunk of await this.storage.read(dataset.storagePath)) hash.update(chunk as Buffer);
        const digest = hash.digest('hex');
        if (digest !== dataset.sha256) throw new DatasetIntegrityError(dataset.id, `no longer matches the sha256 recorded at import (${dataset.sha256?.slice(0, 12)}…, now ${digest.slice(0, 12)}…)`);
        this.markVerified(dataset.id, stamp);
      })().finally(() => this.verifying.delete(dataset.id));
      this.verifying.set(dataset.id, pending);
    }
    await pending;
  }

  rename(dataset: Dataset, name: string) {
    return this.prisma.dataset.update({ where: { id: dataset.id }, data: { name } });
  }

  /** Soft delete: hidden from every query; files stay for the lineage of jobs trained on it. */
  softDelete(dataset: Dataset) {
    return this.prisma.dataset.update({ where: { id: dataset.id }, data: { deletedAt: new Date() } });
  }

  /** A signed link to the original file, once its stored bytes are checked against the import. */
  async downloadUrl(dataset: Dataset): Promise<string> {
    await this.verifySource(dataset);
    return this.storage.signedDownloadUrl(dataset.storagePath, { expiresInSeconds: DOWNLOAD_URL_LIFETIME_SECONDS, downloadName: dataset.fileName ?? `${dataset.name}.json` });
  }

  /**
   * The rows of a page that fit its byte budget and what is left of the request's: at least one
   * row (so paging always moves on), kept from the start of a forward page or from the end of a
   * backward one. `cut` says rows were left for the next page.
   */
  static fitPage<T extends { byteLength: number }>(rows: T[], backward: boolean, requestLeft: number): { rows: T[]; cut: boolean } {
    const budget = Math.min(CONVERSATION_PAGE_BUDGET_BYTES, requestLeft);
    const ordered = backward ? [...rows].reverse() : rows;
    const kept: T[] = [];
    let bytes = 0;
    for (const row of ordered) {
      if (kept.length > 0 && bytes + row.byteLength > budget) break;
      kept.push(row);
      bytes += row.byteLength;
    }
    return { rows: backward ? kept.reverse() : kept, cut: kept.length < rows.length };
  }

  private async acquireConversationBytes(bytes: number): Promise<void> {
    const deadline = Date.now() + CONVERSATION_WAIT_MS;
    // One page larger than the whole budget (a single huge conversation) waits for an empty server.
    while (this.conversationBytesInFlight > 0 && this.conversationBytesInFlight + bytes > CONVERSATION_INFLIGHT_BUDGET_BYTES) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new ConversationBudgetError(
          `The server is already reading ${(this.conversationBytesInFlight / 1e6).toFixed(1)} MB of conversation pages (its limit is ${(CONVERSATION_INFLIGHT_BUDGET_BYTES / 1e6).toFixed(0)} MB); retry in a few seconds or ask for smaller pages.`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.conversationWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.conversationBytesInFlight += bytes;
    this.conversationBytesPeak = Math.max(this.conversationBytesPeak, this.conversationBytesInFlight);
  }

  private releaseConversationBytes(bytes: number): void {
    this.conversationBytesInFlight -= bytes;
    for (const wake of this.conversationWaiters.splice(0)) wake();
  }

  /**
   * Reads a page of conversations with one ranged read over the index file, within the server's
   * in-flight budget, and checks each record against its index row (a changed index is refused).
   */
  async conversations(dataset: Dataset, rows: DatasetConversation[]): Promise<ConversationRecord[]> {
    if (rows.length === 0) return [];
    const first = rows[0]!;
    const last = rows[rows.length - 1]!;
    const start = Number(first.byteOffset);
    const end = Number(last.byteOffset) + last.byteLength - 1;
    const length = end - start + 1;
    await this.acquireConversationBytes(length);
    try {
      const chunks: Buffer[] = [];
      let read = 0;
      for await (const chunk of await this.storage.read(conversationsPath(dataset.workspaceId, dataset.id), { start, end })) {
        read += (chunk as Buffer).length;
        if (read > length) break;
        chunks.push(chunk as Buffer);
      }
      if (read !== length) throw new DatasetIntegrityError(dataset.id, `conversation index returned ${read} bytes where ${length} were indexed`);
      const text = Buffer.concat(chunks);
      return rows.map((row) => {
        const from = Number(row.byteOffset) - start;
        let record: ConversationRecord;
        try {
          record = JSON.parse(text.subarray(from, from + row.byteLength).toString('utf8')) as ConversationRecord;
        } catch {
          throw new DatasetIntegrityError(dataset.id, `conversation index is unreadable at conversation ${row.ordinal}`);
        }
        if (record.conversationId !== row.conversationId || record.ordinal !== row.ordinal) {
          throw new DatasetIntegrityError(dataset.id, `conversation index holds ${record.conversationId} where conversation ${row.ordinal} (${row.conversationId}) was indexed`);
        }
        return record;
      });
    } finally {
      this.releaseConversationBytes(length);
    }
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

function stampOf(info: { sizeBytes: number; updatedAt?: Date }): string {
  return `${info.sizeBytes}:${info.updatedAt?.getTime() ?? 'unknown'}`;
}
