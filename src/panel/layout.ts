/**
 * Grid geometry: groups flattened into rows of headers and cells for a given width and cell size.
 * Pure arithmetic, so scrolling, hit-testing and keyboard movement never walk a React tree and
 * stay O(log rows) at 50,000 objects. A "cell" is a square glyph cell or, when names fit, a
 * labelled tile: the same geometry with a wider box (see chooseDisplay).
 */
import type { FluxGroup, FluxObject } from '../flux';

export const GRID_PADDING = 8;
/** Header height by depth (0 = first grouping level). */
export const HEADER_HEIGHTS = [28, 24];
/** Vertical space after the last cell row of a group. */
export const GROUP_SPACING = 8;

export function cellGap(cellSize: number): number {
  return cellSize >= 12 ? 2 : 1;
}

export interface HeaderRow {
  type: 'header';
  y: number;
  height: number;
  depth: number;
  group: FluxGroup;
  /** Folded: the group's objects are counted in its header and laid out no cells. */
  folded: boolean;
}

export interface CellRow {
  type: 'cells';
  y: number;
  height: number;
  /** Index in `layout.cells` of the row's first cell. */
  start: number;
  count: number;
}

export type LayoutRow = HeaderRow | CellRow;

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
  columns: number;
  rows: LayoutRow[];
  /** `rows[i].y`, for binary search. */
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
  const tiles = mode === 'tiles' ? tileBox(width) : undefined;
  const gap = tiles ? TILE.gap : cellGap(cellSize);
  const cellWidth = tiles ? tiles.cellWidth : cellSize;
  const cellHeight = tiles ? TILE.height : cellSize;
  const pitchX = cellWidth + gap;
  const pitchY = cellHeight + gap;
  const columns = tiles ? tiles.columns : columnsFor(width, cellSize);
  const rows: LayoutRow[] = [];
  const cells: FluxObject[] = [];
  let foldedObjects = 0;
  let y = GRID_PADDING;

  const addCells = (list: FluxObject[]) => {
    for (let offset = 0; offset < list.length; offset += columns) {
      const count = Math.min(columns, list.length - offset);
      rows.push({ type: 'cells', y, height: pitchY, start: cells.length + offset, count });
      y += pitchY;
    }
    for (const object of list) {
      cells.push(object);
    }
  };

  const addGroup = (group: FluxGroup, depth: number) => {
    const height = HEADER_HEIGHTS[Math.min(depth, HEADER_HEIGHTS.length - 1)];
    const isFolded = folded?.has(group.id) ?? false;
    rows.push({ type: 'header', y, height, depth, group, folded: isFolded });
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

  if (groups.length > 0) {
    for (const group of groups) {
      addGroup(group, 0);
    }
  } else {
    addCells(objects);
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
    rows,
    rowTops,
    cells,
    cellRowIndex,
    cellRowStarts,
    totalHeight: y + GRID_PADDING,
    foldedObjects,
  };
}

/** Index of the last element <= value in a sorted array, or -1. */
function floorIndex(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= value) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** The row at content y, or -1 above the first row. */
export function rowIndexAt(layout: GridLayout, y: number): number {
  return floorIndex(layout.rowTops, y);
}

/** Rows intersecting [top, bottom) in content coordinates, as an inclusive index range. */
export function visibleRowRange(layout: GridLayout, top: number, bottom: number): [number, number] {
  if (layout.rows.length === 0) {
    return [0, -1];
  }
  const first = Math.max(0, rowIndexAt(layout, top));
  const last = Math.max(first, rowIndexAt(layout, Math.max(top, bottom - 0.001)));
  return [first, Math.min(last, layout.rows.length - 1)];
}

/** The cell under content point (x, y), or -1 for gaps, headers and empty space. */
export function hitTest(layout: GridLayout, x: number, y: number): number {
  const rowIndex = rowIndexAt(layout, y);
  if (rowIndex < 0) {
    return -1;
  }
  const row = layout.rows[rowIndex];
  if (row.type !== 'cells' || y - row.y >= layout.cellHeight) {
    return -1;
  }
  const dx = x - GRID_PADDING;
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
function cellRowOf(layout: GridLayout, index: number): number {
  return floorIndex(layout.cellRowStarts, index);
}

export interface CellPosition {
  x: number;
  y: number;
  /** Index into `layout.rows`. */
  rowIndex: number;
}

export function cellPosition(layout: GridLayout, index: number): CellPosition | undefined {
  if (index < 0 || index >= layout.cells.length) {
    return undefined;
  }
  const k = cellRowOf(layout, index);
  const rowIndex = layout.cellRowIndex[k];
  const row = layout.rows[rowIndex] as CellRow;
  return { x: GRID_PADDING + (index - row.start) * layout.pitchX, y: row.y, rowIndex };
}

export type FocusMove =
  'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown' | 'First' | 'Last';

/**
 * Keyboard movement through cells. Up/down keep the column where the target row has one (rows of
 * different groups can be shorter); page moves jump `pageRows` cell rows.
 */
export function moveFocus(layout: GridLayout, index: number, move: FocusMove, pageRows = 10): number {
  const n = layout.cells.length;
  if (n === 0) {
    return -1;
  }
  if (index < 0 || index >= n) {
    return 0;
  }
  const k = cellRowOf(layout, index);
  const row = layout.rows[layout.cellRowIndex[k]] as CellRow;
  const column = index - row.start;
  const toRow = (target: number) => {
    const clamped = Math.max(0, Math.min(layout.cellRowIndex.length - 1, target));
    const next = layout.rows[layout.cellRowIndex[clamped]] as CellRow;
    return next.start + Math.min(column, next.count - 1);
  };
  switch (move) {
    case 'ArrowLeft':
      return Math.max(0, index - 1);
    case 'ArrowRight':
      return Math.min(n - 1, index + 1);
    case 'ArrowUp':
      return toRow(k - 1);
    case 'ArrowDown':
      return toRow(k + 1);
    case 'PageUp':
      return toRow(k - Math.max(1, pageRows));
    case 'PageDown':
      return toRow(k + Math.max(1, pageRows));
    case 'Home':
      return row.start;
    case 'End':
      return row.start + row.count - 1;
    case 'First':
      return 0;
    case 'Last':
      return n - 1;
  }
}

/**
 * The scrollTop that brings a cell fully into view (also showing the header just above the
 * group's first row), or the current one when it already is.
 */
export function revealScrollTop(layout: GridLayout, index: number, scrollTop: number, viewportHeight: number): number {
  const position = cellPosition(layout, index);
  if (!position) {
    return scrollTop;
  }
  let top = position.y - GRID_PADDING;
  const previous = layout.rows[position.rowIndex - 1];
  if (previous?.type === 'header') {
    top = previous.y;
  }
  const bottom = position.y + layout.cellHeight + GRID_PADDING;
  if (top < scrollTop) {
    return Math.max(0, top);
  }
  if (bottom > scrollTop + viewportHeight) {
    return Math.max(0, Math.min(top, bottom - viewportHeight));
  }
  return scrollTop;
}
