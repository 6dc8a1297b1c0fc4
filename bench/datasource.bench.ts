/**
 * The FluxGrid datasource's Objects refresh against a real Prometheus, at 1k and 10k objects,
 * next to the naive approach (a range query of the raw series over the dashboard range, decoded on
 * the client by readFluxFrames), both through Grafana's own PrometheusDatasource over the Go
 * backend stand-in (tests/harness/grafana-runtime.ts). Prometheus queries, response bytes and
 * latency are read from the backend's request log. Printed, never asserted on timing.
 *
 * Fleet: kube-state-metrics schema, 1 h of history every 60 s, 1% failing since 20m, and one
 * gotk_reconcile_duration_seconds_count per object reconciling every 5 min (written here: the
 * simulator's full histograms would be 13 series per object, too big a backfill at 10k);
 * dashboard range: the last hour.
 *
 * Run: npx jest --selectProjects bench bench/datasource
 *
 * @jest-environment node
 */
// Must come before @grafana/* (it gives @grafana/data the browser globals it touches on import).
import { startGrafanaRuntime, type GrafanaRuntime } from '../tests/harness/grafana-runtime';

import { lastValueFrom } from 'rxjs';
import { CoreApp, DataFrame, dateTime } from '@grafana/data';

import { createFluxDatasource } from '../src/datasource/testing/fluxDatasource';
import { FakeTemplateSrv } from '../src/datasource/testing/templateSrv';
import { readFluxFrames } from '../src/flux';
import { buildFleet, parseScenario, scenarioToOpenMetrics, type Scenario } from '../simulator';
import { startPrometheus, type PrometheusServer } from '../tests/harness/prometheus';

const templateSrv = new FakeTemplateSrv();

jest.setTimeout(900_000);

const RUNS = 3;
const table: string[][] = [];

afterAll(() => {
  const header = [
    'objects',
    'approach',
    'Prometheus queries',
    'response bytes',
    'latency ms (median)',
    'of which in Prometheus, per query ms',
    'rows',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  console.log(
    [
      'datasource bench: Objects refresh, dashboard range 1h (npx jest --selectProjects bench bench/datasource)',
      line(header),
      '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|',
      ...table.map(line),
    ].join('\n')
  );
});

function fleetYaml(total: number): string {
  const scale = total / 10_000;
  const kinds: Record<string, number> = {
    Kustomization: 3000,
    HelmRelease: 3000,
    GitRepository: 1000,
    OCIRepository: 500,
    HelmRepository: 500,
    HelmChart: 1000,
    Bucket: 100,
    Alert: 200,
    Provider: 100,
    Receiver: 100,
    ImageRepository: 200,
    ImagePolicy: 200,
    ImageUpdateAutomation: 100,
  };
  const objects = Object.entries(kinds)
    .map(([kind, n]) => `    ${kind}: ${Math.round(n * scale)}`)
    .join('\n');
  return `name: bench-${total}
schemas: [kube-state-metrics]
start: 2025-01-06T00:00:00Z
step: 60s
duration: 1h
metrics:
  controllers: false
  reconcileDuration: false
fleet:
  seed: 11
  namespaces: 50
  objects:
${objects}
timeline:
  - at: 20m
    action: fail
    select: {kind: HelmRelease, count: ${Math.round(total / 100)}}
expect:
  - at: 1m
`;
}

/** One reconcile counter per object, +1 every 5 minutes (staggered), sampled every 60 s. */
function reconcileCounts(scenario: Scenario): string {
  const lines = ['# TYPE gotk_reconcile_duration_seconds_count counter'];
  const startS = scenario.startMs / 1000;
  buildFleet(scenario.fleet).forEach((o, i) => {
    const labels =
      `{kind="${o.kind}",name="${o.name}",exported_namespace="${o.namespace}",namespace="flux-system",` +
      `job="flux-system/flux-system",pod="controller-0"}`;
    for (let t = 0; t <= scenario.durationSeconds; t += 60) {
      lines.push(`gotk_reconcile_duration_seconds_count${labels} ${Math.floor((t + (i % 300)) / 300)} ${startS + t}`);
    }
  });
  lines.push('# EOF', '');
  return lines.join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe.each([1_000, 10_000])('%d objects', (total) => {
  let prometheus: PrometheusServer;
  let grafana: GrafanaRuntime;
  let toMs: number;
  const scenario = parseScenario(fleetYaml(total), `bench-${total}.yaml`);

  beforeAll(async () => {
    prometheus = await startPrometheus({
      openMetrics: [scenarioToOpenMetrics(scenario), reconcileCounts(scenario)],
      timeoutMs: 600_000,
    });
    grafana = await startGrafanaRuntime({ prometheusUrl: prometheus.url, templateSrv });
    toMs = scenario.startMs + scenario.durationSeconds * 1000;
  });
  afterAll(async () => {
    await grafana?.close();
    await prometheus?.stop();
  });

  /** Each Prometheus request's time (HTTP round trip incl. the JSON body), by refId. */
  const perQueryMs = () =>
    grafana.backend.requestLog.records.map((r) => `${r.refId} ${r.durationMs.toFixed(0)}`).join(', ');

  const range = () => {
    const to = dateTime(toMs);
    const from = dateTime(toMs - 3600_000);
    return { from, to, raw: { from, to } };
  };

  it('FluxGrid datasource (instant queries, time in state and last reconcile in PromQL)', async () => {
    const ds = createFluxDatasource({ prometheusUid: 'prom' }, { templateSrv, dataSourceSrv: grafana.dataSourceSrv });
    const latencies: number[] = [];
    let requests = 0;
    let bytes = 0;
    let rows = 0;
    let perQuery = '';
    for (let run = 0; run < RUNS; run++) {
      grafana.backend.requestLog.reset();
      const started = performance.now();
      const response = await lastValueFrom(
        ds.query({
          requestId: 'bench',
          interval: '15s',
          intervalMs: 15_000,
          maxDataPoints: 1000,
          range: range(),
          scopedVars: {},
          targets: [{ refId: 'A', queryType: 'objects' }],
          timezone: 'utc',
          app: CoreApp.Dashboard,
          startTime: Date.now(),
        })
      );
      latencies.push(performance.now() - started);
      expect(response.errors ?? []).toEqual([]);
      requests = grafana.backend.requestLog.requests;
      bytes = grafana.backend.requestLog.responseBytes;
      perQuery = perQueryMs();
      rows = (response.data[0] as DataFrame).length;
    }
    expect(requests).toBeLessThanOrEqual(3);
    expect(rows).toBe(total);
    table.push([
      String(total),
      'FluxGrid Objects',
      String(requests),
      bytes.toLocaleString('en'),
      median(latencies).toFixed(0),
      perQuery,
      String(rows),
    ]);
  });

  it('naive: range query of the raw series, decoded by readFluxFrames', async () => {
    const latencies: number[] = [];
    let requests = 0;
    let bytes = 0;
    let rows = 0;
    let perQuery = '';
    for (let run = 0; run < RUNS; run++) {
      grafana.backend.requestLog.reset();
      const started = performance.now();
      const response = await lastValueFrom(
        grafana.prometheus.query({
          requestId: 'bench-naive',
          interval: '15s',
          intervalMs: 15_000,
          maxDataPoints: 1000,
          range: range(),
          scopedVars: {},
          targets: [
            { refId: 'A', expr: 'gotk_resource_info', range: true, instant: false },
            { refId: 'B', expr: 'gotk_reconcile_duration_seconds_count', range: true, instant: false },
          ],
          timezone: 'utc',
          app: CoreApp.Dashboard,
          startTime: Date.now(),
        })
      );
      const objects = readFluxFrames(response.data).objects;
      latencies.push(performance.now() - started);
      requests = grafana.backend.requestLog.requests;
      bytes = grafana.backend.requestLog.responseBytes;
      perQuery = perQueryMs();
      rows = objects.length;
    }
    table.push([
      String(total),
      'naive range + readFluxFrames',
      String(requests),
      bytes.toLocaleString('en'),
      median(latencies).toFixed(0),
      perQuery,
      String(rows),
    ]);
  });
});
