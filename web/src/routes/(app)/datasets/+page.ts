import { query } from '$lib/graphql/client';
import { DatasetsQuery } from '$lib/graphql/datasets';
import { DATASET_PAGE_SIZE, readView, toVariables } from '$lib/utils/dataset-params';
import type { PageLoad } from './$types';

export const load = (async ({ fetch, url }) => {
  const view = readView(url.searchParams);
  // Not awaited: the page shows its skeleton cards (and the shell paints) while the first page loads.
  const data = query(DatasetsQuery, { first: DATASET_PAGE_SIZE, ...toVariables(view) }, fetch);
  data.catch(() => undefined); // the page shows the error; no unhandled rejection meanwhile
  return { view, data };
}) satisfies PageLoad;
