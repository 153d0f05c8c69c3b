// What differs between Node (and Deno, Bun) and browsers: files and the WebSocket fallback. The
// browser entry passes a platform without files; the Node entry one with node:fs.

/** A file opened for upload: its bytes as a web stream (opened again on each retry), size and name. */
export interface OpenedFile {
  name: string;
  size: number;
  open(): ReadableStream<Uint8Array>;
  /** The file as a Blob (for multipart uploads). */
  blob?: (() => Promise<Blob>) | undefined;
}

/** A file being downloaded: what is already on disk (to resume from) and how to add to it. */
export interface DownloadTarget {
  /** Bytes of an earlier, interrupted download of this file (0 when none). */
  partialBytes: number;
  /** The partial file's size now. */
  currentBytes(): Promise<number>;
  /** Whether the finished file is already there with this sha256 (then nothing is fetched). */
  alreadyComplete(sha256: string): Promise<boolean>;
  /** Appends (or, with `restart`, first truncates) and returns a writer. */
  writer(restart: boolean): Promise<{ write(chunk: Uint8Array): Promise<void>; close(): Promise<void> }>;
  /** The sha256 (hex) of the whole partial file. */
  sha256(): Promise<string>;
  /** Moves the finished partial file to its final name; returns the final path. */
  commit(): Promise<string>;
  /** Removes the partial file (after a checksum mismatch). */
  discard(): Promise<void>;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => unknown;

export interface Platform {
  /** Opens a local file for upload; undefined where there is no file system (browsers). */
  openFile?(path: string): Promise<OpenedFile>;
  /** Prepares `dir/name` for a (resumable) download; undefined where there is no file system. */
  downloadTarget?(dir: string, name: string): Promise<DownloadTarget>;
  /** The WebSocket implementation when the runtime has no global one (Node 20: the `ws` package). */
  webSocket(): Promise<WebSocketConstructor>;
  /** Environment variables, where the runtime has them. */
  env(name: string): string | undefined;
}

/** `process.env` or `Deno.env`, whichever exists (and is permitted); undefined elsewhere. */
export function readEnv(name: string): string | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> }; Deno?: { env?: { get(name: string): string | undefined } } };
  try {
    if (g.process?.env) return g.process.env[name];
    if (g.Deno?.env) return g.Deno.env.get(name);
  } catch {
    // Deno without --allow-env: no fallback from the environment.
  }
  return undefined;
}

/** The runtime's own WebSocket (browsers, Deno, Bun, Node ≥ 22). */
export function globalWebSocket(): WebSocketConstructor | undefined {
  return (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
}
