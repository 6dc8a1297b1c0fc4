import { instantFrames, T0 } from '../testing/frames';
import { stateMetricsOf } from '../schemas';
import { labelValuesQuery, metricFamiliesQuery, readCounts, readFamilies, readValues } from './catalog';

describe('catalog questions', () => {
  it('variable values are the distinct non-empty values of one identity label', () => {
    expect(labelValuesQuery('kinds', {}, { schema: 'kube-state-metrics' })).toMatch(/^group by \(fluxgrid_kind\)/);
    const values = instantFrames(
      ['b', 'a', 'b', ''].map((v) => {
        const labels: Record<string, string> = v ? { fluxgrid_namespace: v } : {};
        return { labels, value: 1 };
      }),
      T0
    );
    expect(readValues('namespaces', { values })).toEqual(['a', 'b']);
  });

  it('variable values in the identity order (code point, as compareIdentity), in any locale', () => {
    const values = instantFrames(
      ['team-b', 'Team-a', 'team-a', 'Zeta'].map((v) => ({ labels: { fluxgrid_namespace: v }, value: 1 })),
      T0
    );
    // localeCompare would give team-a, Team-a, team-b, Zeta.
    expect(readValues('namespaces', { values })).toEqual(['Team-a', 'Zeta', 'team-a', 'team-b']);
  });

  it('counts objects and clusters from one answer', () => {
    const counts = instantFrames(
      [
        { labels: { fluxgrid_stat: 'objects' }, value: 12 },
        { labels: { fluxgrid_stat: 'clusters' }, value: 2 },
      ],
      T0
    );
    expect(readCounts({ counts })).toEqual({ objects: 12, clusters: 2 });
    expect(readCounts({ counts: [] })).toEqual({ objects: 0, clusters: 0 });
  });

  it('families: every state family of every schema is looked for, and read back as its schema', () => {
    for (const metric of ['gotk_resource_info', 'gotk_reconcile_condition', ...stateMetricsOf('flux-operator')]) {
      expect(metricFamiliesQuery()).toContain(metric);
    }
    const families = instantFrames(
      [...stateMetricsOf('flux-operator'), 'gotk_reconcile_condition', 'gotk_reconcile_duration_seconds_count'].map(
        (name) => ({ labels: { __name__: name }, value: 3 })
      ),
      T0
    );
    expect(readFamilies({ families })).toEqual({ schemas: ['flux-operator', 'legacy'], reconcileCounters: true });
    expect(readFamilies({ families: [] })).toEqual({ schemas: [], reconcileCounters: false });
  });
});
