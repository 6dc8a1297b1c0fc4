import type { GrafanaTheme2 } from '@grafana/data';

import type { FluxState } from '../flux';

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
  /** Thick inner border and corner marker of a sustained failure. */
  sustainedBorder: string;
  focusRing: string;
  hoverRing: string;
}

export function stateColor(theme: GrafanaTheme2, state: FluxState): string {
  const byName = (name: string) => theme.visualization.getColorByName(name);
  switch (state) {
    case 'Failed':
      return byName('red');
    case 'Progressing':
      return byName('blue');
    case 'Unknown':
      return byName('orange');
    case 'Suspended':
      return byName('purple');
    case 'Ready':
      return byName('green');
    case 'Deleted':
      return theme.colors.border.strong;
  }
}

export function createPalette(theme: GrafanaTheme2): GridPalette {
  const style = (fill: string): CellStyle => ({ fill, glyph: theme.colors.getContrastText(fill) });
  return {
    cells: {
      Failed: style(stateColor(theme, 'Failed')),
      Progressing: style(stateColor(theme, 'Progressing')),
      Unknown: style(stateColor(theme, 'Unknown')),
      Suspended: style(stateColor(theme, 'Suspended')),
      Ready: style(stateColor(theme, 'Ready')),
      Deleted: style(stateColor(theme, 'Deleted')),
      // Deeper red than a fresh failure, plus a thick contrasting border: the worse case must read as worse.
      Sustained: style(theme.visualization.getColorByName('semi-dark-red')),
    },
    sustainedBorder: theme.colors.text.maxContrast,
    focusRing: theme.colors.primary.border,
    hoverRing: theme.colors.text.primary,
  };
}
