import { describe, expect, it } from 'vitest';
import { fitColumns, LIST_COLUMNS } from '../../src/shared/list-columns';

const ids = (hidden: string[], width: number) => fitColumns(new Set(hidden) as never, width).columns.map((c) => c.id);

describe('list columns at a width', () => {
  it('draws every column when they fit, in list order', () => {
    expect(ids([], 2000)).toEqual(LIST_COLUMNS.map((c) => c.id));
  });

  it('hides the lowest priority first, and always keeps Name and Status', () => {
    expect(ids([], 550)).toEqual(['name', 'method', 'status', 'kind', 'time']);
    expect(ids([], 300)).toEqual(['name', 'status']);
    const tiny = fitColumns(new Set(), 100);
    expect([tiny.columns.map((c) => c.id), tiny.minWidth]).toEqual([['name', 'status'], 256]);
  });

  it('leaves out the columns the user hid, giving room to others', () => {
    expect(ids(['method', 'kind'], 550)).toEqual(['name', 'status', 'time', 'waterfall']);
    expect(ids(['status'], 2000)).not.toContain('status');
  });
});
