import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

/** The old compare page: the comparison is now a modal over the grid (/datasets?compare=a,b). Old links keep working. */
export const load = (({ url }) => {
  const ids = [url.searchParams.get('a'), url.searchParams.get('b')].filter((id): id is string => !!id);
  redirect(307, `/datasets?compare=${ids.map(encodeURIComponent).join(',')}`);
}) satisfies PageLoad;
