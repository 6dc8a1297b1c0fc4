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
