/**
 * data-testid values of the status panel, shared by the jest tests and the Chromium tests that
 * load the built panel. These are a contract: rename one only together with tests/browser.
 *
 * | id                                  | element                                                        |
 * |-------------------------------------|----------------------------------------------------------------|
 * | fluxgrid-panel                      | panel root                                                     |
 * | fluxgrid-summary                    | summary bar                                                    |
 * | fluxgrid-summary-<state>            | summary button per state, lower case (fluxgrid-summary-failed); |
 * |                                     | aria-pressed="true" while it filters the grid                  |
 * | fluxgrid-search                     | search <input>                                                 |
 * | fluxgrid-search-toggle              | the search icon of a small panel (opens the search <input>)    |
 * | fluxgrid-controls                   | summary and toolbar; data-compact = true in small panels       |
 * | fluxgrid-problems-only              | problems-only toggle button (aria-pressed)                     |
 * | fluxgrid-sort                       | sort selector                                                  |
 * | fluxgrid-grid                       | focusable grid (role="grid", scroll container); attributes     |
 * |                                     | data-cells, data-columns, data-cell-size, data-pitch,          |
 * |                                     | data-padding describe the layout so a test can aim at a cell   |
 * | fluxgrid-grid-canvas                | the canvas the cells are drawn on; data-drawn-cells and        |
 * |                                     | data-draws are updated after every frame                       |
 * |                                     | data-mode = tiles | cells, data-folded = objects in folded   |
 * |                                     | groups (data-cells counts every object, folded ones too)       |
 * | fluxgrid-tile                       | a labelled tile in view (tiles mode); data-key = object key    |
 * | fluxgrid-tile-name                  | the object name written in a tile                              |
 * | fluxgrid-group-header               | a visible group header (only headers in view exist);           |
 * |                                     | data-folded = true | false                                     |
 * | fluxgrid-group-toggle               | the fold/open button of an all-Ready group (aria-expanded)     |
 * | fluxgrid-more-below                 | "N more groups below" cue; a click scrolls to the next group   |
 * | fluxgrid-active-cell                | the hidden gridcell naming the keyboard-focused object         |
 * | fluxgrid-announcer                  | aria-live region announcing the focused object                 |
 * | fluxgrid-tooltip                    | the object tooltip (hover, keyboard focus, or click to pin);   |
 * |                                     | data-key = the object's key, data-pinned = true | false        |
 * | fluxgrid-tooltip-title              | the tooltip header's namespace/name                            |
 * | fluxgrid-tooltip-close              | the close button of a pinned tooltip                           |
 * | fluxgrid-tooltip-link               | a data link inside the tooltip                                 |
 * | fluxgrid-message                    | a message shown instead of the grid (no data, not Flux, …);    |
 * |                                     | data-kind = badOptions | noData | notFlux | noObjects |        |
 * |                                     | filteredOut                                                    |
 * | fluxgrid-clear-filters              | "Clear filters" button in the filtered-out message             |
 * | fluxgrid-warning                    | a non-blocking warning (invalid threshold, unusable frames)    |
 */
import type { FluxState } from '../flux';

export const TEST_IDS = {
  panel: 'fluxgrid-panel',
  summary: 'fluxgrid-summary',
  summaryButton: (state: FluxState) => `fluxgrid-summary-${state.toLowerCase()}`,
  searchInput: 'fluxgrid-search',
  searchToggle: 'fluxgrid-search-toggle',
  controls: 'fluxgrid-controls',
  problemsToggle: 'fluxgrid-problems-only',
  sortSelect: 'fluxgrid-sort',
  grid: 'fluxgrid-grid',
  gridCanvas: 'fluxgrid-grid-canvas',
  groupHeader: 'fluxgrid-group-header',
  groupToggle: 'fluxgrid-group-toggle',
  tile: 'fluxgrid-tile',
  tileName: 'fluxgrid-tile-name',
  moreBelow: 'fluxgrid-more-below',
  activeCell: 'fluxgrid-active-cell',
  announcer: 'fluxgrid-announcer',
  tooltip: 'fluxgrid-tooltip',
  tooltipLink: 'fluxgrid-tooltip-link',
  tooltipTitle: 'fluxgrid-tooltip-title',
  tooltipClose: 'fluxgrid-tooltip-close',
  message: 'fluxgrid-message',
  clearFilters: 'fluxgrid-clear-filters',
  warning: 'fluxgrid-warning',
} as const;
