/**
 * The Objects refresh of a multi-cluster fleet in one Prometheus (issue 12: 100k objects, e.g.
 * 50 clusters × 2k, refresh ≤ 10 s, bytes linear in objects), through the real path: FluxGrid
 * datasource → Grafana's PrometheusDatasource → the Go-backend stand-in → a real Prometheus.
 *
 * Fleets: clusters of 2k objects each (the 10k scale fleet's kind mix, 1% failing since 20 min,
 * named cluster-01…), 10k = 5 clusters, 50k = 25, 100k = 50; one Prometheus per size, the next
 * started once the last one stopped. The refresh is the datasource's Objects query over the last
 * 50 minutes of the hour, checked to give one row per object, across every cluster. (Not the whole
 * hour: the recording rules, backfilled from the hour's start, see every object appear there; a
 * range starting then would read 100k appearances as changes, which a Prometheus that has held the
 * fleet for longer never sees.)
 *
 * History: the fleet's hour only (every 60 s, one gotk_reconcile_duration_seconds_count per object,
 * +1 every 5 min), for every size. The 24 h history of objects-scale.bench.ts is ~90 KB of
 * OpenMetrics per object (9 GB at 100k, a promtool pass per 2 h block): minutes of backfill on
 * this 2-core machine. With a range within the hour the hours before it only matter to how far back `since`
 * can see, so the 24 h figures stay objects-scale.bench.ts' (10k). The history is one file written
 * part by part (one JS string holds at most ~512 MB; 100k objects' hour is ~4.4 GB), backfilled
 * once: one block, as a running Prometheus has, not one overlapping block per part.
 *
 * Each refresh is made twice, its instant queries through the Prometheus datasource's resources
 * (FluxGrid's path: Prometheus' own JSON, passed on by the stand-in as Grafana passes it, read by
 * FluxGrid) and through Grafana's query path (the stand-in converting Prometheus' answer into a
 * frame per series, Grafana's frontend decoding them): the "approach" column.
 *
 * Figures per size (median of RUNS by refresh wall time): Prometheus ms (the slowest of the
 * queries, which Grafana runs in parallel, and their sum: request to last byte, in the stand-in),
 * Prometheus' own execution time of each query asked again alone after each run (`stats=all`, its
 * execTotalTime: no contention, no transfer; as objects-scale.bench.ts: median over the runs),
 * refresh wall ms (datasource query() called → frames), Prometheus response bytes (JSON, what
 * Grafana's backend reads) and per object, the bytes Grafana sends the browser (its frames, or
 * Prometheus' answers passed on), the longest PromQL sent, and ms / bytes per query.
 * Printed, never asserted on timing.
 *
 * The anatomy of the median refresh (refresh-anatomy.ts), on the one JS thread this bench has:
 * per query, Prometheus alone, the stand-in's wait for its headers (execution, queueing) and body
 * (transfer, and whatever else ran on the thread meanwhile), its JSON.parse and conversion; per
 * refresh, the critical path: FluxGrid before asking, waiting for Prometheus' answers, the stand-in
 * after the last one (its parse and conversion, the answer sent), the frontend's receive (body +
 * JSON.parse, as a browser), Grafana's decode (toDataQueryResponse + transformV2), FluxGrid's
 * reading (the time between and after Grafana's answers); for the query path only (through the
 * resources there are no frames of Grafana's to line up: see the per-query rows and the profile).
 * Then a CPU
 * profile of one more refresh by part, and FluxGrid's own functions by time
 * (FLUXGRID_BENCH_PROFILE=0 skips it; the profiles are written to /tmp/fluxgrid-fleet-*.cpuprofile).
 *
 * What is not Grafana: the stand-in's part (tests/harness/grafana-backend.ts, grafana-converter.ts,
 * grafana-frames.ts: Prometheus' JSON read whole, parsed, each series' frame written as JSON) is Go
 * in a real Grafana, streaming, in its own process and on every core; here it is JS sharing the
 * thread with the frontend, so it also delays the frontend's and FluxGrid's work ("stand-in" columns
 * and the "Go-backend stand-in" part of the profile; "waiting for Prometheus" also holds the
 * stand-in's work done while waiting). The rest (BackendSrv's JSON.parse, Grafana's decode,
 * FluxGrid's reading) is what a browser tab runs, on one thread; only the test BackendSrv's body
 * read through node's fetch (JS streams, "node" in the profile) is native in a browser.
 *
 * Run: FLUXGRID_BENCH_SIZES=10000,50000,100000 npx jest --selectProjects bench --runTestsByPath bench/fleet-100k.bench.ts
 * (sizes are multiples of 2000, at least 4000; FLUXGRID_BENCH_RUNS, default 3;
 * FLUXGRID_BENCH_RULES=1 adds the refresh reading FluxGrid's recording rules, backfilled over the
 * hour; FLUXGRID_BENCH_TIMEOUT_S sets the datasource's timeout, default its own 30 s)
 *
 * @jest-environment node
 */
import { startGrafanaRuntime, type GrafanaRuntime } from '../tests/harness/grafana-runtime';

import { mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lastValueFrom } from 'rxjs';
import { DataFrame, DataQueryResponse } from '@grafana/data';

import { createFluxDatasource } from '../src/datasource/testing/fluxDatasource';
import { dataQueryRequest } from '../src/datasource/testing/request';
import { FakeTemplateSrv } from '../src/datasource/testing/templateSrv';
import type { FluxQuery } from '../src/datasource/types';
import { clusterFleet, writeClusterFleet } from './scale-fleet';
import {
  criticalPath,
  execAloneMs,
  FrontendRequest,
  PARTS,
  printAnatomy,
  printTable,
  profiled,
  summarize,
  traceFrontend,
  type AnatomyRows,
  type TracedRefresh,
} from './refresh-anatomy';
import { startPrometheus, type PrometheusServer } from '../tests/harness/prometheus';

jest.setTimeout(3_600_000);

const PER_CLUSTER = 2000;
const RANGE_S = 3000;
/** The fleet's history: its hour. */
const HISTORY_S = 3600;
const RUNS = Number(process.env.FLUXGRID_BENCH_RUNS ?? 3);
const SIZES = (process.env.FLUXGRID_BENCH_SIZES ?? '10000,50000,100000').split(',').map((s) => {
  const n = Number(s.trim());
  if (!Number.isInteger(n) || n % PER_CLUSTER !== 0 || n < 2 * PER_CLUSTER) {
    throw new Error(`FLUXGRID_BENCH_SIZES: "${s}" is not a multiple of ${PER_CLUSTER} objects of at least 2 clusters`);
  }
  return n;
});

/**
 * FLUXGRID_BENCH_RULES=1: also backfill FluxGrid's recording rules over the hour and measure the
 * refresh that reads them, beside the raw one (datasource recordingRules 'off'), same Prometheus.
 */
const WITH_RULES = process.env.FLUXGRID_BENCH_RULES === '1';
const PATHS = ['resources', 'query path'] as const;
const APPROACHES: Approach[] = (WITH_RULES ? (['raw', 'recorded'] as const) : (['raw'] as const)).flatMap((rules) =>
  PATHS.map((path) => ({ rules, path }))
);
const RULES_FILE = path.join(__dirname, '..', 'alerts', 'fluxgrid-recording-rules.yaml');
const RULES_QUERY_TIMEOUT = '15m';
/**
 * FLUXGRID_BENCH_TIMEOUT_S: the FluxGrid datasource's timeout (jsonData.timeoutSeconds); unset,
 * its default (30 s), under which a refresh slower than that fails, as it would for a user.
 */
const TIMEOUT_S = process.env.FLUXGRID_BENCH_TIMEOUT_S ? Number(process.env.FLUXGRID_BENCH_TIMEOUT_S) : undefined;

/** FLUXGRID_BENCH_PROFILE=0: no profiled refresh. */
const PROFILE = process.env.FLUXGRID_BENCH_PROFILE !== '0';

const refreshes: string[][] = [];
const setups: string[][] = [];
const anatomyRows: AnatomyRows = { perQuery: [], paths: [], cpu: [], functions: [] };

afterAll(() => {
  const env = [
    `FLUXGRID_BENCH_SIZES=${SIZES.join(',')}`,
    ...(WITH_RULES ? ['FLUXGRID_BENCH_RULES=1'] : []),
    ...(TIMEOUT_S === undefined ? [] : [`FLUXGRID_BENCH_TIMEOUT_S=${TIMEOUT_S}`]),
  ].join(' ');
  const command = `${env} npx jest --selectProjects bench --runTestsByPath bench/fleet-100k.bench.ts`;
  const timeout = TIMEOUT_S === undefined ? 'the datasource’s default timeout' : `datasource timeout ${TIMEOUT_S} s`;
  console.log(
    [
      printTable(
        `Objects refresh of a multi-cluster fleet, ${RANGE_S / 60} min range, median of ${RUNS}, ${timeout} (${command})`,
        [
          'objects',
          'clusters',
          'approach',
          'Prometheus ms (slowest)',
          'Prometheus ms (sum)',
          'exec ms alone (slowest)',
          'refresh wall ms',
          'response bytes',
          'bytes / object',
          'bytes to the browser',
          'longest PromQL bytes',
          'rows',
          'per query (ms / bytes)',
          'load (1 min)',
        ],
        refreshes
      ),
      '',
      printAnatomy(anatomyRows),
      '',
      printTable(
        'Setup (not part of the refresh)',
        [
          'objects',
          'OpenMetrics MB',
          'write ms',
          'backfill ms',
          'rules backfill ms',
          'start ms',
          'Prometheus peak RSS MB',
        ],
        setups
      ),
    ].join('\n')
  );
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Peak resident memory of a process (Linux), in MB. */
function peakRssMb(pid: number): string {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? (Number(match[1]) / 1024).toFixed(0) : '?';
}

interface Refresh extends TracedRefresh {
  wallMs: number;
  slowestMs: number;
  sumMs: number;
  bytes: number;
  /** What Grafana sends the browser: its frames (query path), Prometheus' answers (resources). */
  browserBytes: number;
  longest: number;
  rows: number;
  /** Distinct clusters among the rows. */
  clusters: number;
  perQuery: string;
  errors: string[];
  /** The machine's 1-minute load average when the refresh ended (2 cores, shared). */
  load: number;
}

/**
 * Raw queries or FluxGrid's recording rules; the instant queries through the Prometheus
 * datasource's resources (FluxGrid's own path) or Grafana's query path (what FluxGrid falls back
 * to, and what it sent before: the stand-in refuses resources, as a proxy might, so each instant
 * query first gets a 403 from it, then goes the query path).
 */
interface Approach {
  rules: 'raw' | 'recorded';
  path: (typeof PATHS)[number];
}

const label = (a: Approach) => `${a.rules === 'raw' ? 'raw queries' : 'recording rules'}, ${a.path}`;

describe.each(SIZES)('%d objects', (objects) => {
  const clusters = objects / PER_CLUSTER;
  const fleet = clusterFleet(clusters, PER_CLUSTER);
  const templateSrv = new FakeTemplateSrv();
  let prometheus: PrometheusServer;
  let grafana: GrafanaRuntime;
  let frontend: { requests: FrontendRequest[] };

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxgrid-fleet-'));
    try {
      const file = path.join(dir, 'fleet.om');
      const writeStart = performance.now();
      const bytes = writeClusterFleet(fleet, file);
      const writeMs = performance.now() - writeStart;
      prometheus = await startPrometheus({
        openMetricsFiles: [file],
        timeoutMs: 3_000_000,
        ...(WITH_RULES
          ? {
              backfillRules: { files: [RULES_FILE], startS: fleet.toMs / 1000 - HISTORY_S, endS: fleet.toMs / 1000 },
              // promtool evaluates each rule as one range query over the hour: at 100k objects the
              // reconcile rule takes longer than Prometheus' default 2 min query timeout.
              extraArgs: [`--query.timeout=${RULES_QUERY_TIMEOUT}`],
            }
          : {}),
      });
      setups.push([
        String(objects),
        (bytes / 1e6).toFixed(0),
        writeMs.toFixed(0),
        String(prometheus.timings.backfillMs),
        WITH_RULES ? String(prometheus.timings.rulesBackfillMs) : '-',
        String(prometheus.timings.startToReadyMs),
        '',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    grafana = await startGrafanaRuntime({ prometheusUrl: prometheus.url, templateSrv });
    frontend = traceFrontend(grafana);
  });
  afterAll(async () => {
    const row = setups.find((r) => r[0] === String(objects));
    if (prometheus && row) {
      row[row.length - 1] = peakRssMb(prometheus.pid);
    }
    await grafana?.close();
    await prometheus?.stop();
  });

  async function refresh(approach: Approach): Promise<Refresh> {
    const ds = createFluxDatasource(
      {
        prometheusUid: 'prom',
        recordingRules: approach.rules === 'raw' ? 'off' : 'auto',
        ...(TIMEOUT_S === undefined ? {} : { timeoutSeconds: TIMEOUT_S }),
      },
      { templateSrv, dataSourceSrv: grafana.dataSourceSrv }
    );
    const request = dataQueryRequest<FluxQuery>(
      [{ refId: 'A', queryType: 'objects' }],
      { fromMs: fleet.toMs - RANGE_S * 1000, toMs: fleet.toMs },
      { requestId: 'fleet', maxDataPoints: 1000 }
    );
    grafana.backend.setFaults(
      approach.path === 'query path' ? { resourcesRefused: { status: 403, body: 'resources refused (bench)' } } : {}
    );
    grafana.backend.requestLog.reset();
    frontend.requests.length = 0;
    const started = performance.now();
    let response: DataQueryResponse;
    try {
      response = await lastValueFrom(ds.query(request));
    } catch (error) {
      response = { data: [], errors: [{ message: `query() threw: ${String(error)}` }] };
    }
    const endedAt = performance.now();
    const wallMs = endedAt - started;
    const records = [...grafana.backend.requestLog.records];
    const frame = response.data[0] as DataFrame | undefined;
    const clusterField = frame?.fields.find((f) => f.name === 'cluster');
    return {
      wallMs,
      slowestMs: Math.max(0, ...records.map((r) => r.durationMs)),
      sumMs: records.reduce((s, r) => s + r.durationMs, 0),
      bytes: grafana.backend.requestLog.responseBytes,
      browserBytes:
        grafana.backend.requestLog.answers.reduce((sum, a) => sum + a.bytes, 0) +
        records.filter((r) => r.via === 'resources').reduce((sum, r) => sum + r.responseBytes, 0),
      longest: Math.max(0, ...records.map((r) => Buffer.byteLength(r.params.query ?? ''))),
      rows: frame?.length ?? 0,
      clusters: new Set(clusterField?.values ?? []).size,
      perQuery: records
        .map(
          (r) => `${r.refId.replace(/^fleet-/, '')} ${r.durationMs.toFixed(0)}/${(r.responseBytes / 1e6).toFixed(2)}M`
        )
        .join(', '),
      errors: (response.errors ?? []).map((e) => `${e.refId ?? ''} ${e.status ?? ''} ${e.message ?? ''}`.trim()),
      load: os.loadavg()[0],
      startedAt: started,
      endedAt,
      records,
      answers: [...grafana.backend.requestLog.answers],
      trace: [...frontend.requests],
    };
  }

  /** The anatomy tables' rows for the median refresh (each query's time alone: `alone`), and a profiled one. */
  async function anatomy(approach: Approach, mid: Refresh, alone: (refId: string) => number): Promise<void> {
    const ms = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(0));
    for (const r of mid.records) {
      anatomyRows.perQuery.push([
        String(objects),
        label(approach),
        r.refId.replace(/^fleet-/, ''),
        ms(alone(r.refId)),
        ms(r.headersMs),
        ms(r.bodyMs),
        ms(r.parseMs),
        ms(r.convertMs),
        r.responseBytes.toLocaleString('en'),
        String(r.frames ?? '-'),
      ]);
    }
    const critical = criticalPath(mid);
    if (critical) {
      anatomyRows.paths.push([
        String(objects),
        label(approach),
        ms(mid.wallMs),
        ...[critical.before, critical.outbound, critical.waiting, critical.whileWaiting].map(ms),
        ...[critical.after, critical.receive, critical.decode, critical.reading].map(ms),
        (critical.framesBytes / 1e6).toFixed(1),
      ]);
    }
    if (PROFILE) {
      const file = path.join(
        os.tmpdir(),
        `fluxgrid-fleet-${objects}-${approach.rules}-${approach.path.replace(' ', '-')}.cpuprofile`
      );
      const { result, profile } = await profiled(file, () => refresh(approach));
      const summary = summarize(profile);
      const share = (v: number) => `${v.toFixed(0)} (${((100 * v) / result.wallMs).toFixed(0)}%)`;
      anatomyRows.cpu.push([
        String(objects),
        label(approach),
        ms(result.wallMs),
        ...PARTS.map((p) => share(summary.byPart.get(p) ?? 0)),
      ]);
      for (const f of summary.fluxgrid) {
        anatomyRows.functions.push([String(objects), label(approach), f.name, ms(f.selfMs), ms(f.totalMs)]);
      }
    }
  }

  it.each(APPROACHES)(
    `the FluxGrid datasource’s Objects refresh over ${RANGE_S / 60} min ($rules, $path): one row per object of ${clusters} clusters`,
    async (approach) => {
      const all: Refresh[] = [];
      const alone: Array<Map<string, number>> = [];
      for (let run = 0; run < RUNS; run++) {
        all.push(await refresh(approach));
        if (all[run].errors.length > 0) {
          break;
        }
        alone.push(await execAloneMs(prometheus.url, all[run].records));
      }
      const failed = all.find((r) => r.errors.length > 0);
      const mid = failed ?? [...all].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(all.length / 2)];
      const pick = (f: (r: Refresh) => number) => (failed ? f(failed) : median(all.map(f)));
      const aloneMs = failed ? NaN : median(alone.map((byRef) => Math.max(0, ...byRef.values())));
      if (!failed) {
        await anatomy(approach, mid, (refId) => median(alone.map((byRef) => byRef.get(refId) ?? NaN)));
      }
      refreshes.push([
        String(objects),
        String(clusters),
        label(approach),
        pick((r) => r.slowestMs).toFixed(0),
        pick((r) => r.sumMs).toFixed(0),
        aloneMs.toFixed(0),
        pick((r) => r.wallMs).toFixed(0) + (failed ? ' (failed)' : ''),
        mid.bytes.toLocaleString('en'),
        (mid.bytes / objects).toFixed(0),
        mid.browserBytes.toLocaleString('en'),
        mid.longest.toLocaleString('en'),
        String(mid.rows),
        mid.perQuery + (failed ? ` — ${failed.errors.join('; ')}` : ''),
        mid.load.toFixed(1),
      ]);
      expect(mid.errors).toEqual([]);
      expect(mid.rows).toBe(objects);
      expect(mid.clusters).toBe(clusters);
    }
  );
});
