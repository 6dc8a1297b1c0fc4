import { FLUX_QUERY_VERSION, migrateQuery } from './migrations';
import { DEFAULT_QUERY, FluxQuery } from './types';

describe('migrateQuery', () => {
  it('upgrades the targets of a dashboard saved by 0.1.0', () => {
    // As src/dashboards/flux-reconciliation.json held them in 0.1.0 (plus hand edits people make).
    const saved010: FluxQuery[] = [
      { refId: 'A', queryType: 'summary', cluster: '$cluster', summaryBy: 'state' },
      { refId: 'B', cluster: '$cluster', kind: '$kind' },
      { refId: 'C', queryType: 'reconcileDuration', limit: 10 },
      JSON.parse('{"refId":"D","queryType":"reconcileDuration","limit":"15"}'),
      JSON.parse('{"refId":"E","queryType":"reconcileDuration","limit":"many"}'),
      JSON.parse('{"refId":"F","queryType":"summary","summaryBy":"namespace"}'),
    ];
    expect(saved010.map(migrateQuery)).toEqual([
      { refId: 'A', version: 1, queryType: 'summary', cluster: '$cluster', summaryBy: 'state' },
      { refId: 'B', version: 1, queryType: 'objects', cluster: '$cluster', kind: '$kind' },
      { refId: 'C', version: 1, queryType: 'reconcileDuration', limit: 10 },
      { refId: 'D', version: 1, queryType: 'reconcileDuration', limit: 15 },
      { refId: 'E', version: 1, queryType: 'reconcileDuration' },
      { refId: 'F', version: 1, queryType: 'summary', summaryBy: 'state' },
    ]);
  });

  it('leaves a current query alone, and keeps an unknown query type for the error to name', () => {
    const current: FluxQuery = { refId: 'A', version: FLUX_QUERY_VERSION, queryType: 'stateHistory' };
    expect(migrateQuery(current)).toBe(current);
    const unknown = JSON.parse('{"refId":"A","queryType":"nope"}');
    expect(migrateQuery(unknown).queryType).toBe('nope');
  });

  it('new queries start at the current version', () => {
    expect(DEFAULT_QUERY.version).toBe(FLUX_QUERY_VERSION);
  });
});
