// Terminal output for the CLI: byte sizes, progress bars and the loss sparkline.

const BLOCKS = '▁▂▃▄▅▆▇█';

/** A one-line chart of `values` (min → ▁, max → █), at most `width` characters (evenly sampled). */
export function sparkline(values: number[], width = 40): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return '';
  const sampled = finite.length <= width ? finite : Array.from({ length: width }, (_, i) => finite[Math.round((i * (finite.length - 1)) / (width - 1))]!);
  const min = Math.min(...sampled);
  const max = Math.max(...sampled);
  return sampled.map((v) => BLOCKS[max === min ? 3 : Math.round(((v - min) / (max - min)) * (BLOCKS.length - 1))]).join('');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** `[########----------]  42%` for a share 0–1. */
export function bar(share: number, width = 24): string {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(share) ? share : 0));
  const filled = Math.round(clamped * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(clamped * 100)).padStart(3)}%`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * A status line redrawn in place on a terminal (stderr), throttled; silent when stderr is not a
 * terminal, so piped output stays clean.
 */
export class LiveLine {
  private last = 0;
  private pending: string | undefined;
  private drawn = false;
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly everyMs = 100,
  ) {}

  get enabled(): boolean {
    return Boolean(this.stream.isTTY);
  }

  update(text: string): void {
    if (!this.enabled) return;
    this.pending = text;
    const now = Date.now();
    if (now - this.last < this.everyMs) return;
    this.flush();
  }

  flush(): void {
    if (!this.enabled || this.pending === undefined) return;
    const columns = this.stream.columns ?? 100;
    this.stream.write(`\r\x1b[K${this.pending.slice(0, columns - 1)}`);
    this.last = Date.now();
    this.pending = undefined;
    this.drawn = true;
  }

  /** Draws the last text and ends the line. */
  done(text?: string): void {
    if (text !== undefined) this.pending = text;
    this.flush();
    if (this.drawn && this.enabled) this.stream.write('\n');
    this.drawn = false;
  }
}
