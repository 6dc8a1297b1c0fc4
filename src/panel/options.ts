/**
 * Readings of the panel's options at render time. Saved panels are brought to the current shape
 * once, when Grafana loads them (migrations.ts), so nothing here repairs options. The editor
 * Grafana shows is optionsEditor.ts (it needs @grafana/ui; this file does not, so benchmarks and
 * integration tests read options without loading a UI library).
 */
import type { GroupBy, NormalizeOptions } from '../flux';
import { LABEL_FIELDS } from './labelFields';
import { labelSettingProblem } from './labelSettings';
import type { FluxGridOptions } from './types';

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

/**
 * Panel options -> core options. Empty label fields mean auto-detect, so they are left out; so are
 * unusable ones (the panel shows why instead of the grid, see labelSettings.ts).
 */
export function toNormalizeOptions(options: Pick<FluxGridOptions, 'labels' | 'includeDeleted'>): NormalizeOptions {
  const labels: NonNullable<NormalizeOptions['labels']> = {};
  for (const field of LABEL_FIELDS) {
    const value = Object.hasOwn(options.labels, field.key) ? options.labels[field.key]?.trim() : undefined;
    if (value && !labelSettingProblem(field.name, value)) {
      labels[field.key] = value;
    }
  }
  return { labels, includeDeleted: options.includeDeleted };
}

export { parseThreshold, type ParsedThreshold } from './threshold';
