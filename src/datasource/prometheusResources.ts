/**
 * Instant queries through the Prometheus datasource's resources (`/api/v1/query`): Grafana's own
 * request (PrometheusDatasource.metadataRequest), which its backend passes to Prometheus as it is,
 * with the datasource's HTTP method, custom query parameters and auth; the answer is Prometheus'
 * own JSON, read by instantAnswer.ts. (Grafana asks again with GET after a 400 or 405 to a POST:
 * a query Prometheus rejects as bad_data reaches it twice.)
 */
import type { DataQueryRequest, DataSourceApi } from '@grafana/data';
import { BackendSrvRequest, FetchResponse, isFetchError } from '@grafana/runtime';

import { InstantAnswer, readInstantAnswer } from './instantAnswer';

/** Grafana's PrometheusDatasource, and the managed Prometheus datasources built on it. */
export interface PrometheusResources {
  metadataRequest(
    url: string,
    params?: Record<string, string>,
    options?: Partial<BackendSrvRequest>
  ): Promise<FetchResponse<unknown>>;
}

export function hasResources(ds: DataSourceApi): ds is DataSourceApi & PrometheusResources {
  return 'metadataRequest' in ds && typeof ds.metadataRequest === 'function';
}

/** How long a refusal of every instant query keeps a FluxGrid datasource on the query path. */
export const RESOURCES_REFUSED_RETRY_MS = 10 * 60_000;

/**
 * Whether to ask through the resources, remembered per FluxGrid datasource: after a refresh whose
 * instant queries were all refused (a proxy that blocks Grafana's resources API), the next ones
 * go straight to the query path instead of paying a refused request per query, and the resources
 * are tried again {@link RESOURCES_REFUSED_RETRY_MS} later. One refused query among answered ones
 * (a proxy's limit on its length) changes nothing.
 */
export class ResourcesMemo {
  private refusedUntilMs = 0;

  usable(): boolean {
    return Date.now() >= this.refusedUntilMs;
  }

  refused(): void {
    this.refusedUntilMs = Date.now() + RESOURCES_REFUSED_RETRY_MS;
  }
}

export interface InstantRequest {
  expr: string;
  /** Evaluation time, epoch seconds. */
  timeS: number;
  /** The frames' refId. */
  refId: string;
  /** BackendSrv cancels a request still running when another of the same id starts. */
  requestId: string;
  /** Here and in Prometheus (its `timeout` parameter). */
  timeoutMs: number;
  /** What to reject with when Prometheus has not answered within `timeoutMs` (the request is aborted). */
  timedOut: () => Error;
  /** The dashboard and panel that asked ({@link tracingHeaders}). */
  headers: Record<string, string>;
}

/**
 * The headers that name the dashboard and panel a request is for, as Grafana's query path sends
 * them (DataSourceWithBackend.query): Grafana's server logs a slow request with them, whichever
 * path it came by.
 */
export function tracingHeaders(request: DataQueryRequest | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (request?.dashboardUID) {
    headers['X-Dashboard-Uid'] = request.dashboardUID;
    if (request.panelId) {
      headers['X-Panel-Id'] = String(request.panelId);
    }
  }
  return headers;
}

/**
 * Prometheus' answer to one instant query; undefined when the response is not Prometheus' own (a
 * proxy's page, Grafana's "Failed to call resource"). Prometheus' errors are answers too: they
 * come with its status (400 bad_data, 422 execution, 503 timeout or unavailable). A request
 * BackendSrv cancelled (superseded by one of the same id) rejects with BackendSrv's error: asked
 * again by no other path.
 */
export async function askInstant(ds: PrometheusResources, request: InstantRequest): Promise<InstantAnswer | undefined> {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(request.timedOut());
    }, request.timeoutMs);
  });
  const options = {
    requestId: request.requestId,
    abortSignal: abort.signal,
    hideFromInspector: false,
    showErrorAlert: false,
    // A copy each: Grafana's request adds its Content-Type to the headers it is given.
    headers: { ...request.headers },
  };
  let body: unknown;
  try {
    // Prometheus' own evaluation timeout too (as Grafana's query path sends its "Query timeout"):
    // a query FluxGrid gives up on is not left running there.
    const params = { query: request.expr, time: String(request.timeS), timeout: `${request.timeoutMs}ms` };
    body = (await Promise.race([ds.metadataRequest('/api/v1/query', params, options), timedOut])).data;
  } catch (error) {
    if (abort.signal.aborted || isCancelled(error)) {
      throw error;
    }
    body = isFetchError(error) ? error.data : undefined;
  } finally {
    clearTimeout(timer);
  }
  return readInstantAnswer(body, request.refId);
}

/** BackendSrv's cancelled request: its FetchError, or an observable ended without an answer. */
function isCancelled(error: unknown): boolean {
  return (isFetchError(error) && error.cancelled === true) || (error instanceof Error && error.name === 'EmptyError');
}
