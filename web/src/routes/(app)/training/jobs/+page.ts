import { query } from '$lib/graphql/client';
import { JobsPageQuery } from '$lib/graphql/monitor';
import type { JobStatus } from '$lib/graphql/generated/graphql';
import type { PageLoad } from './$types';
import { PER_PAGE, STATUS_FILTERS, type StatusFilter } from './filters';

/** A keyset page of jobs, filtered by status group; the filter and the cursor live in the URL. */
export const load = (async ({ fetch, url }) => {
  const raw = url.searchParams.get('status') ?? 'all';
  const filter: StatusFilter = raw in STATUS_FILTERS ? (raw as StatusFilter) : 'all';
  const after = url.searchParams.get('after');
  const before = url.searchParams.get('before');
  const statuses = STATUS_FILTERS[filter].statuses as JobStatus[] | null;
  const page = before ? { last: PER_PAGE, before } : { first: PER_PAGE, after };
  const data = await query(JobsPageQuery, { ...page, filter: statuses ? { status: statuses } : null }, fetch);
  return { jobs: data.trainingJobs, filter };
}) satisfies PageLoad;
