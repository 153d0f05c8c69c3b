/**
 * Keyset (cursor) pagination over Prisma: a page is "the rows after this (sort value, id)", so
 * pages do not shift when rows are added (a job starting does not push a page's rows onward).
 * The id breaks ties, so every position is unique.
 */
export type SortValue = string | number | bigint | Date | null;

export interface SortKey {
  /** The Prisma field sorted on; `id` is the tie-breaker. */
  field: string;
  direction: 'asc' | 'desc';
  /** Nullable columns sort their nulls last (in the forward direction). */
  nullable?: boolean;
}

export interface PageRequest {
  /** Rows wanted (the service reads one more to know whether there are more). */
  size: number;
  /** Position to read after (forward) or before (backward); null: from the start (or end). */
  cursor: { value: SortValue; id: string } | null;
  /** True for `last`/`before`: read towards the start. */
  backward: boolean;
}

export interface PageResult<T> {
  rows: T[];
  hasMore: boolean;
}

const flip = (d: 'asc' | 'desc') => (d === 'asc' ? 'desc' : 'asc');

/** The `orderBy` and the `where` clause that together read one page. */
export function keyset(sort: SortKey, page: PageRequest): { orderBy: Record<string, unknown>[]; where: Record<string, unknown> | undefined; take: number } {
  const direction = page.backward ? flip(sort.direction) : sort.direction;
  // Forward: nulls last; read backward, the same order reversed puts them first.
  const nulls = sort.nullable ? (page.backward ? 'first' : 'last') : undefined;
  const orderBy = [{ [sort.field]: nulls ? { sort: direction, nulls } : direction }, ...(sort.field === 'id' ? [] : [{ id: direction }])];
  const take = page.size + 1;
  if (!page.cursor) return { orderBy, where: undefined, take };
  const op = direction === 'asc' ? 'gt' : 'lt';
  const { value, id } = page.cursor;
  if (sort.field === 'id') return { orderBy, where: { id: { [op]: id } }, take };
  const after: Record<string, unknown>[] = [];
  if (value === null) {
    after.push({ [sort.field]: null, id: { [op]: id } });
    if (nulls === 'first') after.push({ [sort.field]: { not: null } });
  } else {
    after.push({ [sort.field]: { [op]: value } }, { [sort.field]: value, id: { [op]: id } });
    if (nulls === 'last') after.push({ [sort.field]: null });
  }
  return { orderBy, where: { OR: after }, take };
}

/** Trims the extra row and puts a backward page back in list order. */
export function pageOf<T>(rows: T[], page: PageRequest): PageResult<T> {
  const hasMore = rows.length > page.size;
  const kept = hasMore ? rows.slice(0, page.size) : rows;
  return { rows: page.backward ? kept.reverse() : kept, hasMore };
}
