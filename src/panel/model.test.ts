import { FluxReading, readFluxFrames } from '../flux';
import { fluxObject, instantFrames, legacyOneHot, seriesFrame } from '../flux/testing/frames';
import { fleetFrames, MINUTE, samplesBetween, T0, T_END } from './testing/fixtures';
import { buildViewModel, hasActiveFilters, hiddenDeletedCount, toggleStateFilter, ViewModelInput } from './model';
import { groupLevels, parseThreshold, toNormalizeOptions } from './options';
import { ViewerFilters } from './types';

const noFilters: ViewerFilters = { states: [], search: '', problemsOnly: false, sortBy: 'severity' };

function reading(objects = [fluxObject({ name: 'apps' })]): FluxReading {
  return { objects, schemas: ['flux-operator'], otherMetrics: [], unusableFrames: [] };
}

function input(partial: Partial<ViewModelInput> = {}): ViewModelInput {
  return {
    reading: reading(),
    hasData: true,
    filters: noFilters,
    levels: [],
    threshold: { ms: 10 * MINUTE },
    nowMs: T_END,
    ...partial,
  };
}

describe('buildViewModel', () => {
  const fleet = () => readFluxFrames(fleetFrames());

  it('counts every object by state, whatever the filters', () => {
    const view = buildViewModel(input({ reading: fleet(), filters: { ...noFilters, states: ['Ready'] } }));
    expect(view.counts).toMatchObject({ Failed: 2, Progressing: 1, Suspended: 1, Ready: 3, Unknown: 0 });
    expect(view.totalObjects).toBe(7);
    expect(view.objects).toHaveLength(3);
  });

  it('sorts by severity then name by default', () => {
    const view = buildViewModel(input({ reading: fleet() }));
    expect(view.objects.map((o) => `${o.state} ${o.kind}/${o.name}`)).toEqual([
      'Failed HelmRelease/podinfo',
      'Failed Kustomization/apps',
      'Progressing Kustomization/infra',
      'Suspended GitRepository/legacy-repo',
      'Ready GitRepository/flux-system',
      'Ready HelmRepository/podinfo',
      'Ready Kustomization/flux-system',
    ]);
  });

  it('sorts by time in state: longest first', () => {
    const view = buildViewModel(
      input({ reading: fleet(), filters: { ...noFilters, sortBy: 'timeInState', states: ['Failed'] } })
    );
    expect(view.objects.map((o) => o.name)).toEqual(['apps', 'podinfo']);
  });

  it('filters by search, problems only and state', () => {
    expect(
      buildViewModel(input({ reading: fleet(), filters: { ...noFilters, search: 'PODINFO' } })).objects
    ).toHaveLength(2);
    expect(
      buildViewModel(input({ reading: fleet(), filters: { ...noFilters, problemsOnly: true } })).objects.map(
        (o) => o.state
      )
    ).toEqual(['Failed', 'Failed', 'Progressing']);
  });

  it('groups by kind, worst group first, and by two levels', () => {
    const view = buildViewModel(input({ reading: fleet(), levels: ['kind'] }));
    expect(view.groups.map((g) => g.label)).toEqual([
      'HelmRelease',
      'Kustomization',
      'GitRepository',
      'HelmRepository',
    ]);
    expect(view.groups[1].counts).toMatchObject({ Failed: 1, Progressing: 1, Ready: 1 });
    const nested = buildViewModel(input({ reading: fleet(), levels: ['namespace', 'kind'] }));
    expect(nested.groups[0].children?.map((g) => g.label)).toBeDefined();
  });

  it('marks failures failing longer than the threshold as sustained', () => {
    const view = buildViewModel(input({ reading: fleet() }));
    const byName = Object.fromEntries(view.objects.map((o) => [`${o.kind}/${o.name}`, o]));
    expect(view.isSustained(byName['Kustomization/apps'])).toBe(true);
    expect(view.isSustained(byName['HelmRelease/podinfo'])).toBe(false);
    expect(view.sustainedFailures).toBe(1);
    const off = buildViewModel(input({ reading: fleet(), threshold: {} }));
    expect(off.isSustained(byName['Kustomization/apps'])).toBe(false);
    expect(off.sustainedFailures).toBe(0);
  });

  it('says "no data" when the queries returned nothing', () => {
    const view = buildViewModel(input({ reading: readFluxFrames([]), hasData: false }));
    expect(view.message?.kind).toBe('noData');
  });

  describe('failed queries', () => {
    const failedQueries = [{ refId: 'A', message: 'Prometheus datasource with uid "prom" not found' }];
    const ran = { queries: ['A: flux_resource_info', 'B: gotk_resource_info'], range: 'now-30m to now' };

    it('without data: says which query failed and why, not that it returned no series', () => {
      const view = buildViewModel(input({ reading: readFluxFrames([]), hasData: false, ran, failedQueries }));
      expect(view.message).toEqual({
        kind: 'noData',
        title: 'A query failed',
        details: [
          'Query A failed: Prometheus datasource with uid "prom" not found.',
          'Fix it in the query editor (the datasource, the query, or a shorter time range for a timeout), then refresh.',
        ],
      });
    });

    it('with data: the grid, and a warning that it lacks the failed query', () => {
      const view = buildViewModel(
        input({ reading: fleet(), failedQueries: [...failedQueries, { message: 'timeout.' }] })
      );
      expect(view.message).toBeUndefined();
      expect(view.objects).toHaveLength(7);
      expect(view.warnings).toEqual([
        'Query A failed: Prometheus datasource with uid "prom" not found. A query failed: timeout. The grid shows only the objects of the queries that succeeded.',
      ]);
    });
  });

  it('names the metrics it looked for and the ones it found when the data is not Flux', () => {
    const data = readFluxFrames([
      seriesFrame({ __name__: 'up', job: 'node' }, samplesBetween(T0, T_END)),
      seriesFrame({ __name__: 'node_load1' }, samplesBetween(T0, T_END)),
    ]);
    const view = buildViewModel(input({ reading: data }));
    expect(view.message?.kind).toBe('notFlux');
    const text = view.message!.details.join(' ');
    expect(text).toContain('gotk_resource_info, flux_resource_info, gotk_reconcile_condition');
    expect(text).toContain('up');
    expect(text).toContain('node_load1');
  });

  describe('Flux metrics but no object to show', () => {
    const now = T0 + 10 * MINUTE;
    const legacy = (status: 'True' | 'Deleted') =>
      readFluxFrames(instantFrames(legacyOneHot('Kustomization', 'apps', status), now), { includeDeleted: false });
    const withDeleted = (status: 'True' | 'Deleted') => () =>
      readFluxFrames(instantFrames(legacyOneHot('Kustomization', 'apps', status), now), { includeDeleted: true });

    it('suggests "Include deleted objects" when the data holds Deleted objects', () => {
      const data = legacy('Deleted');
      expect(data.objects).toEqual([]);
      const hiddenDeleted = hiddenDeletedCount(data, false, withDeleted('Deleted'));
      expect(hiddenDeleted).toBe(1);
      const view = buildViewModel(input({ reading: data, hiddenDeleted }));
      expect(view.message?.kind).toBe('noObjects');
      expect(view.message?.details.join(' ')).toContain(
        '1 deleted object is hidden: turn on "Include deleted objects" to see it'
      );
    });

    it('does not suggest it when there is no Deleted object', () => {
      const data = { ...reading([]), schemas: ['legacy' as const] };
      const reread = jest.fn(() => data);
      const hiddenDeleted = hiddenDeletedCount(data, false, reread);
      expect(hiddenDeleted).toBe(0);
      const view = buildViewModel(input({ reading: data, hiddenDeleted }));
      expect(view.message?.kind).toBe('noObjects');
      expect(view.message?.details.join(' ')).not.toContain('Include deleted objects');
      expect(view.message?.details.join(' ')).toContain('Every series was empty');
    });

    it('reads the frames again only when nothing else is shown', () => {
      const reread = jest.fn(withDeleted('Deleted'));
      expect(hiddenDeletedCount(legacy('True'), false, reread)).toBe(0); // objects are shown
      expect(hiddenDeletedCount(legacy('Deleted'), true, reread)).toBe(0); // option already on
      expect(hiddenDeletedCount({ ...reading([]), schemas: [] }, false, reread)).toBe(0); // not Flux
      expect(reread).not.toHaveBeenCalled();
    });
  });

  it('reports unusable frames as a message without objects and as a warning with them', () => {
    const unusable = ['frame "A" has no numeric field'];
    const without = buildViewModel(input({ reading: { ...reading([]), schemas: [], unusableFrames: unusable } }));
    expect(without.message?.details.join(' ')).toContain('frame "A" has no numeric field');
    const withObjects = buildViewModel(input({ reading: { ...reading(), unusableFrames: unusable } }));
    expect(withObjects.message).toBeUndefined();
    expect(withObjects.warnings[0]).toContain('1 frame could not be read');
  });

  it('says what matched nothing', () => {
    const view = buildViewModel(
      input({ reading: fleet(), filters: { ...noFilters, search: ' foo ', problemsOnly: true } })
    );
    expect(view.message).toEqual({
      kind: 'filteredOut',
      title: "No objects match 'foo'",
      details: ['7 objects are hidden by the search and problems only.'],
    });
  });

  it('carries an invalid threshold as a warning, not a blank panel', () => {
    const view = buildViewModel(input({ threshold: parseThreshold('ten minutes') }));
    expect(view.objects).toHaveLength(1);
    expect(view.warnings[0]).toMatch(/Invalid "Failing longer than" value 'ten minutes'/);
  });
});

describe('viewer filters', () => {
  it('toggles a single state', () => {
    expect(toggleStateFilter([], 'Failed')).toEqual(['Failed']);
    expect(toggleStateFilter(['Failed'], 'Failed')).toEqual([]);
    expect(toggleStateFilter(['Failed'], 'Ready')).toEqual(['Ready']);
  });

  it('knows when filters are active', () => {
    expect(hasActiveFilters(noFilters)).toBe(false);
    expect(hasActiveFilters({ ...noFilters, search: ' x' })).toBe(true);
  });
});

describe('options', () => {
  it('parses thresholds with Grafana interval units', () => {
    expect(parseThreshold('10m')).toEqual({ ms: 600_000 });
    expect(parseThreshold('2h')).toEqual({ ms: 7_200_000 });
    expect(parseThreshold('')).toEqual({});
    expect(parseThreshold('$t', () => '30s')).toEqual({ ms: 30_000 });
    // The same grammar as the simulator's scenario files (the core's parseDuration).
    expect(parseThreshold('1h30m')).toEqual({ ms: 5_400_000 });
    expect(parseThreshold('1.5h')).toEqual({ ms: 5_400_000 });
    expect(parseThreshold(' 90s ')).toEqual({ ms: 90_000 });
    for (const bad of ['10', '10mfoo', '-5m', 'abc', '0m', '10 minutes']) {
      expect(parseThreshold(bad).error).toBeDefined();
    }
  });

  it('drops empty label overrides so the core auto-detects them', () => {
    expect(
      toNormalizeOptions({
        labels: { cluster: ' k8s_cluster ', kind: '', namespace: '', name: '', reason: '' },
        includeDeleted: true,
      })
    ).toEqual({ labels: { cluster: 'k8s_cluster' }, includeDeleted: true });
  });

  it('builds grouping levels without repeats', () => {
    expect(groupLevels({ groupBy: 'none', subGroupBy: 'kind' })).toEqual([]);
    expect(groupLevels({ groupBy: 'cluster', subGroupBy: 'kind' })).toEqual(['cluster', 'kind']);
    expect(groupLevels({ groupBy: 'kind', subGroupBy: 'kind' })).toEqual(['kind']);
  });

  // Filling gaps and clamping the cell size happen when Grafana loads a panel: migrations.test.ts.
});

describe('pre-sorted input', () => {
  it('filters a pre-sorted list without re-sorting it', () => {
    const objects = [fluxObject({ name: 'b', state: 'Ready' }), fluxObject({ name: 'a', state: 'Failed' })];
    const view = buildViewModel(
      input({ reading: reading(objects), sorted: objects, filters: { ...noFilters, search: '' } })
    );
    expect(view.objects).toBe(objects);
    const unsorted = buildViewModel(input({ reading: reading(objects) }));
    expect(unsorted.objects.map((o) => o.name)).toEqual(['a', 'b']);
  });
});
