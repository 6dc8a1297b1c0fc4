/**
 * The port of Grafana's backend converter and step calculation, on our own fixtures (the whole
 * path against a real Prometheus is in grafana-runtime.test.ts).
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
import { DataFrame } from '@grafana/data';
import { FetchResponse, toDataQueryResponse } from '@grafana/runtime';

import {
  BackendQuery,
  backendDataResponseJSON,
  mergeDataResponses,
  PrometheusApiAnswer,
  calculateStepMs,
  goDuration,
  interpolateBuiltins,
  toGrafanaBackendFrames,
} from './grafana-converter';

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'));

/** Decode a backend body the way the browser does. */
function decode(body: unknown): DataFrame[] {
  const response: FetchResponse = {
    data: body,
    status: 200,
    statusText: 'OK',
    ok: true,
    headers: new Headers(),
    redirected: false,
    type: 'basic',
    url: '/api/ds/query',
    config: { url: '/api/ds/query' },
  };
  return toDataQueryResponse(response).data;
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

  it('display names: all labels again by default, the legend when given, none when the legend renders empty', () => {
    const configs = (legendFormat?: string) =>
      toGrafanaBackendFrames(fixture('prom-vector-gotk-resource-info.json'), {
        refId: 'B',
        expr: 'gotk_resource_info',
        instant: true,
        step: 15,
        ...(legendFormat === undefined ? {} : { legendFormat }),
      }).results.B.frames.map((f) => f.schema.fields[1].config);
    expect(configs()[0]?.displayNameFromDS).toMatch(/^gotk_resource_info\{customresource_kind="[^"]+", /);
    expect(configs('{{name}}')[0]?.displayNameFromDS).toMatch(/^[a-z]/);
    // A legend naming a label no series has renders empty: Go then sets no config at all.
    expect(configs('{{__no_such_label}}')).toEqual([undefined, undefined]);
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

describe('the frames JSON the stand-in sends (written as each answer is read)', () => {
  const written = (answer: PrometheusApiAnswer, q: BackendQuery, status = 200) =>
    Buffer.concat(backendDataResponseJSON(answer, q, status).chunks).toString('utf8');

  it.each([
    ['matrix', 'gotk-resource-info', { refId: 'A', expr: 'gotk_resource_info', range: true, step: 60 }],
    ['vector', 'gotk-resource-info', { refId: 'B', expr: 'gotk_resource_info', instant: true, step: 15 }],
    ['matrix', 'nan-inf', { refId: 'C', expr: 'flux_p99', range: true, step: 60, legendFormat: '{{kind}}/{{ name }}' }],
  ] as Array<[string, string, BackendQuery]>)('%s %s: byte for byte the expected body’s JSON', (type, name, q) => {
    const expected = fixture(`expected-${type}-${name}.backend.json`);
    // The expected bodies keep Grafana's key order: JSON.stringify of them is the text it sends.
    expect(written(fixture(`prom-${type}-${name}.json`), q)).toBe(JSON.stringify(expected.results[q.refId]));
  });

  it('labels sorted when Prometheus’ are not; untrusted names stay labels, never read through prototypes', () => {
    const answer: PrometheusApiAnswer = {
      status: 'success',
      data: {
        resultType: 'vector',
        result: [{ metric: JSON.parse('{"z":"1","__proto__":"p","constructor":"c","a":"2"}'), value: [1, '1'] }],
      },
    };
    const q: BackendQuery = { refId: 'A', expr: 'x', instant: true, step: 15, legendFormat: '{{toString}}|{{a}}' };
    const [field] = JSON.parse(written(answer, q)).frames[0].schema.fields.slice(1);
    expect(Object.keys(field.labels)).toEqual(['__proto__', 'a', 'constructor', 'z']);
    expect(Object.hasOwn(field.labels, '__proto__')).toBe(true);
    expect(field.config).toEqual({ displayNameFromDS: '|2' });
  });

  it('an answer larger than the writer’s chunks: every frame, in order, valid JSON across chunk boundaries', () => {
    const n = 20_000;
    const series = Array.from({ length: n }, (_, i) => ({
      metric: { __name__: 'gotk_resource_info', name: `app-${i}-${'x'.repeat(i % 97)}`, ns: 'é✓' },
      value: [1, String(i)],
    }));
    const answer: PrometheusApiAnswer = { status: 'success', data: { resultType: 'vector', result: series } };
    const q: BackendQuery = { refId: 'A', expr: 'x', instant: true, step: 15 };
    const { chunks } = backendDataResponseJSON(answer, q, 200);
    expect(chunks.length).toBeGreaterThan(4);
    const text = written(answer, q);
    const frames: Array<{ data: { values: number[][] }; schema: { fields: Array<{ labels?: object }> } }> =
      JSON.parse(text).frames;
    expect(frames.map((f) => f.data.values[1][0])).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(frames[n - 1].schema.fields[1].labels).toEqual(series[n - 1].metric);
    expect(JSON.stringify(JSON.parse(text))).toBe(text);
  });

  it('one refId asked as range and instant: both answers’ frames in one DataResponse, the first error kept', () => {
    const vector = (v: string): PrometheusApiAnswer => ({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: { a: v }, value: [1, v] }] },
    });
    const q: BackendQuery = { refId: 'A', expr: 'x', step: 15 };
    const both = mergeDataResponses([vector('1'), vector('2')].map((a) => backendDataResponseJSON(a, q, 200)));
    const merged = JSON.parse(Buffer.concat(both.chunks).toString('utf8'));
    expect(merged.frames.map((f: { data: { values: number[][] } }) => f.data.values[1][0])).toEqual([1, 2]);
    expect(both.frameCount).toBe(2);
    const failed = backendDataResponseJSON({ status: 'error', errorType: 'bad_data', error: 'no' }, q, 400);
    expect(mergeDataResponses([backendDataResponseJSON(vector('1'), q, 200), failed])).toBe(failed);
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
