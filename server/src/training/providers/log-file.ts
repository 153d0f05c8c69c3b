import { open, stat } from 'node:fs/promises';

const READ_BACK_BYTES = 1024 * 1024;
const POLL_MS = 250;

/** The last `count` lines of a text file (reading at most its last megabyte), and its size then. */
export async function lastLines(file: string, count: number): Promise<{ lines: string[]; size: number }> {
  const handle = await open(file);
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - READ_BACK_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const lines = buffer.toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (start > 0) lines.shift(); // a partial first line
    return { lines: count > 0 ? lines.slice(-count) : [], size };
  } finally {
    await handle.close();
  }
}

/**
 * Lines appended to a file after `from`, as they arrive, until `signal` aborts or the writer is
 * gone (`running()` false) and everything it wrote was read.
 */
export async function* followFile(file: string, from: number, options: { running: () => Promise<boolean>; signal?: AbortSignal }): AsyncGenerator<string> {
  let offset = from;
  let partial = '';
  let finalPass = false; // the writer is gone: read what it wrote last, then stop
  while (!options.signal?.aborted) {
    const { size } = await stat(file);
    if (size > offset) {
      const handle = await open(file);
      try {
        const buffer = Buffer.alloc(size - offset);
        await handle.read(buffer, 0, buffer.length, offset);
        offset = size;
        const lines = (partial + buffer.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        yield* lines;
      } finally {
        await handle.close();
      }
      if (!finalPass) continue;
    }
    if (finalPass) break;
    if (!(await options.running())) {
      finalPass = true;
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  if (partial && !options.signal?.aborted) yield partial;
}
