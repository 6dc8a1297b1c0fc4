/**
 * A stand-in for Grafana's Prometheus datasource, for tests and benchmarks (never shipped).
 *
 * In Grafana a Prometheus query travels:
 *   PrometheusDatasource.query (frontend) → POST /api/ds/query → Go backend (pkg/promlib) asks
 *   Prometheus and turns its JSON into data frames → JSON back to the browser →
 *   toDataQueryResponse (@grafana/runtime) → transformV2 (@grafana/prometheus) → the panel.
 *
 * We cannot run Grafana here, so this module re-implements the two server-side steps (step
 * calculation + the promlib converter, `toGrafanaBackendFrames`) and runs the two browser-side
 * steps with Grafana's OWN code (`toDataQueryResponse`, `transformV2`) against a real Prometheus.
 *
 * Backend behaviour mirrored (Grafana 11/12/13, `prometheusDataplane` on, which is the default):
 * - one frame per series; fields `Time` (epoch ms) + value field named after `__name__`
 *   ("Value" when there is none) carrying ALL labels; frame name empty;
 * - meta.type `timeseries-multi` (matrix) / `numeric-multi` (vector, scalar), typeVersion [0,1],
 *   meta.custom.resultType; first frame: executedQueryString + custom.calculatedMinStep;
 * - Time field config.interval = step ms; value field config.displayNameFromDS from legendFormat
 *   (or `metric{a="b", c="d"}`; the expr when there are no labels; none for `__auto`);
 * - NaN/+Inf/-Inf → null + data.entities; warnings/infos → meta.notices on every frame (a
 *   "Warnings" frame when there is no data); an empty result → one empty frame carrying meta;
 * - Prometheus errors → DataResponse.error "<errorType>: <error>" + Prometheus' HTTP status, and
 *   the /api/ds/query HTTP status becomes 400, which the frontend reads through its error path.
 */
import './grafana-prometheus-env';

import path from 'path';
import { from, Observable, of } from 'rxjs';
import {
  CoreApp,
  DataQuery,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  DataSourcePluginMeta,
  DataSourceRef,
  PluginType,
  ScopedVars,
  TestDataSourceResponse,
  dateTime,
  rangeUtil,
} from '@grafana/data';
import { DataSourceSrv, FetchError, FetchResponse, toDataQueryResponse } from '@grafana/runtime';
import type { PromQuery, transformV2 as TransformV2 } from '@grafana/prometheus';

// @grafana/prometheus' index drags in React editors and the optional peer @grafana/assistant,
// which is not installed. Load only the two modules we need, from the installed package.
const promDist = path.join(path.dirname(require.resolve('@grafana/prometheus/package.json')), 'dist', 'cjs');
const { transformV2 } = require(path.join(promDist, 'result_transformer.cjs')) as { transformV2: typeof TransformV2 };
const { InstantQueryRefIdIndex } = require(path.join(promDist, 'constants.cjs')) as { InstantQueryRefIdIndex: string };

// ---------------------------------------------------------------------------------------------
// Types

/** A Prometheus panel target, as a dashboard stores it. */
export interface PromTarget extends DataQuery {
  refId: string;
  expr: string;
  instant?: boolean;
  range?: boolean;
  format?: 'time_series' | 'table' | 'heatmap';
  legendFormat?: string;
  /** "Min step" in the query options, e.g. "30s"; `$__interval`-style variables mean "unset". */
  interval?: string;
  /** Stand-in extension, not in Grafana: force the step, in SECONDS (skips the step calculation). */
  step?: number;
}

/** Prometheus HTTP API answer (`/api/v1/query`, `/api/v1/query_range`). */
export interface PrometheusApiAnswer {
  status: 'success' | 'error';
  data?: { resultType: string; result: unknown };
  errorType?: string;
  error?: string;
  warnings?: string[];
  infos?: string[];
}

/** The query as the Go backend sees it after parsing (what the converter needs). */
export interface BackendQuery {
  refId: string;
  expr: string;
  instant?: boolean;
  range?: boolean;
  /** Step in SECONDS (Prometheus' unit). */
  step: number;
  legendFormat?: string;
  format?: string;
}

/** Field schema as Grafana's Go SDK writes it (typeInfo is not in @grafana/data's TS types). */
export interface BackendFieldSchema {
  name: string;
  type: 'time' | 'number' | 'string';
  typeInfo: { frame: string };
  labels?: Record<string, string>;
  config?: { interval?: number; displayNameFromDS?: string };
}

export interface BackendFrameJSON {
  schema: {
    name?: string;
    meta: {
      type?: string;
      typeVersion: [number, number];
      custom?: Record<string, unknown>;
      notices?: Array<{ severity: 'warning' | 'info'; text: string }>;
      executedQueryString?: string;
    };
    fields: BackendFieldSchema[];
  };
  data: {
    values: unknown[][];
    entities?: Array<{ NaN?: number[]; Inf?: number[]; NegInf?: number[] } | null>;
  };
}

/** One refId's DataResponse as `/api/ds/query` returns it. */
export interface BackendDataResponse {
  error?: string;
  errorSource?: string;
  status: number;
  frames: BackendFrameJSON[];
}

/** The `/api/ds/query` body. */
export interface BackendQueryDataResponse {
  results: Record<string, BackendDataResponse>;
}

// ---------------------------------------------------------------------------------------------
// Request accounting (for benchmarks: queries, bytes, latency)

export interface PrometheusRequestRecord {
  refId: string;
  path: string;
  params: Record<string, string>;
  /** HTTP status; 0 when the request never got an answer. */
  status: number;
  requestBytes: number;
  responseBytes: number;
  durationMs: number;
  error?: string;
}

export class PrometheusRequestLog {
  readonly records: PrometheusRequestRecord[] = [];

  get requests(): number {
    return this.records.length;
  }
  get responseBytes(): number {
    return this.records.reduce((sum, r) => sum + r.responseBytes, 0);
  }
  get requestBytes(): number {
    return this.records.reduce((sum, r) => sum + r.requestBytes, 0);
  }
  get durationMs(): number {
    return this.records.reduce((sum, r) => sum + r.durationMs, 0);
  }
  totals() {
    return {
      requests: this.requests,
      requestBytes: this.requestBytes,
      responseBytes: this.responseBytes,
      durationMs: this.durationMs,
    };
  }
  reset(): void {
    this.records.length = 0;
  }
}

/** Every Prometheus HTTP request made by this module, process-wide. */
export const prometheusRequestLog = new PrometheusRequestLog();

// ---------------------------------------------------------------------------------------------
// Backend: Prometheus JSON → frames (pkg/promlib/converter + querydata/response.go)

/** Go's strconv.ParseFloat, which Prometheus' sample strings need ("+Inf", "NaN", "1e+06"). */
function parseSample(s: string): number {
  const lower = s.toLowerCase();
  if (/^[+]?inf(inity)?$/.test(lower)) {
    return Infinity;
  }
  if (/^-inf(inity)?$/.test(lower)) {
    return -Infinity;
  }
  if (lower === 'nan') {
    return NaN;
  }
  const n = Number(s);
  if (s.trim() === '' || Number.isNaN(n)) {
    throw new Error(`strconv.ParseFloat: parsing "${s}": invalid syntax`);
  }
  return n;
}

/** Go: time.UnixMilli(int64(fv * 1000)) — truncation, not rounding. */
const toMs = (seconds: number) => Math.trunc(seconds * 1000);

/** Go's time.Duration.String(), used in executedQueryString and $__rate_interval ("1m0s"). */
export function goDuration(ms: number): string {
  if (ms === 0) {
    return '0s';
  }
  if (ms < 1000) {
    return `${ms}ms`;
  }
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  if (h > 0) {
    return `${h}h${m}m${s}s`;
  }
  if (m > 0) {
    return `${m}m${s}s`;
  }
  return `${s}s`;
}

/** gtime.FormatInterval, used for $__interval ("1m", "15s", "500ms"). */
function formatInterval(ms: number): string {
  const units: Array<[number, string]> = [
    [31_536_000_000, 'y'],
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
    [1, 'ms'],
  ];
  for (const [size, unit] of units) {
    if (ms >= size) {
      return `${Math.floor(ms / size)}${unit}`;
    }
  }
  return '1ms';
}

function sortedLabels(metric: Record<string, string> | undefined): Record<string, string> {
  // Go writes data.Labels (a map) with sorted keys.
  const out: Record<string, string> = {};
  for (const key of Object.keys(metric ?? {}).sort()) {
    out[key] = metric![key];
  }
  return out;
}

/** Values with NaN/±Inf replaced by null, plus the SDK's entity lookup for them. */
function encodeValues(values: number[]) {
  const out: Array<number | null> = [];
  const entities: { NaN?: number[]; Inf?: number[]; NegInf?: number[] } = {};
  values.forEach((v, i) => {
    const key = Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Inf' : v === -Infinity ? 'NegInf' : undefined;
    if (key) {
      (entities[key] ??= []).push(i);
      out.push(null);
    } else {
      out.push(v);
    }
  });
  return { values: out, entities: Object.keys(entities).length ? entities : null };
}

function seriesFrame(
  resultType: string,
  labels: Record<string, string>,
  points: Array<[number, string]>,
  valueType: 'number' | 'string' = 'number'
): BackendFrameJSON {
  const times = points.map(([t]) => toMs(t));
  const frame: BackendFrameJSON = {
    schema: {
      meta: {
        type: resultType === 'matrix' || resultType === 'string' ? 'timeseries-multi' : 'numeric-multi',
        typeVersion: resultType === 'string' ? [0, 0] : [0, 1],
        custom: { resultType },
      },
      fields: [
        { name: 'Time', type: 'time', typeInfo: { frame: 'time.Time' } },
        {
          name: 'Value',
          type: valueType,
          typeInfo: { frame: valueType === 'number' ? 'float64' : 'string' },
          labels,
        },
      ],
    },
    data: { values: [times, []] },
  };
  if (valueType === 'string') {
    frame.data.values[1] = points.map(([, v]) => v);
    return frame;
  }
  const encoded = encodeValues(points.map(([, v]) => parseSample(v)));
  frame.data.values[1] = encoded.values;
  if (encoded.entities) {
    frame.data.entities = [null, encoded.entities];
  }
  return frame;
}

/** converter.ReadPrometheusStyleResult: frames, or an error string. */
function readResult(answer: PrometheusApiAnswer): { frames: BackendFrameJSON[]; error?: string } {
  if (answer.status === 'error') {
    return { frames: [], error: `${answer.errorType ?? ''}: ${answer.error ?? ''}` };
  }
  const resultType = answer.data?.resultType ?? '';
  const result = answer.data?.result as any;
  let frames: BackendFrameJSON[];
  switch (resultType) {
    case 'matrix':
    case 'vector':
      // Native histograms ("histogram"/"histograms") are not mirrored: Flux metrics have none.
      frames = (result as Array<{ metric?: Record<string, string>; values?: any[]; value?: any }>).map((series) =>
        seriesFrame(resultType, sortedLabels(series.metric), series.values ?? (series.value ? [series.value] : []))
      );
      break;
    case 'scalar':
      frames = [seriesFrame('scalar', {}, [result])];
      break;
    case 'string':
      frames = [seriesFrame('string', {}, [result], 'string')];
      break;
    default:
      return { frames: [], error: resultType ? `unknown result type: ${resultType}` : 'no resultType found' };
  }
  const notices = [
    ...(answer.warnings ?? []).map((text) => ({ severity: 'warning' as const, text })),
    ...(answer.infos ?? []).map((text) => ({ severity: 'info' as const, text })),
  ];
  if (notices.length) {
    if (!frames.length) {
      frames.push({ schema: { name: 'Warnings', meta: { typeVersion: [0, 0] }, fields: [] }, data: { values: [] } });
    }
    frames.forEach((f) => (f.schema.meta.notices = notices));
  }
  return { frames };
}

/** querydata/response.go metricNameFromLabels: `name{a="b", c="d"}` (Go %q ≈ JSON string). */
function metricNameFromLabels(labels: Record<string, string>): string {
  const { __name__: name = '', ...rest } = labels;
  const parts = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`);
  if (!parts.length) {
    return '__name__' in labels ? name : '{}';
  }
  return `${name}{${parts.join(', ')}}`;
}

/** querydata/response.go getName: the displayNameFromDS, '' for none. */
function displayName(q: BackendQuery, labels: Record<string, string>): string {
  let legend = metricNameFromLabels(labels);
  if (q.legendFormat === '__auto') {
    if (Object.keys(labels).length) {
      legend = ''; // left to the frontend (transformV2)
    }
  } else if (q.legendFormat) {
    legend = q.legendFormat.replace(/\{\{\s*(.+?)\s*\}\}/g, (_m, name: string) => labels[name.trim()] ?? '');
  }
  return legend === '{}' ? q.expr : legend;
}

function emptyFrame(): BackendFrameJSON {
  return { schema: { meta: { typeVersion: [0, 0] }, fields: [] }, data: { values: [] } };
}

/**
 * What Grafana's backend returns in `/api/ds/query` for one Prometheus query, given
 * Prometheus' JSON answer and its HTTP status. `query.step` is in seconds.
 */
export function toGrafanaBackendFrames(
  promAnswer: PrometheusApiAnswer,
  query: BackendQuery,
  httpStatus = promAnswer.status === 'error' ? 400 : 200
): BackendQueryDataResponse {
  return { results: { [query.refId]: toBackendDataResponse(promAnswer, query, httpStatus) } };
}

function toBackendDataResponse(answer: PrometheusApiAnswer, q: BackendQuery, httpStatus: number): BackendDataResponse {
  const stepMs = Math.round(q.step * 1000);
  let { frames, error } = readResult(answer);
  if (!frames.length) {
    frames = [emptyFrame()]; // "Add frame to attach metadata"
  }
  frames.forEach((frame, i) => {
    const { fields, meta } = frame.schema;
    if (fields.length >= 2) {
      fields[0].config = { interval: stepMs };
      const labels = fields[1].labels ?? {};
      const name = displayName(q, labels);
      if (name) {
        fields[1].config = { displayNameFromDS: name };
      }
      if (labels.__name__ !== undefined) {
        fields[1].name = labels.__name__;
      }
    }
    if (i === 0) {
      meta.executedQueryString = `Expr: ${q.expr}\nStep: ${goDuration(stepMs)}`;
      // Used by the frontend's incremental-query cache to merge frames.
      meta.custom = { ...meta.custom, calculatedMinStep: stepMs };
    }
  });
  const response: BackendDataResponse = { status: httpStatus, frames };
  if (error !== undefined) {
    response.error = error;
    response.errorSource = 'downstream';
  }
  return response;
}

// ---------------------------------------------------------------------------------------------
// Backend: step calculation and built-in variables (pkg/promlib/models/query.go)

const SAFE_RESOLUTION = 11000;
const RATE_VARS = ['$__rate_interval', '${__rate_interval}'];
const INTERVAL_VARS = [
  '$__interval',
  '${__interval}',
  '$__interval_ms',
  '${__interval_ms}',
  ...RATE_VARS,
  '$__rate_interval_ms',
  '${__rate_interval_ms}',
];

/** gtime.ParseIntervalStringToTimeDuration: "<30s>" and bare numbers (seconds) allowed. */
function parseIntervalMs(interval: string): number {
  const s = interval.replace('<', '').replace('>', '');
  return rangeUtil.intervalToMs(/^\d+$/.test(s) ? `${s}s` : s);
}

function rateIntervalMs(intervalMs: number, scrapeInterval: string): number {
  const scrapeMs = parseIntervalMs(scrapeInterval || '15s');
  return Math.max(intervalMs + scrapeMs, 4 * scrapeMs);
}

export interface StepInput {
  rangeMs: number;
  /** The request's intervalMs (the frontend computes it from the panel width). */
  intervalMs: number;
  maxDataPoints: number;
  /** The datasource's "Scrape interval" (jsonData.timeInterval); '' = unset (15s). */
  scrapeInterval: string;
}

/** calculatePrometheusInterval: the step, in ms, Grafana's backend sends to Prometheus. */
export function calculateStepMs(target: Pick<PromTarget, 'interval' | 'step'>, input: StepInput): number {
  if (target.step) {
    return target.step * 1000;
  }
  const requested = target.interval ?? '';
  const queryInterval = INTERVAL_VARS.includes(requested) || requested === '0s' ? '' : requested;
  const minMs = queryInterval
    ? parseIntervalMs(queryInterval)
    : input.intervalMs || (input.scrapeInterval ? parseIntervalMs(input.scrapeInterval) : 15_000);
  const raw = Math.floor(input.rangeMs / (input.maxDataPoints || 1500));
  const calculated = raw < minMs ? minMs : rangeUtil.roundInterval(raw);
  const safe = rangeUtil.roundInterval(input.rangeMs / SAFE_RESOLUTION);
  const adjusted = Math.max(calculated, safe);
  return RATE_VARS.includes(requested) ? rateIntervalMs(adjusted, input.scrapeInterval) : adjusted;
}

/** interpolateVariables: $__interval, $__range, $__rate_interval and their _ms/_s variants. */
export function interpolateBuiltins(
  expr: string,
  target: Pick<PromTarget, 'interval'>,
  stepMs: number,
  input: StepInput
): string {
  const rangeS = Math.round(input.rangeMs / 1000);
  let requested = target.interval ?? '';
  let rateMs: number;
  if (RATE_VARS.includes(requested)) {
    rateMs = stepMs;
  } else {
    if (requested === '$__interval' || requested === '${__interval}') {
      requested = goDuration(stepMs);
    }
    rateMs = rateIntervalMs(input.intervalMs, requested || input.scrapeInterval);
  }
  const replacements: Array<[string, string]> = [
    ['__interval_ms', String(stepMs)],
    ['__interval', formatInterval(stepMs)],
    ['__range_ms', String(input.rangeMs)],
    ['__range_s', String(rangeS)],
    ['__range', `${rangeS}s`],
    ['__rate_interval_ms', String(rateMs)],
    ['__rate_interval', goDuration(rateMs)],
  ];
  for (const [name, value] of replacements) {
    expr = expr.split(`$${name}`).join(value);
  }
  for (const [name, value] of replacements) {
    expr = expr.split(`\${${name}}`).join(value);
  }
  return expr;
}

// ---------------------------------------------------------------------------------------------
// The whole path

export interface QueryLikeGrafanaOptions {
  /** The request's intervalMs. Default: what the frontend computes (range / maxDataPoints, ≥ scrape interval). */
  intervalMs?: number;
  /** Panel width in Grafana. Default 1000. */
  maxDataPoints?: number;
  /** The datasource's "Scrape interval" (jsonData.timeInterval). Default '' (= 15s, Grafana's default). */
  scrapeInterval?: string;
  /** CoreApp the request comes from (transformV2 shows vectors as tables in Explore). Default Dashboard. */
  app?: string;
  /** The original request, when called through the stand-in (passed to transformV2 as Grafana does). */
  request?: DataQueryRequest<PromTarget>;
  /** Extra log to record requests in (they always go to `prometheusRequestLog` too). */
  requestLog?: PrometheusRequestLog;
}

interface PlannedQuery extends BackendQuery {
  path: '/api/v1/query' | '/api/v1/query_range';
  params: Record<string, string>;
}

/** Frontend processTargetV2 (range+instant split) + backend models.Parse + client params. */
function planQueries(targets: PromTarget[], range: { from: number; to: number }, input: StepInput): PlannedQuery[] {
  const split = targets.flatMap((t) =>
    t.instant && t.range
      ? [
          { ...t, instant: false },
          { ...t, refId: t.refId + InstantQueryRefIdIndex, range: false },
        ]
      : [t]
  );
  return split.map((t): PlannedQuery => {
    const stepMs = calculateStepMs(t, input);
    const expr = interpolateBuiltins(t.expr, t, stepMs, input);
    const instant = !!t.instant;
    const base = {
      refId: t.refId,
      expr,
      instant,
      range: !instant,
      step: stepMs / 1000,
      legendFormat: t.legendFormat,
      format: t.format,
    };
    if (instant) {
      // Instant queries are evaluated at the range end, NOT aligned to the step (grafana#69516).
      return { ...base, path: '/api/v1/query', params: { query: expr, time: String(range.to / 1000) } };
    }
    // Range queries: start and end rounded down to a multiple of step (UTC, utcOffsetSec 0).
    const align = (ms: number) => Math.floor(ms / stepMs) * stepMs;
    return {
      ...base,
      path: '/api/v1/query_range',
      params: {
        query: expr,
        start: String(align(range.from) / 1000),
        end: String(align(range.to) / 1000),
        step: String(stepMs / 1000),
      },
    };
  });
}

/** One backend query: POST to Prometheus (Grafana's default httpMethod), convert the answer. */
async function runBackendQuery(
  prometheusUrl: string,
  q: PlannedQuery,
  logs: PrometheusRequestLog[]
): Promise<BackendDataResponse> {
  const body = new URLSearchParams(q.params).toString();
  const started = performance.now();
  const record: PrometheusRequestRecord = {
    refId: q.refId,
    path: q.path,
    params: q.params,
    status: 0,
    requestBytes: Buffer.byteLength(body),
    responseBytes: 0,
    durationMs: 0,
  };
  logs.forEach((log) => log.records.push(record));
  try {
    const res = await fetch(prometheusUrl.replace(/\/$/, '') + q.path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    record.status = res.status;
    record.responseBytes = bytes.length;
    record.durationMs = performance.now() - started;
    const text = bytes.toString('utf8');
    // Prometheus documents JSON bodies for 2xx, 400, 422 and 503; anything else is not parsed.
    if ((res.status >= 200 && res.status < 300) || [400, 422, 503].includes(res.status)) {
      let answer: PrometheusApiAnswer;
      try {
        answer = JSON.parse(text);
      } catch (e) {
        answer = { status: 'error', errorType: 'bad_response', error: `invalid JSON: ${(e as Error).message}` };
      }
      return toBackendDataResponse(answer, q, res.status);
    }
    const unexpected = toBackendDataResponse({ status: 'error' }, q, res.status);
    unexpected.error = `unexpected response with status code ${res.status}: ${text.slice(0, 1024)}`;
    return unexpected;
  } catch (e) {
    // Transport failure: Grafana answers 502 with the Go error and no frames.
    record.durationMs = performance.now() - started;
    record.error = String((e as Error).cause ?? e);
    return {
      error: `Post "${prometheusUrl}${q.path}": ${record.error}`,
      errorSource: 'downstream',
      status: 502,
      frames: [],
    };
  }
}

function requestFor(
  targets: PromTarget[],
  range: { from: number; to: number },
  intervalMs: number,
  maxDataPoints: number,
  app: string
): DataQueryRequest<PromTarget> {
  const from = dateTime(range.from);
  const to = dateTime(range.to);
  return {
    requestId: 'fluxgrid-standin',
    interval: rangeUtil.secondsToHms(intervalMs / 1000),
    intervalMs,
    maxDataPoints,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app,
    startTime: Date.now(),
  };
}

/**
 * Run `targets` against a real Prometheus the way a Grafana panel would and return the
 * DataQueryResponse the panel receives (frames after toDataQueryResponse + transformV2).
 * `range` is epoch ms. Hidden targets and empty exprs are skipped (Grafana's filterQuery).
 *
 * Step: `target.step` (seconds) if given; else Grafana's rule: max(min step, safe step) where
 * min step = target.interval || intervalMs || scrape interval || 15s, the calculated step is
 * round(range / maxDataPoints) when above it, and the safe step is round(range / 11000).
 * intervalMs defaults to the frontend's max(scrape interval 15s, round(range / maxDataPoints=1000)).
 */
export async function queryLikeGrafana(
  prometheusUrl: string,
  targets: PromTarget[],
  range: { from: number; to: number },
  options: QueryLikeGrafanaOptions = {}
): Promise<DataQueryResponse> {
  const maxDataPoints = options.request?.maxDataPoints ?? options.maxDataPoints ?? 1000;
  const scrapeInterval = options.scrapeInterval ?? '';
  const timeRange = { from: dateTime(range.from), to: dateTime(range.to), raw: { from: '', to: '' } };
  const intervalMs =
    options.request?.intervalMs ??
    options.intervalMs ??
    rangeUtil.calculateInterval(timeRange, maxDataPoints, scrapeInterval || '15s').intervalMs;
  const visible = targets.filter((t) => !t.hide && !!t.expr);
  if (!visible.length) {
    return { data: [] }; // DataSourceWithBackend.query answers this without a request
  }
  const input: StepInput = { rangeMs: range.to - range.from, intervalMs, maxDataPoints, scrapeInterval };
  const planned = planQueries(visible, range, input);
  const logs = [prometheusRequestLog, ...(options.requestLog ? [options.requestLog] : [])];

  // Grafana runs the queries of one request concurrently (prometheusRunQueriesInParallel).
  const responses = await Promise.all(planned.map((q) => runBackendQuery(prometheusUrl, q, logs)));
  const body: BackendQueryDataResponse = { results: {} };
  planned.forEach((q, i) => (body.results[q.refId] = responses[i]));

  // JSON round trip: the browser only ever sees the serialized form.
  const wire = JSON.parse(JSON.stringify(body));
  const failed = responses.some((r) => r.error !== undefined);
  const http = {
    data: wire,
    status: failed ? 400 : 200,
    statusText: failed ? 'Bad Request' : 'OK',
    ok: !failed,
    headers: new Headers(),
    redirected: false,
    type: 'basic',
    url: '/api/ds/query?ds_type=prometheus',
    config: { url: '/api/ds/query?ds_type=prometheus' },
  };
  // Success: DataSourceWithBackend calls toDataQueryResponse(raw, queries). Any error makes the
  // HTTP status 400: backendSrv throws, and catchError calls toDataQueryResponse(err) (no queries).
  const queries = planned.map((q) => ({ refId: q.refId })) as DataQuery[];
  const rsp = failed
    ? toDataQueryResponse(http as unknown as FetchError)
    : toDataQueryResponse(http as unknown as FetchResponse, queries);

  const request =
    options.request ?? requestFor(visible, range, intervalMs, maxDataPoints, options.app ?? CoreApp.Dashboard);
  return transformV2(rsp, { ...request, targets: visible } as unknown as DataQueryRequest<PromQuery>, {});
}

// ---------------------------------------------------------------------------------------------
// The datasource instance plugin code gets from getDataSourceSrv().get(uid)

export const prometheusPluginMeta = {
  id: 'prometheus',
  name: 'Prometheus',
  type: PluginType.datasource,
  module: 'core:plugin/prometheus',
  baseUrl: 'public/plugins/prometheus',
  metrics: true,
  alerting: true,
  annotations: true,
  backend: true,
  info: {
    author: { name: 'Grafana Labs', url: 'https://grafana.com' },
    description: 'Open source time series database & alerting',
    links: [],
    logos: {
      small: 'public/plugins/prometheus/img/prometheus_logo.svg',
      large: 'public/plugins/prometheus/img/prometheus_logo.svg',
    },
    screenshots: [],
    updated: '',
    version: '',
  },
} as unknown as DataSourcePluginMeta;

export function prometheusInstanceSettings(
  uid = 'prometheus',
  name = 'Prometheus',
  id = 1
): DataSourceInstanceSettings {
  return {
    id,
    uid,
    type: 'prometheus',
    name,
    meta: prometheusPluginMeta,
    readOnly: false,
    access: 'proxy',
    url: `/api/datasources/proxy/uid/${uid}`,
    jsonData: { httpMethod: 'POST' } as DataSourceInstanceSettings['jsonData'],
  };
}

/** Looks to plugin code like Grafana's PrometheusDatasource instance; queries a real Prometheus. */
export class PrometheusStandIn extends DataSourceApi<PromTarget> {
  /** Requests made through this instance (the process-wide `prometheusRequestLog` has them too). */
  readonly requestLog = new PrometheusRequestLog();

  constructor(
    readonly prometheusUrl: string,
    readonly instanceSettings: DataSourceInstanceSettings = prometheusInstanceSettings()
  ) {
    super(instanceSettings);
    // As PrometheusDatasource: the lower limit of intervalMs in panels.
    this.interval = (instanceSettings.jsonData as { timeInterval?: string }).timeInterval || '15s';
  }

  query(request: DataQueryRequest<PromTarget>): Observable<DataQueryResponse> {
    // Grafana's query runner drops targets for which filterQuery is false before calling query().
    const targets = request.targets.filter((t) => this.filterQuery(t));
    if (!targets.length) {
      return of({ data: [] });
    }
    const range = { from: request.range.from.valueOf(), to: request.range.to.valueOf() };
    return from(
      queryLikeGrafana(this.prometheusUrl, targets, range, {
        request: { ...request, targets },
        scrapeInterval: (this.instanceSettings.jsonData as { timeInterval?: string }).timeInterval ?? '',
        requestLog: this.requestLog,
      })
    );
  }

  filterQuery(query: PromTarget): boolean {
    return !query.hide && !!query.expr;
  }

  /** Only scopedVars are interpolated (no dashboard variables: there is no templateSrv here). */
  interpolateVariablesInQueries(queries: PromTarget[], scopedVars: ScopedVars): PromTarget[] {
    return queries.map((q) => ({
      ...q,
      datasource: this.getRef(),
      expr: q.expr.replace(/\$\{?(\w+)\}?/g, (m, name: string) => {
        const v = scopedVars[name]?.value;
        return v === undefined ? m : Array.isArray(v) ? v.join('|') : String(v);
      }),
    }));
  }

  getQueryDisplayText(query: PromTarget): string {
    return query.expr;
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    const res = await fetch(`${this.prometheusUrl.replace(/\/$/, '')}/api/v1/query?query=1+%2B+1`);
    return res.ok
      ? { status: 'success', message: 'Successfully queried the Prometheus API.' }
      : { status: 'error', message: `Prometheus answered ${res.status}` };
  }
}

export function createPrometheusStandIn(
  prometheusUrl: string,
  uid = 'prometheus',
  name = 'Prometheus'
): PrometheusStandIn {
  return new PrometheusStandIn(prometheusUrl, prometheusInstanceSettings(uid, name));
}

/**
 * A DataSourceSrv (what getDataSourceSrv() returns) serving the given instances by uid or name.
 * Install it with `setDataSourceSrv(...)` from @grafana/runtime.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any datasource type, as in Grafana
export function createDataSourceSrvStandIn(instances: Record<string, DataSourceApi<any, any>>): DataSourceSrv {
  const all = () => Object.values(instances);
  const settingsOf = (ds: DataSourceApi): DataSourceInstanceSettings => {
    // DataSourceApi keeps no settings; PrometheusStandIn and DataSourceWithBackend do.
    const kept = ds as unknown as {
      instanceSettings?: DataSourceInstanceSettings;
      datasourceInstanceSettings?: DataSourceInstanceSettings;
    };
    return (
      kept.instanceSettings ??
      kept.datasourceInstanceSettings ?? {
        id: ds.id ?? 0,
        uid: ds.uid,
        type: ds.type,
        name: ds.name,
        meta: ds.meta,
        readOnly: false,
        access: 'proxy',
        jsonData: {},
      }
    );
  };
  const find = (ref?: DataSourceRef | string | null): DataSourceApi | undefined => {
    const key = typeof ref === 'string' ? ref : ref?.uid;
    if (!key) {
      return all()[0]; // Grafana: the default datasource
    }
    return instances[key] ?? all().find((ds) => ds.uid === key || ds.name === key || String(ds.id) === key);
  };
  return {
    get(ref) {
      const ds = find(ref);
      if (!ds) {
        // Grafana's DatasourceSrv rejects with a plain object, not an Error.
        const key = typeof ref === 'string' ? ref : ref?.uid;
        return Promise.reject({ message: `Datasource ${key} was not found` });
      }
      return Promise.resolve(ds);
    },
    getInstanceSettings(ref) {
      const ds = find(ref);
      return ds ? settingsOf(ds) : undefined;
    },
    getList() {
      return all().map(settingsOf);
    },
    reload: async () => {},
    registerRuntimeDataSource() {
      throw new Error('registerRuntimeDataSource is not supported by the stand-in');
    },
  };
}
