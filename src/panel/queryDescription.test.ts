import { dateTime } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

import { describeQueries, describeQuery, describeRange } from './queryDescription';

const q = (query: Record<string, unknown>) => ({ refId: 'A', ...query }) as DataQuery;

describe('describing what ran', () => {
  it('names a Prometheus query by its expression, on one line', () => {
    expect(describeQuery(q({ expr: 'flux_resource_info{\n  cluster="eu"\n}' }))).toBe(
      'A: flux_resource_info{ cluster="eu" }'
    );
  });

  it('names a FluxGrid query by its type and filters', () => {
    expect(describeQuery(q({ queryType: 'objects', cluster: '$cluster', kind: '', state: 'Failed', limit: 5 }))).toBe(
      'A: FluxGrid objects (cluster=$cluster, state=Failed)'
    );
  });

  it('names every value of a multi-value filter', () => {
    expect(
      describeQuery(q({ queryType: 'objects', cluster: ['eu', 'us'], state: ['Failed', ' Unknown', ''], kind: [] }))
    ).toBe('A: FluxGrid objects (cluster=eu|us, state=Failed|Unknown)');
  });

  it('reads a query saved by FluxGrid 0.1.0 (no queryType) as the datasource runs it: Objects', () => {
    expect(describeQuery(q({ cluster: 'eu' }))).toBe('A: FluxGrid objects (cluster=eu)');
    expect(describeQuery(q({ datasource: { type: 'fluxgrid-status-datasource', uid: 'flux' } }))).toBe(
      'A: FluxGrid objects'
    );
    expect(describeQuery(q({ datasource: { type: 'prometheus', uid: 'prom' } }))).toBe('A: an empty query');
  });

  it('skips hidden queries, says when one is empty, shortens long ones', () => {
    expect(describeQueries([q({ expr: 'up', hide: true }), q({ refId: 'B' })])).toEqual(['B: an empty query']);
    const long = describeQuery(q({ expr: `sum(${'x'.repeat(400)})` }))!;
    expect(long.length).toBeLessThanOrEqual(163);
    expect(long.endsWith('…')).toBe(true);
    expect(describeQueries(undefined)).toEqual([]);
  });

  it('takes own properties only', () => {
    const query = Object.create({ expr: 'inherited' });
    query.refId = 'C';
    expect(describeQuery(query)).toBe('C: an empty query');
  });

  it('gives the range as picked and as times', () => {
    const from = dateTime(Date.UTC(2024, 0, 1, 0, 0, 0));
    const to = dateTime(Date.UTC(2024, 0, 1, 0, 30, 0));
    expect(describeRange({ from, to, raw: { from: 'now-30m', to: 'now' } }, 'utc')).toBe(
      'now-30m to now (2024-01-01 00:00:00 to 2024-01-01 00:30:00)'
    );
    expect(describeRange({ from, to, raw: { from, to } }, 'utc')).toBe('2024-01-01 00:00:00 to 2024-01-01 00:30:00');
  });
});
