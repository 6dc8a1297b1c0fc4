/**
 * The Grafana-Prometheus stand-in: converter unit tests on our own fixtures, then the whole
 * path against a real Prometheus.
 *
 * Fixtures (tests/harness/fixtures/): `prom-*.json` are Prometheus HTTP answers (the gotk ones
 * were captured from Prometheus 2.42 over backfilled Flux data; NaN/Inf and warnings are
 * hand-written). `expected-*.backend.json` are the /api/ds/query bodies we derived for them; their
 * shape was checked field by field against Grafana's own golden files (pkg/promlib testdata).
 *
 * @jest-environment node
 */
import './grafana-prometheus-env';

import * as fs from 'fs';
import * as path from 'path';
import { firstValueFrom } from 'rxjs';
import { CoreApp, DataFrame, DataQueryRequest, FieldType, LoadingState, dateTime } from '@grafana/data';
import { FetchResponse, toDataQueryResponse } from '@grafana/runtime';

import {
  BackendQuery,
  PrometheusApiAnswer,
  PromTarget,
  calculateStepMs,
  createDataSourceSrvStandIn,
  createPrometheusStandIn,
  goDuration,
  interpolateBuiltins,
  prometheusRequestLog,
  queryLikeGrafana,
  toGrafanaBackendFrames,
} from './grafana-prometheus';
import { startPrometheus } from './prometheus';

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'));

/** Decode a backend body the way the browser does. */
function decode(body: unknown): DataFrame[] {
  return toDataQueryResponse({ data: body, status: 200 } as unknown as FetchResponse).data;
}

describe('toGrafanaBackendFrames (Go backend converter)', () => {
  const matrixQuery: BackendQuery = { refId: 'A', expr: 'gotk_resource_info', range: true, step: 60 };

  it('range answer: one frame per series, Time in ms, value field named after the metric with its labels', () => {
    const body = toGrafanaBackendFrames(fixture('prom-matrix-gotk-resource-info.json'), matrixQuery);
    expect(body).toEqual(fixture('expected-matrix-gotk-resource-info.backend.json'));

    const { frames, status, error } = body.results.A;
    expect(status).toBe(200);
    expect(error).toBeUndefined();
    expect(frames).toHaveLength(2);
    for (const [i, frame] of frames.entries()) {
      expect(frame.schema.name).toBeUndefined();
      expect(frame.schema.meta.type).toBe('timeseries-multi');
      expect(frame.schema.meta.typeVersion).toEqual([0, 1]);
      expect(frame.schema.meta.custom?.resultType).toBe('matrix');
      // Only the first frame carries the executed query and the step.
      expect(frame.schema.meta.executedQueryString).toBe(i === 0 ? 'Expr: gotk_resource_info\nStep: 1m0s' : undefined);
      const [time, value] = frame.schema.fields;
      expect(time).toEqual({
        name: 'Time',
        type: 'time',
        typeInfo: { frame: 'time.Time' },
        config: { interval: 60000 },
      });
      expect(value.name).toBe('gotk_resource_info');
      expect(value.labels?.__name__).toBe('gotk_resource_info');
      expect(Object.keys(value.labels!)).toEqual([...Object.keys(value.labels!)].sort());
    }
    expect(frames[0].schema.meta.custom?.calculatedMinStep).toBe(60000);
    expect(frames[1].schema.fields[1].labels).toMatchObject({
      exported_namespace: 'flux-system',
      name: 'apps',
      ready: 'True',
    });
    expect(frames[1].schema.fields[1].config?.displayNameFromDS).toBe(
      'gotk_resource_info{customresource_kind="Kustomization", exported_namespace="flux-system", name="apps", ready="True", suspended="false"}'
    );
    // Prometheus seconds → epoch ms; "1" → 1.
    expect(frames[0].data.values[0]).toEqual([
      1795608960000, 1795609020000, 1795609080000, 1795609140000, 1795609200000,
    ]);
    expect(frames[0].data.values[1]).toEqual([1, 1, 1, 1, 1]);
  });

  it('instant answer: numeric-multi frames, fractional seconds kept as ms', () => {
    const body = toGrafanaBackendFrames(fixture('prom-vector-gotk-resource-info.json'), {
      refId: 'B',
      expr: 'gotk_resource_info',
      instant: true,
      step: 15,
    });
    expect(body).toEqual(fixture('expected-vector-gotk-resource-info.backend.json'));
    const frames = body.results.B.frames;
    expect(frames.map((f) => f.schema.meta.type)).toEqual(['numeric-multi', 'numeric-multi']);
    expect(frames.map((f) => f.schema.meta.custom?.resultType)).toEqual(['vector', 'vector']);
    expect(frames[0].data.values).toEqual([[1795609200500], [1]]);
  });

  it('NaN, +Inf, -Inf: null in values plus entities, which Grafana decodes back', () => {
    const body = toGrafanaBackendFrames(fixture('prom-matrix-nan-inf.json'), {
      refId: 'C',
      expr: 'flux_p99',
      range: true,
      step: 60,
      legendFormat: '{{kind}}/{{ name }}',
    });
    expect(body).toEqual(fixture('expected-matrix-nan-inf.backend.json'));
    const frame = body.results.C.frames[0];
    expect(frame.data.values[1]).toEqual([0.25, null, null, null, 1.5]);
    expect(frame.data.entities).toEqual([null, { NaN: [1], Inf: [2], NegInf: [3] }]);
    // No __name__: the value field keeps the name "Value"; legendFormat gives the display name.
    expect(frame.schema.fields[1].name).toBe('Value');
    expect(frame.schema.fields[1].config).toEqual({ displayNameFromDS: 'Kustomization/apps' });

    const [decoded] = decode(body);
    expect(decoded.fields[1].values).toEqual([0.25, NaN, Infinity, -Infinity, 1.5]);
  });

  it('warnings with no data: a single "Warnings" frame with notices and the query metadata', () => {
    const body = toGrafanaBackendFrames(fixture('prom-warnings-no-data.json'), {
      refId: 'A',
      expr: 'up',
      instant: true,
      step: 15,
    });
    expect(body.results.A).toEqual({
      status: 200,
      frames: [
        {
          schema: {
            name: 'Warnings',
            meta: {
              typeVersion: [0, 0],
              notices: [
                { severity: 'warning', text: 'flux fixture warning: partial data from one store' },
                { severity: 'info', text: 'flux fixture info: metric might not be a counter' },
              ],
              executedQueryString: 'Expr: up\nStep: 15s',
              custom: { calculatedMinStep: 15000 },
            },
            fields: [],
          },
          data: { values: [] },
        },
      ],
    });
  });

  it('an empty result still returns one empty frame carrying the metadata', () => {
    const answer: PrometheusApiAnswer = { status: 'success', data: { resultType: 'matrix', result: [] } };
    const { frames } = toGrafanaBackendFrames(answer, matrixQuery).results.A;
    expect(frames).toEqual([
      {
        schema: {
          meta: {
            typeVersion: [0, 0],
            executedQueryString: 'Expr: gotk_resource_info\nStep: 1m0s',
            custom: { calculatedMinStep: 60000 },
          },
          fields: [],
        },
        data: { values: [] },
      },
    ]);
  });

  it('Prometheus error: "<errorType>: <error>", Prometheus\' HTTP status, no data frames', () => {
    const body = toGrafanaBackendFrames(fixture('prom-error-bad-data.json'), {
      refId: 'E',
      expr: 'gotk_resource_info{',
      instant: true,
      step: 15,
    });
    const rsp = body.results.E;
    expect(rsp.error).toBe(
      'bad_data: invalid parameter "query": 1:20: parse error: unexpected end of input inside braces'
    );
    expect(rsp.status).toBe(400);
    expect(rsp.frames).toHaveLength(1);
    expect(rsp.frames[0].schema.fields).toEqual([]);
    expect(rsp.frames[0].schema.meta.executedQueryString).toBe('Expr: gotk_resource_info{\nStep: 15s');
  });

  it('display names: __auto leaves it to the frontend; no labels → the expr; only __name__ → the name', () => {
    const vector = (metric: Record<string, string>): PrometheusApiAnswer => ({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric, value: [1, '3'] }] },
    });
    const q: BackendQuery = { refId: 'A', expr: 'count(gotk_resource_info)', instant: true, step: 15 };
    const field = (answer: PrometheusApiAnswer, query = q) =>
      toGrafanaBackendFrames(answer, query).results.A.frames[0].schema.fields[1];
    expect(field(vector({}))).toMatchObject({
      name: 'Value',
      labels: {},
      config: { displayNameFromDS: 'count(gotk_resource_info)' },
    });
    expect(field(vector({ __name__: 'up' })).config).toEqual({ displayNameFromDS: 'up' });
    expect(field(vector({ a: 'x' }), { ...q, legendFormat: '__auto' }).config).toBeUndefined();
    expect(field(vector({ a: 'x"y' })).config).toEqual({ displayNameFromDS: '{a="x\\"y"}' });
  });
});

describe('step and built-in variables (Go backend models.Parse)', () => {
  const hour = 3_600_000;
  const input = (rangeMs: number, intervalMs = 15_000) => ({
    rangeMs,
    intervalMs,
    maxDataPoints: 1000,
    scrapeInterval: '',
  });

  it('computes the step like Grafana', () => {
    expect(calculateStepMs({}, input(hour))).toBe(15_000); // min = intervalMs
    expect(calculateStepMs({}, input(7 * 24 * hour, 600_000))).toBe(600_000);
    expect(calculateStepMs({}, input(7 * 24 * hour, 0))).toBe(600_000); // round(604.8s) = 10m
    expect(calculateStepMs({ interval: '5m' }, input(hour))).toBe(300_000);
    expect(calculateStepMs({ interval: '$__interval' }, input(hour))).toBe(15_000);
    expect(calculateStepMs({ interval: '$__rate_interval' }, input(hour))).toBe(60_000); // max(15s+15s, 4×15s)
    expect(calculateStepMs({ step: 30 }, input(hour))).toBe(30_000); // stand-in extension
    expect(calculateStepMs({}, input(400 * 24 * hour, 0))).toBe(12 * hour); // round(9.6h)
    // Never more than 11000 points: round(400d / 11000 = 52m) = 1h beats round(400d / 100000) = 5m.
    expect(calculateStepMs({}, { ...input(400 * 24 * hour, 0), maxDataPoints: 100_000 })).toBe(hour);
  });

  it('interpolates $__interval, $__range and $__rate_interval like the backend', () => {
    const expr = 'rate(x[$__rate_interval]) + $__interval_ms + ${__interval} + $__range + $__range_s + $__range_ms';
    expect(interpolateBuiltins(expr, {}, 60_000, input(hour, 60_000))).toBe(
      'rate(x[1m15s]) + 60000 + 1m + 3600s + 3600 + 3600000'
    );
  });

  it('formats durations as Go does', () => {
    expect([500, 15_000, 60_000, 90_000, hour].map(goDuration)).toEqual(['500ms', '15s', '1m0s', '1m30s', '1h0m0s']);
  });
});

describe('DataSourceSrv stand-in', () => {
  const prom = createPrometheusStandIn('http://127.0.0.1:1', 'prom-uid', 'Prom');
  const srv = createDataSourceSrvStandIn({ 'prom-uid': prom });

  it('finds by uid, name and ref; the default without a ref', async () => {
    await expect(srv.get('prom-uid')).resolves.toBe(prom);
    await expect(srv.get('Prom')).resolves.toBe(prom);
    await expect(srv.get({ uid: 'prom-uid', type: 'prometheus' })).resolves.toBe(prom);
    await expect(srv.get()).resolves.toBe(prom);
    expect(prom.getRef()).toEqual({ type: 'prometheus', uid: 'prom-uid' });
    expect(srv.getInstanceSettings('prom-uid')).toMatchObject({ uid: 'prom-uid', type: 'prometheus', name: 'Prom' });
    expect(srv.getInstanceSettings('nope')).toBeUndefined();
  });

  it("rejects unknown uids with Grafana's plain-object error", async () => {
    await expect(srv.get('nope')).rejects.toEqual({ message: 'Datasource nope was not found' });
  });
});

// ---------------------------------------------------------------------------------------------
// Against a real Prometheus

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

describe('against a real Prometheus', () => {
  const nowS = Math.floor(Date.now() / 1000);
  const range = { from: (nowS - 30 * 60) * 1000, to: nowS * 1000 };
  let server: Awaited<ReturnType<typeof startPrometheus>>;

  beforeAll(async () => {
    server = await startPrometheus({ openMetrics: openMetrics(nowS) });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('range query: one frame per series with labels, ms times on the step grid, values', async () => {
    const rsp = await queryLikeGrafana(server.url, [{ refId: 'A', expr: 'gotk_resource_info', range: true }], range);
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
      expect(time.values.every((t: number) => t % 15_000 === 0 && t >= range.from - 15_000 && t <= range.to)).toBe(
        true
      );
      expect(time.values.length).toBeGreaterThan(100); // 30 min at 15 s, staleness fills the gaps
    }
    const namespaces = frames.map((f) => f.fields[1].labels!.exported_namespace).sort();
    expect(namespaces).toEqual(['flux-system', 'flux-system', 'podinfo']);
    expect(frames[0].meta?.executedQueryString).toBe('Expr: gotk_resource_info\nStep: 15s');
  });

  it("table format: one frame, Time + sorted label columns + Value, as Grafana's table shows", async () => {
    const rsp = await queryLikeGrafana(
      server.url,
      [{ refId: 'A', expr: 'gotk_resource_info{ready="False"}', range: true, format: 'table', step: 300 }],
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
    expect(col('Value').every((v) => v === 1)).toBe(true);
  });

  it('instant table query: one row per series at the range end', async () => {
    const rsp = await queryLikeGrafana(
      server.url,
      [{ refId: 'S', expr: 'gotk_resource_info', instant: true, format: 'table' }],
      range
    );
    expect(rsp.data).toHaveLength(1);
    const frame = rsp.data[0] as DataFrame;
    expect(frame.length).toBe(3);
    expect(frame.meta?.custom?.resultType).toBe('vector');
    expect(frame.fields[0].values.every((t: number) => t === range.to)).toBe(true);
    expect([...frame.fields.find((f) => f.name === 'name')!.values].sort()).toEqual(['apps', 'flux-system', 'podinfo']);
  });

  it('instant + range in one target: Grafana splits it into A and A-Instant', async () => {
    const rsp = await queryLikeGrafana(
      server.url,
      [{ refId: 'A', expr: 'count(gotk_resource_info)', instant: true, range: true }],
      range
    );
    const byRef = (refId: string) => rsp.data.filter((f: DataFrame) => f.refId === refId) as DataFrame[];
    expect(byRef('A')[0].meta?.type).toBe('timeseries-multi');
    expect(byRef('A-Instant')[0].meta?.type).toBe('numeric-multi');
    expect(byRef('A-Instant')[0].fields[1].values).toEqual([3]);
    expect(byRef('A-Instant')[0].fields[1].config.displayNameFromDS).toBe('count(gotk_resource_info)');
  });

  it("PromQL errors surface as response.errors with Prometheus' message; other queries still answer", async () => {
    const rsp = await queryLikeGrafana(
      server.url,
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
    expect(rsp.error).toEqual(rsp.errors![0]);
    const a = rsp.data.find((f: DataFrame) => f.refId === 'A') as DataFrame;
    expect(a.fields[1].values).toEqual([3]);
  });

  it('stand-in datasource: query() honours range, hide, intervalMs; requests are counted', async () => {
    const prom = createPrometheusStandIn(server.url);
    const srv = createDataSourceSrvStandIn({ prometheus: prom });
    const ds = await srv.get('prometheus');
    const before = prometheusRequestLog.requests;
    const request: DataQueryRequest<PromTarget> = {
      requestId: 'r1',
      interval: '1m',
      intervalMs: 60_000,
      maxDataPoints: 500,
      range: { from: dateTime(range.from), to: dateTime(range.to), raw: { from: 'now-30m', to: 'now' } },
      scopedVars: {},
      targets: [
        { refId: 'A', expr: 'gotk_resource_info{name="apps"}', range: true },
        { refId: 'H', expr: 'gotk_resource_info', range: true, hide: true },
      ],
      timezone: 'utc',
      app: CoreApp.Dashboard,
      startTime: Date.now(),
    };
    const rsp = await firstValueFrom(ds.query(request) as ReturnType<typeof prom.query>);
    expect(rsp.data.map((f: DataFrame) => f.refId)).toEqual(['A']);
    expect((rsp.data[0] as DataFrame).fields[0].config.interval).toBe(60_000);

    expect(prom.requestLog.requests).toBe(1);
    const [record] = prom.requestLog.records;
    expect(record).toMatchObject({ refId: 'A', path: '/api/v1/query_range', status: 200 });
    expect(record.params.step).toBe('60');
    expect(Number(record.params.start) % 60).toBe(0); // aligned to the step
    expect(record.responseBytes).toBeGreaterThan(100);
    expect(record.durationMs).toBeGreaterThan(0);
    expect(prometheusRequestLog.requests).toBe(before + 1);

    // Nothing visible to run: no request at all.
    const none = await firstValueFrom(prom.query({ ...request, targets: [request.targets[1]] }));
    expect(none.data).toEqual([]);
    expect(prom.requestLog.requests).toBe(1);
    await expect(prom.testDatasource()).resolves.toMatchObject({ status: 'success' });
  });
});
