import { parseDuration, type GroupBy, type NormalizeOptions } from '../flux';
import { DEFAULT_LABELS, DEFAULT_OPTIONS, FluxGridOptions, MAX_CELL_SIZE, MIN_CELL_SIZE } from './types';

/** Saved options may predate a field or be hand-edited JSON: fill gaps with defaults. */
export function withDefaults(options: Partial<FluxGridOptions> | undefined): FluxGridOptions {
  const merged: FluxGridOptions = {
    ...DEFAULT_OPTIONS,
    ...(options ?? {}),
    labels: { ...DEFAULT_LABELS, ...(options?.labels ?? {}) },
  };
  const size = Number(merged.cellSize);
  merged.cellSize = Number.isFinite(size)
    ? Math.min(MAX_CELL_SIZE, Math.max(MIN_CELL_SIZE, Math.round(size)))
    : DEFAULT_OPTIONS.cellSize;
  return merged;
}

/** The grouping levels the core should build, de-duplicated. */
export function groupLevels(options: Pick<FluxGridOptions, 'groupBy' | 'subGroupBy'>): GroupBy[] {
  if (options.groupBy === 'none') {
    return [];
  }
  const levels: GroupBy[] = [options.groupBy];
  if (options.subGroupBy !== 'none' && options.subGroupBy !== options.groupBy) {
    levels.push(options.subGroupBy);
  }
  return levels;
}

/** Panel options -> core options. Empty label fields mean auto-detect, so they are left out. */
export function toNormalizeOptions(options: Pick<FluxGridOptions, 'labels' | 'includeDeleted'>): NormalizeOptions {
  const labels: NonNullable<NormalizeOptions['labels']> = {};
  for (const key of Object.keys(options.labels) as Array<keyof FluxGridOptions['labels']>) {
    const value = options.labels[key]?.trim();
    if (value) {
      labels[key] = value;
    }
  }
  return { labels, includeDeleted: options.includeDeleted };
}

export interface ParsedThreshold {
  /** Milliseconds; undefined when the threshold is off or invalid. */
  ms?: number;
  /** A message the user can act on when the input cannot be read. */
  error?: string;
}

/**
 * Parses "failing longer than". The raw text may hold dashboard variables, so it is interpolated
 * first; an empty result turns sustained-failure marking off.
 */
export function parseThreshold(
  raw: string | undefined,
  interpolate: (text: string) => string = (t) => t
): ParsedThreshold {
  const text = interpolate(raw ?? '').trim();
  if (text === '') {
    return {};
  }
  const invalid = {
    error: `Invalid "Failing longer than" value '${text}': use a duration such as 10m, 1h30m or 2d (units ms, s, m, h, d, w).`,
  };
  // The core's strict grammar (the simulator's too): '10mfoo' or '-5m' is reported, not half-read.
  const ms = parseDuration(text);
  return ms !== undefined && ms > 0 ? { ms } : invalid;
}
