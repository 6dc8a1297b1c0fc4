/**
 * Grid geometry: groups flattened into rows of headers and cells for a given width and cell size.
 * Pure arithmetic, so scrolling, hit-testing and keyboard movement never walk a React tree and
 * stay O(log rows) at 50,000 objects. A "cell" is a square glyph cell or, when names fit, a
 * labelled tile: the same geometry with a wider box (see chooseDisplay).
 */
import type { FluxGroup, FluxObject } from '../flux';
import { laneCount, RowBox, splitIntoLanes } from './lanes';

export const GRID_PADDING = 8;
/** Header height by depth (0 = first grouping level). */
export const HEADER_HEIGHTS = [28, 24];
/** Vertical space after the last cell row of a group. */
export const GROUP_SPACING = 8;

export function cellGap(cellSize: number): number {
  return cellSize >= 12 ? 2 : 1;
}

/** Left edge and width of the lane (column of groups) a row sits in; one lane spans the panel. */
interface RowSpan {
  x: number;
  width: number;
}

export interface HeaderRow extends RowSpan {
  type: 'header';
  y: number;
  height: number;
  depth: number;
  group: FluxGroup;
  /** Folded: the group's objects are counted in its header and laid out no cells. */
  folded: boolean;
}

export interface CellRow extends RowSpan {
  type: 'cells';
  y: number;
  height: number;
  /** Index in `layout.cells` of the row's first cell. */
  start: number;
  count: number;
}

export type LayoutRow = HeaderRow | CellRow;

/**
 * A column of whole groups. Rows are stored lane after lane (reading order), so `rows` and
 * `cells` read top to bottom, then the next lane; within a lane, row tops increase.
 */
export interface Lane extends RowSpan {
  firstRow: number;
  /** One past the lane's last row. */
  endRow: number;
}

export interface GridLayout {
  width: number;
  /** 'tiles': labelled boxes (name, glyph, time in state); 'cells': square glyph cells. */
  mode: DisplayMode;
  cellWidth: number;
  cellHeight: number;
  gap: number;
  /** cellWidth + gap, cellHeight + gap: distances between neighbouring cells. */
  pitchX: number;
  pitchY: number;
  /** Cells (or tiles) per row of a lane. */
  columns: number;
  lanes: Lane[];
  rows: LayoutRow[];
  /** `rows[i].y`, for binary search within a lane. */
  rowTops: Float64Array;
  /** Objects in display order: a cell's index is its position here. */
  cells: FluxObject[];
  /** For each cell row, in order: its index in `rows` and its first cell. */
  cellRowIndex: Int32Array;
  cellRowStarts: Int32Array;
  totalHeight: number;
  /** Objects inside folded groups (not in `cells`). */
  foldedObjects: number;
}

export type DisplayMode = 'tiles' | 'cells';

/**
 * A tile: two text lines (glyph and name; state and time in state) in the body font's small size.
 * Tiles stretch to share the row's width evenly, between these bounds.
 */
export const TILE = { minWidth: 150, maxWidth: 260, height: 38, gap: 4 } as const;

export interface LayoutInput {
  /** Ungrouped objects, used when `groups` is empty. */
  objects: FluxObject[];
  groups: FluxGroup[];
  width: number;
  cellSize: number;
  /** Default 'cells'. */
  mode?: DisplayMode;
  /** Ids of groups drawn as a folded count row. */
  folded?: ReadonlySet<string>;
}

export function columnsFor(width: number, cellSize: number): number {
  const pitch = cellSize + cellGap(cellSize);
  return Math.max(1, Math.floor((width - 2 * GRID_PADDING + cellGap(cellSize)) / pitch));
}

/** Tile columns and width for a grid width: as many minimum-width tiles as fit, stretched. */
export function tileBox(width: number): { columns: number; cellWidth: number } {
  const inner = width - 2 * GRID_PADDING + TILE.gap;
  const columns = Math.max(1, Math.floor(inner / (TILE.minWidth + TILE.gap)));
  const cellWidth = Math.max(1, Math.min(TILE.maxWidth, Math.floor(inner / columns) - TILE.gap));
  return { columns, cellWidth };
}

export function computeLayout({ objects, groups, width, cellSize, mode = 'cells', folded }: LayoutInput): GridLayout {
  const gap = mode === 'tiles' ? TILE.gap : cellGap(cellSize);
  const box: RowBox = (w) => {
    const columns = mode === 'tiles' ? tileBox(w).columns : columnsFor(w, cellSize);
    const cellWidth = mode === 'tiles' ? tileBox(w).cellWidth : cellSize;
    return { columns, pitchX: cellWidth + gap, gap };
  };
  const laneTotal = laneCount(width, GRID_PADDING, groups, folded, box);
  const laneWidth = laneTotal > 1 ? Math.floor(width / laneTotal) : width;
  const cellWidth = mode === 'tiles' ? tileBox(laneWidth).cellWidth : cellSize;
  const cellHeight = mode === 'tiles' ? TILE.height : cellSize;
  const pitchX = cellWidth + gap;
  const pitchY = cellHeight + gap;
  const columns = box(laneWidth).columns;
  const rows: LayoutRow[] = [];
  const lanes: Lane[] = [];
  const cells: FluxObject[] = [];
  let foldedObjects = 0;
  let y = GRID_PADDING;
  let span: RowSpan = { x: 0, width };
  let totalHeight = 0;

  const addCells = (list: FluxObject[]) => {
    for (let offset = 0; offset < list.length; offset += columns) {
      const count = Math.min(columns, list.length - offset);
      rows.push({ type: 'cells', ...span, y, height: pitchY, start: cells.length + offset, count });
      y += pitchY;
    }
    for (const object of list) {
      cells.push(object);
    }
  };

  const headerHeight = (depth: number) => HEADER_HEIGHTS[Math.min(depth, HEADER_HEIGHTS.length - 1)];
  const addGroup = (group: FluxGroup, depth: number) => {
    const height = headerHeight(depth);
    const isFolded = folded?.has(group.id) ?? false;
    rows.push({ type: 'header', ...span, y, height, depth, group, folded: isFolded });
    y += height;
    if (isFolded) {
      foldedObjects += group.objects.length;
      y += depth === 0 ? GROUP_SPACING / 2 : 0;
    } else if (group.children && group.children.length > 0) {
      for (const child of group.children) {
        addGroup(child, depth + 1);
      }
    } else {
      addCells(group.objects);
      y += GROUP_SPACING;
    }
  };
  // The height addGroup will give a group, without laying it out: lanes are balanced on it.
  const groupHeight = (group: FluxGroup, depth: number): number => {
    const header = headerHeight(depth);
    if (folded?.has(group.id)) {
      return header + (depth === 0 ? GROUP_SPACING / 2 : 0);
    }
    if (group.children && group.children.length > 0) {
      return group.children.reduce((sum, child) => sum + groupHeight(child, depth + 1), header);
    }
    return header + Math.ceil(group.objects.length / columns) * pitchY + GROUP_SPACING;
  };
  const openLane = (index: number) => {
    // The last lane takes the pixels that flooring the lane width left over.
    const last = laneTotal > 1 && index === laneTotal - 1;
    span = { x: index * laneWidth, width: last ? width - index * laneWidth : laneWidth };
    lanes.push({ ...span, firstRow: rows.length, endRow: rows.length });
    y = GRID_PADDING;
  };
  const closeLane = () => {
    lanes[lanes.length - 1].endRow = rows.length;
    totalHeight = Math.max(totalHeight, y + GRID_PADDING);
  };

  if (groups.length > 0) {
    const starts = splitIntoLanes(laneTotal > 1 ? groups.map((group) => groupHeight(group, 0)) : [], laneTotal);
    starts.forEach((start, lane) => {
      openLane(lane);
      const end = lane + 1 < starts.length ? starts[lane + 1] : groups.length;
      for (let g = start; g < end; g++) {
        addGroup(groups[g], 0);
      }
      closeLane();
    });
  } else {
    openLane(0);
    addCells(objects);
    closeLane();
  }

  const rowTops = new Float64Array(rows.length);
  let cellRowCount = 0;
  rows.forEach((row, i) => {
    rowTops[i] = row.y;
    if (row.type === 'cells') {
      cellRowCount++;
    }
  });
  const cellRowIndex = new Int32Array(cellRowCount);
  const cellRowStarts = new Int32Array(cellRowCount);
  let k = 0;
  rows.forEach((row, i) => {
    if (row.type === 'cells') {
      cellRowIndex[k] = i;
      cellRowStarts[k] = row.start;
      k++;
    }
  });

  return {
    width,
    mode,
    cellWidth,
    cellHeight,
    gap,
    pitchX,
    pitchY,
    columns,
    lanes,
    rows,
    rowTops,
    cells,
    cellRowIndex,
    cellRowStarts,
    totalHeight,
    foldedObjects,
  };
}

/** Index of the last element <= value in sorted[lo, hi), or lo - 1. */
function floorIndex(sorted: ArrayLike<number>, value: number, lo = 0, hi = sorted.length): number {
  let found = lo - 1;
  let top = hi - 1;
  while (lo <= top) {
    const mid = (lo + top) >> 1;
    if (sorted[mid] <= value) {
      found = mid;
      lo = mid + 1;
    } else {
      top = mid - 1;
    }
  }
  return found;
}

/** The lane under content x (lanes are few and ordered left to right). */
export function laneAt(layout: GridLayout, x: number): number {
  let lane = 0;
  while (lane + 1 < layout.lanes.length && x >= layout.lanes[lane + 1].x) {
    lane++;
  }
  return lane;
}

/** The row of `lane` at content y, or -1 above its first row. */
export function rowIndexAt(layout: GridLayout, y: number, lane = 0): number {
  const { firstRow, endRow } = layout.lanes[lane] ?? { firstRow: 0, endRow: 0 };
  const found = floorIndex(layout.rowTops, y, firstRow, endRow);
  return found < firstRow ? -1 : found;
}

/**
 * Rows intersecting [top, bottom) in content coordinates: one inclusive index range per lane
 * that has rows there. Per frame this is two binary searches per lane, whatever the fleet.
 */
export function visibleRowRanges(layout: GridLayout, top: number, bottom: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  layout.lanes.forEach((lane, i) => {
    if (lane.endRow <= lane.firstRow) {
      return;
    }
    const first = Math.max(lane.firstRow, rowIndexAt(layout, top, i));
    const last = Math.max(first, rowIndexAt(layout, Math.max(top, bottom - 0.001), i));
    const end = Math.min(last, lane.endRow - 1);
    // A lane whose rows all end above `top` shows nothing.
    const row = layout.rows[first];
    if (end === first && row.y + row.height <= top) {
      return;
    }
    ranges.push([first, end]);
  });
  return ranges;
}

/** The cell under content point (x, y), or -1 for gaps, headers and empty space. */
export function hitTest(layout: GridLayout, x: number, y: number): number {
  const rowIndex = rowIndexAt(layout, y, laneAt(layout, x));
  if (rowIndex < 0) {
    return -1;
  }
  const row = layout.rows[rowIndex];
  if (row.type !== 'cells' || y - row.y >= layout.cellHeight) {
    return -1;
  }
  const dx = x - row.x - GRID_PADDING;
  if (dx < 0) {
    return -1;
  }
  const column = Math.floor(dx / layout.pitchX);
  if (column >= row.count || dx - column * layout.pitchX >= layout.cellWidth) {
    return -1;
  }
  return row.start + column;
}

/** Position of the cell row holding `index` among the cell rows. */
export function cellRowOf(layout: GridLayout, index: number): number {
  return floorIndex(layout.cellRowStarts, index);
}

export interface CellPosition {
  x: number;
  y: number;
  /** Index into `layout.rows`. */
  rowIndex: number;
  /** Position within its row, from 0. */
  column: number;
}

export function cellPosition(layout: GridLayout, index: number): CellPosition | undefined {
  if (index < 0 || index >= layout.cells.length) {
    return undefined;
  }
  const k = cellRowOf(layout, index);
  const rowIndex = layout.cellRowIndex[k];
  const row = layout.rows[rowIndex] as CellRow;
  const column = index - row.start;
  return { x: row.x + GRID_PADDING + column * layout.pitchX, y: row.y, rowIndex, column };
}
