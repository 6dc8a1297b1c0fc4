import type { GrafanaTheme2 } from '@grafana/data';

import { FLUX_STATES, STATE_COLOR_NAMES, type FluxState } from '../flux';

/**
 * Every state has a glyph as well as a colour, so the grid reads without colour vision, in
 * grayscale prints and in high-contrast modes. The canvas draws these shapes; the summary bar,
 * tooltip and legend use the characters.
 */
export const STATE_GLYPHS: Record<FluxState, string> = {
  Failed: '✕',
  Progressing: '◐',
  Unknown: '?',
  Suspended: '‖',
  Ready: '✓',
  Deleted: '–',
};

export interface CellStyle {
  fill: string;
  glyph: string;
}

/** 'Sustained' is a Failed object failing longer than the threshold. */
export type CellStyleKey = FluxState | 'Sustained';

export interface GridPalette {
  cells: Record<CellStyleKey, CellStyle>;
  /** The cut-off corner of a sustained failure. */
  sustainedMark: string;
  focusRing: string;
  hoverRing: string;
}

/**
 * A state's colour: the core's colour name (STATE_COLOR_NAMES, shared with the datasource's value
 * mappings) resolved through the theme, so panel and Table/State timeline always agree.
 */
export function stateColor(theme: GrafanaTheme2, state: FluxState): string {
  return theme.visualization.getColorByName(STATE_COLOR_NAMES[state]);
}

export function createPalette(theme: GrafanaTheme2): GridPalette {
  const style = (fill: string): CellStyle => ({ fill, glyph: theme.colors.getContrastText(fill) });
  return {
    cells: {
      ...(Object.fromEntries(FLUX_STATES.map((state) => [state, style(stateColor(theme, state))])) as Record<
        FluxState,
        CellStyle
      >),
      // Deeper red than a fresh failure, plus a cut-off corner: the worse case must read as worse.
      Sustained: style(theme.visualization.getColorByName('semi-dark-red')),
    },
    // The panel's own background: the corner reads as cut away, in either theme, without a new colour.
    sustainedMark: theme.colors.background.primary,
    focusRing: theme.colors.primary.border,
    hoverRing: theme.colors.text.primary,
  };
}
