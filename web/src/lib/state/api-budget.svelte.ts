/**
 * The signed-in key's API budget, kept current from the RateLimit-* headers of every API answer
 * (graphql/client.ts) and from systemStatus.apiBudget; null values: not limited or not known yet.
 */
export class ApiBudget {
  limit = $state<number | null>(null);
  remaining = $state<number | null>(null);
  /** When the window ends, as a Date.now() time. */
  resetsAt = $state<number | null>(null);
  /** When the figures were last set (a countdown never reads an older clock than this). */
  updatedAt = $state(0);

  /** From an answer's headers; one without them (refused before counting) changes nothing. */
  fromHeaders(headers: Headers, now = Date.now()) {
    const limit = headers.get('ratelimit-limit');
    const remaining = headers.get('ratelimit-remaining');
    const reset = headers.get('ratelimit-reset');
    if (limit === null || remaining === null || reset === null) return;
    this.set({ limit: Number(limit), remaining: Number(remaining), resetInSeconds: Number(reset) }, now);
  }

  set(budget: { limit: number; remaining: number; resetInSeconds: number } | null, now = Date.now()) {
    this.updatedAt = now;
    if (!budget || ![budget.limit, budget.remaining, budget.resetInSeconds].every(Number.isFinite)) {
      this.limit = this.remaining = this.resetsAt = null;
      return;
    }
    this.limit = budget.limit;
    this.remaining = budget.remaining;
    this.resetsAt = now + budget.resetInSeconds * 1000;
  }
}

export const apiBudget = new ApiBudget();
