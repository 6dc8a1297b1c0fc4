/**
 * Prometheus' own answer to an instant query (`/api/v1/query`, through the Prometheus
 * datasource's resources: prometheus.ts) read into frames shaped as Grafana's backend sends them
 * for it: one frame per series, a `Time` field and a number field carrying the series' labels,
 * named after `__name__` ("Value" without one); without the backend's frame meta (result type,
 * interval), which FluxGrid does not read. What FluxGrid reads from them is the same either
 * way (the core reads both, and Grafana's table shapes); what it saves is Grafana's per-frame
 * encoding on the server and decoding in the browser, one frame per series (at 10k objects, more
 * than the reading itself).
 *
 * The answer is untrusted: anything that is not Prometheus' JSON envelope is no answer (the caller
 * then asks through Grafana's query path, which says why), and a malformed sample is skipped.
 */
import { DataFrame, FieldType } from '@grafana/data';

/** Prometheus' envelope, as far as it was recognised. */
export type InstantAnswer =
  | { status: 'success'; frames: DataFrame[]; warnings: string[]; infos: string[]; skipped: number }
  | { status: 'error'; message: string };

const isArray = Array.isArray;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !isArray(value);

const texts = (value: unknown): string[] =>
  isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];

/** A decimal float as Go formats one (no hex, no "Infinity", no spaces). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A sample's value as Prometheus writes it (Go's float formatting: "1", "1e+06", "NaN", "+Inf"). */
export function sampleValue(text: unknown): number | undefined {
  if (typeof text !== 'string') {
    return undefined;
  }
  switch (text) {
    // Every state series' value: no pattern to match (100k of them at 100k objects).
    case '1':
      return 1;
    case '0':
      return 0;
    case '+Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
  }
  return DECIMAL.test(text) ? Number(text) : undefined;
}

/** One series' frame: `[epoch seconds, "value"]` at the sample's own time. */
function seriesFrame(refId: string, metric: Record<string, string>, sample: unknown): DataFrame | undefined {
  if (!isArray(sample) || sample.length !== 2 || typeof sample[0] !== 'number' || !Number.isFinite(sample[0])) {
    return undefined;
  }
  const value = sampleValue(sample[1]);
  if (value === undefined) {
    return undefined;
  }
  const name = Object.hasOwn(metric, '__name__') ? metric.__name__ : 'Value';
  return {
    refId,
    length: 1,
    fields: [
      { name: 'Time', type: FieldType.time, config: {}, values: [Math.round(sample[0] * 1000)] },
      { name, type: FieldType.number, config: {}, labels: metric, values: [value] },
    ],
  };
}

/** A series' labels: a record of strings only (JSON.parse made `__proto__` an own label). */
function isLabels(metric: unknown): metric is Record<string, string> {
  return isRecord(metric) && Object.keys(metric).every((name) => typeof metric[name] === 'string');
}

/**
 * The frames of Prometheus' answer `body` (parsed JSON) to the instant query `refId`;
 * undefined when `body` is not Prometheus' envelope (a proxy's or Grafana's own error page).
 */
export function readInstantAnswer(body: unknown, refId: string): InstantAnswer | undefined {
  if (!isRecord(body)) {
    return undefined;
  }
  if (body.status === 'error') {
    // Grafana's backend words them so: "<errorType>: <error>".
    const type = typeof body.errorType === 'string' ? body.errorType : '';
    const error = typeof body.error === 'string' ? body.error : 'unknown error';
    return { status: 'error', message: type ? `${type}: ${error}` : error };
  }
  const data = body.data;
  if (body.status !== 'success' || !isRecord(data)) {
    return undefined;
  }
  const frames: DataFrame[] = [];
  let skipped = 0;
  const result = data.result;
  if (data.resultType === 'vector' && isArray(result)) {
    for (const series of result) {
      const metric = isRecord(series) ? (series.metric ?? {}) : undefined;
      const frame = isRecord(series) && isLabels(metric) ? seriesFrame(refId, metric, series.value) : undefined;
      if (frame) {
        frames.push(frame);
      } else {
        skipped++;
      }
    }
  } else if (data.resultType === 'scalar') {
    const frame = seriesFrame(refId, {}, result);
    if (frame) {
      frames.push(frame);
    } else {
      skipped++;
    }
  } else {
    return undefined;
  }
  return { status: 'success', frames, warnings: texts(body.warnings), infos: texts(body.infos), skipped };
}
