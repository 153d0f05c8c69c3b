import { error } from '@sveltejs/kit';
import { query } from '$lib/graphql/client';
import { DatasetQuery } from '$lib/graphql/datasets';
import { detailVariables } from '$lib/utils/detail';
import type { PageLoad } from './$types';

export const load = (async ({ fetch, params, url }) => {
  const vars = detailVariables(params.id, { after: url.searchParams.get('after'), before: url.searchParams.get('before') });
  const data = await query(DatasetQuery, vars, fetch);
  if (!data.dataset) error(404, 'No dataset of this workspace has this id (it may have been deleted).');
  return { dataset: data.dataset };
}) satisfies PageLoad;
