import { sortObjects } from '../summary';
import { fluxObject, fluxgridLabels as id, timedSeries as series } from '../testing/frames';
import * as history from './history';
import { stateChanges, stateTimelines } from './history';

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

  it('lists changes', () => {
    const changes = stateChanges(stateTimelines(frames));
    expect(changes.map((c) => [c.name, c.time, c.from, c.to])).toEqual([
      ['podinfo', 120_000, 'Ready', 'Failed'],
      ['late', 180_000, null, 'Progressing'],
      ['podinfo', 240_000, 'Failed', 'Ready'],
    ]);
  });
});

describe('the identity order', () => {
  it('State history lists objects in the same order as Objects (code points, not the locale)', () => {
    const names = ['b', 'a', 'B', 'é', 'e', 'Z', '_x'];
    const frames = names.map((name) => series(id(name, { fluxgrid_state: 'Ready' }), [0], [1]));
    const timelines = history.read({ states: frames }).map((t) => t.name);
    const objects = sortObjects(
      names.map((name) => fluxObject({ name, namespace: 'apps', kind: 'Kustomization', state: 'Ready' })),
      'severity'
    ).map((o) => o.name);
    expect(timelines).toEqual(objects);
    expect(timelines).toEqual(['B', 'Z', '_x', 'a', 'b', 'e', 'é']);
  });
});

describe('the step of the history question', () => {
  const hour = { fromMs: 0, toMs: 3_600_000 };

  it('is never finer than the scrape interval (scenes hand 2 s for short ranges)', () => {
    expect(history.queries({}, {}, { ...hour, intervalMs: 2_000 }).minStepSeconds).toBe(15);
    expect(history.queries({}, {}, { ...hour, intervalMs: 2_000, scrapeIntervalSeconds: 60 }).minStepSeconds).toBe(60);
    expect(history.queries({}, {}).minStepSeconds).toBe(15);
  });

  it("keeps a panel's coarser interval (a Min interval set on the panel, a long range)", () => {
    expect(history.queries({}, {}, { ...hour, intervalMs: 300_000 }).minStepSeconds).toBe(300);
    expect(history.queries({}, {}, { ...hour, intervalMs: 1_500, scrapeIntervalSeconds: 0 }).minStepSeconds).toBe(15);
    expect(history.queries({}, {}, { ...hour, intervalMs: 20_500 }).minStepSeconds).toBe(21);
  });
});
