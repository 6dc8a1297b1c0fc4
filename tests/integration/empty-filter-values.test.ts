/**
 * Filters that match the empty value, on a real Prometheus (and, with
 * FLUXGRID_ENGINE=victoria-metrics, on VictoriaMetrics): a `$cluster` variable whose value is empty,
 * a pattern such as `eu|` or `(?:eu)?`. A filter acts on an object's preferred label (the first
 * present of the candidates), so an empty cluster filter selects the objects with no cluster label
 * at all, not an object whose `cluster` is absent but whose `k8s_cluster` is "prod". Every
 * selection mode (selection.ts) selects the same objects: the answer does not depend on how long
 * the query is.
 *
 * @jest-environment node
 */
import { objectSelection, SELECTION_MODES } from '../../src/flux/promql/selection';
import { type FluxFilters } from '../../src/flux/promql/selectors';
import { infoStateSeries } from '../../src/flux/promql/stateRules';
import { formatLabels } from '../../simulator/openmetrics';
import { queryPrometheus, startPrometheus, type PrometheusServer } from '../harness/prometheus';

jest.setTimeout(120_000);

const END = 1736125200;

const BASE = { customresource_kind: 'Kustomization', exported_namespace: 'apps', ready: 'True' };

/** name → its gotk_resource_info labels (an empty value: the label is absent). */
const OBJECTS: Record<string, Record<string, string>> = {
  c1: { ...BASE, k8s_cluster: 'prod' },
  c2: { ...BASE },
  c3: { ...BASE, cluster: 'eu' },
  c4: { ...BASE, kubernetes_cluster: 'prod' },
  // The object's namespace from `namespace` (no exported_namespace), or none at all.
  n1: { ...BASE, exported_namespace: '', namespace: 'other' },
  n2: { ...BASE, exported_namespace: '' },
  // The kind from `kind` (a custom kube-state-metrics config without customresource_kind).
  k1: { ...BASE, customresource_kind: '', kind: 'HelmRelease' },
};

function history(): string {
  const lines = ['# TYPE gotk_resource_info gauge'];
  for (const [name, labels] of Object.entries(OBJECTS)) {
    for (let t = END - 600; t <= END; t += 60) {
      lines.push(`gotk_resource_info${formatLabels({ ...labels, name })} 1 ${t}`);
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

let prometheus: PrometheusServer;
beforeAll(async () => {
  prometheus = await startPrometheus({ openMetrics: history() });
});
afterAll(async () => {
  await prometheus?.stop();
});

const NO_CLUSTER = ['/c2', '/k1', '/n1', '/n2'];
const ALL = ['/c2', '/k1', '/n1', '/n2', 'eu/c3', 'prod/c1', 'prod/c4'];

const CASES: Array<[string, FluxFilters, string[]]> = [
  ['an empty $cluster (one empty value)', { cluster: { type: 'oneOf', values: [''] } }, NO_CLUSTER],
  ['cluster equal to the empty value', { cluster: { type: 'equals', value: '' } }, NO_CLUSTER],
  ['cluster `eu|`', { cluster: { type: 'regex', pattern: 'eu|' } }, [...NO_CLUSTER, 'eu/c3']],
  ['cluster `(?:eu)?`', { cluster: { type: 'regex', pattern: '(?:eu)?' } }, [...NO_CLUSTER, 'eu/c3']],
  ['cluster `.*`', { cluster: { type: 'regex', pattern: '.*' } }, ALL],
  ['cluster empty or prod', { cluster: { type: 'oneOf', values: ['', 'prod'] } }, ALL.filter((o) => o !== 'eu/c3')],
  ['cluster prod', { cluster: { type: 'equals', value: 'prod' } }, ['prod/c1', 'prod/c4']],
  ['namespace `apps|`', { namespace: { type: 'regex', pattern: 'apps|' } }, ALL.filter((o) => o !== '/n1')],
  ['namespace equal to the empty value', { namespace: { type: 'equals', value: '' } }, ['/n2']],
  [
    'kind `(?:Kustomization)?`',
    { kind: { type: 'regex', pattern: '(?:Kustomization)?' } },
    ALL.filter((o) => o !== '/k1'),
  ],
  ['kind the empty value', { kind: { type: 'oneOf', values: [''] } }, []],
  [
    'an empty cluster and namespace `apps|`',
    { cluster: { type: 'oneOf', values: [''] }, namespace: { type: 'regex', pattern: 'apps|' } },
    ['/c2', '/k1', '/n2'],
  ],
];

describe.each(CASES)('%s', (_what, filters, expected) => {
  it.each(SELECTION_MODES)('selects the objects whose preferred label matches, %s', async (mode) => {
    const selection = objectSelection(filters, {}, mode);
    const answer = await queryPrometheus(
      prometheus.url,
      selection.exact(infoStateSeries('kube-state-metrics', selection)),
      END
    );
    const objects = answer.map((r) => `${r.metric.fluxgrid_cluster ?? ''}/${r.metric.fluxgrid_name}`).sort();
    expect({ mode, objects }).toEqual({ mode, objects: expected });
  });
});
