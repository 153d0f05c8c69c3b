import type { ArtifactStatus, ModelArtifactFilter, ModelArtifactOrder, ModelArtifactOrderField } from '$lib/graphql/generated/graphql';
import { STATUSES, baseModelLabel } from './model-utils';

/** The models list's view, sort and filters as they live in the URL (shareable views). */
export const MODEL_SORTS: { value: string; label: string; field: ModelArtifactOrderField; direction: 'ASC' | 'DESC' }[] = [
  { value: 'newest', label: 'Newest first', field: 'CREATED_AT', direction: 'DESC' },
  { value: 'oldest', label: 'Oldest first', field: 'CREATED_AT', direction: 'ASC' },
  { value: 'name', label: 'Name A–Z', field: 'NAME', direction: 'ASC' },
  { value: 'quality', label: 'Quality (best first)', field: 'QUALITY', direction: 'DESC' },
  { value: 'loss', label: 'Eval loss (lowest first)', field: 'EVAL_LOSS', direction: 'ASC' },
  { value: 'version', label: 'Version (highest first)', field: 'VERSION', direction: 'DESC' },
];

export interface ModelView {
  layout: 'grid' | 'table';
  sort: string;
  q: string;
  status: ArtifactStatus[];
  dataset: string;
  base: string;
  from: string;
  to: string;
}

const date = (raw: string | null) => (raw && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : '');
const STATUS_VALUES = STATUSES.map((s) => s.value);

export function readModelView(params: URLSearchParams): ModelView {
  const sort = params.get('sort') ?? 'newest';
  const status = (params.get('status') ?? '')
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s): s is ArtifactStatus => (STATUS_VALUES as string[]).includes(s));
  const dataset = params.get('dataset') ?? '';
  return {
    layout: params.get('view') === 'table' ? 'table' : 'grid',
    sort: MODEL_SORTS.some((s) => s.value === sort) ? sort : 'newest',
    q: (params.get('q') ?? '').slice(0, 200),
    status: [...new Set(status)],
    dataset: /^ds_[0-9A-Za-z_-]{1,60}$/.test(dataset) ? dataset : '',
    base: (params.get('base') ?? '').slice(0, 200),
    from: date(params.get('from')),
    to: date(params.get('to')),
  };
}

/** The URL search string for a view (defaults left out). */
export function writeModelView(view: ModelView): string {
  const params = new URLSearchParams();
  if (view.layout === 'table') params.set('view', 'table');
  if (view.sort !== 'newest') params.set('sort', view.sort);
  if (view.q.trim()) params.set('q', view.q.trim());
  if (view.status.length) params.set('status', view.status.join(','));
  if (view.dataset) params.set('dataset', view.dataset);
  if (view.base) params.set('base', view.base);
  if (view.from) params.set('from', view.from);
  if (view.to) params.set('to', view.to);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function toModelVariables(view: ModelView): { filter: ModelArtifactFilter; orderBy: ModelArtifactOrder } {
  const sort = MODEL_SORTS.find((s) => s.value === view.sort)!;
  const filter: ModelArtifactFilter = {};
  if (view.q.trim()) filter.search = view.q.trim();
  if (view.status.length) filter.status = view.status;
  if (view.dataset) filter.datasetId = view.dataset;
  if (view.base) filter.baseModel = view.base;
  if (view.from) filter.createdAfter = `${view.from}T00:00:00.000Z`;
  if (view.to) filter.createdBefore = `${view.to}T23:59:59.999Z`;
  return { filter, orderBy: { field: sort.field, direction: sort.direction } };
}

/** The active filters as removable pills; `reset` is the change that removes one. */
export function modelPills(view: ModelView, datasetName: (id: string) => string | undefined): { key: string; label: string; reset: Partial<ModelView> }[] {
  const out: { key: string; label: string; reset: Partial<ModelView> }[] = [];
  if (view.q.trim()) out.push({ key: 'q', label: `Search: “${view.q.trim()}”`, reset: { q: '' } });
  for (const s of view.status) out.push({ key: `status-${s}`, label: `Status: ${STATUSES.find((x) => x.value === s)!.label}`, reset: { status: view.status.filter((x) => x !== s) } });
  if (view.dataset) out.push({ key: 'dataset', label: `Dataset: ${datasetName(view.dataset) ?? view.dataset}`, reset: { dataset: '' } });
  if (view.base) out.push({ key: 'base', label: `Base: ${baseModelLabel(view.base)}`, reset: { base: '' } });
  if (view.from) out.push({ key: 'from', label: `From ${view.from}`, reset: { from: '' } });
  if (view.to) out.push({ key: 'to', label: `To ${view.to}`, reset: { to: '' } });
  return out;
}

/** Models per page: the list is paged ("Load more" follows the keyset cursor). */
export const MODEL_PAGE_SIZE = 24;
