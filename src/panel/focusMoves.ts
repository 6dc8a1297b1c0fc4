/**
 * Keyboard movement and scroll reveal over a GridLayout. Cells and rows are stored in reading
 * order (lane after lane), so "next row" past a lane's last group is the next lane's first.
 */
import { CellRow, cellPosition, cellRowOf, GRID_PADDING, GridLayout } from './layout';

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
