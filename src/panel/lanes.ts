/**
 * Columns of groups ("lanes") for a wide panel: many small groups stacked in one full-width list
 * leave most of the width empty, so they flow into K side-by-side lanes instead. Pure arithmetic
 * on group sizes, run once per layout (never per frame).
 */
import type { FluxGroup } from '../flux';

/** Narrowest lane: a group header (label and per-state counts) still reads in it. */
export const MIN_LANE_WIDTH = 360;

/** Objects per row and horizontal pitch of the cells (or tiles) in a box of a given width. */
export type RowBox = (width: number) => { columns: number; pitchX: number; gap: number };

/** Objects in the largest open leaf group: the widest row the layout must fit in a lane. */
function widestGroup(groups: FluxGroup[], folded: ReadonlySet<string> | undefined): number {
  let widest = 0;
  for (const group of groups) {
    if (folded?.has(group.id)) {
      continue;
    }
    const children = group.children ?? [];
    widest = Math.max(widest, children.length > 0 ? widestGroup(children, folded) : group.objects.length);
  }
  return widest;
}

/**
 * How many lanes: more than one only when (a) at least two top-level groups, (b) every group's
 * cells fit in one row at full width and that row uses at most half of it (a single column would
 * leave most of the width empty), and (c) each lane is at least MIN_LANE_WIDTH and still holds
 * the widest group in one row. A group that would wrap keeps today's full-width layout, so a
 * big group is never squeezed into a narrow lane to scroll further.
 */
export function laneCount(
  width: number,
  padding: number,
  groups: FluxGroup[],
  folded: ReadonlySet<string> | undefined,
  box: RowBox
): number {
  if (groups.length < 2) {
    return 1;
  }
  const widest = widestGroup(groups, folded);
  const full = box(width);
  if (widest > full.columns) {
    return 1;
  }
  const used = 2 * padding + widest * full.pitchX - full.gap;
  if (used > width / 2) {
    return 1;
  }
  for (let k = Math.min(groups.length, Math.floor(width / MIN_LANE_WIDTH)); k >= 2; k--) {
    if (box(Math.floor(width / k)).columns >= Math.max(1, widest)) {
      return k;
    }
  }
  return 1;
}

/**
 * Splits groups, in order, into at most `k` consecutive runs minimising the tallest run (binary
 * search on that height, with a greedy fill to test it). In order rather than greedy
 * shortest-column: lanes then read top to bottom, left to right in the groups' sort order
 * (problems first stay first), so keyboard moves and "next group" follow what the eye reads.
 * Returns the index of the first group of each lane.
 */
export function splitIntoLanes(heights: number[], k: number): number[] {
  if (k <= 1 || heights.length === 0) {
    return [0];
  }
  const fill = (limit: number): number[] => {
    const starts = [0];
    let used = 0;
    heights.forEach((h, i) => {
      if (i > 0 && used + h > limit) {
        starts.push(i);
        used = 0;
      }
      used += h;
    });
    return starts;
  };
  let lo = Math.max(...heights);
  let hi = heights.reduce((a, b) => a + b, 0);
  // Heights are whole pixels but fractions would only cost a few more steps.
  while (hi - lo > 0.5) {
    const mid = (lo + hi) / 2;
    if (fill(mid).length <= k) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return fill(hi);
}
