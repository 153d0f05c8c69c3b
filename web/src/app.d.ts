// See https://svelte.dev/docs/kit/types#app.d.ts
import type { DatasetDetailData } from '$lib/components/datasets/DatasetDetail.svelte';

declare global {
  namespace App {
    interface PageState {
      /** The dataset detail open in a modal over the grid (shallow routing; the URL is its deep link). */
      dataset?: DatasetDetailData;
      /** The comparison modal over the grid (its URL is /datasets?compare=a,b); `pushed`: opened from the grid, so closing goes back. */
      compare?: { ids: [string, string]; pushed: boolean };
      /** The page under the modal (the layout keeps it mounted). */
      under?: string;
    }
  }
}

export {};
