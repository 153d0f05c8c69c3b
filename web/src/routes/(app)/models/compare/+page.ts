import { error } from '@sveltejs/kit';
import { query } from '$lib/graphql/client';
import { CompareModelsQuery, LossCurveQuery } from '$lib/graphql/models';
import type { PageLoad } from './$types';

const ID = /^art_[0-9A-Za-z_-]{1,60}$/;

/** Two versions side by side: ?a=<artifact id>&b=<artifact id>. */
export const load = (async ({ fetch, url }) => {
  const a = url.searchParams.get('a') ?? '';
  const b = url.searchParams.get('b') ?? '';
  if (!ID.test(a) || !ID.test(b)) error(400, 'Compare needs two model ids: /models/compare?a=<id>&b=<id> (pick two versions in a model’s version history).');
  if (a === b) error(400, 'Pick two different versions to compare.');
  const data = await query(CompareModelsQuery, { a, b }, fetch);
  if (!data.a || !data.b) error(404, 'One of these models is not in this workspace (it may have been deleted).');
  const jobIds = [data.a, data.b].map((side) => (side as unknown as { job: { id: string } }).job.id);
  const curves = await Promise.all(jobIds.map((jobId) => query(LossCurveQuery, { jobId, maxPoints: 400 }, fetch)));
  return { data, curves };
}) satisfies PageLoad;
