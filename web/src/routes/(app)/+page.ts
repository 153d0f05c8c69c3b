import { query } from '$lib/graphql/client';
import { DashboardQuery } from '$lib/graphql/dashboard';
import type { PageLoad } from './$types';

export const load = (async ({ fetch }) => ({ dashboard: await query(DashboardQuery, {}, fetch) })) satisfies PageLoad;
