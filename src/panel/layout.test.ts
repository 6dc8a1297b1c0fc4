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
  visibleRowRanges,
} from './layout';
import { moveFocus, revealScrollTop } from './focusMoves';
import { MIN_LANE_WIDTH } from './lanes';

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

describe('visibleRowRanges', () => {
  const layout = computeLayout({ objects: objects(1000), groups: [], width: 194, cellSize: 16 });

  it('returns only the rows intersecting the viewport', () => {
    expect(visibleRowRanges(layout, 0, 100)).toEqual([[0, 5]]);
    const [[first, last]] = visibleRowRanges(layout, 900, 1000);
    expect(layout.rows[first].y).toBeLessThanOrEqual(900);
    expect(layout.rows[first].y + 18).toBeGreaterThan(900);
    expect(layout.rows[last].y).toBeLessThan(1000);
  });

  it('is empty for an empty layout', () => {
    expect(visibleRowRanges(computeLayout({ objects: [], groups: [], width: 100, cellSize: 16 }), 0, 100)).toEqual([]);
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

describe('groups in columns (lanes) when the panel is wide', () => {
  // 300 objects in 50 namespaces of 4 or 8: one full-width column would use 158 of 1600 px.
  const fleet = makeFleet(300);
  const groups = groupObjects(fleet, ['namespace']);
  const wide = computeLayout({ objects: fleet, groups, width: 1600, cellSize: 16 });

  it('flows small groups into balanced lanes, each group whole, in reading order', () => {
    expect(wide.lanes.map((lane) => lane.x)).toEqual([0, 400, 800, 1200]);
    expect(wide.columns).toBe(columnsFor(400, 16));
    // Lanes read top to bottom, then the next lane: cells keep the groups' order.
    expect(wide.cells).toEqual(groups.flatMap((group) => group.objects));
    const oneLane = computeLayout({ objects: fleet, groups, width: 1600 / 4, cellSize: 16 });
    expect(oneLane.lanes).toHaveLength(1);
    // Balanced: the tallest lane is about a quarter of one column's height.
    expect(wide.totalHeight).toBeLessThan(oneLane.totalHeight / 4 + 2 * HEADER_HEIGHTS[0] + 18);
    for (const lane of wide.lanes) {
      const rows = wide.rows.slice(lane.firstRow, lane.endRow);
      expect(rows[0].type).toBe('header');
      expect(rows.every((row) => row.x === lane.x && row.width === lane.width)).toBe(true);
      expect(rows.every((row, i) => i === 0 || row.y > rows[i - 1].y)).toBe(true);
    }
    // Each group's header and cells sit in one lane.
    wide.rows.forEach((row, i) => {
      if (row.type === 'cells') {
        expect(wide.rows[i - 1].x).toBe(row.x);
      }
    });
  });

  it('keeps one full-width column when narrow, for one group, or when a group is big', () => {
    expect(computeLayout({ objects: fleet, groups, width: 2 * MIN_LANE_WIDTH - 1, cellSize: 16 }).lanes).toHaveLength(
      1
    );
    const one = groupObjects(fleet, ['cluster']).slice(0, 1);
    expect(computeLayout({ objects: fleet, groups: one, width: 1600, cellSize: 16 }).lanes).toHaveLength(1);
    const big = [...fleet, ...Array.from({ length: 200 }, (_, i) => fluxObject({ namespace: 'big', name: `b${i}` }))];
    const layout = computeLayout({ objects: big, groups: groupObjects(big, ['namespace']), width: 1600, cellSize: 16 });
    expect(layout.lanes).toHaveLength(1);
    expect(layout.rows.every((row) => row.x === 0 && row.width === 1600)).toBe(true);
  });

  it('hit-tests every cell back to itself, and nothing in the gutters', () => {
    for (let i = 0; i < wide.cells.length; i++) {
      const p = cellPosition(wide, i)!;
      const row = wide.rows[p.rowIndex];
      expect(p.x + wide.cellWidth).toBeLessThanOrEqual(row.x + row.width);
      expect(hitTest(wide, p.x, p.y)).toBe(i);
      expect(hitTest(wide, p.x + wide.cellWidth - 0.5, p.y + wide.cellHeight - 0.5)).toBe(i);
      // Just left of a cell: the gap between cells, or the lane's padding.
      expect(hitTest(wide, p.x - 0.5, p.y)).toBe(-1);
    }
    expect(hitTest(wide, 400 + GRID_PADDING / 2, wide.rows[wide.lanes[1].firstRow + 1].y + 1)).toBe(-1);
  });

  it('hit-tests and draws tiles in lanes too', () => {
    // Tiles stretch, so 8 of them fill most of 1600 px; groups of 4 leave room for 2 lanes.
    const small = makeFleet(100);
    const tiles = computeLayout({
      objects: small,
      groups: groupObjects(small, ['namespace']),
      width: 1600,
      cellSize: 16,
      mode: 'tiles',
    });
    expect(tiles.lanes).toHaveLength(2);
    expect(tiles.columns).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < tiles.cells.length; i += 7) {
      const p = cellPosition(tiles, i)!;
      expect(hitTest(tiles, p.x + tiles.cellWidth / 2, p.y + tiles.cellHeight / 2)).toBe(i);
    }
  });

  it('moves the keyboard within a group and past its end to the next group in reading order', () => {
    const lane1 = wide.lanes[1];
    const firstOfLane1 = (wide.rows[lane1.firstRow + 1] as { start: number }).start;
    // Right from the last cell of lane 0 goes to the first cell of lane 1's first group.
    expect(moveFocus(wide, firstOfLane1 - 1, 'ArrowRight')).toBe(firstOfLane1);
    expect(moveFocus(wide, firstOfLane1, 'ArrowLeft')).toBe(firstOfLane1 - 1);
    // Down from lane 0's last row goes to lane 1's first row, keeping the column.
    const lastRowStart = cellPosition(wide, firstOfLane1 - 1)!;
    const from = firstOfLane1 - 1 - lastRowStart.column;
    expect(moveFocus(wide, from, 'ArrowDown')).toBe(firstOfLane1);
    expect(moveFocus(wide, firstOfLane1, 'ArrowUp')).toBe(from);
    // Within a group (one row): right moves along the row, End to the group's last cell.
    expect(moveFocus(wide, 0, 'ArrowRight')).toBe(1);
    expect(moveFocus(wide, 0, 'End')).toBe(groups[0].objects.length - 1);
  });

  it('shows rows of every lane in view and reveals a cell of the last lane', () => {
    const ranges = visibleRowRanges(wide, 0, 200);
    expect(ranges).toHaveLength(4);
    ranges.forEach(([first], i) => expect(first).toBe(wide.lanes[i].firstRow));
    const last = wide.cells.length - 1;
    const top = revealScrollTop(wide, last, 0, 100);
    expect(cellPosition(wide, last)!.y + 16).toBeLessThanOrEqual(top + 100);
  });
});
