/**
 * Grafana's frontend runtime for node tests, made of Grafana's own code wherever Grafana ships it:
 * the real `PrometheusDatasource` from `@grafana/prometheus`, constructed from the instance
 * settings Grafana would hand it, with `@grafana/runtime`'s services set to ones that really work:
 * - BackendSrv: `fetch()` over real HTTP to `grafana-backend.ts` (the stand-in for Grafana's Go
 *   backend), failing FetchError-shaped (`{status, statusText, data, config}`) as Grafana's does,
 *   aborted by the caller's `abortSignal` or on unsubscribing, and, as Grafana's, cancelling a
 *   request still running when another of the same `requestId` starts (its error: `cancelled`);
 * - DataSourceSrv: the datasources registered here, by uid or name (Grafana's looks them up in
 *   its boot data; `DataSourceWithBackend.query` asks it for every target's instance settings);
 * - TemplateSrv: the caller's (Grafana's TemplateSrv lives in Grafana's app, not in a package;
 *   `src/datasource/testing/templateSrv.ts` is the small typed one tests use).
 *
 * Usage:
 *     const grafana = await startGrafanaRuntime({ prometheusUrl: prom.url });
 *     const flux = createFluxDatasource({ prometheusUid: grafana.prometheus.uid }, { grafana });
 *     …
 *     await grafana.close();
 *
 * Import this module before any other `@grafana/*` import (it gives them the browser globals).
 */
import './grafana-prometheus-env';

import { filter, lastValueFrom, Observable, Subject, takeUntil, throwIfEmpty } from 'rxjs';
import {
  CoreApp,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  DataSourcePluginMeta,
  dateTime,
  PluginType,
  rangeUtil,
} from '@grafana/data';
import {
  BackendSrv,
  BackendSrvRequest,
  FetchError,
  FetchResponse,
  setBackendSrv,
  setDataSourceSrv,
  setTemplateSrv,
  TemplateSrv,
} from '@grafana/runtime';
import { PromApplication, PrometheusDatasource, PromOptions, PromQuery } from '@grafana/prometheus';

import { StaticDataSourceSrv } from '../../src/datasource/testing/dataSourceSrv';
import { FakeTemplateSrv } from '../../src/datasource/testing/templateSrv';
import { BackendFaults, GrafanaBackend, STAND_IN_REQUEST_ID, startGrafanaBackend } from './grafana-backend';

// ---------------------------------------------------------------------------------------------
// BackendSrv over real HTTP

/** Grafana's BackendSrv, as far as datasources use it: every call is a real HTTP request. */
export class HttpBackendSrv implements BackendSrv {
  /** Every request made, in order (method and URL path with its query). */
  readonly calls: Array<{ method: string; url: string }> = [];

  /** The requestId of each request as it starts: it cancels the one of the same id still running. */
  private readonly started = new Subject<string>();

  constructor(readonly baseUrl: string) {}

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    const request = new Observable<FetchResponse<T>>((subscriber) => {
      const abort = new AbortController();
      options.abortSignal?.addEventListener('abort', () => abort.abort());
      this.send<T>(options, abort.signal).then(
        (response) => {
          subscriber.next(response);
          subscriber.complete();
        },
        (error: unknown) => subscriber.error(error)
      );
      return () => abort.abort();
    });
    const { requestId } = options;
    if (!requestId) {
      return request;
    }
    this.started.next(requestId);
    const cancelled: FetchError = {
      status: -1,
      statusText: 'Request was aborted',
      data: null,
      cancelled: true,
      config: options,
    };
    return request.pipe(
      takeUntil(this.started.pipe(filter((id) => id === requestId))),
      throwIfEmpty(() => cancelled)
    );
  }

  private async send<T>(options: BackendSrvRequest, signal: AbortSignal): Promise<FetchResponse<T>> {
    const method = (options.method ?? 'GET').toUpperCase();
    const url = new URL(options.url.replace(/^\/?/, '/'), this.baseUrl);
    for (const [key, value] of Object.entries(options.params ?? {})) {
      if (value !== undefined && value !== null) {
        url.searchParams.append(key, String(value));
      }
    }
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.requestId) {
      headers[STAND_IN_REQUEST_ID] = options.requestId;
    }
    let body: string | undefined;
    if (options.data !== undefined && method !== 'GET') {
      // Grafana's parseBody: form-encoded when the caller says so, JSON otherwise.
      if (headers['Content-Type'] === 'application/x-www-form-urlencoded' && typeof options.data === 'object') {
        body = new URLSearchParams(Object.entries(options.data).map(([k, v]) => [k, String(v)])).toString();
      } else {
        body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
        headers['Content-Type'] ??= 'application/json';
      }
    }
    this.calls.push({ method, url: url.pathname + url.search });
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body, signal });
    } catch (error) {
      // The browser's fetch fails without a status: Grafana's BackendSrv reports status 0... as
      // an error the datasource reads with its message.
      const failure: FetchError = {
        status: 0,
        statusText: String((error as Error).message ?? error),
        data: { message: `Failed to fetch ${url.pathname}: ${String((error as Error).cause ?? error)}` },
        config: options,
      };
      throw failure;
    }
    const text = await res.text();
    let data: unknown = text;
    try {
      data = text ? JSON.parse(text) : text;
    } catch {
      // Not JSON: kept as text, as Grafana's BackendSrv does.
    }
    if (!res.ok) {
      const failure: FetchError = { status: res.status, statusText: res.statusText, data, config: options };
      throw failure;
    }
    return {
      data: data as T,
      status: res.status,
      statusText: res.statusText,
      ok: res.ok,
      headers: res.headers,
      redirected: res.redirected,
      type: res.type,
      url: res.url,
      config: options,
    };
  }

  private async call<T>(method: string, url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return (await lastValueFrom(this.fetch<T>({ ...options, url, method, data }))).data;
  }
  get<T>(url: string, params?: BackendSrvRequest['params'], _requestId?: string, options?: Partial<BackendSrvRequest>) {
    return this.call<T>('GET', url, undefined, { ...options, params });
  }
  delete<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.call<T>('DELETE', url, data, options);
  }
  post<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.call<T>('POST', url, data, options);
  }
  patch<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.call<T>('PATCH', url, data, options);
  }
  put<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.call<T>('PUT', url, data, options);
  }
  async request<T>(options: BackendSrvRequest): Promise<T> {
    return (await lastValueFrom(this.fetch<T>(options))).data;
  }
  datasourceRequest<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }
  chunked(): Observable<FetchResponse<Uint8Array | undefined>> {
    return new Observable((subscriber) => subscriber.error(new Error('chunked requests are not used by datasources')));
  }
}

// ---------------------------------------------------------------------------------------------
// Grafana's Prometheus datasource

/** The Prometheus plugin's meta, as Grafana's boot data carries it. */
export const prometheusPluginMeta: DataSourcePluginMeta<PromOptions> = {
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
};

/** Instance settings of a Prometheus datasource as Grafana serves them (server access). */
export function prometheusInstanceSettings(
  uid = 'prom',
  name = 'Prometheus',
  jsonData: Partial<PromOptions> = {},
  id = 1
): DataSourceInstanceSettings<PromOptions> {
  return {
    id,
    uid,
    type: 'prometheus',
    name,
    meta: prometheusPluginMeta,
    readOnly: false,
    access: 'proxy',
    url: `/api/datasources/proxy/uid/${uid}`,
    jsonData: {
      httpMethod: 'POST',
      prometheusType: PromApplication.Prometheus,
      prometheusVersion: '2.42.0',
      ...jsonData,
    },
  };
}

export interface GrafanaRuntimeOptions {
  /** The real Prometheus behind the datasource `uid`. */
  prometheusUrl: string;
  uid?: string;
  name?: string;
  /** The Prometheus datasource's jsonData on top of the defaults (incrementalQuerying, timeInterval…). */
  jsonData?: Partial<PromOptions>;
  /** More Prometheus datasources (say, an empty one and one that is down). */
  more?: Array<{ uid: string; name: string; prometheusUrl: string; jsonData?: Partial<PromOptions> }>;
  /** Other datasources to register as they are (say, a Loki). */
  others?: Array<{ ds: DataSourceApi; settings: DataSourceInstanceSettings }>;
  templateSrv?: TemplateSrv;
  faults?: BackendFaults;
}

export interface GrafanaRuntime {
  backend: GrafanaBackend;
  backendSrv: HttpBackendSrv;
  dataSourceSrv: StaticDataSourceSrv;
  templateSrv: TemplateSrv;
  /** Grafana's PrometheusDatasource for `uid`. */
  prometheus: PrometheusDatasource;
  /** Every Prometheus datasource by uid. */
  prometheusByUid: Map<string, PrometheusDatasource>;
  close(): Promise<void>;
}

/**
 * Start the backend stand-in and set up Grafana's runtime services for it, process-wide (as
 * Grafana does at boot). One at a time: the services are global, as in Grafana.
 */
export async function startGrafanaRuntime(options: GrafanaRuntimeOptions): Promise<GrafanaRuntime> {
  const uid = options.uid ?? 'prom';
  const more = options.more ?? [];
  const backend = await startGrafanaBackend({
    prometheusUrl: options.prometheusUrl,
    datasourceUid: uid,
    datasources: Object.fromEntries(more.map((m) => [m.uid, m.prometheusUrl])),
    scrapeInterval: options.jsonData?.timeInterval,
    faults: options.faults,
  });
  const backendSrv = new HttpBackendSrv(backend.url);
  const dataSourceSrv = new StaticDataSourceSrv();
  const templateSrv = options.templateSrv ?? new FakeTemplateSrv();
  setBackendSrv(backendSrv);
  setDataSourceSrv(dataSourceSrv);
  // Before constructing: PrometheusDatasource's constructor reads getTemplateSrv().
  setTemplateSrv(templateSrv);
  const prometheusByUid = new Map<string, PrometheusDatasource>();
  for (const p of [{ uid, name: options.name ?? 'Prometheus', jsonData: options.jsonData }, ...more]) {
    const settings = prometheusInstanceSettings(p.uid, p.name, p.jsonData, prometheusByUid.size + 1);
    const ds = new PrometheusDatasource(settings, templateSrv);
    dataSourceSrv.add(ds, settings);
    prometheusByUid.set(p.uid, ds);
  }
  for (const other of options.others ?? []) {
    dataSourceSrv.add(other.ds, other.settings);
  }
  return {
    backend,
    backendSrv,
    dataSourceSrv,
    templateSrv,
    prometheus: prometheusByUid.get(uid)!,
    prometheusByUid,
    close: () => backend.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Plain Prometheus queries, the way a Grafana panel runs them

export interface PanelQueryOptions {
  /** Panel width in points. Default 1000. */
  maxDataPoints?: number;
  /** The request's intervalMs. Default: Grafana's, from the range and maxDataPoints (≥ 15 s). */
  intervalMs?: number;
  /** CoreApp the request comes from (Explore shows instant results as tables). Default dashboard. */
  app?: CoreApp;
}

/** A typed panel request for Prometheus targets over `range` (epoch ms). */
export function panelRequest(
  targets: PromQuery[],
  range: { from: number; to: number },
  options: PanelQueryOptions = {}
): DataQueryRequest<PromQuery> {
  const from = dateTime(range.from);
  const to = dateTime(range.to);
  const maxDataPoints = options.maxDataPoints ?? 1000;
  const intervalMs =
    options.intervalMs ?? rangeUtil.calculateInterval({ from, to, raw: { from, to } }, maxDataPoints, '15s').intervalMs;
  return {
    requestId: `panel-${targets.map((t) => t.refId).join('-')}`,
    interval: rangeUtil.secondsToHms(intervalMs / 1000),
    intervalMs,
    maxDataPoints,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: options.app ?? CoreApp.Dashboard,
    startTime: Date.now(),
  };
}

/** Run Prometheus targets through Grafana's PrometheusDatasource (what a panel receives). */
export function queryPrometheus(
  prometheus: PrometheusDatasource,
  targets: PromQuery[],
  range: { from: number; to: number },
  options: PanelQueryOptions = {}
): Promise<DataQueryResponse> {
  // Grafana's query runner drops the targets filterQuery refuses before calling query().
  const visible = targets.filter((t) => prometheus.filterQuery(t));
  return lastValueFrom(prometheus.query(panelRequest(visible, range, options)));
}
