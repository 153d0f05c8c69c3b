import { redirect } from '@sveltejs/kit';
import { getSession } from '$lib/api/session';
import { safeNext } from '$lib/utils/next';
import type { PageLoad } from './$types';


export const load = (async ({ fetch, url }) => {
  const info = await getSession(fetch);
  const next = safeNext(url.searchParams.get('next'));
  if (info.signedIn) redirect(307, next);
  return { info, next };
}) satisfies PageLoad;
