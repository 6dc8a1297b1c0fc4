import { FieldType, toDataFrame } from '@grafana/data';

import { durationRows, stateChanges, stateTimelines, valuesByObject } from './decode';
import { describeChange } from './output';

const id = (name: string, extra: Record<string, string> = {}) => ({
  fluxgrid_kind: 'Kustomization',
  fluxgrid_namespace: 'apps',
  fluxgrid_name: name,
  ...extra,
});

/** A Prometheus time series frame, as Grafana's Prometheus datasource returns it. */
function series(labels: Record<string, string>, times: number[], values: number[], refId = 'A') {
  return toDataFrame({
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: times },
      { name: 'Value', type: FieldType.number, values, labels },
    ],
  });
}

describe('valuesByObject', () => {
  it('keys values like the core keys objects', () => {
    const map = valuesByObject([series(id('podinfo', { fluxgrid_cluster: 'eu' }), [1000], [42])]);
    expect(Array.from(map.keys())).toEqual(['eu\u001fKustomization\u001fapps\u001fpodinfo']);
    expect(map.get('eu\u001fKustomization\u001fapps\u001fpodinfo')?.value).toBe(42);
  });
});

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

describe('state timelines and changes', () => {
  const t = [0, 60_000, 120_000, 180_000, 240_000];
  const frames = [
    series(id('podinfo', { fluxgrid_state: 'Ready' }), [0, 60_000, 240_000], [1, 1, 1]),
    series(id('podinfo', { fluxgrid_state: 'Failed' }), [120_000, 180_000], [1, 1]),
    // A lagging duplicate: the more severe state shows.
    series(id('podinfo', { fluxgrid_state: 'Ready' }), [120_000], [1]),
    series(id('late', { fluxgrid_state: 'Progressing' }), [180_000, 240_000], [1, 1]),
  ];

  it('puts every object on one time grid, null where it did not exist', () => {
    const timelines = stateTimelines(frames);
    const podinfo = timelines.find((x) => x.name === 'podinfo')!;
    expect(podinfo.times).toEqual(t);
    expect(podinfo.states).toEqual(['Ready', 'Ready', 'Failed', 'Failed', 'Ready']);
    expect(timelines.find((x) => x.name === 'late')!.states).toEqual([null, null, null, 'Progressing', 'Progressing']);
  });

  it('lists changes, and reads them like a person would', () => {
    const changes = stateChanges(stateTimelines(frames));
    expect(changes.map((c) => [c.name, c.time, c.from, c.to])).toEqual([
      ['podinfo', 120_000, 'Ready', 'Failed'],
      ['late', 180_000, null, 'Progressing'],
      ['podinfo', 240_000, 'Failed', 'Ready'],
    ]);
    expect(changes.map((c) => describeChange(c))).toEqual([
      'Kustomization apps/podinfo became Failed',
      'Kustomization apps/late became Progressing',
      'Kustomization apps/podinfo recovered',
    ]);
  });
});
