/**
 * How the grid shows its objects for the room it has: labelled tiles or glyph cells, and which
 * all-Ready groups fold into a count row. Pure and decided from the panel size and the objects
 * only, never from the viewer's clicks, so opening a folded group never flips tiles to cells.
 */
import type { FluxGroup, FluxObject } from '../flux';
import { computeLayout, DisplayMode, GRID_PADDING, GridLayout, HEADER_HEIGHTS, TILE, tileBox } from './layout';

export type DisplayOption = 'auto' | 'tiles' | 'cells';
export const DISPLAY_OPTIONS: readonly DisplayOption[] = ['auto', 'tiles', 'cells'];

/**
 * Tiles are chosen while the tile layout is at most this many viewports tall: names for the first
 * screen at least, scrolling for the rest, as a table would.
 */
export const TILE_SCREENS = 2;

export interface DisplayInput {
  objects: FluxObject[];
  groups: FluxGroup[];
  width: number;
  height: number;
  cellSize: number;
  option: DisplayOption;
  /** The plain cell layout of these objects and width, when the caller has it already. */
  cells?: GridLayout;
}

export interface DisplayChoice {
  mode: DisplayMode;
  /** All-Ready groups start folded (the grid would not fit otherwise). */
  autoFold: boolean;
}

/** Every object of the group is Ready: nothing in it needs a look. */
export function isAllReady(group: FluxGroup): boolean {
  return group.objects.length > 0 && group.counts.Ready === group.objects.length;
}

/**
 * The groups to fold: all-Ready groups, at the highest level where a group is all-Ready, unless
 * the viewer opened (false) or closed (true) one.
 */
export function foldedGroups(
  groups: FluxGroup[],
  autoFold: boolean,
  viewer: ReadonlyMap<string, boolean> = new Map()
): Set<string> {
  const folded = new Set<string>();
  const visit = (group: FluxGroup, auto: boolean) => {
    const choice = viewer.get(group.id);
    if (isAllReady(group) && (choice ?? auto)) {
      folded.add(group.id);
      return;
    }
    // A group the viewer opened shows everything in it: one click, not one per level.
    const inner = choice === false ? false : auto;
    group.children?.forEach((child) => visit(child, inner));
  };
  groups.forEach((group) => visit(group, autoFold));
  return folded;
}

export function chooseDisplay(input: DisplayInput): DisplayChoice {
  const { objects, groups, width, height, cellSize, option } = input;
  const cells = input.cells ?? computeLayout({ objects, groups, width, cellSize });
  const foldable = cells.totalHeight > height ? foldedGroups(groups, true) : undefined;
  const autoFold = foldable !== undefined && foldable.size > 0;
  if (option !== 'auto') {
    return { mode: option, autoFold };
  }
  const folded = autoFold ? foldable : undefined;
  const shown = folded ? objects.length - countIn(groups, folded) : objects.length;
  // A lower bound of the tile layout's height, so a big fleet never pays for a tile layout pass.
  const { columns } = tileBox(width);
  const atLeast = GRID_PADDING * 2 + Math.ceil(shown / columns) * (TILE.height + TILE.gap);
  const limit = TILE_SCREENS * Math.max(height, HEADER_HEIGHTS[0] + TILE.height);
  if (atLeast > limit) {
    return { mode: 'cells', autoFold };
  }
  const tiles = computeLayout({ objects, groups, width, cellSize, mode: 'tiles', folded });
  return { mode: tiles.totalHeight <= limit ? 'tiles' : 'cells', autoFold };
}

function countIn(groups: FluxGroup[], folded: ReadonlySet<string>): number {
  let n = 0;
  const visit = (group: FluxGroup) => {
    if (folded.has(group.id)) {
      n += group.objects.length;
    } else {
      group.children?.forEach(visit);
    }
  };
  groups.forEach(visit);
  return n;
}
