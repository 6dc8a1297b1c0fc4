import fc from 'fast-check';

import { evaluateSelectorUnion, hostile, unquoteGo } from '../testing/promql';
import { normalizeIdentity } from './identity';
import { familyIdentityLabels, FilterValue, filteredSelectors, matcherFor, renderMatcher } from './selectors';

describe('matchers', () => {
  it('equals and single values are exact matchers, several values an escaped alternation', () => {
    expect(matcherFor('name', { type: 'equals', value: 'a.b' })).toEqual({ label: 'name', op: '=', value: 'a.b' });
    expect(matcherFor('name', { type: 'oneOf', values: ['a.b'] })).toEqual({ label: 'name', op: '=', value: 'a.b' });
    expect(matcherFor('name', { type: 'oneOf', values: ['a.b', 'c|d'] })).toEqual({
      label: 'name',
      op: '=~',
      value: '(?:a\\.b|c\\|d)',
    });
  });

  it('an empty multi-value matches nothing, not everything', () => {
    const m = matcherFor('name', { type: 'oneOf', values: [] });
    const re = new RegExp(`^(?:${m.value})$`);
    expect(['', 'a', '.*'].some((v) => re.test(v))).toBe(false);
  });

  it('a namespace filter reads exported_namespace, and namespace only where exported_namespace is absent', () => {
    const selectors = filteredSelectors(
      'gotk_resource_info',
      'kube-state-metrics',
      { namespace: { type: 'equals', value: 'apps' } },
      {}
    );
    expect(selectors).toEqual([
      'gotk_resource_info{exported_namespace="apps"}',
      'gotk_resource_info{exported_namespace="", namespace="apps"}',
    ]);
  });

  it('an auto cluster filter tries each cluster label in order of preference', () => {
    const selectors = filteredSelectors(
      'flux_resource_info',
      'flux-operator',
      { cluster: { type: 'equals', value: 'prod' } },
      { namespace: 'ns' }
    );
    expect(selectors).toEqual([
      'flux_resource_info{cluster="prod"}',
      'flux_resource_info{cluster="", k8s_cluster="prod"}',
      'flux_resource_info{cluster="", k8s_cluster="", cluster_name="prod"}',
      'flux_resource_info{cluster="", k8s_cluster="", cluster_name="", kubernetes_cluster="prod"}',
    ]);
    expect(
      filteredSelectors(
        'flux_resource_info',
        'flux-operator',
        { cluster: { type: 'equals', value: 'prod' } },
        { cluster: 'site' }
      )
    ).toEqual(['flux_resource_info{site="prod"}']);
  });

  it('kube-state-metrics filters kind on customresource_kind', () => {
    expect(
      filteredSelectors(
        'gotk_resource_info',
        'kube-state-metrics',
        { kind: { type: 'equals', value: 'HelmRelease' } },
        {}
      )
    ).toEqual([
      'gotk_resource_info{customresource_kind="HelmRelease"}',
      'gotk_resource_info{customresource_kind="", kind="HelmRelease"}',
    ]);
  });

  it('a kind / namespace / name override is read first, the defaults as fallback, on every family', () => {
    const mapping = { kind: 'resource_kind', name: 'resource_name' };
    const filters = { kind: { type: 'equals', value: 'HelmRelease' }, name: { type: 'equals', value: 'a' } } as const;
    expect(filteredSelectors('gotk_resource_info', 'kube-state-metrics', filters, mapping)).toEqual([
      'gotk_resource_info{resource_kind="HelmRelease", resource_name="a"}',
      'gotk_resource_info{resource_kind="HelmRelease", resource_name="", name="a"}',
      'gotk_resource_info{resource_kind="", customresource_kind="HelmRelease", resource_name="a"}',
      'gotk_resource_info{resource_kind="", customresource_kind="HelmRelease", resource_name="", name="a"}',
      'gotk_resource_info{resource_kind="", customresource_kind="", kind="HelmRelease", resource_name="a"}',
      'gotk_resource_info{resource_kind="", customresource_kind="", kind="HelmRelease", resource_name="", name="a"}',
    ]);
    // The controllers' metrics, the legacy gauges and the Flux Operator's do not carry the
    // override: they fall back to kind and name (and never look for customresource_kind).
    for (const [metric, schema] of [
      ['gotk_reconcile_duration_seconds_count', 'controller'],
      ['gotk_reconcile_condition', 'legacy'],
      ['flux_resource_info', 'flux-operator'],
    ] as const) {
      expect(filteredSelectors(metric, schema, filters, mapping)).toEqual([
        `${metric}{resource_kind="HelmRelease", resource_name="a"}`,
        `${metric}{resource_kind="HelmRelease", resource_name="", name="a"}`,
        `${metric}{resource_kind="", kind="HelmRelease", resource_name="a"}`,
        `${metric}{resource_kind="", kind="HelmRelease", resource_name="", name="a"}`,
      ]);
      expect(normalizeIdentity('x', schema, mapping)).not.toContain('customresource_kind');
    }
    // The override is copied last, so it wins where present.
    expect(normalizeIdentity('x', 'flux-operator', { kind: 'resource_kind' })).toMatch(
      /"fluxgrid_kind", "\\x241", "resource_kind", "\(\(\?s\)\.\+\)"\)(, "fluxgrid_namespace"|$)/
    );
  });

  it('a cluster override replaces the auto list (it names where the scrape puts the cluster)', () => {
    expect(familyIdentityLabels('flux-operator', { cluster: 'site' }).cluster).toEqual(['site']);
    expect(familyIdentityLabels('flux-operator', {}).cluster).toEqual([
      'cluster',
      'k8s_cluster',
      'cluster_name',
      'kubernetes_cluster',
    ]);
  });

  it('never pastes something that is not a label name into PromQL', () => {
    expect(() => renderMatcher({ label: 'kind"} or vector(1) #', op: '=', value: 'x' })).toThrow(
      /is not a valid Prometheus label name/
    );
    expect(() =>
      filteredSelectors('m', 'flux-operator', { cluster: { type: 'equals', value: 'x' } }, { cluster: '1cluster' })
    ).toThrow(/"1cluster"/);
  });

  it('hostile filter values stay inside their string', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const [selector] = filteredSelectors('m', 'flux-operator', { name: { type: 'equals', value } }, {});
        const body = selector.slice('m{name="'.length, -2);
        return selector.endsWith('"}') && unquoteGo(body) === value;
      })
    );
  });
});

describe('filters that accept the empty value', () => {
  it('an empty value selects the series with none of the candidate labels, in one selector', () => {
    const cluster = (filter: FilterValue) =>
      filteredSelectors('flux_resource_info', 'flux-operator', { cluster: filter }, {});
    const none = 'flux_resource_info{cluster="", k8s_cluster="", cluster_name="", kubernetes_cluster=""}';
    expect(cluster({ type: 'oneOf', values: [''] })).toEqual([none]);
    expect(cluster({ type: 'equals', value: '' })).toEqual([none]);
  });

  it('a pattern that matches the empty value takes each candidate but the last only where it is set', () => {
    expect(
      filteredSelectors('flux_resource_info', 'flux-operator', { cluster: { type: 'regex', pattern: 'eu|' } }, {})
    ).toEqual([
      'flux_resource_info{cluster=~"eu|", cluster!=""}',
      'flux_resource_info{cluster="", k8s_cluster=~"eu|", k8s_cluster!=""}',
      'flux_resource_info{cluster="", k8s_cluster="", cluster_name=~"eu|", cluster_name!=""}',
      'flux_resource_info{cluster="", k8s_cluster="", cluster_name="", kubernetes_cluster=~"eu|"}',
    ]);
    expect(
      filteredSelectors(
        'gotk_resource_info',
        'kube-state-metrics',
        { namespace: { type: 'oneOf', values: ['', 'apps'] } },
        {}
      )
    ).toEqual([
      'gotk_resource_info{exported_namespace=~"(?:|apps)", exported_namespace!=""}',
      'gotk_resource_info{exported_namespace="", namespace=~"(?:|apps)"}',
    ]);
    // Any pattern may (its guard then repeats what the pattern asks); the last candidate needs none.
    expect(
      filteredSelectors('gotk_resource_info', 'kube-state-metrics', { kind: { type: 'regex', pattern: 'Helm.*' } }, {})
    ).toEqual([
      'gotk_resource_info{customresource_kind=~"Helm.*", customresource_kind!=""}',
      'gotk_resource_info{customresource_kind="", kind=~"Helm.*"}',
    ]);
  });

  it('select exactly the series whose preferred label matches', () => {
    const CLUSTERS = ['cluster', 'k8s_cluster', 'cluster_name', 'kubernetes_cluster'];
    const value = fc.constantFrom('', 'eu', 'prod');
    const FILTERS: FilterValue[] = [
      { type: 'equals', value: '' },
      { type: 'equals', value: 'prod' },
      { type: 'oneOf', values: [''] },
      { type: 'oneOf', values: ['', 'prod'] },
      { type: 'oneOf', values: ['eu', 'prod'] },
      { type: 'regex', pattern: 'eu|' },
      { type: 'regex', pattern: '(?:eu)?' },
      { type: 'regex', pattern: '.*' },
      { type: 'regex', pattern: 'p.*' },
    ];
    const accepts = (filter: FilterValue, v: string) =>
      filter.type === 'equals'
        ? v === filter.value
        : filter.type === 'oneOf'
          ? filter.values.includes(v)
          : new RegExp(`^(?:${filter.pattern})$`).test(v);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, value, value, value), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(...FILTERS),
        (rows, filter) => {
          const series = rows.map((values, i) => ({
            labels: Object.fromEntries([
              ['name', `o${i}`],
              ...CLUSTERS.map((label, j) => [label, values[j]]).filter(([, v]) => v !== ''),
            ]),
            value: 1,
          }));
          const expr = filteredSelectors('m', 'flux-operator', { cluster: filter }, {})
            .map((s) => `(${s.replace(/^m/, '')})`)
            .join(' or ');
          const selected = evaluateSelectorUnion(expr, series).map((s) => s.labels.name);
          const preferred = (labels: Record<string, string>) =>
            CLUSTERS.map((l) => labels[l] ?? '').find(Boolean) ?? '';
          const expected = series.filter((s) => accepts(filter, preferred(s.labels))).map((s) => s.labels.name);
          expect(selected.sort()).toEqual(expected.sort());
        }
      )
    );
  });
});
