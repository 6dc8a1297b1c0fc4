/**
 * A port of the parts of Grafana's Go backend (pkg/promlib) that sit between the Prometheus
 * datasource's frontend and Prometheus: the step calculation, the built-in variables, the request
 * parameters, the reading of Prometheus' replies, and (grafana-frames.ts, re-exported here) the
 * converter from Prometheus' JSON to data frames. Test code only, never shipped;
 * `grafana-backend.ts` serves it over HTTP as `/api/ds/query`.
 *
 * Prometheus errors → DataResponse.error "<errorType>: <error>" + Prometheus' HTTP status, and the
 * /api/ds/query HTTP status becomes 400, which the frontend reads through its error path.
 */
import { rangeUtil } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

import {
  BackendDataResponse,
  backendDataResponseJSON,
  BackendQuery,
  BackendQueryDataResponse,
  dataResponseJSON,
  DataResponseJSON,
  goDuration,
  plainDataResponse,
  PrometheusApiAnswer,
} from './grafana-frames';

export * from './grafana-frames';

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

/** The DataResponse as objects (tests, benches): the text parsed back. */
export function toBackendDataResponse(
  answer: PrometheusApiAnswer,
  q: BackendQuery,
  httpStatus: number
): BackendDataResponse {
  const json = Buffer.concat(backendDataResponseJSON(answer, q, httpStatus).chunks).toString('utf8');
  const response: BackendDataResponse = JSON.parse(json);
  return response;
}

// ---------------------------------------------------------------------------------------------
// Request accounting (for benchmarks: queries, bytes, latency)

export interface PrometheusRequestRecord {
  /**
   * The query's refId; for a resource request (which carries none), the id the frontend gave the
   * request (the test BackendSrv passes it on: tests/harness/grafana-runtime.ts), else "resource".
   */
  refId: string;
  /** Asked for `/api/ds/query` (Grafana's query path), a datasource's resources, or its health check. */
  via: 'query' | 'resources' | 'health';
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
  /**
   * The dashboard and panel the frontend's request named (its X-Dashboard-Uid and X-Panel-Id
   * headers): what Grafana's server logs a slow request with.
   */
  asker?: { dashboardUid?: string; panelId?: string };
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
): DataResponseJSON {
  if ('transportError' in reply) {
    return plainDataResponse({
      error: `Post "${url}": ${reply.transportError}`,
      errorSource: 'downstream',
      status: 502,
      frames: [],
    });
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
    const response = backendDataResponseJSON(adjust(answer), q, reply.status);
    timings.convertMs = performance.now() - converting;
    timings.frames = response.frameCount;
    return response;
  }
  const { frames, frameCount } = backendDataResponseJSON({ status: 'error' }, q, reply.status);
  const error = `unexpected response with status code ${reply.status}: ${reply.body.slice(0, 1024)}`;
  return dataResponseJSON(reply.status, frames, frameCount, error);
}

/**
 * Several answers for one refId (a query with both range and instant set) in one DataResponse,
 * as querydata does: frames appended, the first error kept.
 */
export function mergeDataResponses(responses: DataResponseJSON[]): DataResponseJSON {
  if (responses.length === 1) {
    return responses[0];
  }
  const failed = responses.find((r) => r.error !== undefined);
  const frames = responses.flatMap((r) => r.frames);
  const count = responses.reduce((sum, r) => sum + r.frameCount, 0);
  return failed ?? dataResponseJSON(responses[0].status, frames, count);
}
