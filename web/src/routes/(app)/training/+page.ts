import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

/** The section's home is the jobs list (older links carried ?job=<id>: they open its monitor). */
export const load = (({ url }) => {
  const job = url.searchParams.get('job');
  redirect(307, job ? `/training/jobs/${encodeURIComponent(job)}` : '/training/jobs');
}) satisfies PageLoad;
