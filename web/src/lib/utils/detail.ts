/** Conversations per page in a dataset's detail (the spec's 10/page), paged by keyset cursors. */
export const PER_PAGE = 10;

/** The Dataset query's variables for one page of conversations: after/before a cursor, or the first page. */
export function detailVariables(id: string, cursor: { after?: string | null; before?: string | null }): { id: string; first: number; after?: string | null; before?: string; last?: number } {
  return cursor.before ? { id, last: PER_PAGE, before: cursor.before, first: undefined as unknown as number } : { id, first: PER_PAGE, after: cursor.after ?? null };
}
