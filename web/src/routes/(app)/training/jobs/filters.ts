/** The jobs list's status groups (the URL's ?status=) and page size. */
export const PER_PAGE = 25;

export const STATUS_FILTERS = {
  all: { label: 'All', statuses: null },
  active: { label: 'Active', statuses: ['QUEUED', 'PROVISIONING', 'PREPROCESSING', 'MODEL_LOADING', 'TRAINING', 'FINALIZING', 'INTERRUPTED'] },
  completed: { label: 'Completed', statuses: ['COMPLETED'] },
  failed: { label: 'Failed', statuses: ['FAILED'] },
  cancelled: { label: 'Cancelled', statuses: ['CANCELLED'] },
} as const;
export type StatusFilter = keyof typeof STATUS_FILTERS;

export const SORTS = {
  created: 'Newest first',
  progress: 'Progress',
  spend: 'Spend',
  dataset: 'Dataset',
} as const;
export type SortKey = keyof typeof SORTS;

interface Sortable { createdAt: string; progress: number; spendUsd: number; dataset: { name: string } }

/** Sorts the loaded page (newest first is the server's keyset order). */
export function sortRows<T extends Sortable>(rows: T[], key: SortKey): T[] {
  const out = rows.slice();
  if (key === 'progress') out.sort((a, b) => b.progress - a.progress);
  else if (key === 'spend') out.sort((a, b) => b.spendUsd - a.spendUsd);
  else if (key === 'dataset') out.sort((a, b) => a.dataset.name.localeCompare(b.dataset.name));
  else out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return out;
}
