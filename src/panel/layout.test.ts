import { groupObjects } from '../flux';
import { fluxObject } from '../flux/testing/frames';
import { makeFleet } from './testing/fixtures';
import {
  cellPosition,
  columnsFor,
  computeLayout,
  GRID_PADDING,
  GROUP_SPACING,
  HEADER_HEIGHTS,
  hitTest,
  moveFocus,
  revealScrollTop,
  visibleRowRange,
} from './layout';

const objects = (n: number) => Array.from({ length: n }, (_, i) => fluxObject({ name: `o${i}` }));

describe('computeLayout', () => {
  it('fits as many columns as the width allows, at least one', () => {
    // pitch 18: 8 + 10*18 - 2 + 8 = 194
    expect(columnsFor(194, 16)).toBe(10);
    expect(columnsFor(193, 16)).toBe(9);
    expect(columnsFor(0, 16)).toBe(1);
  });

  it('wraps ungrouped objects into cell rows', () => {
    const layout = computeLayout({ objects: objects(25), groups: [], width: 194, cellSize: 16 });
    expect(layout.columns).toBe(10);
    expect(layout.rows.map((r) => (r.type === 'cells' ? r.count : 'h'))).toEqual([10, 10, 5]);
    expect(layout.rows.map((r) => r.y)).toEqual([8, 26, 44]);
    expect(layout.totalHeight).toBe(GRID_PADDING + 3 * 18 + GRID_PADDING);
    expect(layout.cells).toHaveLength(25);
  });

  it('puts a header before each group and its children', () => {
    const fleet = [
      fluxObject({ kind: 'A', namespace: 'x', name: '1' }),
      fluxObject({ kind: 'A', namespace: 'y', name: '2' }),
      fluxObject({ kind: 'B', namespace: 'x', name: '3' }),
    ];
    const layout = computeLayout({
      objects: fleet,
      groups: groupObjects(fleet, ['kind', 'namespace']),
      width: 400,
      cellSize: 16,
    });
    expect(layout.rows.map((r) => (r.type === 'header' ? `${r.depth}:${r.group.label}` : `cells:${r.count}`))).toEqual([
      '0:A',
      '1:x',
      'cells:1',
      '1:y',
      'cells:1',
      '0:B',
      '1:x',
      'cells:1',
    ]);
    expect(layout.cells.map((o) => o.name)).toEqual(['1', '2', '3']);
    // header 28 + header 24 + cells 18 + spacing
    expect(layout.rows[3].y).toBe(GRID_PADDING + HEADER_HEIGHTS[0] + HEADER_HEIGHTS[1] + 18 + GROUP_SPACING);
  });
});

describe('hit-testing', () => {
  const layout = computeLayout({ objects: objects(25), groups: [], width: 194, cellSize: 16 });

  it('finds the cell under a point', () => {
    expect(hitTest(layout, 8, 8)).toBe(0);
    expect(hitTest(layout, 8 + 18 * 3 + 15, 26 + 15)).toBe(13);
    expect(hitTest(layout, 8 + 18 * 4, 44)).toBe(24);
  });

  it('misses gaps, padding, the ragged end of the last row and space below', () => {
    expect(hitTest(layout, 8 + 16, 8)).toBe(-1); // the gap after cell 0
    expect(hitTest(layout, 8, 8 + 16)).toBe(-1); // the gap under cell 0
    expect(hitTest(layout, 4, 10)).toBe(-1);
    expect(hitTest(layout, 2, 2)).toBe(-1);
    expect(hitTest(layout, 8 + 18 * 5, 44)).toBe(-1);
    expect(hitTest(layout, 8, 500)).toBe(-1);
  });

  it('misses headers', () => {
    const fleet = [fluxObject({ kind: 'A', name: 'a' })];
    const grouped = computeLayout({ objects: fleet, groups: groupObjects(fleet, ['kind']), width: 300, cellSize: 16 });
    expect(hitTest(grouped, 10, 10)).toBe(-1);
    expect(hitTest(grouped, 10, GRID_PADDING + HEADER_HEIGHTS[0] + 1)).toBe(0);
  });

  it('agrees with cellPosition for every cell of a large grouped fleet', () => {
    const fleet = makeFleet(2000);
    const big = computeLayout({
      objects: fleet,
      groups: groupObjects(fleet, ['cluster', 'kind']),
      width: 731,
      cellSize: 13,
    });
    for (let i = 0; i < big.cells.length; i += 7) {
      const p = cellPosition(big, i)!;
      expect(hitTest(big, p.x + 1, p.y + 1)).toBe(i);
      expect(hitTest(big, p.x + big.cellWidth - 0.5, p.y + big.cellWidth - 0.5)).toBe(i);
    }
  });
});

describe('visibleRowRange', () => {
  const layout = computeLayout({ objects: objects(1000), groups: [], width: 194, cellSize: 16 });

  it('returns only the rows intersecting the viewport', () => {
    expect(visibleRowRange(layout, 0, 100)).toEqual([0, 5]);
    const [first, last] = visibleRowRange(layout, 900, 1000);
    expect(layout.rows[first].y).toBeLessThanOrEqual(900);
    expect(layout.rows[first].y + 18).toBeGreaterThan(900);
    expect(layout.rows[last].y).toBeLessThan(1000);
  });

  it('is empty for an empty layout', () => {
    expect(visibleRowRange(computeLayout({ objects: [], groups: [], width: 100, cellSize: 16 }), 0, 100)).toEqual([
      0, -1,
    ]);
  });
});

describe('keyboard movement', () => {
  const fleet = [
    ...Array.from({ length: 12 }, (_, i) => fluxObject({ kind: 'A', name: `a${i}` })),
    ...Array.from({ length: 3 }, (_, i) => fluxObject({ kind: 'B', name: `b${i}` })),
  ];
  // 10 columns: group A rows [0..9], [10,11]; group B row [12..14]
  const layout = computeLayout({ objects: fleet, groups: groupObjects(fleet, ['kind']), width: 194, cellSize: 16 });

  it('moves left and right through cells, across rows', () => {
    expect(moveFocus(layout, 9, 'ArrowRight')).toBe(10);
    expect(moveFocus(layout, 14, 'ArrowRight')).toBe(14);
    expect(moveFocus(layout, 0, 'ArrowLeft')).toBe(0);
  });

  it('keeps the column moving up and down, clamped to shorter rows', () => {
    expect(moveFocus(layout, 3, 'ArrowDown')).toBe(11); // row [10, 11]: column 1 at most
    expect(moveFocus(layout, 11, 'ArrowDown')).toBe(13);
    expect(moveFocus(layout, 13, 'ArrowUp')).toBe(11);
    expect(moveFocus(layout, 1, 'ArrowUp')).toBe(1);
  });

  it('jumps to row ends, the first and last cell, and by pages', () => {
    expect(moveFocus(layout, 4, 'Home')).toBe(0);
    expect(moveFocus(layout, 4, 'End')).toBe(9);
    expect(moveFocus(layout, 4, 'Last')).toBe(14);
    expect(moveFocus(layout, 13, 'First')).toBe(0);
    expect(moveFocus(layout, 2, 'PageDown', 5)).toBe(14);
    expect(moveFocus(layout, 14, 'PageUp', 1)).toBe(11);
    expect(moveFocus(layout, -1, 'ArrowRight')).toBe(0);
  });

  it('scrolls just enough to reveal a cell and its group header', () => {
    const tall = computeLayout({ objects: objects(1000), groups: [], width: 194, cellSize: 16 });
    expect(revealScrollTop(tall, 5, 0, 100)).toBe(0);
    const last = revealScrollTop(tall, 999, 0, 100);
    expect(last).toBe(tall.rows[99].y + 16 + GRID_PADDING - 100);
    expect(revealScrollTop(tall, 0, last, 100)).toBe(0);
    const pos = cellPosition(layout, 12)!;
    expect(revealScrollTop(layout, 12, 1000, 50)).toBe(layout.rows[pos.rowIndex - 1].y);
  });
});
