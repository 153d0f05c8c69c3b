import { describe, expect, it } from 'vitest';
import { bar, formatBytes, formatDuration, sparkline } from '../src/cli/ui.js';

describe('CLI drawing', () => {
  it('draws a loss sparkline from min (▁) to max (█), sampled down to its width', () => {
    expect(sparkline([3, 2, 1])).toBe('█▅▁');
    expect(sparkline([1, 1, 1])).toBe('▄▄▄');
    expect(sparkline([])).toBe('');
    const long = sparkline(Array.from({ length: 1000 }, (_, i) => 1000 - i), 40);
    expect(long).toHaveLength(40);
    expect(long[0]).toBe('█');
    expect(long.at(-1)).toBe('▁');
  });

  it('draws progress bars, sizes and durations', () => {
    expect(bar(0.5, 10)).toBe('[#####-----]  50%');
    expect(bar(2, 4)).toBe('[####] 100%');
    expect(bar(Number.NaN, 4)).toBe('[----]   0%');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
    expect(formatDuration(59)).toBe('59s');
    expect(formatDuration(3725)).toBe('1h02m');
  });
});
