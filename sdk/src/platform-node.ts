import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, openAsBlob } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { globalWebSocket, readEnv, type DownloadTarget, type OpenedFile, type Platform, type WebSocketConstructor } from './platform.js';

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}

/** Node, Deno and Bun: files through node:fs, and `ws` when there is no global WebSocket (Node 20). */
export const nodePlatform: Platform = {
  async openFile(file: string): Promise<OpenedFile> {
    const info = await stat(file);
    if (!info.isFile()) throw new Error(`${file} is not a file`);
    return {
      name: path.basename(file),
      size: info.size,
      open: () => Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
      blob: () => openAsBlob(file),
    };
  },

  async downloadTarget(dir: string, name: string): Promise<DownloadTarget> {
    // The server names files; never let a name leave the folder.
    const safe = path.basename(name);
    if (safe !== name || safe === '.' || safe === '..') throw new Error(`refusing the file name "${name}": it is not a plain file name`);
    await mkdir(dir, { recursive: true });
    const final = path.join(dir, safe);
    const partial = `${final}.part`;
    return {
      partialBytes: (await sizeOf(partial)) ?? 0,
      currentBytes: async () => (await sizeOf(partial)) ?? 0,
      alreadyComplete: async (sha256) => (await sizeOf(final)) !== undefined && (await sha256File(final)) === sha256,
      writer: async (restart) => {
        const stream = createWriteStream(partial, { flags: restart ? 'w' : 'a' });
        await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
        return {
          write: (chunk) =>
            new Promise<void>((resolve, reject) => {
              stream.write(chunk, (error) => (error ? reject(error) : resolve()));
            }),
          close: () => new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve()))),
        };
      },
      sha256: () => sha256File(partial),
      commit: async () => {
        await rename(partial, final);
        return final;
      },
      discard: () => rm(partial, { force: true }),
    };
  },

  async webSocket(): Promise<WebSocketConstructor> {
    const native = globalWebSocket();
    if (native) return native;
    const ws = (await import('ws')) as unknown as { default?: WebSocketConstructor; WebSocket?: WebSocketConstructor };
    return (ws.WebSocket ?? ws.default) as WebSocketConstructor;
  },

  env: readEnv,
};
