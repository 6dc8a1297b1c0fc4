/**
 * A port of the parts of Grafana's Go backend (pkg/promlib) that sit between the Prometheus
 * datasource's frontend and Prometheus: the step calculation, the built-in variables, the request
 * parameters, and the converter from Prometheus' JSON to data frames. Test code only, never
 * shipped; `grafana-backend.ts` serves it over HTTP as `/api/ds/query`.
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
import { rangeUtil } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

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
  /** Request sent → last byte of Prometheus' answer read. */
  durationMs: number;
  error?: string;
  /** performance.now() when the request was sent (benches line the records up with it). */
  startedAt?: number;
  /** Request sent → Prometheus' answer headers: its execution and queueing, the first byte. */
  headersMs?: number;
  /** Headers → last byte: the transfer (and, on this one thread, whatever else ran meanwhile). */
  bodyMs?: number;
  /** The stand-in's JSON.parse of the answer (what Go's streaming decoder does as it reads). */
  parseMs?: number;
  /** The stand-in's conversion of the parsed answer to frames. */
  convertMs?: number;
  /** Frames made of the answer (one per series). */
  frames?: number;
}

/** One `/api/ds/query` answered by the stand-in (benches: what it cost to send the frames). */
export interface BackendAnswerRecord {
  refIds: string[];
  /** performance.now() when the request arrived, when its frames were sent. */
  receivedAt: number;
  sentAt: number;
  /** JSON.stringify of the frames (Go's encoder writes them as it goes). */
  serializeMs: number;
  /** The answer's bytes (the frames JSON the frontend decodes). */
  bytes: number;
}

export class PrometheusRequestLog {
  readonly records: PrometheusRequestRecord[] = [];
  readonly answers: BackendAnswerRecord[] = [];

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
    this.answers.length = 0;
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

export function toBackendDataResponse(
  answer: PrometheusApiAnswer,
  q: BackendQuery,
  httpStatus: number
): BackendDataResponse {
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
// Backend: one /api/ds/query query → Prometheus requests (models.Parse + the client's params)

/** One query of an `/api/ds/query` body, as the Prometheus frontend sends it (processTargetV2). */
export interface DsQuery {
  refId: string;
  expr?: string;
  instant?: boolean;
  range?: boolean;
  interval?: string;
  intervalMs?: number;
  maxDataPoints?: number;
  utcOffsetSec?: number;
  legendFormat?: string;
  format?: string;
  hide?: boolean;
}

export interface PlannedQuery extends BackendQuery {
  path: '/api/v1/query' | '/api/v1/query_range';
  params: Record<string, string>;
}

/**
 * What the backend asks Prometheus for one query: a range query (start and end aligned to the
 * step, shifted by the browser's UTC offset), an instant query at the range end (not aligned,
 * grafana#69516), or both when both are set. Neither set means range, as in models.Parse.
 */
export function planBackendQuery(q: DsQuery, range: { from: number; to: number }, scrapeInterval = ''): PlannedQuery[] {
  const input: StepInput = {
    rangeMs: range.to - range.from,
    intervalMs: q.intervalMs ?? 0,
    maxDataPoints: q.maxDataPoints ?? 0,
    scrapeInterval,
  };
  const stepMs = calculateStepMs({ interval: q.interval }, input);
  const expr = interpolateBuiltins(q.expr ?? '', { interval: q.interval }, stepMs, input);
  const base = { refId: q.refId, expr, step: stepMs / 1000, legendFormat: q.legendFormat, format: q.format };
  const offsetMs = (q.utcOffsetSec ?? 0) * 1000;
  const align = (ms: number) => Math.floor((ms + offsetMs) / stepMs) * stepMs - offsetMs;
  const planned: PlannedQuery[] = [];
  if (q.range || !q.instant) {
    planned.push({
      ...base,
      range: true,
      instant: false,
      path: '/api/v1/query_range',
      params: {
        query: expr,
        start: String(align(range.from) / 1000),
        end: String(align(range.to) / 1000),
        step: String(stepMs / 1000),
      },
    });
  }
  if (q.instant) {
    planned.push({
      ...base,
      range: false,
      instant: true,
      path: '/api/v1/query',
      params: { query: expr, time: String(range.to / 1000) },
    });
  }
  return planned;
}

/** What came back from Prometheus for one request (or why nothing did). */
export type PrometheusReply = { status: number; body: string } | { transportError: string };

/**
 * Grafana's backend reading of one Prometheus reply: Prometheus documents JSON bodies for 2xx,
 * 400, 422 and 503; anything else is reported with its status and the start of its body; a
 * transport failure is a 502 carrying the Go error and no frames.
 */
export function readPrometheusReply(
  reply: PrometheusReply,
  q: PlannedQuery,
  url: string,
  adjust: (answer: PrometheusApiAnswer) => PrometheusApiAnswer = (a) => a,
  timings: { parseMs?: number; convertMs?: number; frames?: number } = {}
): BackendDataResponse {
  if ('transportError' in reply) {
    return { error: `Post "${url}": ${reply.transportError}`, errorSource: 'downstream', status: 502, frames: [] };
  }
  if ((reply.status >= 200 && reply.status < 300) || [400, 422, 503].includes(reply.status)) {
    const parsing = performance.now();
    let answer: PrometheusApiAnswer;
    try {
      answer = JSON.parse(reply.body);
    } catch (e) {
      answer = { status: 'error', errorType: 'bad_response', error: `invalid JSON: ${(e as Error).message}` };
    }
    const converting = performance.now();
    timings.parseMs = converting - parsing;
    const response = toBackendDataResponse(adjust(answer), q, reply.status);
    timings.convertMs = performance.now() - converting;
    timings.frames = response.frames.length;
    return response;
  }
  const unexpected = toBackendDataResponse({ status: 'error' }, q, reply.status);
  unexpected.error = `unexpected response with status code ${reply.status}: ${reply.body.slice(0, 1024)}`;
  return unexpected;
}

/**
 * Several answers for one refId (a query with both range and instant set) in one DataResponse,
 * as querydata does: frames appended, the first error kept.
 */
export function mergeDataResponses(responses: BackendDataResponse[]): BackendDataResponse {
  if (responses.length === 1) {
    return responses[0];
  }
  const failed = responses.find((r) => r.error !== undefined);
  return failed ?? { status: responses[0].status, frames: responses.flatMap((r) => r.frames) };
}
