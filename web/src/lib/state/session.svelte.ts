import { goto } from '$app/navigation';
import { getSession, signOut, type SessionInfo } from '$lib/api/session';
import { closeSocket, handleUnauthenticated } from '$lib/graphql/client';
import { shell } from './shell.svelte';

/** Who is signed in (GET /auth/session); an ended session sends the user to sign-in and back. */
class Session {
  info = $state<SessionInfo | null>(null);
  /** Why the user was sent to sign-in (expired, revoked), shown there. */
  endedBecause = $state<string | null>(null);
  /** Where a navigation in progress is going: an answer refused mid-way returns the user there. */
  target: URL | null = null;
  #redirecting = false;
  #signingOut = false;

  constructor() {
    handleUnauthenticated((message) => void this.expired(message));
  }

  async load(fetcher?: typeof fetch) {
    this.info = await getSession(fetcher);
    return this.info;
  }

  async expired(message: string) {
    // A sign-out in progress closes the socket too (4403): that is not an expiry.
    if (this.#redirecting || this.#signingOut || location.pathname === '/sign-in') return;
    this.#redirecting = true;
    try {
      this.endedBecause = message;
      shell.stop();
      closeSocket();
      this.info = null;
      // A navigation to sign-in itself (an earlier expiry's, cut short by another navigation) is no place to come back to.
      const target = this.target?.pathname === '/sign-in' ? null : this.target;
      const back = target ?? new URL(location.href);
      await goto(back.pathname === '/sign-in' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(back.pathname + back.search)}`);
    } finally {
      this.#redirecting = false;
    }
  }

  async signOut() {
    this.#signingOut = true;
    shell.stop();
    closeSocket();
    await signOut();
    this.info = null;
    this.endedBecause = 'You signed out.';
    await goto('/sign-in');
    this.#signingOut = false;
  }
}

export const session = new Session();
