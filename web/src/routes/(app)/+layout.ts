import { redirect } from '@sveltejs/kit';
import { session } from '$lib/state/session.svelte';
import type { LayoutLoad } from './$types';

/** Every page but sign-in needs a session; without one, sign in and come back here. */
export const load = (async ({ fetch, url }) => {
  const info = await session.load(fetch);
  if (!info.signedIn) redirect(307, `/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
  return { session: info };
}) satisfies LayoutLoad;
