/**
 * Saved panels brought to the current options shape, once, when Grafana loads them (Grafana calls
 * the handler whenever the saved `pluginVersion` differs from the installed plugin's, and for new
 * panels). Everything that used to be repaired at render time happens here instead: the panel
 * reads its options as they are.
 *
 * Saved options are JSON that may come from any earlier version or be hand-edited: only own
 * properties of the expected types are taken (a `__proto__` key in the JSON changes nothing), the
 * rest falls back to the defaults.
 *
 * Shapes:
 * - 0.1.0 (FluxGrid's first release; dashboards exported before `pluginVersion` was written): no
 *   `labels` object when untouched, any number as `cellSize`.
 * - current: every option of FluxGridOptions present, the cell size inside the slider's range;
 *   `display` (tiles or cells) came after 0.1.0: panels saved without it get 'auto' (no version
 *   check needed, a missing or unknown value falls back to the default like any other).
 */
import type { PanelMigrationHandler } from '@grafana/data';

import { DISPLAY_OPTIONS } from './display';
import { LABEL_FIELDS } from './labelFields';
import {
  DEFAULT_OPTIONS,
  FluxGridOptions,
  GROUP_BY_OPTIONS,
  LabelMappingOptions,
  MAX_CELL_SIZE,
  MIN_CELL_SIZE,
  SORT_BY_OPTIONS,
} from './types';

type SavedObject = Record<string, unknown>;

function isObject(value: unknown): value is SavedObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(saved: SavedObject, key: string): unknown {
  return Object.hasOwn(saved, key) ? saved[key] : undefined;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function cellSize(value: unknown): number {
  const size = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof size === 'number' && Number.isFinite(size)
    ? Math.min(MAX_CELL_SIZE, Math.max(MIN_CELL_SIZE, Math.round(size)))
    : DEFAULT_OPTIONS.cellSize;
}

function labelMapping(value: unknown): LabelMappingOptions {
  const saved = isObject(value) ? value : {};
  const labels = { ...DEFAULT_OPTIONS.labels };
  for (const { key } of LABEL_FIELDS) {
    const label = own(saved, key);
    labels[key] = typeof label === 'string' ? label : '';
  }
  return labels;
}

/** Any saved options (or none) -> the current shape. Pure; idempotent. */
export function migrateOptions(saved: unknown): FluxGridOptions {
  const options = isObject(saved) ? saved : {};
  const threshold = own(options, 'failingThreshold');
  const objectLink = own(options, 'objectLink');
  return {
    groupBy: oneOf(own(options, 'groupBy'), GROUP_BY_OPTIONS, DEFAULT_OPTIONS.groupBy),
    subGroupBy: oneOf(own(options, 'subGroupBy'), GROUP_BY_OPTIONS, DEFAULT_OPTIONS.subGroupBy),
    sortBy: oneOf(own(options, 'sortBy'), SORT_BY_OPTIONS, DEFAULT_OPTIONS.sortBy),
    showSummary: bool(own(options, 'showSummary'), DEFAULT_OPTIONS.showSummary),
    showToolbar: bool(own(options, 'showToolbar'), DEFAULT_OPTIONS.showToolbar),
    problemsOnly: bool(own(options, 'problemsOnly'), DEFAULT_OPTIONS.problemsOnly),
    failingThreshold: typeof threshold === 'string' ? threshold : DEFAULT_OPTIONS.failingThreshold,
    cellSize: cellSize(own(options, 'cellSize')),
    display: oneOf(own(options, 'display'), DISPLAY_OPTIONS, DEFAULT_OPTIONS.display),
    includeDeleted: bool(own(options, 'includeDeleted'), DEFAULT_OPTIONS.includeDeleted),
    labels: labelMapping(own(options, 'labels')),
    // Saved before the object dashboard existed: the link is on (a deliberate '' stays off).
    objectLink: typeof objectLink === 'string' ? objectLink : DEFAULT_OPTIONS.objectLink,
  };
}

export const migrateFluxGridPanel: PanelMigrationHandler<FluxGridOptions> = (panel) => migrateOptions(panel.options);
