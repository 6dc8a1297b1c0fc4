/**
 * The converter of Grafana's Go backend (pkg/promlib/converter + querydata/response.go): Prometheus'
 * JSON answer → the data frames `/api/ds/query` sends, for grafana-converter.ts (which re-exports
 * everything here) and the Go-backend stand-in. Test code only, never shipped.
 *
 * It writes each frame's JSON text straight from Prometheus' parsed answer, in one pass per series:
 * Grafana's backend streams Prometheus' body into frames and encodes them as it goes, where building
 * every frame as objects first and then JSON.stringify-ing them all (this module before) cost the
 * stand-in, at 100k series, seconds of the one JS thread it shares with the frontend and a heap twice
 * the frames' size (bench/fleet-100k.bench.ts). The text is exactly JSON.stringify of the frames
 * Grafana sends, key order included; grafana-converter.ts' toBackendDataResponse parses it back for
 * the tests and benches that want objects.
 *
 * Backend behaviour mirrored (Grafana 11/12/13, `prometheusDataplane` on, which is the default):
 * - one frame per series; fields `Time` (epoch ms) + value field named after `__name__`
 *   ("Value" when there is none) carrying ALL labels (sorted); frame name empty;
 * - meta.type `timeseries-multi` (matrix) / `numeric-multi` (vector, scalar), typeVersion [0,1],
 *   meta.custom.resultType; first frame: executedQueryString + custom.calculatedMinStep;
 * - Time field config.interval = step ms; value field config.displayNameFromDS from legendFormat
 *   (or `metric{a="b", c="d"}`; the expr when there are no labels; none for `__auto`);
 * - NaN/+Inf/-Inf → null + data.entities; warnings/infos → meta.notices on every frame (a
 *   "Warnings" frame when there is no data); an empty result → one empty frame carrying meta;
 * - Prometheus errors → DataResponse.error "<errorType>: <error>" + Prometheus' HTTP status.
 */

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

/**
 * A DataResponse as the stand-in sends it: its JSON bytes (exactly JSON.stringify of the
 * BackendDataResponse) in chunks, and what merging and the HTTP status need.
 */
export interface DataResponseJSON {
  status: number;
  error?: string;
  /** The frames' JSON: runs of comma-separated frames, each run in chunks (for merging one refId's answers). */
  frames: Buffer[][];
  frameCount: number;
  /** The whole DataResponse's JSON: concatenated, exactly JSON.stringify of the BackendDataResponse. */
  chunks: Buffer[];
}

/**
 * The frames written as UTF-8 into buffers of a few MB, one frame at a time: a frame's text is then
 * one short-lived string, not a rope kept alive until 100k frames are joined, and the bytes are
 * never copied again (no growing buffer, no concatenation; the server writes the chunks as they are).
 */
class JsonBytes {
  private static readonly CHUNK = 4 * 1024 * 1024;
  readonly chunks: Buffer[] = [];
  private buffer = Buffer.allocUnsafe(JsonBytes.CHUNK);
  private length = 0;

  write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.length + text.length * 3 > this.buffer.length) {
      this.seal();
      this.buffer = Buffer.allocUnsafe(Math.max(JsonBytes.CHUNK, text.length * 3));
    }
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  /** The bytes written, in order. */
  done(): Buffer[] {
    this.seal();
    return this.chunks;
  }

  private seal(): void {
    if (this.length > 0) {
      this.chunks.push(this.buffer.subarray(0, this.length));
    }
    this.buffer = Buffer.alloc(0);
    this.length = 0;
  }
}

/** Go's strconv.ParseFloat, which Prometheus' sample strings need ("+Inf", "NaN", "1e+06"). */
function parseSample(s: string): number {
  // Nearly every sample is a plain number: Number() reads it as ParseFloat does.
  const n = Number(s);
  if (n === n && s.trim() !== '') {
    return n;
  }
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
  throw new Error(`strconv.ParseFloat: parsing "${s}": invalid syntax`);
}

/** Go: time.UnixMilli(int64(fv * 1000)) — truncation, not rounding. */
const toMs = (seconds: number) => Math.trunc(seconds * 1000);

/** A number as JSON.stringify writes it. */
const num = (n: number) => (Number.isFinite(n) ? String(n) : 'null');
const str = JSON.stringify;

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

/** Go writes data.Labels (a map) with sorted keys; Prometheus' own answers are sorted already. */
function sortedLabels(metric: Record<string, string> | undefined): { labels: Record<string, string>; keys: string[] } {
  if (!metric) {
    return { labels: {}, keys: [] };
  }
  const keys = Object.keys(metric);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) {
    sorted = keys[i - 1] < keys[i];
  }
  if (sorted) {
    return { labels: metric, keys };
  }
  keys.sort();
  // Label names are untrusted: no prototype to set ("__proto__") or read.
  const labels: Record<string, string> = Object.create(null);
  for (const key of keys) {
    labels[key] = metric[key];
  }
  return { labels, keys };
}

/** querydata/response.go metricNameFromLabels: `name{a="b", c="d"}` (Go %q ≈ JSON string). */
function metricNameFromLabels(labels: Record<string, string>, sortedKeys: string[]): string {
  let parts = '';
  for (const key of sortedKeys) {
    if (key !== '__name__') {
      parts += `${parts ? ', ' : ''}${key}=${str(labels[key])}`;
    }
  }
  const hasName = Object.hasOwn(labels, '__name__');
  if (!parts) {
    return hasName ? labels.__name__ : '{}';
  }
  return `${hasName ? labels.__name__ : ''}{${parts}}`;
}

/** querydata/response.go getName: the displayNameFromDS, '' for none. */
function displayName(q: BackendQuery, labels: Record<string, string>, sortedKeys: string[]): string {
  let legend: string;
  if (q.legendFormat === '__auto') {
    // Left to the frontend (transformV2) when there are labels.
    legend = sortedKeys.length ? '' : metricNameFromLabels(labels, sortedKeys);
  } else if (q.legendFormat) {
    legend = q.legendFormat.replace(/\{\{\s*(.+?)\s*\}\}/g, (_m, name: string) =>
      Object.hasOwn(labels, name.trim()) ? labels[name.trim()] : ''
    );
  } else {
    legend = metricNameFromLabels(labels, sortedKeys);
  }
  return legend === '{}' ? q.expr : legend;
}

/** What every frame of one answer shares, its constant JSON written once per answer. */
interface FrameContext {
  q: BackendQuery;
  resultType: string;
  stepMs: number;
  /** The notices' JSON text ('' for none). */
  notices: string;
  /** The frame up to its value field's name (the first frame's and the others'). */
  firstHead: string;
  head: string;
  /** The value field after its name, up to its labels. */
  valueType: string;
}

function frameContext(q: BackendQuery, resultType: string, notices: string): FrameContext {
  const stepMs = Math.round(q.step * 1000);
  const isString = resultType === 'string';
  const type = resultType === 'matrix' || isString ? 'timeseries-multi' : 'numeric-multi';
  const meta = `{"type":"${type}","typeVersion":${isString ? '[0,0]' : '[0,1]'},"custom":{"resultType":${str(resultType)}`;
  const rest = notices ? `,"notices":${notices}` : '';
  const executed = `,"executedQueryString":${str(`Expr: ${q.expr}\nStep: ${goDuration(stepMs)}`)}`;
  const fields = `"fields":[{"name":"Time","type":"time","typeInfo":{"frame":"time.Time"},"config":{"interval":${stepMs}}},{"name":`;
  return {
    q,
    resultType,
    stepMs,
    notices,
    firstHead: `{"schema":{"meta":${meta},"calculatedMinStep":${stepMs}}${rest}${executed}},${fields}`,
    head: `{"schema":{"meta":${meta}}${rest}},${fields}`,
    valueType: `,"type":"${isString ? 'string' : 'number'}","typeInfo":{"frame":"${isString ? 'string' : 'float64'}"},"labels":`,
  };
}

/** One series' frame (or a scalar's, a string's) as JSON text. */
function seriesFrameText(
  c: FrameContext,
  metric: Record<string, string> | undefined,
  points: Array<[number, string]>,
  first: boolean
): string {
  const isString = c.resultType === 'string';
  const { labels, keys } = sortedLabels(metric);
  const name = Object.hasOwn(labels, '__name__') ? labels.__name__ : 'Value';
  const legend = displayName(c.q, labels, keys);
  const config = legend ? `,"config":{"displayNameFromDS":${str(legend)}}` : '';
  const head = `${first ? c.firstHead : c.head}${str(name)}${c.valueType}${str(labels)}${config}}]}`;
  let times = '';
  let values = '';
  // SDK entities: where the NaN / +Inf / -Inf values (written as null) were, in the order met.
  let entities: Map<'NaN' | 'Inf' | 'NegInf', number[]> | undefined;
  for (let i = 0; i < points.length; i++) {
    const [t, v] = points[i];
    const sep = i ? ',' : '';
    times += sep + num(toMs(t));
    if (isString) {
      values += sep + str(v);
      continue;
    }
    const n = parseSample(v);
    if (Number.isFinite(n)) {
      values += sep + String(n);
      continue;
    }
    const key = Number.isNaN(n) ? 'NaN' : n > 0 ? 'Inf' : 'NegInf';
    entities ??= new Map();
    const at = entities.get(key) ?? [];
    at.push(i);
    entities.set(key, at);
    values += `${sep}null`;
  }
  const entitiesText = entities
    ? `,"entities":[null,{${[...entities].map(([k, at]) => `"${k}":[${at.join(',')}]`).join(',')}}]`
    : '';
  return `${head},"data":{"values":[[${times}],[${values}]]${entitiesText}}}`;
}

/** A frame without fields (no data, or Prometheus' warnings alone), as the backend adds it to carry meta. */
function emptyFrameText(c: FrameContext, name: string | undefined, first: boolean): string {
  const frame: BackendFrameJSON = { schema: { meta: { typeVersion: [0, 0] }, fields: [] }, data: { values: [] } };
  if (name) {
    frame.schema = { name, ...frame.schema };
  }
  if (c.notices) {
    frame.schema.meta.notices = JSON.parse(c.notices);
  }
  if (first) {
    frame.schema.meta.executedQueryString = `Expr: ${c.q.expr}\nStep: ${goDuration(c.stepMs)}`;
    frame.schema.meta.custom = { calculatedMinStep: c.stepMs };
  }
  return str(frame);
}

const COMMA = Buffer.from(',');

/** The DataResponse of `frames` (comma-separated runs of frames), with the error when there is one. */
export function dataResponseJSON(
  status: number,
  frames: Buffer[][],
  frameCount: number,
  error?: string
): DataResponseJSON {
  const errorText = error === undefined ? '' : `,"error":${str(error)},"errorSource":"downstream"`;
  const chunks: Buffer[] = [Buffer.from(`{"status":${status},"frames":[`)];
  frames.forEach((run, i) => chunks.push(...(i ? [COMMA, ...run] : run)));
  chunks.push(Buffer.from(`]${errorText}}`));
  return { status, error, frames, frameCount, chunks };
}

/** A DataResponse that is one JSON object as it is (errors without frames). */
export function plainDataResponse(response: BackendDataResponse): DataResponseJSON {
  const { status, error } = response;
  return { status, error, frames: [], frameCount: 0, chunks: [Buffer.from(str(response))] };
}

/** converter.ReadPrometheusStyleResult + querydata's response: the DataResponse of one answer. */
export function backendDataResponseJSON(
  answer: PrometheusApiAnswer,
  q: BackendQuery,
  httpStatus: number
): DataResponseJSON {
  const notices = [
    ...(answer.warnings ?? []).map((text) => ({ severity: 'warning' as const, text })),
    ...(answer.infos ?? []).map((text) => ({ severity: 'info' as const, text })),
  ];
  const resultType = answer.data?.resultType ?? '';
  const c = frameContext(q, resultType, notices.length ? str(notices) : '');
  const one = (frame: string, error?: string) => dataResponseJSON(httpStatus, [[Buffer.from(frame)]], 1, error);
  if (answer.status === 'error') {
    // No frames, no notices: the empty frame carries the executed query alone.
    return one(
      emptyFrameText({ ...c, notices: '' }, undefined, true),
      `${answer.errorType ?? ''}: ${answer.error ?? ''}`
    );
  }
  const result: unknown = answer.data?.result;
  switch (resultType) {
    case 'matrix':
    case 'vector': {
      // Native histograms ("histogram"/"histograms") are not mirrored: Flux metrics have none.
      const out = new JsonBytes();
      let count = 0;
      for (const series of result as Array<{ metric?: Record<string, string>; values?: any[]; value?: any }>) {
        const points = series.values ?? (series.value ? [series.value] : []);
        out.write((count ? ',' : '') + seriesFrameText(c, series.metric, points, count === 0));
        count++;
      }
      // "Add frame to attach metadata": Prometheus' warnings in a frame of their own.
      return count
        ? dataResponseJSON(httpStatus, [out.done()], count)
        : one(emptyFrameText(c, c.notices ? 'Warnings' : undefined, true));
    }
    case 'scalar':
    case 'string':
      return one(seriesFrameText(c, undefined, [result as [number, string]], true));
    default: {
      const error = resultType ? `unknown result type: ${resultType}` : 'no resultType found';
      return one(emptyFrameText({ ...c, notices: '' }, undefined, true), error);
    }
  }
}
