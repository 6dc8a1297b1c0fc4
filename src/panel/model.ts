/**
 * The panel's view model: what to show, computed from a FluxReading and the viewer's filters.
 * Pure (no React, no Grafana runtime) so every rule here is unit-tested without rendering.
 */
import {
  countByState,
  filterObjects,
  FLUX_STATE_METRICS,
  FluxGroup,
  FluxObject,
  FluxReading,
  FluxState,
  GroupBy,
  GroupKeys,
  groupObjects,
  isSustainedFailure,
  sortObjects,
} from '../flux';
import type { QueryFailure } from './notices';
import type { ParsedThreshold } from './threshold';
import type { ViewerFilters } from './types';

export type PanelMessageKind = 'badOptions' | 'noData' | 'notFlux' | 'noObjects' | 'filteredOut';

/** A message that replaces the grid: the panel is never blank. */
export interface PanelMessage {
  kind: PanelMessageKind;
  title: string;
  details: string[];
}

export interface FluxGridViewModel {
  /** Per-state counts of every object read (the summary bar; independent of the viewer's filters). */
  counts: Record<FluxState, number>;
  totalObjects: number;
  /** Failed objects failing longer than the threshold, over every object read. */
  sustainedFailures: number;
  /** Objects after the viewer's filters, in display order. */
  objects: FluxObject[];
  /** Groups of `objects`; empty when the grid is not grouped. */
  groups: FluxGroup[];
  message?: PanelMessage;
  /** Problems worth saying that do not stop the grid from rendering. */
  warnings: string[];
  isSustained: (object: FluxObject) => boolean;
}

export interface ViewModelInput {
  reading: FluxReading;
  /** False when the queries returned no frames or only empty ones. */
  hasData: boolean;
  filters: ViewerFilters;
  levels: GroupBy[];
  threshold: ParsedThreshold;
  nowMs: number;
  /**
   * Deleted objects the reading hid because "Include deleted objects" is off (see `hiddenDeletedCount`);
   * the "no objects" message suggests the option only when there are some.
   */
  hiddenDeleted?: number;
  /**
   * `reading.objects` already sorted by `filters.sortBy`. Filtering keeps order, so a caller that
   * memoises this sorts once per reading and sort order instead of on every search keystroke.
   */
  sorted?: FluxObject[];
  /** The queries that ran, in words (queryDescription.ts), and the time range, for "no data". */
  ran?: { queries: string[]; range: string };
  /** Panel options the panel cannot use (label settings): shown instead of the grid. */
  optionProblems?: string[];
  /** How levels that are not an object's own field are read ('source': the core's sourceGroupOf). */
  groupKeys?: GroupKeys;
  /** Queries Grafana reports as failed (notices.ts `queryFailures`): the message without data, a warning with. */
  failedQueries?: QueryFailure[];
}

const never = () => false;

export function buildViewModel(input: ViewModelInput): FluxGridViewModel {
  const { reading, filters, threshold, nowMs } = input;
  const all = reading.objects;
  const counts = countByState(all);
  const isSustained =
    threshold.ms === undefined ? never : (object: FluxObject) => isSustainedFailure(object, threshold.ms!, nowMs);
  let sustainedFailures = 0;
  if (threshold.ms !== undefined && counts.Failed > 0) {
    for (const object of all) {
      if (object.state === 'Failed' && isSustained(object)) {
        sustainedFailures++;
      }
    }
  }

  const warnings: string[] = [];
  const failed = input.failedQueries ?? [];
  if (input.hasData && failed.length > 0) {
    warnings.push(`${describeFailures(failed)} The grid shows only the objects of the queries that succeeded.`);
  }
  if (threshold.error) {
    warnings.push(threshold.error);
  }
  if (all.length > 0 && reading.unusableFrames.length > 0) {
    warnings.push(describeUnusable(reading.unusableFrames));
  }

  const base = { counts, totalObjects: all.length, sustainedFailures, warnings, isSustained };
  const message = optionsMessage(input.optionProblems) ?? readingMessage(input);
  if (message) {
    return { ...base, objects: [], groups: [], message };
  }

  const filter = {
    states: filters.states.length > 0 ? filters.states : undefined,
    problemsOnly: filters.problemsOnly || undefined,
    search: filters.search.trim() || undefined,
  };
  const narrowed = filter.states || filter.problemsOnly || filter.search;
  let objects: FluxObject[];
  if (input.sorted) {
    objects = narrowed ? filterObjects(input.sorted, filter) : input.sorted;
  } else {
    const filtered = narrowed ? filterObjects(all, filter) : all;
    objects = sortObjects(filtered, filters.sortBy);
  }
  if (objects.length === 0) {
    return { ...base, objects: [], groups: [], message: filteredOutMessage(filters, all.length) };
  }
  const groups = input.levels.length > 0 ? groupObjects(objects, input.levels, input.groupKeys) : [];
  return { ...base, objects, groups };
}

function optionsMessage(problems: string[] | undefined): PanelMessage | undefined {
  if (!problems || problems.length === 0) {
    return undefined;
  }
  return {
    kind: 'badOptions',
    title: problems.length === 1 ? 'A label setting needs fixing' : `${problems.length} label settings need fixing`,
    details: problems,
  };
}

/** Messages about the data itself, before any viewer filter applies. */
function readingMessage({
  reading,
  hasData,
  hiddenDeleted = 0,
  ran,
  failedQueries = [],
}: ViewModelInput): PanelMessage | undefined {
  if (reading.objects.length > 0) {
    return undefined;
  }
  const unusable = reading.unusableFrames.length > 0 ? [describeUnusable(reading.unusableFrames)] : [];
  if (!hasData && failedQueries.length > 0) {
    const n = failedQueries.length;
    return {
      kind: 'noData',
      title: n === 1 ? 'A query failed' : `${n} queries failed`,
      details: [
        describeFailures(failedQueries),
        `Fix ${n === 1 ? 'it' : 'them'} in the query editor (the datasource, the query, or a shorter time range for a timeout), then refresh.`,
      ],
    };
  }
  if (!hasData) {
    return { kind: 'noData', title: 'No data', details: noDataDetails(ran) };
  }
  if (reading.schemas.length === 0) {
    const found =
      reading.otherMetrics.length > 0
        ? `Found instead: ${listSome(reading.otherMetrics, 10)}.`
        : 'The frames carry no metric names (no __name__ label).';
    return {
      kind: 'notFlux',
      title: 'No Flux metrics in this data',
      details: [`Looked for ${FLUX_STATE_METRICS.join(', ')}.`, found, ...unusable],
    };
  }
  return {
    kind: 'noObjects',
    title: `Flux metrics found (${reading.schemas.join(', ')}) but no objects`,
    details: [
      hiddenDeleted > 0
        ? `${hiddenDeleted} deleted ${hiddenDeleted === 1 ? 'object is' : 'objects are'} hidden: turn on "Include deleted objects" to see ${hiddenDeleted === 1 ? 'it' : 'them'}, or widen the time range.`
        : 'Every series was empty for the selected time range: widen the time range.',
      ...unusable,
    ],
  };
}

function noDataDetails(ran: ViewModelInput['ran']): string[] {
  const metrics = FLUX_STATE_METRICS.join(', ');
  if (!ran || ran.queries.length === 0) {
    return [`No query ran${ran ? ` for ${ran.range}` : ''}. Add a query of the Flux metrics (${metrics}).`];
  }
  const n = ran.queries.length;
  return [
    `${n === 1 ? 'The query' : `The ${n} queries`} returned no series for ${ran.range}: ${ran.queries.join('; ')}.`,
    `Widen the time range or loosen the query's filters; the panel reads ${metrics}.`,
  ];
}

/**
 * How many Deleted objects `reading` hid (the reader drops them unless `includeDeleted`). Counted
 * only when it matters, for the "no objects" message: Flux metrics were found, yet no object is
 * shown; then `readWithDeleted` reads the same frames again with `includeDeleted: true`. Free in
 * every other case.
 */
export function hiddenDeletedCount(
  reading: FluxReading,
  includeDeleted: boolean,
  readWithDeleted: () => FluxReading
): number {
  if (includeDeleted || reading.objects.length > 0 || reading.schemas.length === 0) {
    return 0;
  }
  return countByState(readWithDeleted().objects).Deleted;
}

function filteredOutMessage(filters: ViewerFilters, total: number): PanelMessage {
  const search = filters.search.trim();
  const conditions: string[] = [];
  if (filters.states.length > 0) {
    conditions.push(`state ${filters.states.join(' or ')}`);
  }
  if (filters.problemsOnly) {
    conditions.push('problems only');
  }
  const title = search ? `No objects match '${search}'` : 'No objects match the filters';
  const details = [
    `${total} ${total === 1 ? 'object is' : 'objects are'} hidden by ${
      conditions.length > 0 ? (search ? 'the search and ' : '') + conditions.join(', ') : 'the search'
    }.`,
  ];
  return { kind: 'filteredOut', title, details };
}

/** "Query A failed: <Grafana's message>." for each failed query. */
function describeFailures(failures: QueryFailure[]): string {
  return failures
    .map(({ refId, message }) => {
      const text = `${refId ? `Query ${refId}` : 'A query'} failed: ${message}`;
      return /[.!?]$/.test(text) ? text : `${text}.`;
    })
    .join(' ');
}

export function describeUnusable(unusableFrames: string[]): string {
  const n = unusableFrames.length;
  return `${n} ${n === 1 ? 'frame' : 'frames'} could not be read: ${listSome(unusableFrames, 3)}`;
}

function listSome(items: string[], max: number): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** True when any viewer filter is narrowing the grid (for the "clear filters" affordance). */
export function hasActiveFilters(filters: ViewerFilters): boolean {
  return filters.states.length > 0 || filters.problemsOnly || filters.search.trim() !== '';
}

/** Clicking a state in the summary: select only that state, or clear when it is the only one selected. */
export function toggleStateFilter(current: FluxState[], state: FluxState): FluxState[] {
  return current.length === 1 && current[0] === state ? [] : [state];
}
