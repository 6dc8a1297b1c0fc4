/**
 * Delegation: how FluxGrid hands PromQL to the user's own Prometheus datasource and reads what
 * comes back — errors, warnings (partial answers), and no answer at all (a timeout). Instant
 * queries go through the datasource's resources (Prometheus' own answers), range queries and what
 * the resources did not answer through Grafana's query path.
 *
 * The request handed on is a real, typed `DataQueryRequest` (times are Grafana `DateTime`s, not JS
 * `Date`s): Grafana's PrometheusDatasource calls `range.to.utcOffset()` and `range.from.diff()`.
 */
import {
  DataFrame,
  DataQueryError,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceRef,
  dateTime,
  QueryResultMetaNotice,
  rangeUtil,
  TimeRange,
} from '@grafana/data';
import type { DataSourceSrv } from '@grafana/runtime';
import type { DataQuery } from '@grafana/schema';
import { from, lastValueFrom, throwError, timeout } from 'rxjs';

import { duration } from '../flux';
import { askInstant, hasResources, ResourcesMemo, tracingHeaders } from './prometheusResources';
import { withinRange } from './rangeAnswer';
import * as messages from './messages';

/** An error whose message is meant for the user as is. */
export class FluxDatasourceError extends Error {}

/** A Prometheus panel target, as Grafana's Prometheus datasource takes it. */
export interface PrometheusTarget extends DataQuery {
  expr: string;
  instant: boolean;
  range: boolean;
  format: 'time_series';
  datasource: DataSourceRef;
  /** Min step, e.g. "30s" (range queries). */
  interval?: string;
  legendFormat: string;
}

/**
 * The legend format of every query FluxGrid sends: a label no series has (Prometheus reserves
 * `__` names), so each series' display name renders empty and Grafana's backend sets none. With
 * no format it writes each series' labels a second time into its frame, as the name
 * `metric{a="b", …}` (the whole PromQL for a series without labels): 28% of an Objects refresh's
 * frames at 10k objects (13.6 MB → 9.8 MB), which Grafana encodes and the browser parses for
 * nothing, since FluxGrid reads the labels and shows no Prometheus series by name. (`__auto`
 * would leave it to Grafana's frontend, which names each series in a pass over all of its query's
 * frames.)
 */
export const NO_LEGEND = '{{__fluxgrid_no_legend}}';

/**
 * The Prometheus datasource one FluxGrid query is answered by, and the notices (warnings, infos)
 * its answers carried so far: each FluxGrid query gets its own (see {@link forQuery}).
 */
export interface Prometheus {
  ds: DataSourceApi;
  ref: DataSourceRef;
  notices: QueryResultMetaNotice[];
  /** How long to wait for one answer. */
  timeoutMs: number;
  /** Whether the resources answer, remembered by the FluxGrid datasource (none: not remembered). */
  resources?: ResourcesMemo;
}

/** How long FluxGrid waits for Prometheus by default (Grafana's own data proxy default). */
export const DEFAULT_TIMEOUT_SECONDS = 30;

/** The message of anything thrown or rejected: Errors, FetchErrors, Grafana's plain objects. */
export function errorMessage(error: unknown): string {
  if (typeof error === 'string') {
    return error;
  }
  if (typeof error !== 'object' || error === null) {
    return 'unknown error';
  }
  const e: { data?: { message?: unknown; error?: unknown }; message?: unknown; statusText?: unknown } = error;
  const text = [e.data?.message, e.data?.error, e.message, e.statusText].find((t) => typeof t === 'string' && t);
  return typeof text === 'string' ? text : 'unknown error';
}

/** The configured Prometheus datasource, or an error that says what to fix. */
export async function findPrometheus(
  dataSourceSrv: DataSourceSrv,
  uid: string | undefined,
  self: { uid: string },
  timeoutSeconds = DEFAULT_TIMEOUT_SECONDS,
  resources?: ResourcesMemo
): Promise<Prometheus> {
  const wanted = uid?.trim();
  if (!wanted) {
    // get('') would quietly hand back the default datasource.
    throw new FluxDatasourceError(messages.NO_PROMETHEUS);
  }
  let ds: DataSourceApi | undefined;
  try {
    // The stable API through Grafana 12.3-13 (its successor lives in @grafana/runtime/unstable).
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    ds = await dataSourceSrv.get(wanted);
  } catch {
    throw new FluxDatasourceError(messages.prometheusNotFound(wanted));
  }
  if (!ds) {
    throw new FluxDatasourceError(messages.prometheusNotFound(wanted));
  }
  // Prometheus and its compatible cousins (Amazon/Azure managed Prometheus) take the same targets.
  if (!ds.type?.includes('prometheus') || ds.uid === self.uid) {
    throw new FluxDatasourceError(messages.notPrometheus(ds.name, ds.type));
  }
  const seconds = timeoutSeconds > 0 ? timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
  return { ds, ref: { type: ds.type, uid: ds.uid }, notices: [], timeoutMs: seconds * 1000, resources };
}

/**
 * The Prometheus datasource's "Scrape interval" in seconds (Grafana's PrometheusDatasource sets
 * `interval` from jsonData.timeInterval, default 15s); undefined when unset or unreadable.
 */
export function scrapeIntervalSecondsOf(prom: Prometheus): number | undefined {
  const interval = prom.ds.interval?.trim();
  if (!interval) {
    return undefined;
  }
  try {
    const seconds = rangeUtil.intervalToSeconds(interval);
    return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
  } catch {
    // A scrape interval Grafana cannot read either: the default applies.
    return undefined;
  }
}

/** The same Prometheus with notices of its own, for one FluxGrid query. */
export function forQuery(prom: Prometheus): Prometheus {
  return { ...prom, notices: [] };
}

export interface PromQLWindow {
  /** Range queries (else instant at `toMs`). */
  range?: boolean;
  fromMs: number;
  toMs: number;
  /** Min step in seconds (range queries). */
  intervalSeconds?: number;
  /** The FluxGrid target's refId, prefixed to the Prometheus sub-queries'. */
  refId?: string;
}

/**
 * The request handed to Prometheus: the panel's own when there is one (its interval, width,
 * scoped variables and time zone), with FluxGrid's targets and the window's range.
 */
export function delegatedRequest<Q extends DataQuery>(
  request: DataQueryRequest<Q> | undefined,
  targets: PrometheusTarget[],
  window: PromQLWindow
): DataQueryRequest<PrometheusTarget> {
  const sameRange =
    request?.range && request.range.from.valueOf() === window.fromMs && request.range.to.valueOf() === window.toMs;
  const range: TimeRange = sameRange
    ? request.range
    : {
        from: dateTime(window.fromMs),
        to: dateTime(window.toMs),
        raw: { from: dateTime(window.fromMs), to: dateTime(window.toMs) },
      };
  return {
    requestId: `${request?.requestId ?? 'fluxgrid'}-${targets.map((t) => t.refId).join('-')}`,
    interval: request?.interval ?? '15s',
    intervalMs: request?.intervalMs ?? 15_000,
    maxDataPoints: request?.maxDataPoints ?? 1000,
    range,
    scopedVars: request?.scopedVars ?? {},
    timezone: request?.timezone ?? 'utc',
    // The user's app, as Grafana's tracking and Explore expect (in Explore, instant answers come
    // back as tables: the core reads both shapes, tests/integration/datasource-grafana.test.ts).
    app: request?.app ?? FLUXGRID_APP,
    startTime: Date.now(),
    targets,
    // The panel's relative range ("now-1h" to "now") lets incremental querying cache range answers.
    ...(sameRange && request.rangeRaw ? { rangeRaw: request.rangeRaw } : {}),
    ...(request?.dashboardUID ? { dashboardUID: request.dashboardUID } : {}),
    ...(request?.panelId !== undefined ? { panelId: request.panelId } : {}),
  };
}

/** The `app` of the requests FluxGrid makes on its own (the health check). */
export const FLUXGRID_APP = 'fluxgrid';

/**
 * Run PromQL through the Prometheus datasource; frames by the keys of `exprs`. Any error (in the
 * response, thrown, or no answer within the timeout) becomes a FluxDatasourceError carrying
 * Prometheus' message. Warnings and infos are added to `prom.notices`.
 */
export async function runPromQL<Q extends DataQuery>(
  prom: Prometheus,
  request: DataQueryRequest<Q> | undefined,
  exprs: Record<string, string>,
  window: PromQLWindow
): Promise<Record<string, DataFrame[]>> {
  // Prefixed with the FluxGrid target's refId: several targets of one panel run side by side, and
  // their Prometheus sub-queries (and requests) must not be taken for one another.
  const prefix = window.refId ? `${window.refId}-` : '';
  if (window.range) {
    return runPromQLQueries(prom, request, exprs, window, prefix);
  }
  const { answered, unanswered } = await runInstantPromQL(prom, request, prefix, exprs, window);
  return Object.keys(unanswered).length
    ? { ...answered, ...(await runPromQLQueries(prom, request, unanswered, window, prefix)) }
    : answered;
}

/** {@link runPromQL} through Grafana's query path (`/api/ds/query`): its frames, decoded by Grafana. */
async function runPromQLQueries<Q extends DataQuery>(
  prom: Prometheus,
  request: DataQueryRequest<Q> | undefined,
  exprs: Record<string, string>,
  window: PromQLWindow,
  prefix: string
): Promise<Record<string, DataFrame[]>> {
  const targets: PrometheusTarget[] = Object.entries(exprs).map(([key, expr]) => ({
    refId: prefix + key,
    expr,
    instant: !window.range,
    range: Boolean(window.range),
    format: 'time_series',
    legendFormat: NO_LEGEND,
    datasource: prom.ref,
    ...(window.intervalSeconds ? { interval: duration(window.intervalSeconds) } : {}),
  }));
  const name = prom.ds.name;
  let response: DataQueryResponse;
  try {
    response = await lastValueFrom(
      from(prom.ds.query(delegatedRequest(request, targets, window))).pipe(
        // Unsubscribing cancels the HTTP request in Grafana's BackendSrv.
        timeout({
          first: prom.timeoutMs,
          with: () =>
            throwError(() => new FluxDatasourceError(messages.prometheusTimeout(name, prom.timeoutMs / 1000))),
        })
      )
    );
  } catch (error) {
    if (error instanceof FluxDatasourceError) {
      throw error;
    }
    throw new FluxDatasourceError(messages.prometheusFailed(name, errorMessage(error)));
  }
  // `error` is what older Prometheus datasources set; newer ones set `errors`.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const errors: DataQueryError[] = [...(response.errors ?? []), ...(response.error ? [response.error] : [])];
  if (errors.length) {
    const unique = Array.from(new Set(errors.map((e) => e.message || e.data?.message || 'unknown error')));
    throw new FluxDatasourceError(messages.prometheusFailed(name, unique.join('; ')));
  }
  const byRef: Record<string, DataFrame[]> = Object.fromEntries(Object.keys(exprs).map((k) => [k, []]));
  // One frame per series: 200k frames at 100k objects, each decoded by Grafana with a hidden
  // class of its own, so every property is read with reflectGet (see there), and the key and
  // its list are looked up again only when the refId changes (a query's frames come in a row).
  let lastRefId: string | undefined = undefined;
  let list: DataFrame[] | undefined = undefined;
  for (const frame of response.data ?? []) {
    if (!isDataFrame(frame)) {
      continue;
    }
    const notices = reflectGet<DataFrame['meta']>(frame, 'meta')?.notices;
    if (notices?.length) {
      collectNotices(prom, notices);
    }
    const refId = reflectGet<string>(frame, 'refId') ?? '';
    if (refId !== lastRefId) {
      lastRefId = refId;
      const key = prefix && refId.startsWith(prefix) ? refId.slice(prefix.length) : refId;
      list = Object.hasOwn(byRef, key) ? byRef[key] : undefined;
    }
    list?.push(window.range ? withinRange(frame, window.fromMs, window.toMs) : frame);
  }
  return byRef;
}

/**
 * {@link runPromQL} for instant queries: Prometheus' own answers, through the datasource's resources
 * (prometheusResources.ts), read into frames by FluxGrid (instantAnswer.ts) rather than encoded by
 * Grafana's backend and decoded by Grafana in the browser, one frame per series. `unanswered`: the
 * queries whose request got no answer from Prometheus itself (a proxy's page, Grafana's "Failed to
 * call resource"; every query, for a datasource without resources), for Grafana's query path to
 * ask, and say what went wrong in its own words. The notices are kept once every query is answered.
 */
async function runInstantPromQL<Q extends DataQuery>(
  prom: Prometheus,
  request: DataQueryRequest<Q> | undefined,
  refIdPrefix: string,
  exprs: Record<string, string>,
  window: PromQLWindow
): Promise<{ answered: Record<string, DataFrame[]>; unanswered: Record<string, string> }> {
  const { ds } = prom;
  if (!hasResources(ds) || prom.resources?.usable() === false) {
    return { answered: {}, unanswered: exprs };
  }
  const timeS = window.toMs / 1000;
  const timedOut = () => new FluxDatasourceError(messages.prometheusTimeout(ds.name, prom.timeoutMs / 1000));
  const headers = tracingHeaders(request);
  const ask = async ([key, expr]: [string, string]) => {
    const refId = refIdPrefix + key;
    const requestId = `${request?.requestId ?? 'fluxgrid'}-${refId}`;
    const instant = { expr, timeS, refId, requestId, timeoutMs: prom.timeoutMs, timedOut, headers };
    try {
      return { key, expr, answer: await askInstant(ds, instant) };
    } catch (error) {
      throw error instanceof FluxDatasourceError
        ? error
        : new FluxDatasourceError(messages.prometheusFailed(ds.name, errorMessage(error)));
    }
  };
  const answered: Record<string, DataFrame[]> = {};
  const unanswered: Record<string, string> = {};
  const notices: QueryResultMetaNotice[] = [];
  let skipped = 0;
  for (const { key, expr, answer } of await Promise.all(Object.entries(exprs).map(ask))) {
    if (!answer) {
      unanswered[key] = expr;
    } else if (answer.status === 'error') {
      throw new FluxDatasourceError(messages.prometheusFailed(ds.name, answer.message));
    } else {
      answered[key] = answer.frames;
      notices.push(
        ...answer.warnings.map((text) => ({ severity: 'warning' as const, text })),
        ...answer.infos.map((text) => ({ severity: 'info' as const, text }))
      );
      skipped += answer.skipped;
    }
  }
  if (Object.keys(answered).length === 0 && Object.keys(unanswered).length > 0) {
    prom.resources?.refused();
  }
  collectNotices(prom, notices);
  if (skipped > 0) {
    // Never a hidden object without a word: FluxGrid's own notice, not Prometheus'.
    addNotice(prom, { severity: 'warning', text: messages.malformedSeries(ds.name, skipped) });
  }
  return { answered, unanswered };
}

/**
 * How frames' properties are read: Grafana's decoded frames each have a hidden class of their own
 * (object spread in dataFrameFromJSON), so `frame.fields` misses V8's inline caches and is looked
 * up in the runtime; Reflect.get, the same [[Get]], is not (profiled at 100k objects: reading
 * `fields` and `meta` this way took 0.55 s of the 0.94 s spent sorting the answers by query).
 */
const reflectGet: <T>(target: object, name: string) => T | undefined = Reflect.get;

// DataQueryResponse.data is `any[]`: keep only what is a frame.
function isDataFrame(value: unknown): value is DataFrame {
  return typeof value === 'object' && value !== null && Array.isArray(reflectGet(value, 'fields'));
}

/** Prometheus' warnings and infos (Grafana's backend puts them on the frames' meta), once each. */
function collectNotices(prom: Prometheus, notices: QueryResultMetaNotice[]): void {
  for (const notice of notices) {
    const text = messages.prometheusNotice(prom.ds.name, notice.severity, notice.text);
    addNotice(prom, { severity: notice.severity === 'error' ? 'warning' : notice.severity, text });
  }
}

/** A notice for the user, once. */
function addNotice(prom: Prometheus, notice: QueryResultMetaNotice): void {
  if (!prom.notices.some((n) => n.text === notice.text)) {
    prom.notices.push(notice);
  }
}

/** FluxGrid's frames carrying Prometheus' notices, so the panel and Explore show them. */
export function withNotices(frames: DataFrame[], notices: QueryResultMetaNotice[], refId: string): DataFrame[] {
  if (!notices.length) {
    return frames;
  }
  if (!frames.length) {
    // Nothing to show, and yet the user must learn that the answer was partial.
    return [{ refId, name: 'Warnings', fields: [], length: 0, meta: { notices } }];
  }
  return frames.map((frame) => ({
    ...frame,
    meta: { ...frame.meta, notices: [...(frame.meta?.notices ?? []), ...notices] },
  }));
}
