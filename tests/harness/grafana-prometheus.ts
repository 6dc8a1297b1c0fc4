/**
 * DEPRECATED, being removed: an in-repo stand-in for Grafana's Prometheus datasource (frontend),
 * kept only until its last users move to the real one (`grafana-runtime.ts`:
 * `startGrafanaRuntime`, `queryPrometheus`). New code must not use it.
 *
 * The Go backend's converter it uses lives in `grafana-converter.ts` (re-exported here); the
 * browser-side steps run Grafana's own code (`toDataQueryResponse`, `transformV2`).
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

import {
  BackendDataResponse,
  BackendQuery,
  BackendQueryDataResponse,
  calculateStepMs,
  interpolateBuiltins,
  PrometheusRequestLog,
  PrometheusRequestRecord,
  prometheusRequestLog,
  PromTarget,
  readPrometheusReply,
  StepInput,
} from './grafana-converter';

export * from './grafana-converter';

// @grafana/prometheus' index drags in React editors and the optional peer @grafana/assistant,
// which is not installed. Load only the two modules we need, from the installed package.
const promDist = path.join(path.dirname(require.resolve('@grafana/prometheus/package.json')), 'dist', 'cjs');
const { transformV2 } = require(path.join(promDist, 'result_transformer.cjs')) as { transformV2: typeof TransformV2 };
const { InstantQueryRefIdIndex } = require(path.join(promDist, 'constants.cjs')) as { InstantQueryRefIdIndex: string };

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
  const url = prometheusUrl.replace(/\/$/, '') + q.path;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
    const text = await res.text();
    record.status = res.status;
    record.responseBytes = Buffer.byteLength(text);
    record.durationMs = performance.now() - started;
    return readPrometheusReply({ status: res.status, body: text }, q, url);
  } catch (e) {
    record.durationMs = performance.now() - started;
    record.error = String((e as Error).cause ?? e);
    return readPrometheusReply({ transportError: record.error }, q, url);
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
