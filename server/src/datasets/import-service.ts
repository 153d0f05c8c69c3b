import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import type { Dataset, Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { Storage } from '../storage/storage.js';
import type { SqlRunner } from '../db/sql.js';
import { analyzeDataset, type ConversationRecord, type DatasetAnalysis } from './analyze.js';
import { DatasetInvalidError, DuplicateDatasetError } from './errors.js';

export const sourcePath = (workspaceId: string, datasetId: string) => `datasets/${workspaceId}/${datasetId}/source`;
export const conversationsPath = (workspaceId: string, datasetId: string) => `datasets/${workspaceId}/${datasetId}/conversations.jsonl`;

const ROW_BATCH = 500;

export type ImportOutcome = { ok: true; dataset: Dataset } | { ok: false; error: DatasetInvalidError | DuplicateDatasetError };

/**
 * The one import pipeline behind both upload paths. The raw file is already in storage; this
 * streams it once through the analyzer, writes a per-conversation index (one JSON line each, read
 * back by byte range for `Dataset.conversations`) and either marks the dataset READY or removes
 * every trace of it.
 */
export class DatasetImporter {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
    private readonly storage: Storage,
    private readonly maxBytes: number,
  ) {}

  async importStored(dataset: Dataset): Promise<ImportOutcome> {
    const { id, workspaceId } = dataset;
    await this.prisma.dataset.update({ where: { id }, data: { status: 'VALIDATING' } });
    const index = new ConversationIndexWriter(this.sql, this.storage, workspaceId, id);
    const source = await this.storage.read(dataset.storagePath);
    try {
      const result = await analyzeDataset(source, {
        fileName: dataset.fileName ?? undefined,
        maxBytes: this.maxBytes,
        onConversation: (c) => index.add(c),
      });
      source.destroy(); // the analyzer may stop early on a bad file
      await index.finish();
      if (!result.ok) {
        await this.discard(dataset);
        return { ok: false, error: new DatasetInvalidError(result.kind, result.problems, result.problemCount) };
      }
      const duplicate = await this.prisma.dataset.findFirst({
        where: { workspaceId, sha256: result.sha256, deletedAt: null, status: 'READY', id: { not: id } },
      });
      if (duplicate) {
        await this.discard(dataset);
        return { ok: false, error: new DuplicateDatasetError(duplicate) };
      }
      const ready = await this.prisma.dataset.update({ where: { id }, data: readyFields(result) });
      return { ok: true, dataset: ready };
    } catch (error) {
      source.destroy();
      await index.abort();
      await this.discard(dataset);
      throw error;
    }
  }

  /** Removes a dataset that never became READY: its objects, its index rows, its row. */
  async discard(dataset: Pick<Dataset, 'id' | 'workspaceId'>): Promise<void> {
    await this.storage.deletePrefix(`datasets/${dataset.workspaceId}/${dataset.id}`);
    await this.prisma.dataset.deleteMany({ where: { id: dataset.id, status: { not: 'READY' } } });
  }
}

function readyFields(a: DatasetAnalysis): Prisma.DatasetUpdateInput {
  const json = (value: unknown) => (value ?? undefined) as Prisma.InputJsonValue | undefined;
  return {
    status: 'READY',
    encoding: a.encoding,
    sha256: a.sha256,
    sizeBytes: BigInt(a.sizeBytes),
    vertical: a.vertical ?? null,
    conversationCount: a.conversationCount,
    trainingPairCount: a.trainingPairCount,
    trainablePairCount: a.trainablePairCount,
    averageQuality: a.qualitySummary.average ?? null,
    tokenStats: json(a.tokenStats),
    qualitySummary: json(a.qualitySummary),
    scaffolding: json(a.scaffolding),
    consultantProfile: json(a.consultantProfile),
    fileMetadata: json(a.fileMetadata),
    readiness: json(a.readiness),
    uploadExpiresAt: null,
  };
}

/** Streams conversation lines to storage and their byte offsets to DatasetConversation rows. */
class ConversationIndexWriter {
  private readonly stream = new PassThrough();
  private readonly upload: Promise<{ sizeBytes: number }>;
  private offset = 0;
  private rows: ConversationRow[] = [];

  constructor(
    private readonly sql: SqlRunner,
    storage: Storage,
    workspaceId: string,
    private readonly datasetId: string,
  ) {
    this.upload = storage.put(conversationsPath(workspaceId, datasetId), this.stream, { contentType: 'application/x-ndjson' });
    this.upload.catch(() => undefined); // surfaced by finish()
  }

  async add(c: ConversationRecord): Promise<void> {
    const line = Buffer.from(`${JSON.stringify(c)}\n`);
    this.rows.push({
      ordinal: c.ordinal,
      conversationId: c.conversationId,
      personaKey: c.personaKey ?? null,
      personaName: c.personaName ?? null,
      emotionalArcKey: c.emotionalArcKey ?? null,
      emotionalArc: c.emotionalArc ?? null,
      trainingTopicKey: c.trainingTopicKey ?? null,
      trainingTopic: c.trainingTopic ?? null,
      qualityTier: c.qualityTier ?? null,
      pairCount: c.pairCount,
      trainablePairCount: c.trainablePairCount,
      averageQuality: c.averageQuality ?? null,
      byteOffset: this.offset,
      byteLength: line.length,
    });
    this.offset += line.length;
    if (!this.stream.write(line)) await once(this.stream, 'drain');
    if (this.rows.length >= ROW_BATCH) await this.flushRows();
  }

  async finish(): Promise<void> {
    await this.flushRows();
    this.stream.end();
    await this.upload;
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await this.upload.catch(() => undefined);
  }

  /**
   * One multi-row INSERT per batch through the driver. (Prisma 7's createMany retained about
   * 8 KB of heap per row here, which a 500 MB import cannot afford.)
   */
  private async flushRows() {
    if (this.rows.length === 0) return;
    const batch = this.rows;
    this.rows = [];
    const col = <K extends keyof ConversationRow>(key: K) => batch.map((r) => r[key]);
    await this.sql.query(
      `INSERT INTO "DatasetConversation" ("datasetId", "ordinal", "conversationId", "personaKey", "personaName", "emotionalArcKey", "emotionalArc",
         "trainingTopicKey", "trainingTopic", "qualityTier", "pairCount", "trainablePairCount", "averageQuality", "byteOffset", "byteLength")
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
         $11::int[], $12::int[], $13::float8[], $14::bigint[], $15::int[])`,
      [
        this.datasetId, col('ordinal'), col('conversationId'), col('personaKey'), col('personaName'), col('emotionalArcKey'), col('emotionalArc'),
        col('trainingTopicKey'), col('trainingTopic'), col('qualityTier'), col('pairCount'), col('trainablePairCount'), col('averageQuality'),
        col('byteOffset'), col('byteLength'),
      ],
    );
  }
}

interface ConversationRow {
  ordinal: number;
  conversationId: string;
  personaKey: string | null;
  personaName: string | null;
  emotionalArcKey: string | null;
  emotionalArc: string | null;
  trainingTopicKey: string | null;
  trainingTopic: string | null;
  qualityTier: string | null;
  pairCount: number;
  trainablePairCount: number;
  averageQuality: number | null;
  byteOffset: number;
  byteLength: number;
}
