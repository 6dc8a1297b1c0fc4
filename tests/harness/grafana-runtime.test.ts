/**
 * Grafana's real PrometheusDatasource, over real HTTP to the Go-backend stand-in
 * (grafana-backend.ts), against a real Prometheus: what a Grafana panel receives.
 *
 * @jest-environment node
 */
import { GrafanaRuntime, panelRequest, queryPrometheus, startGrafanaRuntime } from './grafana-runtime';

import { lastValueFrom } from 'rxjs';
import { CoreApp, DataFrame, FieldType, LoadingState } from '@grafana/data';
import { PrometheusDatasource } from '@grafana/prometheus';

import { startPrometheus, type PrometheusServer } from './prometheus';

jest.setTimeout(60_000);

const OBJECTS = [
  { kind: 'Kustomization', ns: 'flux-system', name: 'apps', ready: 'True' },
  { kind: 'GitRepository', ns: 'flux-system', name: 'flux-system', ready: 'True' },
  { kind: 'HelmRelease', ns: 'podinfo', name: 'podinfo', ready: 'False' },
];

/** 40 minutes of gotk_resource_info, one sample a minute, ending a minute ago (queries cover the last 30,
 * and a step-aligned start may be up to one step earlier). */
function openMetrics(nowS: number): string {
  const lines = ['# HELP gotk_resource_info The current state of a Flux resource.', '# TYPE gotk_resource_info gauge'];
  for (const o of OBJECTS) {
    for (let t = nowS - 40 * 60; t <= nowS - 60; t += 60) {
      lines.push(
        `gotk_resource_info{customresource_kind="${o.kind}",exported_namespace="${o.ns}",name="${o.name}",ready="${o.ready}",suspended="false"} 1 ${t}`
      );
    }
  }
  return lines.concat('# EOF', '').join('\n');
}

const nowS = Math.floor(Date.now() / 1000);
const range = { from: (nowS - 30 * 60) * 1000, to: nowS * 1000 };
let server: PrometheusServer;
let grafana: GrafanaRuntime;
let prom: PrometheusDatasource;

beforeAll(async () => {
  server = await startPrometheus({ openMetrics: openMetrics(nowS) });
  grafana = await startGrafanaRuntime({ prometheusUrl: server.url });
  prom = grafana.prometheus;
});
afterAll(async () => {
  await grafana?.close();
  await server?.stop();
});
afterEach(() => grafana.backend.setFaults({}));

it('is the real class, constructed from server-access instance settings', () => {
  expect(prom).toBeInstanceOf(PrometheusDatasource);
  expect(prom.access).toBe('proxy');
  expect(prom.url).toBe('/api/datasources/proxy/uid/prom');
  expect(prom.httpMethod).toBe('POST');
});

it('range query: one frame per series with labels, ms times on the step grid, values', async () => {
  const rsp = await queryPrometheus(prom, [{ refId: 'A', expr: 'gotk_resource_info', range: true }], range);
  expect(rsp.errors).toBeUndefined();
  expect(rsp.state).toBe(LoadingState.Done);
  expect(rsp.data).toHaveLength(3);
  const frames = rsp.data as DataFrame[];
  for (const frame of frames) {
    expect(frame.refId).toBe('A');
    expect(frame.meta?.type).toBe('timeseries-multi');
    expect(frame.meta?.preferredVisualisationType).toBe('graph'); // added by transformV2
    const [time, value] = frame.fields;
    expect(time.type).toBe(FieldType.time);
    expect(time.config.interval).toBe(15_000); // 30 min / 1000 points → the 15s floor
    expect(value.name).toBe('gotk_resource_info');
    expect(value.labels).toHaveProperty('exported_namespace');
    expect(value.values.every((v) => v === 1)).toBe(true);
    expect(time.values.every((t: number) => t % 15_000 === 0 && t >= range.from - 15_000 && t <= range.to)).toBe(true);
    expect(time.values.length).toBeGreaterThan(100);
  }
  const namespaces = frames.map((f) => f.fields[1].labels!.exported_namespace).sort();
  expect(namespaces).toEqual(['flux-system', 'flux-system', 'podinfo']);
  expect(frames[0].meta?.executedQueryString).toBe('Expr: gotk_resource_info\nStep: 15s');
  // What went over the wire: the frontend's request to /api/ds/query, the backend's to Prometheus.
  expect(grafana.backendSrv.calls.at(-1)).toEqual({
    method: 'POST',
    url: expect.stringMatching(/^\/api\/ds\/query\?ds_type=prometheus&requestId=/),
  });
});

it('table format with a min step: one frame, Time + sorted label columns + Value', async () => {
  const rsp = await queryPrometheus(
    prom,
    [{ refId: 'A', expr: 'gotk_resource_info{ready="False"}', range: true, format: 'table', interval: '5m' }],
    range
  );
  expect(rsp.data).toHaveLength(1);
  const frame = rsp.data[0] as DataFrame;
  expect(frame.meta?.preferredVisualisationType).toBe('rawPrometheus');
  expect(frame.fields.map((f) => f.name)).toEqual([
    'Time',
    '__name__',
    'customresource_kind',
    'exported_namespace',
    'name',
    'ready',
    'suspended',
    'Value',
  ]);
  const col = (name: string) => frame.fields.find((f) => f.name === name)!.values;
  expect(frame.length).toBe(7); // 30 min at 5 min
  expect(new Set(col('exported_namespace'))).toEqual(new Set(['podinfo']));
});

it('instant + range in one target: Grafana splits it into A and A-Instant; Explore shows a table', async () => {
  const target = { refId: 'A', expr: 'count(gotk_resource_info)', instant: true, range: true };
  const rsp = await queryPrometheus(prom, [target], range);
  const byRef = (refId: string) => rsp.data.filter((f: DataFrame) => f.refId === refId) as DataFrame[];
  expect(byRef('A')[0].meta?.type).toBe('timeseries-multi');
  expect(byRef('A-Instant')[0].meta?.type).toBe('numeric-multi');
  expect(byRef('A-Instant')[0].fields[1].values).toEqual([3]);
  const explore = await queryPrometheus(prom, [target], range, { app: CoreApp.Explore });
  const table = explore.data.find((f: DataFrame) => f.refId === 'A-Instant') as DataFrame;
  expect(table.meta?.preferredVisualisationType).toBe('rawPrometheus');
});

it("PromQL errors surface as response.errors with Prometheus' message and status", async () => {
  const rsp = await queryPrometheus(
    prom,
    [
      { refId: 'A', expr: 'count(gotk_resource_info)', instant: true },
      { refId: 'B', expr: 'sum(rate(gotk_resource_info[5m]) by', instant: true },
    ],
    range
  );
  expect(rsp.state).toBe(LoadingState.Error);
  expect(rsp.errors).toHaveLength(1);
  expect(rsp.errors![0]).toMatchObject({ refId: 'B', status: 400 });
  expect(rsp.errors![0].message).toMatch(/^bad_data: invalid parameter "query": 1:\d+: parse error: /);
});

it('range requests are step-aligned and counted; hidden targets send nothing', async () => {
  grafana.backend.requestLog.reset();
  const rsp = await lastValueFrom(
    prom.query(
      panelRequest([{ refId: 'A', expr: 'gotk_resource_info{name="apps"}', range: true }], range, {
        intervalMs: 60_000,
      })
    )
  );
  expect((rsp.data[0] as DataFrame).fields[0].config.interval).toBe(60_000);
  expect(grafana.backend.requestLog.requests).toBe(1);
  const [record] = grafana.backend.requestLog.records;
  expect(record).toMatchObject({ refId: 'A', path: '/api/v1/query_range', status: 200 });
  expect(record.params.step).toBe('60');
  expect(Number(record.params.start) % 60).toBe(0);
  const none = await queryPrometheus(prom, [{ refId: 'H', expr: 'gotk_resource_info', hide: true }], range);
  expect(none.data).toEqual([]);
  expect(grafana.backend.requestLog.requests).toBe(1);
});

it('label values and series go through the resources API', async () => {
  const values = await prom.languageProvider.queryLabelValues(panelRequest([], range).range, 'exported_namespace');
  expect(values).toEqual(['flux-system', 'podinfo']);
  expect(grafana.backendSrv.calls.at(-1)?.url).toMatch(/^\/api\/datasources\/uid\/prom\/resources\/api\/v1\/label/);
});

it('health: Save & test of the Prometheus datasource passes, and fails when Prometheus is down', async () => {
  await expect(prom.testDatasource()).resolves.toEqual({
    status: 'success',
    message: 'Successfully queried the Prometheus API.',
  });
  grafana.backend.setFaults({ down: true });
  await expect(prom.testDatasource()).rejects.toMatchObject({
    status: 'error',
    message: 'There was an error returned querying the Prometheus API.',
  });
});

describe('faults', () => {
  const query = () => queryPrometheus(prom, [{ refId: 'A', expr: 'gotk_resource_info', instant: true }], range);

  it('Prometheus down: a 502 naming the connection failure', async () => {
    grafana.backend.setFaults({ down: true });
    const rsp = await query();
    expect(rsp.errors?.[0]).toMatchObject({ refId: 'A', status: 502 });
    expect(rsp.errors?.[0].message).toMatch(/^Post "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query": .*ECONNREFUSED/);
  });

  it('a 5xx with a body (a proxy in front of Prometheus): status and body start', async () => {
    grafana.backend.setFaults({ httpError: { status: 504, body: '<html>Gateway Timeout</html>' } });
    const rsp = await query();
    expect(rsp.errors?.[0]).toMatchObject({ status: 504 });
    expect(rsp.errors?.[0].message).toBe('unexpected response with status code 504: <html>Gateway Timeout</html>');
  });

  it("a 422 with Prometheus' JSON error body", async () => {
    grafana.backend.setFaults({
      httpError: {
        status: 422,
        body: JSON.stringify({ status: 'error', errorType: 'execution', error: 'query timed out' }),
      },
    });
    const rsp = await query();
    expect(rsp.errors?.[0]).toMatchObject({ status: 422, message: 'execution: query timed out' });
  });

  it('warnings and partial data: fewer series, and the warning as a notice on the frames', async () => {
    grafana.backend.setFaults({
      warnings: ['partial response: store gateway eu-1 unavailable'],
      dropSeries: (labels) => labels.exported_namespace === 'podinfo',
    });
    const rsp = await query();
    expect(rsp.errors).toBeUndefined();
    const frames = rsp.data as DataFrame[];
    expect(frames.flatMap((f) => f.fields[1].labels!.exported_namespace)).not.toContain('podinfo');
    expect(frames[0].meta?.notices).toEqual([
      { severity: 'warning', text: 'partial response: store gateway eu-1 unavailable' },
    ]);
  });

  it('warnings and partial data reach resource answers too, as Prometheus would send them', async () => {
    grafana.backend.setFaults({
      warnings: ['partial response: store gateway eu-1 unavailable'],
      infos: ['PromQL info: metric might not be a counter'],
      dropSeries: (labels) => labels.exported_namespace === 'podinfo',
    });
    const answer = await prom.metadataRequest('/api/v1/query', { query: 'gotk_resource_info', time: String(nowS) });
    expect(answer.data.status).toBe('success');
    const result: Array<{ metric: Record<string, string> }> = answer.data.data.result;
    expect(result.length).toBeGreaterThan(0);
    expect(result.map((series) => series.metric.exported_namespace)).not.toContain('podinfo');
    expect(answer.data.warnings).toEqual(['partial response: store gateway eu-1 unavailable']);
    expect(answer.data.infos).toEqual(['PromQL info: metric might not be a counter']);
  });

  it('slow: answers only after the delay', async () => {
    grafana.backend.setFaults({ delayMs: 300 });
    const started = Date.now();
    await query();
    // A lower bound only (the delay is ours): never a timing target.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });
});

it('CORS: a page on another origin may call it (preflight and answers)', async () => {
  const origin = 'http://127.0.0.1:3000';
  const preflight = await fetch(`${grafana.backend.url}/api/ds/query`, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type,x-plugin-id',
    },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
  expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,x-plugin-id');
  const health = await fetch(`${grafana.backend.url}/api/datasources/uid/prom/health`, { headers: { Origin: origin } });
  expect(health.headers.get('access-control-allow-origin')).toBe(origin);
  expect(await health.json()).toEqual({ status: 'OK', message: 'Successfully queried the Prometheus API.' });
});
