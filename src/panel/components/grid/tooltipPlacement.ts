import { cellPosition, GridLayout } from '../../layout';

export const TOOLTIP_GAP = 6;

export interface TooltipPlacement {
  left: number;
  top: number;
}

/**
 * Beside the cell: to its right, or to its left when the right side has no room; clamped to the
 * viewport so it never hangs below the panel. Viewport coordinates.
 */
export function placeTooltip(
  layout: GridLayout,
  index: number,
  scrollTop: number,
  viewport: { width: number; height: number },
  tooltipWidth: number
): TooltipPlacement | undefined {
  const position = index >= 0 ? cellPosition(layout, index) : undefined;
  if (!position) {
    return undefined;
  }
  const top = position.y - scrollTop;
  let left = position.x + layout.cellWidth + TOOLTIP_GAP;
  if (left + tooltipWidth > viewport.width && position.x - tooltipWidth - TOOLTIP_GAP >= 0) {
    left = position.x - tooltipWidth - TOOLTIP_GAP;
  }
  return { left: Math.max(0, left), top: Math.max(0, Math.min(top, viewport.height - 40)) };
}
