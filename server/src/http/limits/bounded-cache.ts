/**
 * A least-recently-used cache of parsed documents keyed by their source text, bounded by the
 * total length of the keys as well as their number: yoga's default (1,024 entries, any size)
 * would keep 1,024 one-megabyte queries alive. Sources over `maxKeyChars` are not cached at all.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();
  private chars = 0;

  constructor(
    private readonly maxEntries = 1_024,
    private readonly maxChars = 4 * 1024 * 1024,
    private readonly maxKeyChars = 64 * 1024,
  ) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    if (key.length > this.maxKeyChars) return;
    if (this.entries.delete(key)) this.chars -= key.length;
    this.entries.set(key, value);
    this.chars += key.length;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.chars <= this.maxChars) break;
      this.entries.delete(oldest);
      this.chars -= oldest.length;
    }
  }
}
