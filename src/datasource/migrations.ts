/**
 * The saved query model's versions and how a saved query is brought up to date. Grafana stores a
 * panel's targets as they were written; the datasource upgrades them when it reads them (in
 * `query()`, and the query editor shows the upgraded one), so old dashboards keep working.
 *
 * Versions:
 * - none (0.1.0): `queryType` could be missing (meaning Objects); `limit` and `summaryBy` were
 *   read leniently (a hand-edited `"limit": "10"`, an unknown `summaryBy`).
 * - 1: `version: 1`, `queryType` always set, `limit` a positive integer or absent, `summaryBy` one
 *   of the two.
 */
import { FluxQuery } from './types';

export const FLUX_QUERY_VERSION = 1;

const SUMMARY_BY: ReadonlyArray<NonNullable<FluxQuery['summaryBy']>> = ['state', 'kind'];

/** A saved query in the current model; a current one is returned as it is. */
export function migrateQuery(saved: FluxQuery): FluxQuery {
  if (saved.version === FLUX_QUERY_VERSION) {
    return saved;
  }
  const query: FluxQuery = { ...saved, version: FLUX_QUERY_VERSION };
  // 0.1.0 read a missing queryType as Objects. An unknown one is kept (not guessed): the
  // datasource names it in its error.
  if (!query.queryType) {
    query.queryType = 'objects';
  }
  // Saved JSON is untyped: a limit may arrive as text.
  const rawLimit: unknown = saved.limit;
  const limit = typeof rawLimit === 'string' ? Number.parseInt(rawLimit, 10) : rawLimit;
  if (typeof limit === 'number' && Number.isInteger(limit) && limit > 0) {
    query.limit = limit;
  } else {
    delete query.limit;
  }
  if (query.summaryBy !== undefined && !SUMMARY_BY.includes(query.summaryBy)) {
    query.summaryBy = 'state';
  }
  return query;
}
