import { redirect } from '@sveltejs/kit';
import { query } from '$lib/graphql/client';
import { ModelsQuery } from '$lib/graphql/models';
import { MODEL_PAGE_SIZE, readModelView, toModelVariables } from '$lib/components/models/model-params';
import type { PageLoad } from './$types';

export const load = (async ({ fetch, url }) => {
  // Older links (the command palette) name a model in the query: its own page shows it.
  const model = url.searchParams.get('model');
  if (model && /^art_[0-9A-Za-z_-]{1,60}$/.test(model)) redirect(307, `/models/${model}`);
  const view = readModelView(url.searchParams);
  const data = await query(ModelsQuery, { first: MODEL_PAGE_SIZE, ...toModelVariables(view) }, fetch);
  return { view, data };
}) satisfies PageLoad;
