/**
 * A stand-in for Grafana's Go backend, and for nothing else: a small Node HTTP server answering
 * the calls Grafana's own Prometheus datasource (`@grafana/prometheus`) makes, from a real
 * Prometheus. Test code only, never shipped. It is the one stand-in between FluxGrid and
 * Prometheus: the frontend (FluxGrid, PrometheusDatasource, DataSourceWithBackend,
 * toDataQueryResponse, transformV2) is Grafana's and FluxGrid's real code.
 *
 * Usage (jest, the browser host, or a preview):
 *
 *     const backend = await startGrafanaBackend({ prometheusUrl: prom.url, datasourceUid: 'prom' });
 *     // backend.url, e.g. http://127.0.0.1:41234 — Grafana's origin; point BackendSrv.fetch at it:
 *     //   POST {url}/api/ds/query?ds_type=prometheus&requestId=…   {queries, from, to}
 *     //   GET|POST {url}/api/datasources/uid/prom/resources/api/v1/{query,labels,label/x/values,series,…}
 *     //   GET {url}/api/datasources/uid/prom/health                 → {status: 'OK', message}
 *     backend.setFaults({ delayMs: 2000 });   // or { down: true }, { httpError: {status: 503, body} }, …
 *     backend.requestLog.requests;             // Prometheus requests made (for "in N queries" tests)
 *     await backend.close();
 *
 * CORS: every answer carries Access-Control-Allow-Origin = the request's Origin (and answers
 * OPTIONS preflights), so a page on another localhost port can call it directly.
 *
 * What is mirrored (pkg/api/ds_query.go, pkg/promlib): the step and alignment (grafana-converter.ts),
 * the frames converter, warnings and infos as frame meta notices, errors per refId with their
 * status, and HTTP 400 for the whole answer when any query failed (the frontend then reads it
 * through its error path). What is not: auth, the datasource proxy (/api/datasources/proxy),
 * exemplars and native histograms, query caching, recorded queries.
 */
import { createServer, IncomingMessage, request as httpRequest, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AddressInfo } from 'node:net';

import { freePort } from './prometheus';

import {
  DataResponseJSON,
  plainDataResponse,
  DsQuery,
  mergeDataResponses,
  PlannedQuery,
  planBackendQuery,
  PrometheusApiAnswer,
  PrometheusReply,
  PrometheusRequestLog,
  PrometheusRequestRecord,
  prometheusRequestLog,
  readPrometheusReply,
} from './grafana-converter';

/**
 * The header in which the test BackendSrv passes a request's `requestId` on (Grafana's BackendSrv
 * keeps it to itself), so that the stand-in can name a resource request in its log: resource
 * requests carry no refId. Read by nothing but the log.
 */
export const STAND_IN_REQUEST_ID = 'x-stand-in-request-id';

/** Trouble to put between the backend and Prometheus. Every field is optional; {} is none. */
export interface BackendFaults {
  /** Prometheus unreachable: requests go to a closed port (a real "connection refused"). */
  down?: boolean;
  /** Added before every Prometheus request is answered, in ms. */
  delayMs?: number;
  /** Prometheus (or a proxy in front of it) answers this status and body instead. */
  httpError?: { status: number; body: string };
  /** Warnings added to every successful Prometheus answer (Thanos/Mimir partial responses). */
  warnings?: string[];
  /** Infos added to every successful Prometheus answer. */
  infos?: string[];
  /** A proxy in front of Grafana refuses its resources API (`/api/datasources/uid/…/resources/…`) so. */
  resourcesRefused?: { status: number; body: string };
  /** Partial data: the series for which this is true are dropped from every answer. */
  dropSeries?: (labels: Record<string, string>) => boolean;
  /**
   * A broken store or proxy: the series for which this is true come with a value that is no number,
   * in resource answers (Grafana passes them on as they are; on its query path its Go client fails).
   */
  malformSeries?: (labels: Record<string, string>) => boolean;
}

export interface GrafanaBackendOptions {
  /** The real Prometheus the datasource `datasourceUid` reads. */
  prometheusUrl: string;
  datasourceUid: string;
  /** More Prometheus datasources by uid (say, one that is empty and one that is down). */
  datasources?: Record<string, string>;
  /** The Prometheus datasource's "Scrape interval" (jsonData.timeInterval); '' = 15s. */
  scrapeInterval?: string;
  faults?: BackendFaults;
}

export interface GrafanaBackend {
  /** Grafana's origin, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  /** Prometheus requests made through this backend (the process-wide log has them too). */
  requestLog: PrometheusRequestLog;
  /** Replace the faults (for every datasource); `setFaults({})` clears them. */
  setFaults(faults: BackendFaults): void;
  close(): Promise<void>;
}

/** The dashboard and panel a frontend request names (headers are case-insensitive: node lowercases them). */
function askerOf(req: IncomingMessage): PrometheusRequestRecord['asker'] {
  const header = (name: string) => {
    const value = req.headers[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const dashboardUid = header('x-dashboard-uid');
  const panelId = header('x-panel-id');
  return dashboardUid === undefined && panelId === undefined ? undefined : { dashboardUid, panelId };
}

export async function startGrafanaBackend(options: GrafanaBackendOptions): Promise<GrafanaBackend> {
  const prometheusByUid = new Map<string, string>([
    [options.datasourceUid, options.prometheusUrl],
    ...Object.entries(options.datasources ?? {}),
  ]);
  let faults: BackendFaults = options.faults ?? {};
  // A port nothing listens on: "down" is a real connection refused.
  const deadPrometheus = `http://127.0.0.1:${await freePort()}`;
  const requestLog = new PrometheusRequestLog();

  /** One request to Prometheus, through the faults, logged. */
  async function askPrometheus(
    baseUrl: string,
    path: string,
    method: 'GET' | 'POST',
    params: string,
    refId: string,
    via: PrometheusRequestRecord['via'] = 'query',
    asker?: PrometheusRequestRecord['asker']
  ): Promise<{ url: string; reply: PrometheusReply; record: PrometheusRequestRecord }> {
    const url = (faults.down ? deadPrometheus : baseUrl.replace(/\/$/, '')) + path;
    const record: PrometheusRequestRecord = {
      refId,
      via,
      ...(asker ? { asker } : {}),
      path,
      params: Object.fromEntries(new URLSearchParams(params)),
      status: 0,
      requestBytes: Buffer.byteLength(params),
      responseBytes: 0,
      durationMs: 0,
    };
    requestLog.records.push(record);
    prometheusRequestLog.records.push(record);
    const started = performance.now();
    record.startedAt = started;
    if (faults.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
    }
    try {
      let reply: PrometheusReply;
      if (faults.httpError) {
        reply = { status: faults.httpError.status, body: faults.httpError.body };
      } else {
        const target = method === 'POST' || !params ? url : `${url}?${params}`;
        const res = await httpAsk(target, method, method === 'POST' ? params : undefined, () => {
          record.headersMs = performance.now() - started;
        });
        record.bodyMs = performance.now() - started - (record.headersMs ?? 0);
        record.responseBytes = res.body.length;
        reply = { status: res.status, body: res.body.toString('utf8') };
      }
      record.status = reply.status;
      record.responseBytes ||= Buffer.byteLength(reply.body);
      return { url, reply, record };
    } catch (e) {
      const cause = (e as Error).cause ?? e;
      // (Node's errors come from another realm than jest's: no instanceof Error.)
      const message: unknown = typeof cause === 'object' && cause !== null ? Reflect.get(cause, 'message') : cause;
      record.error = typeof message === 'string' ? message : String(cause);
      return { url, reply: { transportError: record.error }, record };
    } finally {
      record.durationMs = performance.now() - started;
    }
  }

  /** The faults that change a successful answer: warnings, infos, dropped series. */
  function adjust(answer: PrometheusApiAnswer): PrometheusApiAnswer {
    if (answer.status !== 'success') {
      return answer;
    }
    const out = { ...answer };
    if (faults.warnings?.length) {
      out.warnings = [...(answer.warnings ?? []), ...faults.warnings];
    }
    if (faults.infos?.length) {
      out.infos = [...(answer.infos ?? []), ...faults.infos];
    }
    const drop = faults.dropSeries;
    if (drop && out.data && Array.isArray(out.data.result)) {
      const series = out.data.result as Array<{ metric?: Record<string, string> }>;
      out.data = { ...out.data, result: series.filter((s) => !drop(s.metric ?? {})) };
    }
    return out;
  }

  /**
   * The `/api/ds/query` answer as JSON text (BackendQueryDataResponse), and how long writing it
   * took: each DataResponse is written as its answer is read (grafana-frames.ts), its chunks kept in order.
   */
  async function dsQuery(
    body: { queries?: DsQuery[]; from?: string; to?: string },
    asker: PrometheusRequestRecord['asker']
  ): Promise<{
    status: number;
    body: Buffer[];
    serializeMs: number;
  }> {
    const from = Number(body.from);
    const to = Number(body.to);
    if (!Array.isArray(body.queries) || !Number.isFinite(from) || !Number.isFinite(to)) {
      return { status: 400, body: [Buffer.from(JSON.stringify({ message: 'bad request data' }))], serializeMs: 0 };
    }
    const results: Record<string, DataResponseJSON> = Object.create(null);
    await Promise.all(
      // Grafana runs the queries of one request concurrently (prometheusRunQueriesInParallel).
      body.queries.map(async (q) => {
        const uid = (q as { datasource?: { uid?: string } }).datasource?.uid ?? options.datasourceUid;
        const prometheusUrl = prometheusByUid.get(uid);
        if (!prometheusUrl) {
          results[q.refId] = plainDataResponse({ error: 'data source not found', status: 404, frames: [] });
          return;
        }
        const planned = planBackendQuery(q, { from, to }, options.scrapeInterval);
        const answers = await Promise.all(
          planned.map(async (p: PlannedQuery): Promise<DataResponseJSON> => {
            const params = new URLSearchParams(p.params).toString();
            const { url, reply, record } = await askPrometheus(
              prometheusUrl,
              p.path,
              'POST',
              params,
              p.refId,
              'query',
              asker
            );
            return readPrometheusReply(reply, p, url, adjust, record);
          })
        );
        results[q.refId] = mergeDataResponses(answers);
      })
    );
    // pkg/api/ds_query.go: any error makes the whole answer a 400 (frames still in the body).
    const failed = Object.values(results).some((r) => r.error !== undefined);
    const serializing = performance.now();
    // The keys in JSON.stringify's order (Object.entries'), each DataResponse's bytes as they are.
    const chunks: Buffer[] = [Buffer.from('{"results":{')];
    Object.entries(results).forEach(([refId, r], i) => {
      chunks.push(Buffer.from(`${i ? ',' : ''}${JSON.stringify(refId)}:`), ...r.chunks);
    });
    chunks.push(Buffer.from('}}'));
    return { status: failed ? 400 : 200, body: chunks, serializeMs: performance.now() - serializing };
  }

  /** promlib's CheckHealth: an instant `1+1`. */
  async function health(prometheusUrl: string): Promise<{ status: number; json: unknown }> {
    const params = new URLSearchParams({ query: '1+1', time: String(Date.now() / 1000) }).toString();
    const { reply } = await askPrometheus(prometheusUrl, '/api/v1/query', 'POST', params, '__healthcheck__', 'health');
    if ('status' in reply && reply.status === 200) {
      return { status: 200, json: { status: 'OK', message: 'Successfully queried the Prometheus API.' } };
    }
    const detail = 'transportError' in reply ? reply.transportError : `${reply.status}: ${reply.body.slice(0, 512)}`;
    return {
      status: 400,
      json: {
        status: 'ERROR',
        message: 'There was an error returned querying the Prometheus API.',
        details: { message: detail },
      },
    };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(req, res, 500, { message: `grafana-backend stand-in failed: ${String(error)}` });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'OPTIONS') {
      send(req, res, 204);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const raw = await readBody(req);
    if (url.pathname === '/api/ds/query' && req.method === 'POST') {
      const receivedAt = performance.now();
      let body: { queries?: DsQuery[]; from?: string; to?: string };
      try {
        body = JSON.parse(raw);
      } catch {
        send(req, res, 400, { message: 'bad request data' });
        return;
      }
      const { status, body: answer, serializeMs } = await dsQuery(body, askerOf(req));
      send(req, res, status, answer);
      requestLog.answers.push({
        refIds: Array.isArray(body.queries) ? body.queries.map((q) => String(q.refId)) : [],
        receivedAt,
        sentAt: performance.now(),
        serializeMs,
        bytes: answer.reduce((sum, chunk) => sum + chunk.length, 0),
      });
      return;
    }
    const match = /^\/api\/datasources\/uid\/([^/]+)\/(health|resources(\/.*))$/.exec(url.pathname);
    const prometheusUrl = match ? prometheusByUid.get(decodeURIComponent(match[1])) : undefined;
    if (!match || !prometheusUrl) {
      send(req, res, 404, { message: match ? 'Data source not found' : 'Not found' });
      return;
    }
    if (match[2] === 'health') {
      const answer = await health(prometheusUrl);
      send(req, res, answer.status, answer.json);
      return;
    }
    const path = match[3];
    if (!path.startsWith('/api/v1/')) {
      send(req, res, 404, { message: 'Not found' });
      return;
    }
    if (faults.resourcesRefused) {
      send(req, res, faults.resourcesRefused.status, faults.resourcesRefused.body);
      return;
    }
    // Resources: passed through as Prometheus answers them (status and body).
    const method = req.method === 'POST' ? 'POST' : 'GET';
    const params = method === 'POST' ? raw : url.searchParams.toString();
    const requestId = req.headers[STAND_IN_REQUEST_ID];
    const name = typeof requestId === 'string' && requestId ? requestId : 'resource';
    const { reply } = await askPrometheus(prometheusUrl, path, method, params, name, 'resources', askerOf(req));
    if ('transportError' in reply) {
      send(req, res, 502, { message: `Post "${prometheusUrl}${path}": ${reply.transportError}` });
      return;
    }
    send(req, res, reply.status, adjustResource(reply.status, reply.body));
  }

  /**
   * A resource answer through the faults that change a successful one (warnings, infos, dropped or
   * malformed series), as Prometheus (or Thanos, Mimir) would have sent it: Grafana passes it on as it is.
   */
  function adjustResource(status: number, body: string): string {
    const malform = faults.malformSeries;
    if (status !== 200 || !(faults.warnings?.length || faults.infos?.length || faults.dropSeries || malform)) {
      return body;
    }
    let answer: PrometheusApiAnswer;
    try {
      answer = adjust(JSON.parse(body));
    } catch {
      return body;
    }
    if (malform && answer.data && Array.isArray(answer.data.result)) {
      const series = answer.data.result as Array<{ metric?: Record<string, string>; value?: unknown }>;
      const result = series.map((s) => (malform(s.metric ?? {}) ? { ...s, value: [0, 'not a number'] } : s));
      answer = { ...answer, data: { ...answer.data, result } };
    }
    return JSON.stringify(answer);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requestLog,
    setFaults(next) {
      faults = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * One HTTP request to Prometheus with node's own client, the body as bytes: Go's net/http reads
 * natively, where fetch's WHATWG streams (undici, JS) cost the one thread this stand-in shares with
 * the frontend about a second per 50 MB of answers.
 */
function httpAsk(
  url: string,
  method: 'GET' | 'POST',
  body: string | undefined,
  onHeaders: () => void
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers =
      body === undefined
        ? {}
        : { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) };
    const ask = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = ask(url, { method, headers }, (res) => {
      onHeaders();
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body?: unknown): void {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Vary', 'Origin');
  }
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  const requested = req.headers['access-control-request-headers'];
  res.setHeader('Access-Control-Allow-Headers', requested ?? 'Content-Type');
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  if (Array.isArray(body) && body.length > 0 && body.every((chunk) => Buffer.isBuffer(chunk))) {
    // JSON the stand-in wrote itself (the frames of /api/ds/query), its chunks written as they are.
    const length = body.reduce((sum, chunk) => sum + chunk.length, 0);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': length });
    res.cork();
    for (const chunk of body) {
      res.write(chunk);
    }
    res.end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  // Prometheus answers JSON (resources pass its body through); anything else is sent as text.
  const json = typeof body !== 'string' || /^\s*[{[]/.test(text);
  res.writeHead(status, { 'Content-Type': json ? 'application/json' : 'text/plain; charset=utf-8' }).end(text);
}
