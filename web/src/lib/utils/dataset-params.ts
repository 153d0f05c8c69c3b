import type { DatasetFilter, DatasetOrder, DatasetOrderField } from '$lib/graphql/generated/graphql';

/** The datasets grid's sort and filters, as they live in the URL (shareable views). */
/**
 * Cards per page: the grid is paged ("Load more" follows the keyset cursor) and virtualised (only
 * the rows in view are in the DOM, however many pages are loaded).
 * (Not exported from +page.ts: SvelteKit's development build refuses unknown route exports.)
 */
export const DATASET_PAGE_SIZE = 24;

export const SORTS: { value: string; label: string; field: DatasetOrderField; direction: 'ASC' | 'DESC' }[] = [
  { value: 'newest', label: 'Newest first', field: 'CREATED_AT', direction: 'DESC' },
  { value: 'oldest', label: 'Oldest first', field: 'CREATED_AT', direction: 'ASC' },
  { value: 'name', label: 'Name A–Z', field: 'NAME', direction: 'ASC' },
  { value: 'quality', label: 'Quality (high first)', field: 'QUALITY', direction: 'DESC' },
  { value: 'size', label: 'Size (large first)', field: 'SIZE', direction: 'DESC' },
];

export interface DatasetView {
  sort: string;
  q: string;
  format: string;
  minQuality: number | null;
  from: string;
  to: string;
}

const number = (raw: string | null, min: number, max: number) => {
  if (raw === null || raw.trim() === '') return null;
  const value = Number(raw);
  return Number.isFinite(value) && value >= min && value <= max ? value : null;
};
const date = (raw: string | null) => (raw && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : '');

export function readView(params: URLSearchParams): DatasetView {
  const sort = params.get('sort') ?? 'newest';
  return {
    sort: SORTS.some((s) => s.value === sort) ? sort : 'newest',
    q: (params.get('q') ?? '').slice(0, 200),
    format: params.get('format') === 'brightrun-lora-v4' ? 'brightrun-lora-v4' : '',
    minQuality: number(params.get('minQuality'), 0, 5),
    from: date(params.get('from')),
    to: date(params.get('to')),
  };
}

/** The URL search string for a view (defaults left out). */
export function writeView(view: DatasetView): string {
  const params = new URLSearchParams();
  if (view.sort !== 'newest') params.set('sort', view.sort);
  if (view.q.trim()) params.set('q', view.q.trim());
  if (view.format) params.set('format', view.format);
  if (view.minQuality !== null) params.set('minQuality', String(view.minQuality));
  if (view.from) params.set('from', view.from);
  if (view.to) params.set('to', view.to);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function toVariables(view: DatasetView): { filter: DatasetFilter; orderBy: DatasetOrder } {
  const sort = SORTS.find((s) => s.value === view.sort)!;
  const filter: DatasetFilter = {};
  if (view.q.trim()) filter.search = view.q.trim();
  if (view.format) filter.format = view.format;
  if (view.minQuality !== null) filter.minQuality = view.minQuality;
  if (view.from) filter.createdAfter = `${view.from}T00:00:00.000Z`;
  if (view.to) filter.createdBefore = `${view.to}T23:59:59.999Z`;
  return { filter, orderBy: { field: sort.field, direction: sort.direction } };
}

/** The active filters as removable pills. */
export function pills(view: DatasetView): { key: keyof DatasetView; label: string }[] {
  const out: { key: keyof DatasetView; label: string }[] = [];
  if (view.q.trim()) out.push({ key: 'q', label: `Search: “${view.q.trim()}”` });
  if (view.format) out.push({ key: 'format', label: 'Format: v4' });
  if (view.minQuality !== null) out.push({ key: 'minQuality', label: `Quality ≥ ${view.minQuality}` });
  if (view.from) out.push({ key: 'from', label: `From ${view.from}` });
  if (view.to) out.push({ key: 'to', label: `To ${view.to}` });
  return out;
}
