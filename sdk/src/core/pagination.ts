import type { RequestOptions } from './transport.js';

/** One page of a list: its items, the list's total and where the next page starts. */
export interface Page<T> {
  items: T[];
  /** How many the whole list holds (all pages), with the same filter. */
  totalCount: number;
  hasNextPage: boolean;
  /** Pass as `after` to get the page after this one. */
  endCursor: string | null;
}

export interface ListOptions extends RequestOptions {
  /**
   * Items per request (the server's limit is 100).
   * @default 50
   */
  pageSize?: number | undefined;
  /** Start after this cursor (a page's `endCursor`). */
  after?: string | undefined;
  /** Stop after this many items in all. */
  limit?: number | undefined;
}

/**
 * A list over keyset pages: `for await (const item of list)` walks every item, fetching the next
 * page only when needed; `pages()` walks pages; `firstPage()` fetches one; `toArray()` collects.
 */
export class PagedList<T> implements AsyncIterable<T> {
  constructor(
    private readonly fetchPage: (after: string | undefined, first: number, options: RequestOptions) => Promise<Page<T>>,
    private readonly options: ListOptions = {},
  ) {
    const size = options.pageSize ?? 50;
    if (!Number.isInteger(size) || size < 1 || size > 100) throw new RangeError('pageSize must be a whole number from 1 to 100 (the server pages at most 100)');
  }

  private get pageSize(): number {
    return this.options.pageSize ?? 50;
  }

  /** One request: the first page (after `after` when given). */
  firstPage(): Promise<Page<T>> {
    return this.fetchPage(this.options.after, this.pageSize, this.options);
  }

  /** Every page in order, each fetched when the previous one was consumed; stops at `limit`. */
  async *pages(): AsyncGenerator<Page<T>> {
    let after = this.options.after;
    let left = this.options.limit ?? Number.POSITIVE_INFINITY;
    for (;;) {
      const page = await this.fetchPage(after, Math.min(this.pageSize, Math.max(1, left)), this.options);
      if (page.items.length > left) page.items = page.items.slice(0, left);
      left -= page.items.length;
      yield page;
      if (!page.hasNextPage || !page.endCursor || left <= 0) return;
      after = page.endCursor;
    }
  }

  /** Every item in order, across pages. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** Every item (up to `limit`) in one array: mind the size of the list. */
  async toArray(): Promise<T[]> {
    const all: T[] = [];
    for await (const item of this) all.push(item);
    return all;
  }
}

export function pageOf<T>(connection: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor?: string | null }; edges: { node: T }[] }): Page<T> {
  return { items: connection.edges.map((e) => e.node), totalCount: connection.totalCount, hasNextPage: connection.pageInfo.hasNextPage, endCursor: connection.pageInfo.endCursor ?? null };
}
