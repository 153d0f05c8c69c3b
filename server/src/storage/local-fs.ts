import { readdir, rmdir, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

/** Filesystem helpers for LocalStorage. */

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export interface FoundFile {
  /** Path relative to the walked folder, with '/' separators. */
  relativePath: string;
  sizeBytes: number;
  updatedAt: Date;
}

/** Every file under `dir`, recursively; a missing folder has none. Files deleted mid-walk are skipped. */
export async function walkFiles(dir: string): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
      } else if (entry.isFile()) {
        const info = await stat(full).catch((error: unknown) => (isMissing(error) ? null : Promise.reject(error)));
        if (!info) continue;
        found.push({ relativePath: relative(dir, full).split(sep).join('/'), sizeBytes: info.size, updatedAt: info.mtime });
      }
    }
  };
  await walk(dir);
  return found;
}

/** Removes now-empty folders from `folder` up to, not including, `stopAt`. */
export async function pruneEmptyFolders(folder: string, stopAt: string): Promise<void> {
  for (let current = folder; current.startsWith(stopAt + sep); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return; // not empty (or already gone): stop climbing
    }
  }
}
