import { describe, expect, it } from 'vitest';
import { dragBorder, fitColumns, LIST_COLUMNS } from '../../src/shared/list-columns';

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

  it('draws columns as wide as the user dragged them, and gives way by priority with those widths', () => {
    const wide = fitColumns(new Set(), 2000, { waterfall: 400, method: 40 });
    expect(wide.columns.find((c) => c.id === 'waterfall')!.width).toBe(400);
    expect(wide.columns.find((c) => c.id === 'method')!.width).toBe(40);
    expect(wide.minWidth).toBe(160 + 40 + 96 + 92 + 120 + 110 + 70 + 400);
    // A wider waterfall hides it sooner (priority 4) at a width where the defaults fit.
    expect(fitColumns(new Set(), 880).columns.map((c) => c.id)).toContain('waterfall');
    expect(fitColumns(new Set(), 880, { waterfall: 400 }).columns.map((c) => c.id)).not.toContain('waterfall');
  });
});

describe('dragging a column border', () => {
  it('moves the border with the pointer: the left column widens, the right one narrows', () => {
    expect(dragBorder('method', 'status', { left: 64, right: 96 }, 20)).toEqual({ method: 84, status: 76 });
    expect(dragBorder('method', 'status', { left: 64, right: 96 }, -20)).toEqual({ method: 44, status: 116 });
  });
  it('lets Name take the rest: only the column on the right is set', () => {
    expect(dragBorder('name', 'method', { left: 300, right: 64 }, -50)).toEqual({ method: 114 });
  });
  it('clamps at the narrowest and widest a column may be', () => {
    expect(dragBorder('method', 'status', { left: 64, right: 96 }, 500)).toEqual({ method: 130, status: 30 });
    expect(dragBorder('method', 'status', { left: 64, right: 96 }, -500)).toEqual({ method: 30, status: 130 });
    expect(dragBorder('name', 'status', { left: 100, right: 1990 }, -50)).toEqual({ status: 2000 });
  });
});
