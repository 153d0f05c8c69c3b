/**
 * The configurator's current estimate, pushed to the header (UI spec P03 "cost update push to P01"):
 * "Est. $12.00–$15.42 for pending job" while a job is being configured. The configurator sets it
 * and clears it when it is left.
 */
class PendingEstimate {
  value = $state<{ lowUsd: number; highUsd: number; simulated: boolean } | null>(null);
}
export const pendingEstimate = new PendingEstimate();
