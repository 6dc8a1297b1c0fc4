/**
 * The Objects question's state query (objects.ts `objectsStateQuery`) on a real Prometheus: it
 * sends each state series without the labels the core never reads (which exporter pod scraped it,
 * an HA pair's replica, the exporter's own namespace), so the same object scraped twice arrives
 * once, and the datasource reads the same objects and states as the panel reads from the raw
 * series.
 *
 * @jest-environment node
 */
import {
  queryPrometheus as queryThroughGrafana,
  startGrafanaRuntime,
  type GrafanaRuntime,
} from '../harness/grafana-runtime';

import { lastValueFrom } from 'rxjs';
import type { DataFrame } from '@grafana/data';

import { readFluxFrames } from '../../src/flux';
import { objectsStateQuery } from '../../src/flux/questions/objects';
import { createFluxDatasource } from '../../src/datasource/testing/fluxDatasource';
import { dataQueryRequest } from '../../src/datasource/testing/request';
import { FakeTemplateSrv } from '../../src/datasource/testing/templateSrv';
import { formatLabels } from '../../simulator/openmetrics';
import { queryPrometheus, startPrometheus, type PrometheusServer } from '../harness/prometheus';

jest.setTimeout(120_000);

const END = 1736125200;

const scrape = (namespace: string, pod: string) => ({
  namespace,
  pod,
  instance: `${pod}:8080`,
  job: namespace === 'flux-system' ? 'flux-system/flux' : 'kube-state-metrics',
  container: 'exporter',
  // prometheus-operator's port name, on every series it scrapes.
  endpoint: 'http-metrics',
});

/** Every series: [metric, labels, value]. */
const SERIES: Array<[string, Record<string, string>, number]> = [
  // One Kustomization exported by two kube-state-metrics, in two namespaces (a migration).
  ...['monitoring', 'kube-system'].map((ns): [string, Record<string, string>, number] => [
    'gotk_resource_info',
    {
      ...scrape(ns, `kube-state-metrics-${ns}`),
      customresource_group: 'kustomize.toolkit.fluxcd.io',
      customresource_version: 'v1',
      customresource_kind: 'Kustomization',
      exported_namespace: 'apps',
      name: 'twice',
      ready: 'False',
      ready_reason: 'BuildFailed',
    },
    1,
  ]),
  // An HA pair of Prometheus: the same series with each replica's label.
  ...['a', 'b'].map((replica): [string, Record<string, string>, number] => [
    'flux_resource_info',
    {
      ...scrape('flux-system', 'flux-operator-0'),
      prometheus_replica: replica,
      uid: 'u-1',
      kind: 'HelmRelease',
      exported_namespace: 'apps',
      name: 'ha',
      ready: 'True',
      reason: 'UpgradeSucceeded',
      suspended: 'true',
    },
    1,
  ]),
  // honor_labels: the object's namespace in `namespace`, no exported_namespace: kept.
  [
    'gotk_resource_info',
    { pod: 'ksm-1', customresource_kind: 'GitRepository', namespace: 'flux-system', name: 'honored', ready: 'True' },
    1,
  ],
  // kube-state-metrics' Buckets, whose own `endpoint` is spec.endpoint: scraped with honor_labels
  // (the Bucket's endpoint stays `endpoint`) and without (it becomes `exported_endpoint`).
  [
    'gotk_resource_info',
    {
      ...scrape('monitoring', 'kube-state-metrics-0'),
      customresource_kind: 'Bucket',
      exported_namespace: 'infra',
      name: 'minio',
      endpoint: 'minio.infra:9000',
      ready: 'True',
    },
    1,
  ],
  [
    'gotk_resource_info',
    {
      ...scrape('monitoring', 'kube-state-metrics-0'),
      customresource_kind: 'Bucket',
      exported_namespace: 'infra',
      name: 'archive',
      exported_endpoint: 's3.amazonaws.com',
      ready: 'True',
    },
    1,
  ],
  // The legacy gauges (the one-hot Ready condition at Unknown), from two controller pods (a rollout).
  ...['source-controller-1', 'source-controller-2'].flatMap((pod) =>
    (['Unknown', 'True', 'False'] as const).map((status): [string, Record<string, string>, number] => [
      'gotk_reconcile_condition',
      {
        ...scrape('flux-system', pod),
        kind: 'Bucket',
        exported_namespace: 'infra',
        name: 'legacy',
        type: 'Ready',
        status,
      },
      status === 'Unknown' ? 1 : 0,
    ])
  ),
];

function history(): string {
  const lines: string[] = [];
  for (const metric of new Set(SERIES.map(([m]) => m))) {
    lines.push(`# TYPE ${metric} gauge`);
    for (const [name, labels, value] of SERIES.filter(([m]) => m === metric)) {
      for (let t = END - 600; t <= END; t += 60) {
        lines.push(`${name}${formatLabels(labels)} ${value} ${t}`);
      }
    }
  }
  return [...lines, '# EOF', ''].join('\n');
}

let prometheus: PrometheusServer;
let grafana: GrafanaRuntime;
const templateSrv = new FakeTemplateSrv();

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetrics: history() });
  grafana = await startGrafanaRuntime({ prometheusUrl: prometheus.url, templateSrv });
});
afterAll(async () => {
  await grafana?.close();
  await prometheus?.stop();
});

it('sends each object’s state series once, without the scrape’s labels, read labels kept, and the name where its labels do not say it', async () => {
  const series = await queryPrometheus(prometheus.url, objectsStateQuery({}), END);
  const labelSets = series.map((s) => s.metric).sort((a, b) => (a.name < b.name ? -1 : 1));
  expect(labelSets).toEqual([
    // A Bucket keeps its own endpoint, the scrape's too where it is `exported_endpoint`.
    {
      customresource_kind: 'Bucket',
      exported_namespace: 'infra',
      name: 'archive',
      endpoint: 'http-metrics',
      exported_endpoint: 's3.amazonaws.com',
      ready: 'True',
    },
    // The Flux Operator's series without their name: kind and ready say what they are.
    {
      kind: 'HelmRelease',
      exported_namespace: 'apps',
      name: 'ha',
      ready: 'True',
      reason: 'UpgradeSucceeded',
      suspended: 'true',
    },
    // kube-state-metrics' series without their name: customresource_kind says what they are.
    {
      customresource_kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'honored',
      ready: 'True',
    },
    {
      __name__: 'gotk_reconcile_condition',
      kind: 'Bucket',
      exported_namespace: 'infra',
      name: 'legacy',
      type: 'Ready',
      status: 'Unknown',
    },
    {
      customresource_kind: 'Bucket',
      exported_namespace: 'infra',
      name: 'minio',
      endpoint: 'minio.infra:9000',
      ready: 'True',
    },
    {
      customresource_kind: 'Kustomization',
      exported_namespace: 'apps',
      name: 'twice',
      ready: 'False',
      ready_reason: 'BuildFailed',
    },
  ]);
});

it('the datasource’s Objects read the same objects and states as the core reads from the raw series', async () => {
  const ds = createFluxDatasource({ prometheusUid: 'prom' }, { templateSrv, dataSourceSrv: grafana.dataSourceSrv });
  const response = await lastValueFrom(
    ds.query(dataQueryRequest([{ refId: 'A', queryType: 'objects' }], { fromMs: (END - 600) * 1000, toMs: END * 1000 }))
  );
  expect(response.errors ?? []).toEqual([]);
  const read = (frames: DataFrame[]) =>
    readFluxFrames(frames)
      .objects.map((o) => [o.kind, o.namespace, o.name, o.state, o.suspended, o.source ?? ''])
      .sort();
  // What the panel gets from the raw series through Grafana's Prometheus datasource.
  const raw = await queryThroughGrafana(
    grafana.prometheus,
    [
      {
        refId: 'raw',
        expr: '{__name__=~"gotk_resource_info|flux_resource_info|gotk_reconcile_condition"}',
        instant: true,
        range: false,
      },
    ],
    { from: (END - 600) * 1000, to: END * 1000 }
  );
  expect(read(response.data as DataFrame[])).toEqual(read(raw.data as DataFrame[]));
  expect(read(response.data as DataFrame[])).toEqual([
    ['Bucket', 'infra', 'archive', 'Ready', false, 's3.amazonaws.com'],
    ['Bucket', 'infra', 'legacy', 'Progressing', false, ''],
    ['Bucket', 'infra', 'minio', 'Ready', false, 'minio.infra:9000'],
    ['GitRepository', 'flux-system', 'honored', 'Ready', false, ''],
    ['HelmRelease', 'apps', 'ha', 'Suspended', true, ''],
    ['Kustomization', 'apps', 'twice', 'Failed', false, ''],
  ]);
});
