import type { Dataset, DatasetConversation, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { keyset, pageOf, type PageRequest, type PageResult, type SortKey, type SortValue } from '../db/keyset.js';
import type { DatasetOrderField } from './service.js';
import { deleteDataset } from './delete.js';
import { compareDatasets, type DatasetComparison } from './compare.js';

const SORT_FIELDS: Record<DatasetOrderField, { field: keyof Dataset; nullable?: boolean }> = {
  CREATED_AT: { field: 'createdAt' },
  NAME: { field: 'name' },
  QUALITY: { field: 'averageQuality', nullable: true },
  SIZE: { field: 'sizeBytes' },
};

/**
 * What the v1 API adds around the dataset service (datasets/service.ts owns import and storage):
 * batched and keyset-paged reads, description edits, typed-name deletion and comparison.
 */
export class DatasetLookup {
  constructor(private readonly prisma: PrismaClient) {}

  /** Live datasets by id, in one statement (deleted ones are left out). */
  byIds(ids: readonly string[]): Promise<Dataset[]> {
    return this.prisma.dataset.findMany({ where: { id: { in: [...ids] } } });
  }

  sortKey(field: DatasetOrderField = 'CREATED_AT', direction: 'ASC' | 'DESC' = 'DESC'): SortKey {
    const sort = SORT_FIELDS[field];
    return { field: sort.field, direction: direction === 'ASC' ? 'asc' : 'desc', nullable: sort.nullable };
  }

  /** The sort value and id of a row: its position in a list sorted by `sort`. */
  position(dataset: Dataset, sort: SortKey): [SortValue, string] {
    return [dataset[sort.field as keyof Dataset] as SortValue, dataset.id];
  }

  async list(where: Prisma.DatasetWhereInput, sort: SortKey, page: PageRequest): Promise<PageResult<Dataset>> {
    const query = keyset(sort, page);
    const rows = await this.prisma.dataset.findMany({ where: { AND: [where, ...(query.where ? [query.where as Prisma.DatasetWhereInput] : [])] }, orderBy: query.orderBy as Prisma.DatasetOrderByWithRelationInput[], take: query.take });
    return pageOf(rows, page);
  }

  count(where: Prisma.DatasetWhereInput): Promise<number> {
    return this.prisma.dataset.count({ where });
  }

  /** A page of the conversation index, in file order. */
  async conversationRows(datasetId: string, page: PageRequest): Promise<PageResult<DatasetConversation>> {
    const query = keyset({ field: 'ordinal', direction: 'asc' }, page);
    // The index is keyed by (datasetId, ordinal): ordinal alone orders and breaks ties.
    const orderBy = [{ ordinal: query.orderBy[0]!.ordinal as 'asc' | 'desc' }];
    const cursor = page.cursor ? { ordinal: { [orderBy[0]!.ordinal === 'asc' ? 'gt' : 'lt']: Number(page.cursor.value) } } : {};
    const rows = await this.prisma.datasetConversation.findMany({ where: { datasetId, ...cursor }, orderBy, take: query.take });
    return pageOf(rows, page);
  }

  describe(dataset: Dataset, description: string): Promise<Dataset> {
    return this.prisma.dataset.update({ where: { id: dataset.id }, data: { description } });
  }

  /** See delete.ts: typed-name confirmation, refused while a job trains on it. */
  delete(workspaceId: string, id: string, confirmName: string): Promise<Dataset> {
    return deleteDataset(this.prisma, workspaceId, id, confirmName);
  }

  compare(a: Dataset, b: Dataset): Promise<DatasetComparison> {
    return compareDatasets(this.prisma, a, b);
  }
}
