import type { FluxState } from './types';

/**
 * The colour of each state, as Grafana visualization colour names: the panel resolves them through
 * the theme (light and dark), the datasource puts them in value mappings so a Table or State
 * timeline shows the same colours. One table, so the two can never disagree.
 */
export const STATE_COLOR_NAMES: Record<FluxState, string> = {
  Failed: 'red',
  Progressing: 'blue',
  Unknown: 'orange',
  Suspended: 'purple',
  Ready: 'green',
  // No gray in Grafana's named palette; a mid gray reads in light and dark themes.
  Deleted: '#8e8e8e',
};
