/**
 * Where a refresh's wall time goes, for bench/fleet-100k.bench.ts. Everything JS in a bench runs
 * on ONE thread: FluxGrid's datasource, Grafana's frontend code (PrometheusDatasource,
 * DataSourceWithBackend, toDataQueryResponse, transformV2), the BackendSrv stand-in (fetch + JSON.parse,
 * as a browser does) and the Go-backend stand-in (tests/harness/grafana-backend.ts, grafana-converter.ts),
 * which in a real Grafana is Go, in another process, on every core. So the wall time is told apart
 * two ways:
 * - a timeline: when each Prometheus request was sent and answered, what the stand-in spent on it
 *   (its own records), when the frames reached Grafana's frontend (BackendSrv.fetch) and when
 *   Grafana's PrometheusDatasource handed them on (its query() observable): wrappers around those
 *   two methods of the instances the bench made, same signatures, no cast;
 * - a CPU profile of one more refresh (V8's sampling profiler, in process), its samples put to the
 *   part of the path whose code they ran in (a library's or a builtin's frames to the nearest
 *   caller that belongs to a part), and FluxGrid's own functions by time.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'fs';
import { Observable, tap } from 'rxjs';
import type { DataQueryRequest, DataQueryResponse } from '@grafana/data';
import type { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import type { PromQuery } from '@grafana/prometheus';

import type { BackendAnswerRecord, PrometheusRequestRecord } from '../tests/harness/grafana-converter';
import type { GrafanaRuntime } from '../tests/harness/grafana-runtime';

/** One `/api/ds/query` as the frontend saw it (performance.now() times). */
export interface FrontendRequest {
  refIds: string[];
  /** BackendSrv.fetch subscribed, answered (body read and JSON.parse done). */
  fetchedAt?: number;
  fetchAnsweredAt?: number;
  /** PrometheusDatasource.query subscribed, emitted (toDataQueryResponse + transformV2 done). */
  queriedAt?: number;
  queryAnsweredAt?: number;
  frames?: number;
}

/** Record, for every `/api/ds/query`, when the frontend got the answer and when Grafana handed it on. */
export function traceFrontend(grafana: GrafanaRuntime): { requests: FrontendRequest[] } {
  const trace = { requests: [] as FrontendRequest[] };
  const byFirstRef = (refIds: string[]) => {
    const found = trace.requests.find((r) => r.refIds[0] === refIds[0] && r.queryAnsweredAt === undefined);
    if (found) {
      return found;
    }
    const made: FrontendRequest = { refIds };
    trace.requests.push(made);
    return made;
  };
  const srv = grafana.backendSrv;
  const fetch = srv.fetch.bind(srv);
  srv.fetch = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> => {
    const queries: unknown =
      typeof options.data === 'object' && options.data ? Reflect.get(options.data, 'queries') : [];
    if (!options.url.includes('/api/ds/query') || !Array.isArray(queries)) {
      return fetch<T>(options);
    }
    const refIds = queries.map((q: unknown) => String(typeof q === 'object' && q ? Reflect.get(q, 'refId') : ''));
    const request = byFirstRef(refIds);
    request.fetchedAt = performance.now();
    return fetch<T>(options).pipe(tap(() => (request.fetchAnsweredAt = performance.now())));
  };
  const prometheus = grafana.prometheus;
  const query = prometheus.query.bind(prometheus);
  prometheus.query = (request: DataQueryRequest<PromQuery>): Observable<DataQueryResponse> => {
    const traced = byFirstRef(request.targets.map((t) => t.refId));
    traced.queriedAt = performance.now();
    return query(request).pipe(
      tap((response) => {
        traced.queryAnsweredAt = performance.now();
        traced.frames = response.data.length;
      })
    );
  };
  return trace;
}

/** What a traced refresh holds: query() called and done, the stand-in's records, the frontend's. */
export interface TracedRefresh {
  wallMs: number;
  startedAt: number;
  endedAt: number;
  records: PrometheusRequestRecord[];
  answers: BackendAnswerRecord[];
  trace: FrontendRequest[];
}

/**
 * The critical path of a refresh whose requests to Grafana's Prometheus datasource follow one
 * another (the Objects refresh: the recording rules' coverage, then the objects' queries), in ms.
 */
export function criticalPath(r: TracedRefresh) {
  const on = { before: 0, outbound: 0, waiting: 0, whileWaiting: 0, after: 0, receive: 0, decode: 0, reading: 0 };
  let framesBytes = 0;
  let cursor = r.startedAt;
  const asked = r.trace.filter((t) => t.queriedAt !== undefined).sort((a, b) => a.queriedAt! - b.queriedAt!);
  if (!asked.length) {
    // Every query went through the datasource's resources: no frames of Grafana's to line up.
    return undefined;
  }
  for (const [i, t] of asked.entries()) {
    const answer = r.answers.find((a) => a.refIds[0] === t.refIds[0]);
    const records = r.records.filter((rec) => t.refIds.includes(rec.refId));
    if (!answer || !records.length || t.fetchAnsweredAt === undefined || t.queryAnsweredAt === undefined) {
      return undefined;
    }
    // Between two requests FluxGrid reads the first one's answers and plans the next.
    on[i === 0 ? 'before' : 'reading'] += t.queriedAt! - cursor;
    on.outbound += answer.receivedAt - t.queriedAt!;
    const lastAnswer = Math.max(...records.map((rec) => (rec.startedAt ?? 0) + rec.durationMs));
    on.waiting += lastAnswer - answer.receivedAt;
    for (const rec of records) {
      const done = (rec.startedAt ?? 0) + rec.durationMs;
      if (done < lastAnswer) {
        on.whileWaiting += (rec.parseMs ?? 0) + (rec.convertMs ?? 0);
      }
    }
    on.after += answer.sentAt - lastAnswer;
    on.receive += t.fetchAnsweredAt - answer.sentAt;
    on.decode += t.queryAnsweredAt - t.fetchAnsweredAt;
    framesBytes += answer.bytes;
    cursor = t.queryAnsweredAt;
  }
  on.reading += r.endedAt - cursor;
  return { ...on, framesBytes };
}

/** Each query of a refresh asked again, one at a time, straight to Prometheus: its own execution ms, by refId. */
export async function execAloneMs(
  prometheusUrl: string,
  records: PrometheusRequestRecord[]
): Promise<Map<string, number>> {
  const alone = new Map<string, number>();
  for (const record of records) {
    const body = new URLSearchParams({ ...record.params, stats: 'all' });
    const res = await fetch(`${prometheusUrl}${record.path}`, { method: 'POST', body });
    const answer = (await res.json()) as { data?: { stats?: { timings?: { execTotalTime?: number } } } };
    alone.set(record.refId, (answer.data?.stats?.timings?.execTotalTime ?? NaN) * 1000);
  }
  return alone;
}

// ---------------------------------------------------------------------------------------------
// CPU profile

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Run `body` under V8's sampling profiler (this process, this thread); the profile written to `file`. */
export async function profiled<T>(file: string, body: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, answer) => (error ? reject(error) : resolve(answer)))
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  let result: T;
  try {
    result = await body();
  } finally {
    const stopped = await post('Profiler.stop');
    session.disconnect();
    const profile: unknown = typeof stopped === 'object' && stopped ? Reflect.get(stopped, 'profile') : undefined;
    if (profile) {
      writeFileSync(file, JSON.stringify(profile));
    }
    lastProfile = isProfile(profile) ? profile : undefined;
  }
  if (!lastProfile) {
    throw new Error('the CPU profiler returned no profile');
  }
  return { result, profile: lastProfile };
}
let lastProfile: CpuProfile | undefined;

function isProfile(value: unknown): value is CpuProfile {
  return typeof value === 'object' && value !== null && Array.isArray(Reflect.get(value, 'nodes'));
}

/** The parts of the path, in the order printed. */
export const PARTS = [
  'FluxGrid datasource + core (src/)',
  'Grafana frontend (@grafana/*)',
  'BackendSrv stand-in (body + JSON.parse, as a browser)',
  'Go-backend stand-in (JS here, Go in Grafana)',
  'garbage collector',
  'node: fetch (undici), http, other',
  'idle (waiting on Prometheus)',
] as const;
export type Part = (typeof PARTS)[number];

function partOfUrl(url: string): Part | undefined {
  if (url.includes('/tests/harness/grafana-backend') || url.includes('/tests/harness/grafana-converter')) {
    return 'Go-backend stand-in (JS here, Go in Grafana)';
  }
  if (url.includes('/tests/harness/grafana-runtime')) {
    return 'BackendSrv stand-in (body + JSON.parse, as a browser)';
  }
  if (url.includes('/node_modules/@grafana/')) {
    return 'Grafana frontend (@grafana/*)';
  }
  if (url.includes('/src/') && !url.includes('/node_modules/')) {
    return 'FluxGrid datasource + core (src/)';
  }
  return undefined;
}

export interface ProfileSummary {
  /** ms per part. */
  byPart: Map<Part, number>;
  totalMs: number;
  /** FluxGrid's functions: self ms (with the builtins and libraries they call) and inclusive ms. */
  fluxgrid: Array<{ name: string; selfMs: number; totalMs: number }>;
}

export function summarize(profile: CpuProfile, top = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    for (const c of n.children ?? []) {
      parent.set(c, n.id);
    }
  }
  const where = (n: ProfileNode) => {
    const file = n.callFrame.url.replace(/^.*\/work\/main\//, '');
    return `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
  };
  const byPart = new Map<Part, number>(PARTS.map((p) => [p, 0]));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    const name = node?.callFrame.functionName ?? '';
    let part: Part | undefined =
      name === '(garbage collector)'
        ? 'garbage collector'
        : name === '(idle)'
          ? 'idle (waiting on Prometheus)'
          : undefined;
    let owner: ProfileNode | undefined;
    const seen = new Set<string>();
    let profiler = false;
    for (let at: number | undefined = id; at !== undefined && !part; at = parent.get(at)) {
      const n = byId.get(at);
      profiler ||= n?.callFrame.url === 'node:inspector';
      part = n && partOfUrl(n.callFrame.url);
      owner = part ? n : undefined;
    }
    if (profiler) {
      // The profiler starting and stopping (writing this profile), not the refresh.
      return;
    }
    totalMs += ms;
    const counted = part ?? 'node: fetch (undici), http, other';
    byPart.set(counted, byPart.get(counted)! + ms);
    if (part === 'FluxGrid datasource + core (src/)' && owner) {
      self.set(where(owner), (self.get(where(owner)) ?? 0) + ms);
      for (let at: number | undefined = owner.id; at !== undefined; at = parent.get(at)) {
        const n = byId.get(at)!;
        if (partOfUrl(n.callFrame.url) === 'FluxGrid datasource + core (src/)' && !seen.has(where(n))) {
          seen.add(where(n));
          total.set(where(n), (total.get(where(n)) ?? 0) + ms);
        }
      }
    }
  });
  const fluxgrid = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, selfMs]) => ({ name, selfMs, totalMs: total.get(name) ?? selfMs }));
  return { byPart, totalMs, fluxgrid };
}

export function printTable(title: string, header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [title, line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join(
    '\n'
  );
}

/** The anatomy tables' rows, filled by the bench. */
export interface AnatomyRows {
  perQuery: string[][];
  paths: string[][];
  cpu: string[][];
  functions: string[][];
}

export function printAnatomy(rows: AnatomyRows): string {
  return [
    printTable(
      'Per query of the median refresh (ms; headers: sent → Prometheus answer headers, body: → last byte)',
      [
        'objects',
        'approach',
        'query',
        'exec ms alone',
        'headers ms',
        'body ms',
        'stand-in JSON.parse ms',
        'stand-in convert ms',
        'Prometheus bytes',
        'frames',
      ],
      rows.perQuery
    ),
    '',
    printTable(
      'Where the median refresh’s wall time goes (ms, the critical path on the one JS thread; sums to the wall)',
      [
        'objects',
        'approach',
        'wall',
        'FluxGrid before asking',
        'frontend → stand-in',
        'waiting for Prometheus’ answers',
        '(of which stand-in parse+convert)',
        'stand-in after the last answer',
        'frontend receive (body + JSON.parse)',
        'Grafana decode',
        'FluxGrid reading',
        'frames JSON MB',
      ],
      rows.paths
    ),
    '',
    printTable(
      'CPU profile of one more refresh, by part (ms and share of its wall; the stand-in is Go in a real Grafana)',
      ['objects', 'approach', 'wall', ...PARTS],
      rows.cpu
    ),
    '',
    printTable(
      'FluxGrid’s own functions in that profile (self: with the builtins and libraries they call)',
      ['objects', 'approach', 'function (src/)', 'self ms', 'inclusive ms'],
      rows.functions
    ),
    '',
  ].join('\n');
}
