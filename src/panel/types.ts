import type { FluxState, GroupBy, SortBy } from '../flux';
import type { DisplayOption } from './display';
import { OBJECT_LINK_DEFAULT } from './objectLink';

/** 'none' keeps one flat grid; otherwise the first grouping level. */
export type GroupByOption = 'none' | GroupBy;
export const GROUP_BY_OPTIONS: readonly GroupByOption[] = [
  'none',
  'cluster',
  'kind',
  'namespace',
  'source',
  'revision',
];
export const SORT_BY_OPTIONS: readonly SortBy[] = ['severity', 'name', 'timeInState'];

/** Label overrides as typed in the editor: an empty string means "auto-detect". */
export interface LabelMappingOptions {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  reason: string;
}

/** The panel's saved options (panel JSON `options`). */
export interface FluxGridOptions {
  groupBy: GroupByOption;
  /** Second grouping level inside the first; ignored when it equals groupBy or groupBy is 'none'. */
  subGroupBy: GroupByOption;
  sortBy: SortBy;
  showSummary: boolean;
  /** Search box, problems-only toggle and sort selector above the grid. */
  showToolbar: boolean;
  /** Initial state of the problems-only toggle (viewers can flip it without saving). */
  problemsOnly: boolean;
  /** A Grafana interval ('10m', '1h', '$threshold'); failures older than this are "sustained". Empty: off. */
  failingThreshold: string;
  /** Cell edge in CSS pixels. */
  cellSize: number;
  /** 'auto': labelled tiles when the names fit the panel, glyph cells otherwise. */
  display: DisplayOption;
  includeDeleted: boolean;
  labels: LabelMappingOptions;
  /** Where each cell's built-in link leads (objectLink.ts): the Flux object dashboard by default. Empty: no link. */
  objectLink: string;
}

export const DEFAULT_LABELS: LabelMappingOptions = { cluster: '', kind: '', namespace: '', name: '', reason: '' };

export const DEFAULT_OPTIONS: FluxGridOptions = {
  groupBy: 'kind',
  subGroupBy: 'none',
  sortBy: 'severity',
  showSummary: true,
  showToolbar: true,
  problemsOnly: false,
  failingThreshold: '10m',
  cellSize: 16,
  display: 'auto',
  includeDeleted: false,
  labels: DEFAULT_LABELS,
  objectLink: OBJECT_LINK_DEFAULT,
};

export const MIN_CELL_SIZE = 6;
export const MAX_CELL_SIZE = 48;

/** Filters a viewer sets inside the panel; never saved with the dashboard. */
export interface ViewerFilters {
  /** States picked in the summary bar; empty: all states. */
  states: FluxState[];
  search: string;
  problemsOnly: boolean;
  sortBy: SortBy;
}
