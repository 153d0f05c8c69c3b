import type { PageLoad } from './$types';

/** The monitor loads and subscribes in the page itself (it is live, not a one-off read). */
export const load = (({ params }) => ({ id: params.id })) satisfies PageLoad;
