/**
 * Everything that outlives one request and was opened with an API key: graphql-ws sockets and
 * subscription streams (graphql-ws or SSE). Revoking the key ends them all, on this instance;
 * the revocation reaches every instance through the pubsub (app.ts).
 */
export class KeySessions {
  private readonly byKey = new Map<string, Set<(reason: string) => void>>();

  /** Registers something to end when `keyId` is revoked; returns the function that unregisters it. */
  open(keyId: string, end: (reason: string) => void): () => void {
    let set = this.byKey.get(keyId);
    if (!set) {
      set = new Set();
      this.byKey.set(keyId, set);
    }
    set.add(end);
    return () => {
      const current = this.byKey.get(keyId);
      if (!current) return;
      current.delete(end);
      if (current.size === 0) this.byKey.delete(keyId);
    };
  }

  /** Ends every session of the key; returns how many there were. */
  revoke(keyId: string, reason: string): number {
    const set = this.byKey.get(keyId);
    if (!set) return 0;
    this.byKey.delete(keyId);
    for (const end of set) {
      try {
        end(reason);
      } catch {
        // A socket already closing, or a stream already ended: nothing left to end.
      }
    }
    return set.size;
  }

  /** How many sessions a key holds (tests and diagnostics). */
  count(keyId: string): number {
    return this.byKey.get(keyId)?.size ?? 0;
  }
}

/**
 * An async iterator that `stop(last)` ends at once, even while it waits for its source's next
 * value: `last` is delivered, then the source is returned (its pubsub listeners removed).
 */
export function stoppable<T>(source: AsyncIterable<T>): { iterator: AsyncIterableIterator<T>; stop(last: T): void } {
  const inner = source[Symbol.asyncIterator]();
  let finished = false;
  let signal!: (last: T) => void;
  const stopped = new Promise<{ stop: T }>((resolve) => (signal = (last) => resolve({ stop: last })));
  const finish = async () => {
    if (finished) return;
    finished = true;
    await inner.return?.();
  };
  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async next() {
      if (finished) return { done: true, value: undefined };
      const step = await Promise.race([inner.next(), stopped]);
      if ('stop' in step) {
        void finish();
        return { done: false, value: step.stop };
      }
      if (step.done) finished = true;
      return step;
    },
    async return(value?: unknown) {
      await finish();
      return { done: true, value: value as T };
    },
    async throw(error?: unknown) {
      await finish();
      throw error;
    },
  };
  return { iterator, stop: (last) => signal(last) };
}
