export type ConnectionState = 'idle' | 'live' | 'reconnecting' | 'down';

/** The live socket's state: the shell says when updates fall back to polling. */
class Connection {
  state = $state<ConnectionState>('idle');
  set(next: ConnectionState) {
    this.state = next;
  }
}

export const connection = new Connection();
