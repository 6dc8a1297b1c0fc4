/**
 * Identity in FluxGrid's aggregated queries, against a real Prometheus (Debian's 2.42 here: RE2's
 * `.` does not match a newline there, while 3.x sets the s flag for every regex). Objects whose
 * name, namespace, kind or reason hold newlines and carriage returns must keep their identity and
 * state in every question's PromQL: the identity copies (`label_replace` with `$1`, written `\x241`
 * so Grafana's interpolation cannot see it) and the state rules.
 *
 * @jest-environment node
 */
import {
  panelRequest,
  queryPrometheus as queryThroughGrafana,
  startGrafanaRuntime,
  type GrafanaRuntime,
} from '../harness/grafana-runtime';

import { DataFrame } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { createFluxDatasource } from '../../src/datasource/testing/fluxDatasource';
import { catalogQuestion, durationsQuestion, historyQuestion, objectsQuestion, readFluxFrames } from '../../src/flux';
import { stateSeries } from '../../src/flux/promql/stateRules';
import { lastReconcileQuery, sinceQuery } from '../../src/flux/questions/objectTimes';
import { toNormalizeOptions } from '../../src/panel/options';
import { DEFAULT_OPTIONS } from '../../src/panel/types';
import { formatLabels } from '../../simulator/openmetrics';
import { queryPrometheus, startPrometheus, type PrometheusServer } from '../harness/prometheus';

jest.setTimeout(120_000);

const NOW_S = Math.floor(Date.now() / 1000 / 60) * 60 - 600;
const NAMES = ['plain', 'line\nbreak', 'carriage\r\nreturn', '\n', 'tab\there'];
const NAMESPACE = 'team\nspace';

function history(): string {
  const lines = [
    '# TYPE flux_resource_info gauge',
    '# TYPE gotk_resource_info gauge',
    '# TYPE gotk_reconcile_condition gauge',
    '# TYPE gotk_reconcile_duration_seconds histogram',
  ];
  const samples = (metric: string, labels: Record<string, string>, value: (t: number) => number) => {
    for (let t = NOW_S - 600; t <= NOW_S; t += 30) {
      lines.push(`${metric}${formatLabels(labels)} ${value(t)} ${t}`);
    }
  };
  NAMES.forEach((name, i) => {
    // Failed with a multi-line reason: the state rules must read past the newline.
    samples(
      'flux_resource_info',
      {
        kind: 'Kustomization',
        name,
        exported_namespace: NAMESPACE,
        ready: 'False',
        reason: 'Build\nFailed',
        uid: `u${i}`,
      },
      () => 1
    );
    samples(
      'gotk_resource_info',
      { customresource_kind: 'Helm\nRelease', name, exported_namespace: NAMESPACE, ready: 'True' },
      () => 1
    );
    for (const status of ['True', 'False', 'Unknown', 'Deleted']) {
      samples('gotk_reconcile_condition', { kind: 'Bucket', name, namespace: NAMESPACE, type: 'Ready', status }, () =>
        status === 'Unknown' ? 1 : 0
      );
    }
    const counter = { kind: 'Kustomization', name, exported_namespace: NAMESPACE };
    const count = (t: number) => Math.floor((t - (NOW_S - 600)) / 60);
    samples('gotk_reconcile_duration_seconds_count', counter, count);
    samples('gotk_reconcile_duration_seconds_sum', counter, (t) => count(t) * 0.5);
    for (const le of ['0.1', '1', '+Inf']) {
      samples('gotk_reconcile_duration_seconds_bucket', { ...counter, le }, (t) => (le === '0.1' ? 0 : count(t)));
    }
  });
  // No Ready condition: an OCI HelmRepository is Ready (static since Flux 2.2), any other Unknown.
  samples(
    'gotk_resource_info',
    { customresource_kind: 'HelmRepository', name: 'oci', exported_namespace: 'repos', url: 'oci://ghcr.io/x' },
    () => 1
  );
  samples(
    'gotk_resource_info',
    {
      customresource_kind: 'HelmRepository',
      name: 'https',
      exported_namespace: 'repos',
      url: 'https://charts.example.com',
    },
    () => 1
  );
  // A custom kube-state-metrics config (resource_kind / resource_name), beside the default ones.
  samples(
    'gotk_resource_info',
    { resource_kind: 'Kustomization', resource_name: 'custom\nconfig', exported_namespace: 'custom', ready: 'False' },
    () => 1
  );
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

async function instant(expr: string) {
  return queryPrometheus(prometheus.url, expr, NOW_S);
}

/** [kind, namespace, name, state?] per answer series, sorted. */
async function identities(expr: string) {
  return (await instant(expr))
    .map((r) => [r.metric.fluxgrid_kind, r.metric.fluxgrid_namespace, r.metric.fluxgrid_name, r.metric.fluxgrid_state])
    .sort();
}

const expected = (kind: string, state?: string) => NAMES.map((name) => [kind, NAMESPACE, name, state]).sort();
const HELM_REPOSITORIES = { namespace: { type: 'equals' as const, value: 'repos' } };

describe.each(['flux-operator', 'kube-state-metrics', 'legacy'] as const)('%s', (schema) => {
  const kind = { 'flux-operator': 'Kustomization', 'kube-state-metrics': 'Helm\nRelease', legacy: 'Bucket' }[schema];
  const state = { 'flux-operator': 'Failed', 'kube-state-metrics': 'Ready', legacy: 'Progressing' }[schema];
  const options = { schema };
  /** kube-state-metrics also has the HelmRepositories below: leave them out. */
  const others = schema === 'kube-state-metrics' ? { namespace: { type: 'equals' as const, value: NAMESPACE } } : {};
  const objectCount = NAMES.length + (schema === 'kube-state-metrics' ? 2 : 0);

  it('the state series keep every identity and the state the core would give', async () => {
    expect(await identities(stateSeries(others, options))).toEqual(expected(kind, state));
  });

  it('time in state answers for every object', async () => {
    // Over a range longer than the data, every object appears within it: each gets a time.
    expect(await identities(sinceQuery(others, options, 1200, 240, NOW_S))).toEqual(expected(kind));
  });

  it('variables list every name, and the health count sees every object', async () => {
    const names = (await instant(catalogQuestion.labelValuesQuery('names', others, options))).map(
      (r) => r.metric.fluxgrid_name
    );
    expect(names.sort()).toEqual([...NAMES].sort());
    const counts = (await instant(catalogQuestion.objectCountQuery(options))).map((r) => [
      r.metric.fluxgrid_stat,
      r.value[1],
    ]);
    expect(counts.sort()).toEqual([
      ['clusters', '1'],
      ['objects', String(objectCount)],
    ]);
  });

  it('history: every object has a timeline', async () => {
    const asked = historyQuestion.queries(others, options);
    expect(await identities(asked.exprs.states)).toEqual(expected(kind, state));
  });

  it('a filter on a value with a newline finds exactly that object', async () => {
    const filters = {
      name: { type: 'equals' as const, value: 'line\nbreak' },
      namespace: { type: 'equals' as const, value: NAMESPACE },
    };
    expect(await identities(stateSeries(filters, options))).toEqual([[kind, NAMESPACE, 'line\nbreak', state]]);
    expect(await instant(objectsQuestion.objectsStateQuery(filters, options))).not.toHaveLength(0);
  });
});

it('an OCI HelmRepository without a Ready condition is Ready, another HelmRepository Unknown (as the core)', async () => {
  expect(await identities(stateSeries(HELM_REPOSITORIES, { schema: 'kube-state-metrics' }))).toEqual([
    ['HelmRepository', 'repos', 'https', 'Unknown'],
    ['HelmRepository', 'repos', 'oci', 'Ready'],
  ]);
});

describe('controller metrics', () => {
  it('last reconcile and reconcile durations keep every identity', async () => {
    // Raw identity labels (read back with the core's rule): no label copied per series there.
    const reconciles = await instant(lastReconcileQuery({}, {}, 600, 240, NOW_S));
    expect(reconciles.map((r) => r.metric.name).sort()).toEqual([...NAMES].sort());
    expect(reconciles.map((r) => r.metric.exported_namespace ?? r.metric.namespace)).toEqual(
      NAMES.map(() => NAMESPACE)
    );
    const durations = await instant(durationsQuestion.reconcileDurationQuery({}, {}, 600, 100));
    const byStat = (stat: string) =>
      durations
        .filter((r) => r.metric.fluxgrid_stat === stat)
        .map((r) => r.metric.fluxgrid_name)
        .sort();
    expect(byStat('p95')).toEqual([...NAMES].sort());
    expect(byStat('count')).toEqual([...NAMES].sort());
  });
});

describe('one label override, the same objects through the panel and the datasource', () => {
  const labels = { kind: 'resource_kind', name: 'resource_name' };
  let grafana: GrafanaRuntime;
  beforeAll(async () => {
    grafana = await startGrafanaRuntime({ prometheusUrl: prometheus.url });
  });
  afterAll(async () => {
    await grafana?.close();
  });
  const range = { from: (NOW_S - 600) * 1000, to: NOW_S * 1000 };
  // The panel's own settings (Labels: Kind label, Name label), read the way the panel reads them.
  const panelReading = toNormalizeOptions({ labels: { ...DEFAULT_OPTIONS.labels, ...labels }, includeDeleted: false });
  const summary = (frames: DataFrame[]) =>
    readFluxFrames(frames, panelReading)
      .objects.map((o) => [o.key, o.state])
      .sort();

  it('every object of every schema, the custom config read by its own labels', async () => {
    // The panel: Grafana's Prometheus datasource, raw state series, read by the core with the panel's labels.
    const raw = await queryThroughGrafana(
      grafana.prometheus,
      [
        {
          refId: 'A',
          expr: 'gotk_resource_info or flux_resource_info or gotk_reconcile_condition',
          instant: true,
          range: false,
        },
      ],
      range
    );
    const panel = summary(raw.data as DataFrame[]);
    expect(panelReading.labels).toEqual(labels);
    // The datasource: its own settings (Kind label, Name label), FluxGrid's Objects question
    // through the same Prometheus datasource.
    const flux = createFluxDatasource(
      { prometheusUid: grafana.prometheus.uid, labels },
      { templateSrv: grafana.templateSrv, dataSourceSrv: grafana.dataSourceSrv }
    );
    const response = await lastValueFrom(
      flux.query({ ...panelRequest([], range), targets: [{ refId: 'A', queryType: 'objects' }] })
    );
    expect(response.errors ?? []).toEqual([]);
    expect(summary(response.data as DataFrame[])).toEqual(panel);
    // Nothing dropped: 5 names x 3 schemas, 2 HelmRepositories, and the custom config's object.
    expect(panel).toHaveLength(NAMES.length * 3 + 3);
    expect(panel).toContainEqual(['\u001fKustomization\u001fcustom\u001fcustom\nconfig', 'Failed']);
  });
});
