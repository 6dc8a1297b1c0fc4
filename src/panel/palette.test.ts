import { createTheme } from '@grafana/data';

import { FLUX_STATES, STATE_COLOR_NAMES } from '../flux';
import { createPalette, stateColor } from './palette';

describe.each(['dark', 'light'] as const)('palette (%s theme)', (mode) => {
  const theme = createTheme({ colors: { mode } });

  it('resolves every state through the core colour table, as the datasource does', () => {
    for (const state of FLUX_STATES) {
      const expected = theme.visualization.getColorByName(STATE_COLOR_NAMES[state]);
      expect({ state, color: stateColor(theme, state) }).toEqual({ state, color: expected });
      expect(createPalette(theme).cells[state].fill).toBe(expected);
    }
  });

  it('gives states distinct colours, and a sustained failure a deeper red than a fresh one', () => {
    const colors = FLUX_STATES.map((state) => stateColor(theme, state));
    expect(new Set(colors).size).toBe(FLUX_STATES.length);
    const palette = createPalette(theme);
    expect(palette.cells.Sustained.fill).toBe(theme.visualization.getColorByName('semi-dark-red'));
    expect(palette.cells.Sustained.fill).not.toBe(palette.cells.Failed.fill);
    expect(palette.sustainedMark).not.toBe(palette.cells.Sustained.fill);
    // The mark is not the focus or hover colour: a sustained cell never looks focused.
    expect(palette.sustainedMark).not.toBe(palette.focusRing);
  });
});
