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

import { FluxLabelMapping, readFluxFrames } from '../../src/flux';
import { stateSeries } from '../../src/flux/promql/stateRules';
import { objectsStateQuery } from '../../src/flux/questions/objects';
import { instantFrames } from '../../src/flux/testing/frames';
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

describe('ready="Unknown" and a reason setting: the PromQL state rules say what the core says', () => {
  const operator = (name: string, labels: Record<string, string>) => ({
    ...scrape('flux-system', 'flux-operator-0'),
    uid: `u-${name}`,
    kind: 'Kustomization',
    exported_namespace: 'states',
    name,
    suspended: 'False',
    ...labels,
  });
  const ksm = (name: string, labels: Record<string, string>) => ({
    ...scrape('monitoring', 'kube-state-metrics-0'),
    customresource_kind: 'Kustomization',
    exported_namespace: 'states',
    name,
    ...labels,
  });
  const STATES: Array<[string, Record<string, string>]> = [
    // The Flux Operator's defaults for an object without a Ready condition: ready="Unknown", no reason.
    ['flux_resource_info', operator('no-condition', { ready: 'Unknown' })],
    ['flux_instance_info', operator('flux', { kind: 'FluxInstance', ready: 'Unknown' })],
    // A Ready=Unknown condition has a reason.
    ['flux_resource_info', operator('reconciling', { ready: 'Unknown', reason: 'Progressing' })],
    // Its reason, with a reason setting too (a Flux Operator series never has the setting's label).
    ['flux_resource_info', operator('waiting', { ready: 'False', reason: 'DependencyNotReady' })],
    // kube-state-metrics writes `ready` only from a Ready condition: Unknown is one.
    ['gotk_resource_info', ksm('ksm-reconciling', { ready: 'Unknown' })],
    // The setting's label first.
    [
      'gotk_resource_info',
      ksm('ksm-custom', { ready: 'False', status_reason: 'BuildFailed', ready_reason: 'DependencyNotReady' }),
    ],
  ];
  const expected = (custom: string) => [
    ['FluxInstance', 'states', 'flux', 'Unknown'],
    ['Kustomization', 'states', 'ksm-custom', custom],
    ['Kustomization', 'states', 'ksm-reconciling', 'Progressing'],
    ['Kustomization', 'states', 'no-condition', 'Unknown'],
    ['Kustomization', 'states', 'reconciling', 'Progressing'],
    ['Kustomization', 'states', 'waiting', 'Progressing'],
  ];
  let server: PrometheusServer;

  beforeAll(async () => {
    const lines: string[] = [];
    for (const metric of new Set(STATES.map(([m]) => m))) {
      lines.push(`# TYPE ${metric} gauge`);
      for (const [, labels] of STATES.filter(([m]) => m === metric)) {
        for (let t = END - 600; t <= END; t += 60) {
          lines.push(`${metric}${formatLabels(labels)} 1 ${t}`);
        }
      }
    }
    server = await startPrometheus({ openMetrics: [...lines, '# EOF', ''].join('\n') });
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** The core's [kind, namespace, name, state] of an answer's series. */
  const coreStates = async (expr: string, labels: FluxLabelMapping) => {
    const series = await queryPrometheus(server.url, expr, END);
    const frames = instantFrames(series.map((s) => ({ labels: s.metric, value: Number(s.value[1]) })));
    return readFluxFrames(frames, { labels })
      .objects.map((o) => [o.kind, o.namespace, o.name, o.state])
      .sort();
  };

  it.each([
    [{}, 'Progressing'],
    [{ reason: 'status_reason' }, 'Failed'],
  ])('labels %p', async (labels: FluxLabelMapping, custom) => {
    const promql = (await queryPrometheus(server.url, stateSeries({}, { labels }), END))
      .map(({ metric }) => [
        metric.fluxgrid_kind,
        metric.fluxgrid_namespace,
        metric.fluxgrid_name,
        metric.fluxgrid_state,
      ])
      .sort();
    expect(promql).toEqual(expected(custom));
    // The core, from the raw series and from the datasource's Objects state query.
    expect(await coreStates('{__name__=~"flux_resource_info|flux_instance_info|gotk_resource_info"}', labels)).toEqual(
      expected(custom)
    );
    expect(await coreStates(objectsStateQuery({}, { labels }), labels)).toEqual(expected(custom));
  });
});
