import { fluxObject } from '../../../flux/testing/frames';
import { cellPosition, computeLayout } from '../../layout';
import { placeTooltip } from './tooltipPlacement';
import { keyMove } from './useGridFocus';

describe('grid keyboard moves', () => {
  it('maps navigation keys, Ctrl/Cmd+Home/End to the first and last cell', () => {
    expect(keyMove({ key: 'ArrowDown', ctrlKey: false, metaKey: false })).toBe('ArrowDown');
    expect(keyMove({ key: 'Home', ctrlKey: true, metaKey: false })).toBe('First');
    expect(keyMove({ key: 'End', ctrlKey: false, metaKey: true })).toBe('Last');
    expect(keyMove({ key: 'End', ctrlKey: false, metaKey: false })).toBe('End');
    expect(keyMove({ key: 'Enter', ctrlKey: false, metaKey: false })).toBeUndefined();
    // Not read through the prototype.
    expect(keyMove({ key: 'toString', ctrlKey: false, metaKey: false })).toBeUndefined();
  });
});

describe('tooltip placement', () => {
  const objects = Array.from({ length: 40 }, (_, i) => fluxObject({ name: `o${i}` }));
  const layout = computeLayout({ objects, groups: [], width: 200, cellSize: 16 });
  const viewport = { width: 200, height: 100 };

  it('sits right of the cell when there is room, left of it otherwise', () => {
    const first = placeTooltip(layout, 0, 0, { width: 1000, height: 100 }, 320)!;
    expect(first.left).toBe(cellPosition(layout, 0)!.x + 16 + 6);
    const last = layout.columns - 1;
    const many = Array.from({ length: 100 }, (_, i) => fluxObject({ name: `w${i}` }));
    const wide = computeLayout({ objects: many, groups: [], width: 1000, cellSize: 16 });
    const end = wide.columns - 1;
    expect(placeTooltip(wide, end, 0, { width: 1000, height: 100 }, 320)!.left).toBe(
      cellPosition(wide, end)!.x - 320 - 6
    );
    expect(placeTooltip(layout, last, 0, viewport, 320)!.left).toBeGreaterThanOrEqual(0);
  });

  it('follows the scroll and stays inside the viewport', () => {
    const below = layout.cells.length - 1;
    const y = cellPosition(layout, below)!.y;
    expect(placeTooltip(layout, below, y - 10, viewport, 320)!.top).toBe(10);
    expect(placeTooltip(layout, 0, 500, viewport, 320)!.top).toBe(0);
    expect(placeTooltip(layout, below, 0, viewport, 320)!.top).toBeLessThanOrEqual(60);
    expect(placeTooltip(layout, -1, 0, viewport, 320)).toBeUndefined();
  });
});
