import fc from 'fast-check';

import { readFluxFrames } from '../normalize';
import { stateMetricsOf } from '../schemas';
import { instantFrames, T0 } from '../testing/frames';
import { evaluateSelectorUnion, InstantSeries } from '../testing/promql';
import { FluxLabelMapping } from '../types';
import { lastReconcileQuery, sinceQuery, subqueryStep } from './objectTimes';
import * as objects from './objects';
import { objectsStateQuery, stateSeriesUnion, UNREAD_STATE_LABELS } from './objects';

/** The Flux Operator's info families, selected together by their names. */
const OPERATOR_INFO = `({__name__=~"(?:${stateMetricsOf('flux-operator').join('|')})"})`;

describe('Objects queries', () => {
  it('Objects reads the raw series with their names (for the core) and only value-1 legacy series', () => {
    expect(stateSeriesUnion({}, { schema: 'kube-state-metrics' })).toBe('gotk_resource_info');
    expect(stateSeriesUnion({}, { schema: 'legacy' })).toBe(
      '(gotk_reconcile_condition{type="Ready"} == 1) or (gotk_suspend_status == 1)'
    );
    expect(stateSeriesUnion({}, {})).toBe(
      `${OPERATOR_INFO} or (gotk_resource_info) or (gotk_reconcile_condition{type="Ready"} == 1) or (gotk_suspend_status == 1)`
    );
    // Every Flux Operator family (flux_resource_info, and its own objects' flux_instance_info, …).
    expect(stateMetricsOf('flux-operator')).toContain('flux_resource_info');
  });

  it('sends them without the labels the core never reads, per metric, its name set back, unless a setting names one', () => {
    const unread = UNREAD_STATE_LABELS.join(', ');
    // The exporter's own namespace goes where the object's is exported_namespace, unless a setting
    // orders them; the scrape's endpoint goes but on a Bucket, whose own (spec.endpoint) it is.
    // kube-state-metrics' series need no name: customresource_kind says what they are.
    const ksmPart = (namespace: string, matcher: string) =>
      `(max without (${unread}${namespace}, endpoint) (gotk_resource_info{${matcher}, customresource_kind!="Bucket"})) or ` +
      `(max without (${unread}${namespace}) (gotk_resource_info{${matcher}, customresource_kind="Bucket"}))`;
    const ksm = `${ksmPart(', namespace', 'exported_namespace!=""')} or ${ksmPart('', 'exported_namespace=""')}`;
    expect(objectsStateQuery({}, { schema: 'kube-state-metrics' })).toBe(ksm);
    // Unless a setting names another kind label: then the name is all that says it.
    expect(objectsStateQuery({}, { schema: 'kube-state-metrics', labels: { kind: 'resource_kind' } })).toBe(
      `label_replace(${ksm}, "__name__", "gotk_resource_info", "", "")`
    );
    // A setting that names `endpoint` keeps it on every kind.
    expect(objectsStateQuery({}, { schema: 'kube-state-metrics', labels: { cluster: 'endpoint' } })).toBe(
      `(max without (${unread}, namespace) (gotk_resource_info{exported_namespace!=""})) or (max without (${unread}) (gotk_resource_info{exported_namespace=""}))`
    );
    // Nor the Flux Operator's, whatever the settings: each of its series has `kind` and `ready`,
    // so its families are aggregated together; its Bucket's endpoint is `url`.
    const families = `__name__=~"(?:${stateMetricsOf('flux-operator').join('|')})"`;
    for (const labels of [{}, { kind: 'resource_kind' }]) {
      const operator = objectsStateQuery({}, { schema: 'flux-operator', labels });
      expect(operator).toContain(
        `max without (${unread}, namespace, endpoint) ({${families}, exported_namespace!=""})`
      );
      expect(operator).not.toContain('label_replace');
      expect(operator).not.toContain('Bucket');
    }
    expect(objectsStateQuery({}, { schema: 'legacy', labels: { namespace: 'namespace' } })).toBe(
      `(label_replace(max without (${unread}, endpoint) (gotk_reconcile_condition{type="Ready"} == 1), "__name__", "gotk_reconcile_condition", "", "")) or ` +
        `(label_replace(max without (${unread}, endpoint) (gotk_suspend_status == 1), "__name__", "gotk_suspend_status", "", ""))`
    );
    // A cluster told apart by `job` or `prometheus` keeps that label.
    const named = objectsStateQuery({}, { schema: 'kube-state-metrics', labels: { cluster: 'prometheus' } });
    expect(named).toMatch(
      /max without \(pod, instance, container, service, job, uid, customresource_group, customresource_version, replica, prometheus_replica, __replica__, endpoint\) /
    );
  });

  const END = 1736125200;

  it('time in state: only selectors and set operations at each step, the end pinned as a literal @', () => {
    const q = sinceQuery({}, { schema: 'kube-state-metrics' }, 3600, 240, END);
    expect(q).toContain(`gotk_resource_info @ ${END} unless on(`);
    expect(q).toContain('last_over_time(gotk_resource_info[240s])');
    expect(q).toContain('[3599999ms:240s])');
    // VictoriaMetrics reads end() inside a subquery as the step's time.
    expect(q).not.toContain('end()');
    // Nothing relabels inside the subquery: label_replace runs once per series, outside.
    const subquery = q.slice(q.indexOf('max_over_time('), q.indexOf('[3599999ms:240s]'));
    expect(subquery).not.toContain('label_replace');
    // One hour or less: no reading of the range before the last hour.
    expect(q).not.toMatch(/\[\d+ms\] @/);
  });

  it("time in state: a reason setting's label and the detected reason labels all tell states apart", () => {
    // A Flux Operator series keeps its own `reason` under a setting meant for kube-state-metrics.
    const q = sinceQuery({}, { schema: 'flux-operator', labels: { reason: 'status_reason' } }, 3600, 240, END);
    expect(q).toMatch(/unless on\([^)]*name, status_reason, reason, ready_reason, suspended, ready, url\)/);
  });

  it('time in state over a longer range: the hour stepped through, the rest read by range functions', () => {
    const q = sinceQuery({}, { schema: 'kube-state-metrics' }, 86_400, 240, END);
    expect(q).toContain('[3599999ms:240s])');
    expect(q).toContain(`last_over_time(gotk_resource_info[82800000ms] @ ${END - 3600})`);
    expect(q).toMatch(
      new RegExp(`unless on\\([^)]*\\) gotk_resource_info @ ${END - 86_400}\\) \\* 0 \\+ ${END - 3600}`)
    );
    const legacy = sinceQuery({}, { schema: 'legacy' }, 86_400, 240, END);
    expect(legacy).toContain(`changes(gotk_suspend_status[82800000ms] @ ${END - 3600}) > 0`);
  });

  it('last reconcile counts the trailing steps at the end value, over the hour and the whole range', () => {
    const q = lastReconcileQuery({}, {}, 3600, 240, END);
    const counter = 'gotk_reconcile_duration_seconds_count{exported_namespace!=""}';
    expect(q).toContain(`count_over_time((${counter} == ${counter} @ ${END})[3599999ms:240s])`);
    // Per object by its raw identity labels (read back with the core's rule), `namespace` only without the exported one.
    expect(q).toContain(
      'max by (cluster, k8s_cluster, cluster_name, kubernetes_cluster, kind, exported_namespace, name) ('
    );
    expect(q).toContain(
      'max by (cluster, k8s_cluster, cluster_name, kubernetes_cluster, kind, exported_namespace, namespace, name) ('
    );
    expect(q).not.toContain('fluxgrid_');
    // 15 steps in the hour, the last at END (a multiple of 240 s).
    expect(q).toContain(`${END} - 240 * ((count_over_time(`);
    expect(q).toContain(') < 15)');
    expect(q).not.toContain('clamp_max');
    const long = lastReconcileQuery({}, {}, 86_400, 240, END);
    expect(long).toContain(`[86399999ms:3600s]`);
    expect(long).toContain(`clamp_max(${Math.floor(END / 3600) * 3600} - 3600 * (`);
  });

  it('subquery steps stay under the 5 minute lookback up to 24 h, and at most 360 steps', () => {
    expect(subqueryStep(3600)).toBe(240);
    expect(subqueryStep(86400)).toBe(240);
    expect(subqueryStep(7 * 86400)).toBe(1680);
    fc.assert(
      fc.property(fc.integer({ min: 60, max: 90 * 86400 }), (w) => w / subqueryStep(w) <= 360 && subqueryStep(w) >= 240)
    );
    fc.assert(fc.property(fc.integer({ min: 60, max: 86400 }), (w) => subqueryStep(w) < 300));
  });
});

/** An instant answer of fluxgrid_*-labelled series (what the aggregated queries return). */
function answer(rows: Array<{ labels: Record<string, string>; value: number }>) {
  return instantFrames(rows, T0);
}

const window = { fromMs: T0 - 3600_000, toMs: T0 };

describe('reading the Objects answers', () => {
  const state = instantFrames(
    [
      {
        labels: {
          __name__: 'flux_resource_info',
          kind: 'Kustomization',
          name: 'old',
          exported_namespace: 'apps',
          ready: 'True',
        },
        value: 1,
      },
      {
        labels: {
          __name__: 'flux_resource_info',
          kind: 'Kustomization',
          name: 'new',
          exported_namespace: 'apps',
          ready: 'False',
        },
        value: 1,
      },
    ],
    T0
  );
  const ref = (name: string, schema = 'flux-operator') => ({
    fluxgrid_kind: 'Kustomization',
    fluxgrid_namespace: 'apps',
    fluxgrid_name: name,
    fluxgrid_schema: schema,
  });

  it('a since in the stepped hour is exact; none, or one at the window start, is a lower bound', () => {
    const since = answer([
      { labels: ref('old'), value: (window.fromMs - 240_000) / 1000 },
      { labels: ref('new'), value: (T0 - 600_000) / 1000 },
    ]);
    const read = objects.read({ state, since, lastReconcile: [] }, window, {}, { withTimes: true });
    expect(read.map((o) => [o.name, o.since, o.sinceIsLowerBound])).toEqual([
      ['new', T0 - 600_000, false],
      ['old', window.fromMs, true],
    ]);
  });

  it("an object's since is that of the schema its state is read from, not another schema's change", () => {
    // Flux 2.1-2.4 export both: `old` is Ready from the Flux Operator's series, unchanged; a gap in
    // its legacy gauges reads as a change there, and a recorded one as a change after the rules.
    const since = answer([
      { labels: ref('old', 'legacy'), value: (T0 - 600_000) / 1000 },
      { labels: ref('new', 'legacy'), value: (T0 - 300_000) / 1000 },
      { labels: ref('new'), value: (T0 - 600_000) / 1000 },
    ]);
    const unrecorded = answer([{ labels: ref('old', 'kube-state-metrics'), value: T0 / 1000 }]);
    const read = objects.read({ state, since, unrecorded, lastReconcile: [] }, window, {}, { withTimes: true });
    expect(read.map((o) => [o.name, o.since, o.sinceIsLowerBound])).toEqual([
      ['new', T0 - 600_000, false],
      ['old', window.fromMs, true],
    ]);
  });

  /** A last-reconcile answer: raw identity labels (see latestByIdentity). */
  const counted = (name: string) => ({ kind: 'Kustomization', exported_namespace: 'apps', name });

  it('objects seen only in reconcile counters get the schema the core gives them, only without state series', () => {
    const counters = answer([{ labels: counted('ghost'), value: (T0 - 60_000) / 1000 }]);
    const read = objects.read({ state: [], since: [], lastReconcile: counters }, window, {}, { withTimes: true });
    const core = readFluxFrames(
      instantFrames(
        [
          {
            labels: {
              __name__: 'gotk_reconcile_duration_seconds_count',
              kind: 'Kustomization',
              name: 'ghost',
              namespace: 'apps',
            },
            value: 3,
          },
        ],
        T0
      )
    ).objects;
    expect(read.map((o) => [o.key, o.state, o.schema])).toEqual(core.map((o) => [o.key, o.state, o.schema]));
    expect(read[0].schema).toBe('legacy');
    expect(read[0].reconcile?.lastReconcileAt).toBe(T0 - 60_000);
    // With state series somewhere (the filter matched none), a leftover counter is no object.
    const stateSeries = answer([{ labels: { fluxgrid_stat: 'stateSeries' }, value: 12 }]);
    expect(
      objects.read({ state: [], since: [], lastReconcile: counters, stateSeries }, window, {}, { withTimes: true })
    ).toEqual([]);
  });

  it('asks whether state series exist at all only when none matched and counters reconciled', () => {
    const counters = answer([{ labels: counted('ghost'), value: (T0 - 60_000) / 1000 }]);
    const state = answer([
      {
        labels: {
          __name__: 'gotk_resource_info',
          customresource_kind: 'Kustomization',
          exported_namespace: 'apps',
          name: 'app',
        },
        value: 1,
      },
    ]);
    const params = { withTimes: true };
    expect(objects.followUp({ state: [], lastReconcile: counters }, {}, params)?.exprs).toEqual({
      stateSeries: objects.stateSeriesCountQuery({}),
    });
    expect(objects.followUp({ state, lastReconcile: counters }, {}, params)).toBeUndefined();
    expect(objects.followUp({ state: [], lastReconcile: [] }, {}, params)).toBeUndefined();
    expect(objects.followUp({ state: [] }, {}, { withTimes: false })).toBeUndefined();
    // State series matched: a counter's object without one is no object, no count needed.
    expect(objects.read({ state, since: [], lastReconcile: counters }, window, {}, params).map((o) => o.name)).toEqual([
      'app',
    ]);
  });
});

describe('one label-override rule for the panel and the datasource', () => {
  /** A custom kube-state-metrics config (resource_kind / resource_name) next to schemas that never carry them. */
  const series: InstantSeries[] = [
    {
      labels: {
        __name__: 'gotk_resource_info',
        resource_kind: 'HelmRelease',
        resource_name: 'podinfo',
        exported_namespace: 'apps',
        ready: 'False',
        name: 'helm-controller',
      },
      value: 1,
    },
    {
      labels: {
        __name__: 'gotk_resource_info',
        customresource_kind: 'Kustomization',
        name: 'apps',
        exported_namespace: 'flux-system',
        ready: 'True',
      },
      value: 1,
    },
    {
      labels: {
        __name__: 'flux_resource_info',
        kind: 'GitRepository',
        name: 'flux-system',
        exported_namespace: 'flux-system',
        ready: 'True',
      },
      value: 1,
    },
    {
      labels: {
        __name__: 'flux_resource_info',
        kind: 'HelmRelease',
        name: 'ingress',
        exported_namespace: 'infra',
        ready: 'Unknown',
      },
      value: 1,
    },
    {
      labels: {
        __name__: 'gotk_reconcile_condition',
        kind: 'Bucket',
        name: 'assets',
        namespace: 'flux-system',
        type: 'Ready',
        status: 'True',
      },
      value: 1,
    },
    {
      labels: {
        __name__: 'gotk_reconcile_condition',
        kind: 'Bucket',
        name: 'assets',
        namespace: 'flux-system',
        type: 'Ready',
        status: 'False',
      },
      value: 0,
    },
  ];
  const mapping: FluxLabelMapping = { kind: 'resource_kind', name: 'resource_name' };
  const summary = (list: Array<{ key: string; state: string; schema: string }>) =>
    list.map((o) => [o.key, o.state, o.schema]).sort();

  /** The panel: Prometheus' raw series, read by the core with the panel's label settings. */
  const panel = (filter?: (o: { kind: string }) => boolean) =>
    summary(readFluxFrames(instantFrames(series, T0), { labels: mapping }).objects.filter((o) => !filter || filter(o)));

  /** The datasource: the Objects question's own query, run by a stand-in Prometheus, read back. */
  const datasource = (filters: Parameters<typeof objects.queries>[0]) => {
    const options = { schema: 'auto' as const, labels: mapping };
    const params = { withTimes: false };
    // The selectors' filtering, as Prometheus would run it (the labels aggregated away after it are the integration tests').
    const state = instantFrames(evaluateSelectorUnion(stateSeriesUnion(filters, options), series), T0);
    return summary(objects.read({ state }, window, options, params));
  };

  it('gives the same objects, none dropped (the override falls back where a series lacks it)', () => {
    expect(datasource({})).toEqual(panel());
    expect(datasource({}).map(([key]) => key)).toEqual([
      '\u001fBucket\u001fflux-system\u001fassets',
      '\u001fGitRepository\u001fflux-system\u001fflux-system',
      '\u001fHelmRelease\u001fapps\u001fpodinfo',
      '\u001fHelmRelease\u001finfra\u001fingress',
      '\u001fKustomization\u001fflux-system\u001fapps',
    ]);
  });

  it('and the same objects under a filter (the PromQL filter on the rule the core reads with)', () => {
    expect(datasource({ kind: { type: 'equals', value: 'HelmRelease' } })).toEqual(
      panel((o) => o.kind === 'HelmRelease')
    );
    expect(datasource({ kind: { type: 'equals', value: 'HelmRelease' } })).toHaveLength(2);
  });
});

describe('one label-override rule, for any fleet (property)', () => {
  const kinds = ['Kustomization', 'HelmRelease', 'GitRepository'];
  const names = ['a', 'b', 'line\nbreak', '$1'];
  const metricOf = { ksm: 'gotk_resource_info', operator: 'flux_resource_info', legacy: 'gotk_reconcile_condition' };
  interface SimulatedSeries {
    schema: 'ksm' | 'operator' | 'legacy';
    kind: string;
    name: string;
    overridden: boolean;
    ready: string;
  }
  const seriesOf: fc.Arbitrary<SimulatedSeries> = fc.record({
    schema: fc.constantFrom('ksm' as const, 'operator' as const, 'legacy' as const),
    kind: fc.constantFrom(...kinds),
    name: fc.constantFrom(...names),
    overridden: fc.boolean(),
    ready: fc.constantFrom('True', 'False'),
  });

  function toSeries(s: SimulatedSeries): InstantSeries[] {
    const identity: Record<string, string> = s.overridden
      ? { resource_kind: s.kind, resource_name: s.name, kind: 'Decoy', name: 'decoy' }
      : { [s.schema === 'ksm' ? 'customresource_kind' : 'kind']: s.kind, name: s.name };
    const labels = { __name__: metricOf[s.schema], exported_namespace: 'apps', ...identity };
    if (s.schema === 'legacy') {
      return ['True', 'False', 'Unknown'].map((status) => ({
        labels: { ...labels, type: 'Ready', status },
        value: status === s.ready ? 1 : 0,
      }));
    }
    return [{ labels: { ...labels, ready: s.ready }, value: 1 }];
  }

  it('the datasource (filtering in PromQL) and the panel (reading everything) give the same objects', () => {
    fc.assert(
      fc.property(
        fc.array(seriesOf, { maxLength: 8 }),
        fc.constantFrom<FluxLabelMapping>(
          {},
          { kind: 'resource_kind' },
          { name: 'resource_name' },
          { kind: 'resource_kind', name: 'resource_name' }
        ),
        fc.option(fc.constantFrom(...kinds, 'Decoy'), { nil: undefined }),
        (fleet, mapping, kind) => {
          const series = fleet.flatMap(toSeries);
          const options = { labels: mapping };
          const params = { withTimes: false };
          const filters = kind ? { kind: { type: 'equals' as const, value: kind } } : {};
          const state = instantFrames(evaluateSelectorUnion(stateSeriesUnion(filters, options), series), T0);
          const datasource = objects
            .read({ state }, window, options, params)
            .map((o) => [o.key, o.state, o.schema])
            .sort();
          const panel = readFluxFrames(instantFrames(series, T0), { labels: mapping })
            .objects.filter((o) => !kind || o.kind === kind)
            .map((o) => [o.key, o.state, o.schema])
            .sort();
          expect(datasource).toEqual(panel);
        }
      ),
      { numRuns: 200 }
    );
  });
});
