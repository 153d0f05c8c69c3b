import { describe, expect, it } from 'vitest';
import { pills, readView, toVariables, writeView } from './dataset-params';

describe('dataset view in the URL', () => {
  it('round-trips sort and filters and maps them to the API', () => {
    const view = readView(new URLSearchParams('sort=quality&q=planner&format=brightrun-lora-v4&minQuality=3&from=2026-01-01'));
    expect(writeView(view)).toBe('?sort=quality&q=planner&format=brightrun-lora-v4&minQuality=3&from=2026-01-01');
    expect(toVariables(view)).toEqual({
      filter: { search: 'planner', format: 'brightrun-lora-v4', minQuality: 3, createdAfter: '2026-01-01T00:00:00.000Z' },
      orderBy: { field: 'QUALITY', direction: 'DESC' },
    });
    expect(pills(view).map((p) => p.key)).toEqual(['q', 'format', 'minQuality', 'from']);
  });

  it('ignores values outside their bounds instead of sending them', () => {
    const view = readView(new URLSearchParams(`sort=bogus&minQuality=9&from=yesterday&format=v3&q=${'x'.repeat(300)}`));
    expect(view).toMatchObject({ sort: 'newest', minQuality: null, from: '', format: '' });
    expect(view.q).toHaveLength(200);
    expect(writeView(readView(new URLSearchParams()))).toBe('');
  });
});
