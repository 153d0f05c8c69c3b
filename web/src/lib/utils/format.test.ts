import { describe, expect, it } from 'vitest';
import { formatBytes, formatRelative, formatUsd, truncate } from './format';

describe('format', () => {
  it('formats money with cents and bytes with binary units', () => {
    expect(formatUsd(47.234)).toBe('$47.23');
    expect(formatUsd(null)).toBe('—');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MB');
  });

  it('says how long ago, then falls back to the date', () => {
    const now = Date.parse('2026-01-10T12:00:00Z');
    expect(formatRelative('2026-01-10T11:59:50Z', now)).toBe('just now');
    expect(formatRelative('2026-01-10T11:55:00Z', now)).toBe('5 min ago');
    expect(formatRelative('2026-01-10T09:00:00Z', now)).toBe('3 h ago');
    expect(formatRelative('2026-01-09T12:00:00Z', now)).toBe('1 day ago');
    expect(formatRelative('2025-12-01T12:00:00Z', now)).toBe('Dec 1, 2025');
  });

  it('truncates long names with an ellipsis within the limit', () => {
    expect(truncate('short', 40)).toBe('short');
    const cut = truncate('x'.repeat(60), 40);
    expect(cut).toHaveLength(40);
    expect(cut.endsWith('…')).toBe(true);
  });
});
