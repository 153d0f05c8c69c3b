import { describe, expect, it } from 'vitest';
import { modelPills, readModelView, toModelVariables, writeModelView } from './model-params';

describe('models list view in the URL', () => {
  it('reads what it writes, drops defaults and refuses junk', () => {
    const view = readModelView(new URLSearchParams('view=table&sort=loss&q=eq&status=production,testing,bogus&dataset=ds_abc123&base=tiny-llama&from=2026-11-01&to=nope'));
    expect(view).toEqual({ layout: 'table', sort: 'loss', q: 'eq', status: ['PRODUCTION', 'TESTING'], dataset: 'ds_abc123', base: 'tiny-llama', from: '2026-11-01', to: '' });
    expect(writeModelView(view)).toBe('?view=table&sort=loss&q=eq&status=PRODUCTION%2CTESTING&dataset=ds_abc123&base=tiny-llama&from=2026-11-01');
    expect(readModelView(new URLSearchParams(writeModelView(view)))).toEqual(view);
    expect(writeModelView(readModelView(new URLSearchParams('sort=zzz&dataset=../../x')))).toBe('');
  });

  it('turns a view into the API filter and order, and lists removable pills', () => {
    const view = readModelView(new URLSearchParams('sort=quality&status=ARCHIVED&from=2026-11-01&to=2026-11-30&dataset=ds_1'));
    expect(toModelVariables(view)).toEqual({
      filter: { status: ['ARCHIVED'], datasetId: 'ds_1', createdAfter: '2026-11-01T00:00:00.000Z', createdBefore: '2026-11-30T23:59:59.999Z' },
      orderBy: { field: 'QUALITY', direction: 'DESC' },
    });
    const pills = modelPills(view, (id) => (id === 'ds_1' ? 'EQ sample' : undefined));
    expect(pills.map((p) => p.label)).toEqual(['Status: Archived', 'Dataset: EQ sample', 'From 2026-11-01', 'To 2026-11-30']);
    expect(pills[0]!.reset).toEqual({ status: [] });
  });
});
