/**
 * What ran, in words, for messages about an empty answer: "A: flux_resource_info{cluster="x"}"
 * or "A: FluxGrid objects (cluster=$cluster)", and the time range as the picker shows it. Query
 * text is shown as text (React escapes it) and shortened, never interpreted.
 */
import { dateTimeFormat, type TimeRange } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

import { migrateQuery } from '../datasource/migrations';
import type { FluxQuery } from '../datasource/types';

const MAX_QUERY_TEXT = 160;
/** Filters of FluxGrid's own query model worth naming (the others are options, not filters). */
const FLUXGRID_FILTERS = ['cluster', 'kind', 'namespace', 'name', 'state'] as const;
/** src/datasource/plugin.json's id. */
const FLUXGRID_DATASOURCE_TYPE = 'fluxgrid-status-datasource';

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_QUERY_TEXT ? `${oneLine.slice(0, MAX_QUERY_TEXT - 1)}…` : oneLine;
}

function own(query: object, key: string): unknown {
  return Object.hasOwn(query, key) ? (query as Record<string, unknown>)[key] : undefined;
}

/** A filter's value or values (a multi-select saves several) as "eu|us", or '' when unset. */
function filterText(value: unknown): string {
  const values = Array.isArray(value) ? value : [value];
  return values.flatMap((v) => (typeof v === 'string' && v.trim() !== '' ? [v.trim()] : [])).join('|');
}

/** One query in words, or undefined for a hidden one. */
export function describeQuery(query: DataQuery): string | undefined {
  if (query.hide) {
    return undefined;
  }
  const ref = query.refId || '?';
  const expr = own(query, 'expr');
  if (typeof expr === 'string' && expr.trim() !== '') {
    return `${ref}: ${shorten(expr)}`;
  }
  const filters = FLUXGRID_FILTERS.flatMap((key) => {
    const text = filterText(own(query, key));
    return text ? [`${key}=${text}`] : [];
  });
  const queryType = own(query, 'queryType');
  const fluxGrid =
    (typeof queryType === 'string' && queryType !== '') ||
    filters.length > 0 ||
    query.datasource?.type === FLUXGRID_DATASOURCE_TYPE;
  if (fluxGrid) {
    // Read as the datasource reads it: FluxGrid 0.1.0 saved Objects queries without a queryType.
    const type = migrateQuery(query as FluxQuery).queryType ?? 'objects';
    return shorten(`${ref}: FluxGrid ${type}${filters.length > 0 ? ` (${filters.join(', ')})` : ''}`);
  }
  return `${ref}: an empty query`;
}

export function describeQueries(queries: DataQuery[] | undefined): string[] {
  return (queries ?? []).flatMap((query) => describeQuery(query) ?? []);
}

/** "now-30m to now (2024-01-01 00:00:00 to 2024-01-01 00:30:00)", or the absolute times alone. */
export function describeRange(range: TimeRange, timeZone?: string): string {
  const format = (time: TimeRange['from']) => dateTimeFormat(time, { timeZone, format: 'YYYY-MM-DD HH:mm:ss' });
  const absolute = `${format(range.from)} to ${format(range.to)}`;
  const { from, to } = range.raw;
  return typeof from === 'string' && typeof to === 'string' && from.startsWith('now')
    ? `${from} to ${to} (${absolute})`
    : absolute;
}
