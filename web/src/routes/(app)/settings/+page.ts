import { query } from '$lib/graphql/client';
import { SettingsQuery } from '$lib/graphql/settings';
import type { PageLoad } from './$types';

export const load = (async ({ fetch }) => ({ settings: await query(SettingsQuery, {}, fetch) })) satisfies PageLoad;
