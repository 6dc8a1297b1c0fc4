import { MAX_QUERY_BYTES, queryBytes } from '../promql/selection';
import { fluxgridLabels as id, timedSeries as series } from '../testing/frames';
import * as durations from './durations';
import { durationRows } from './durations';

describe('durationRows', () => {
  it('collects the statistics per object, slowest p95 first, ties by mean, limited', () => {
    const frames = [
      ['a', 'p95', 5],
      ['a', 'mean', 1],
      ['b', 'p95', 9],
      ['c', 'p95', 5],
      ['c', 'mean', 3],
      ['c', 'count', 12],
    ].map(([name, stat, value]) =>
      series(id(name as string, { fluxgrid_stat: stat as string }), [1000], [value as number])
    );
    const rows = durationRows(frames, 2);
    expect(rows.map((r) => r.name)).toEqual(['b', 'c']);
    expect(rows[1]).toMatchObject({ p95: 5, mean: 3, count: 12 });
  });
});

describe('durations with a state filter', () => {
  const window = { fromMs: 0, toMs: 3_600_000 };

  it('asks for the state beside the durations, in one request, ranking every object', () => {
    const asked = durations.queries({}, {}, window, { limit: 3, states: new Set(['Failed'] as const) });
    expect(Object.keys(asked.exprs).sort()).toEqual(['durations', 'state']);
    expect(asked.exprs.durations).toContain('topk(1000000,');
    expect(durations.queries({}, {}, window, { limit: 3 }).exprs.durations).toContain('topk(3,');
  });

  it('keeps the slowest objects in the wanted states', () => {
    const stat = (name: string, s: string, v: number) => series(id(name, { fluxgrid_stat: s }), [1000], [v]);
    const info = (name: string, ready: string) =>
      series(
        { __name__: 'flux_resource_info', kind: 'Kustomization', exported_namespace: 'apps', name, ready },
        [3_600_000],
        [1]
      );
    const answers = {
      durations: [stat('a', 'p95', 9), stat('b', 'p95', 5), stat('c', 'p95', 7)],
      state: [info('a', 'True'), info('b', 'False'), info('c', 'False')],
    };
    const rows = durations.read(answers, window, {}, { limit: 1, states: new Set(['Failed'] as const) });
    expect(rows.map((r) => r.name)).toEqual(['c']);
  });
});

describe('the durations query with large filters', () => {
  const many = (prefix: string, n: number) => ({
    type: 'oneOf' as const,
    values: Array.from({ length: n }, (_, i) => `${prefix}-${i}`),
  });
  const large = { cluster: many('prod-eu-west-cluster', 30), namespace: many('team-payments-namespace', 60) };

  it('fits the engines’ size limit, and ranks only the matching objects', () => {
    const expr = durations.reconcileDurationQuery(large, {}, 3600, 20);
    expect(queryBytes(expr)).toBeLessThanOrEqual(MAX_QUERY_BYTES);
    // The limit-th highest p95 is taken among the filtered objects: topk over the filtered p95.
    expect(expr).toMatch(/topk\(20, \(?label_replace\(/);
    expect(expr).toContain('fluxgrid_match_namespace');
  });

  it('without filters is the plain query (no filtering left to do)', () => {
    expect(durations.reconcileDurationQuery({}, {}, 3600, 20)).not.toContain('fluxgrid_match_');
  });
});

describe('the durations query with an HA Prometheus pair', () => {
  it('keeps one copy of each counter (the replica labels dropped) before adding them up', () => {
    const expr = durations.reconcileDurationQuery({}, {}, 3600, 10);
    const collapsed = /max without \(replica, prometheus_replica, __replica__, prometheus\) \(increase\(/g;
    // Every increase (buckets, count, sum) is collapsed.
    expect(expr.match(collapsed)?.length).toBe(expr.match(/increase\(/g)?.length);
    expect(expr).not.toMatch(/sum by \([^)]*\) \(increase\(/);
    // A restart or a leader change (another pod / instance) holds other reconciles: they add up.
    expect(expr).not.toMatch(/without \([^)]*\b(pod|instance)\b/);
  });

  it('keeps a replica label a setting names as the object’s', () => {
    const expr = durations.reconcileDurationQuery({}, { labels: { cluster: 'prometheus' } }, 3600, 10);
    expect(expr).toContain('max without (replica, prometheus_replica, __replica__) (increase(');
  });
});
