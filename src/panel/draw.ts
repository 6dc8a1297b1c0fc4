/**
 * Draws the visible cells of a GridLayout on a 2D context. Work is proportional to the cells in
 * the viewport, not to the number of objects: rows are found by binary search and cells are
 * batched by style so a frame sets each colour once.
 */
import type { FluxObject } from '../flux';
import { cellPosition, GRID_PADDING, GridLayout, visibleRowRanges } from './layout';
import type { CellStyleKey, GridPalette } from './palette';

/** The part of CanvasRenderingContext2D the grid uses (a fake one in tests and benchmarks). */
export type GridContext = Pick<
  CanvasRenderingContext2D,
  | 'setTransform'
  | 'clearRect'
  | 'fillRect'
  | 'strokeRect'
  | 'beginPath'
  | 'closePath'
  | 'moveTo'
  | 'lineTo'
  | 'arc'
  | 'stroke'
  | 'fill'
  | 'fillText'
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'lineCap'
  | 'lineJoin'
  | 'font'
  | 'textAlign'
  | 'textBaseline'
>;

export interface DrawParams {
  layout: GridLayout;
  scrollTop: number;
  /** Viewport size in CSS pixels. */
  width: number;
  height: number;
  devicePixelRatio: number;
  palette: GridPalette;
  focusIndex: number;
  hoverIndex: number;
  /** Draw the focus ring (the grid has keyboard focus). */
  showFocus: boolean;
  isSustained: (object: FluxObject) => boolean;
}

const STYLE_ORDER: CellStyleKey[] = ['Failed', 'Sustained', 'Progressing', 'Unknown', 'Suspended', 'Ready', 'Deleted'];

/** Returns how many cells were drawn. */
export function drawGrid(ctx: GridContext | null | undefined, params: DrawParams): number {
  if (!ctx) {
    return 0;
  }
  const { layout, scrollTop, width, height, palette } = params;
  const dpr = params.devicePixelRatio > 0 ? params.devicePixelRatio : 1;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);

  // Flat [x, y, x, y, …] viewport coordinates per style.
  const buckets: Record<CellStyleKey, number[]> = {
    Failed: [],
    Sustained: [],
    Progressing: [],
    Unknown: [],
    Suspended: [],
    Ready: [],
    Deleted: [],
  };
  let drawn = 0;
  // One row range per lane (column of groups).
  for (const [first, last] of visibleRowRanges(layout, scrollTop, scrollTop + height)) {
    for (let r = first; r <= last; r++) {
      const row = layout.rows[r];
      if (row.type !== 'cells') {
        continue;
      }
      const y = row.y - scrollTop;
      const left = row.x + GRID_PADDING;
      for (let c = 0; c < row.count; c++) {
        const object = layout.cells[row.start + c];
        const key: CellStyleKey = object.state === 'Failed' && params.isSustained(object) ? 'Sustained' : object.state;
        buckets[key].push(left + c * layout.pitchX, y);
        drawn++;
      }
    }
  }

  const { cellWidth, cellHeight } = layout;
  // Tiles carry their glyph as text beside the name (TileLabels); the canvas paints their fills.
  const glyphs = layout.mode === 'cells';
  for (const key of STYLE_ORDER) {
    const points = buckets[key];
    if (points.length === 0) {
      continue;
    }
    const style = palette.cells[key];
    ctx.fillStyle = style.fill;
    for (let i = 0; i < points.length; i += 2) {
      ctx.fillRect(points[i], points[i + 1], cellWidth, cellHeight);
    }
    if (key === 'Sustained') {
      drawSustainedMarks(ctx, points, cellWidth, Math.min(cellWidth, cellHeight), palette.sustainedMark);
    }
    // Ready is the calm majority: a plain fill keeps a big fleet from reading as a checkerboard;
    // every state that needs attention keeps its glyph, so no state relies on colour alone.
    if (glyphs && key !== 'Ready') {
      drawGlyphs(ctx, key, points, cellWidth, style.glyph);
    }
  }

  drawRing(ctx, params, params.hoverIndex, palette.hoverRing, 1);
  if (params.showFocus) {
    drawRing(ctx, params, params.focusIndex, palette.focusRing, 2);
  }
  return drawn;
}

/**
 * A sustained failure keeps its red at every size: a deeper red fill and a cut-off top-right
 * corner in the mark colour, inside the cell. No outline: focus and hover are rings outside the
 * cell, so the three never look alike, and at 6–8 px a border would swallow the fill.
 */
export function sustainedNotch(size: number): number {
  return Math.max(2, Math.round(size * 0.4));
}

function drawSustainedMarks(ctx: GridContext, points: number[], width: number, size: number, color: string) {
  ctx.fillStyle = color;
  ctx.beginPath();
  const notch = sustainedNotch(size);
  for (let i = 0; i < points.length; i += 2) {
    const right = points[i] + width;
    const top = points[i + 1];
    ctx.moveTo(right - notch, top);
    ctx.lineTo(right, top);
    ctx.lineTo(right, top + notch);
    ctx.closePath();
  }
  ctx.fill();
}

function drawGlyphs(
  ctx: GridContext,
  key: Exclude<CellStyleKey, 'Ready'>,
  points: number[],
  size: number,
  color: string
) {
  const s = size;
  const m = s * 0.28;
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = Math.max(1, s / 9);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  if (key === 'Unknown') {
    ctx.font = `bold ${Math.max(6, Math.round(s * 0.72))}px sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (let i = 0; i < points.length; i += 2) {
      ctx.fillText('?', points[i] + s / 2, points[i + 1] + s * 0.54);
    }
    return;
  }
  ctx.beginPath();
  for (let i = 0; i < points.length; i += 2) {
    const x = points[i];
    const y = points[i + 1];
    switch (key) {
      case 'Failed':
      case 'Sustained':
        ctx.moveTo(x + m, y + m);
        ctx.lineTo(x + s - m, y + s - m);
        ctx.moveTo(x + s - m, y + m);
        ctx.lineTo(x + m, y + s - m);
        break;
      case 'Suspended':
        ctx.moveTo(x + s * 0.38, y + m);
        ctx.lineTo(x + s * 0.38, y + s - m);
        ctx.moveTo(x + s * 0.62, y + m);
        ctx.lineTo(x + s * 0.62, y + s - m);
        break;
      case 'Deleted':
        ctx.moveTo(x + m, y + s / 2);
        ctx.lineTo(x + s - m, y + s / 2);
        break;
      case 'Progressing': {
        const r = s * 0.26;
        ctx.moveTo(x + s / 2 + r, y + s / 2);
        ctx.arc(x + s / 2, y + s / 2, r, 0, Math.PI * 2);
        break;
      }
    }
  }
  ctx.stroke();
  if (key === 'Progressing') {
    // ◐: the left half filled.
    ctx.beginPath();
    for (let i = 0; i < points.length; i += 2) {
      const cx = points[i] + s / 2;
      const cy = points[i + 1] + s / 2;
      const r = s * 0.26;
      ctx.moveTo(cx, cy - r);
      ctx.arc(cx, cy, r, -Math.PI / 2, Math.PI / 2, true);
      ctx.closePath();
    }
    ctx.fill();
  }
}

function drawRing(ctx: GridContext, params: DrawParams, index: number, color: string, lineWidth: number) {
  const position = cellPosition(params.layout, index);
  if (!position) {
    return;
  }
  const y = position.y - params.scrollTop;
  const { cellWidth, cellHeight } = params.layout;
  if (y + cellHeight < 0 || y > params.height) {
    return;
  }
  const outset = lineWidth + 0.5;
  ctx.strokeStyle = color;
  ctx.lineWidth = lineWidth;
  ctx.strokeRect(position.x - outset, y - outset, cellWidth + 2 * outset, cellHeight + 2 * outset);
}
