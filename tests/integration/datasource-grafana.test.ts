/**
 * The seam with Grafana: FluxGrid's datasource over Grafana's real PrometheusDatasource (over real
 * HTTP to the Go-backend stand-in, against a real Prometheus), in the shapes a real Grafana
 * produces: dashboards and Explore, variables with and without a time range, annotations, the
 * health check, incremental querying on and off, and the request types Grafana's code relies on.
 *
 * @jest-environment node
 */
import { startGrafanaRuntime, type GrafanaRuntime } from '../harness/grafana-runtime';

import * as path from 'path';
import { from, lastValueFrom, tap } from 'rxjs';
import {
  AnnotationQuery,
  CoreApp,
  DataFrame,
  DataQueryRequest,
  DataQueryResponse,
  dateTime,
  isDateTime,
  RawTimeRange,
} from '@grafana/data';

import { FluxDatasource } from '../../src/datasource/datasource';
import { NO_LEGEND } from '../../src/datasource/prometheus';
import { createFluxDatasource } from '../../src/datasource/testing/fluxDatasource';
import { FakeTemplateSrv } from '../../src/datasource/testing/templateSrv';
import type { FluxDataSourceOptions, FluxQuery, FluxVariableQuery } from '../../src/datasource/types';
import { FluxVariableSupport } from '../../src/datasource/variables';
import { loadScenario, scenarioToOpenMetrics } from '../../simulator';
import { startPrometheus, type PrometheusServer } from '../harness/prometheus';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const scenario = loadScenario(path.join(__dirname, '..', '..', 'simulator', 'scenarios', 'failure-recovery.yaml'));
// The scenario's hour ends now: health checks and rangeless variables look at "now".
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;
const START = NOW - 60 * MINUTE;
const at = (minutes: number) => START + minutes * MINUTE;

const templateSrv = new FakeTemplateSrv();
let prometheus: PrometheusServer;
let grafana: GrafanaRuntime;

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetrics: scenarioToOpenMetrics(scenario, { startMs: START }) });
  grafana = await startGrafanaRuntime({
    prometheusUrl: prometheus.url,
    templateSrv,
    more: [
      {
        uid: 'prom-incremental',
        name: 'Prometheus (incremental)',
        prometheusUrl: prometheus.url,
        jsonData: { incrementalQuerying: true },
      },
    ],
  });
});
afterAll(async () => {
  await grafana?.close();
  await prometheus?.stop();
});

const flux = (jsonData: FluxDataSourceOptions = {}) =>
  createFluxDatasource({ prometheusUid: 'prom', ...jsonData }, { templateSrv, dataSourceSrv: grafana.dataSourceSrv });

function request<T extends FluxQuery | FluxVariableQuery>(
  targets: T[],
  toMs: number,
  options: { fromMs?: number; app?: string; rangeRaw?: RawTimeRange; panelId?: number } = {}
): DataQueryRequest<T> {
  const from = dateTime(options.fromMs ?? toMs - 30 * MINUTE);
  const to = dateTime(toMs);
  return {
    requestId: `seam-${targets.map((t) => t.refId).join('-')}`,
    interval: '15s',
    intervalMs: 15_000,
    maxDataPoints: 500,
    range: { from, to, raw: options.rangeRaw ?? { from, to } },
    ...(options.rangeRaw ? { rangeRaw: options.rangeRaw } : {}),
    ...(options.panelId !== undefined ? { panelId: options.panelId, dashboardUID: 'flux' } : {}),
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: options.app ?? CoreApp.Dashboard,
    startTime: Date.now(),
  };
}

const run = (ds: FluxDatasource, req: DataQueryRequest<FluxQuery>): Promise<DataQueryResponse> =>
  lastValueFrom(ds.query(req));

/** What a panel shows of frames: names, field names and values. */
function shown(frames: DataFrame[]) {
  return frames.map((f) => ({
    refId: f.refId,
    name: f.name,
    fields: f.fields.map((field) => [field.name, Array.from(field.values)]),
  }));
}

const QUERIES: Array<[string, FluxQuery]> = [
  ['Objects', { refId: 'A', queryType: 'objects' }],
  ['Summary by state', { refId: 'A', queryType: 'summary', summaryBy: 'state' }],
  ['Summary by kind', { refId: 'A', queryType: 'summary', summaryBy: 'kind' }],
  ['Reconcile duration', { refId: 'A', queryType: 'reconcileDuration', limit: 5 }],
  ['Reconcile duration, Failed only', { refId: 'A', queryType: 'reconcileDuration', state: 'Failed' }],
  ['State history', { refId: 'A', queryType: 'stateHistory' }],
  ['State changes', { refId: 'A', queryType: 'stateChanges' }],
];

describe('every query type, on a dashboard and in Explore', () => {
  it.each(QUERIES)('%s: Explore shows what a dashboard shows', async (_name, query) => {
    const ds = flux();
    const dashboard = await run(ds, request([query], at(25)));
    const explore = await run(ds, request([query], at(25), { app: CoreApp.Explore }));
    expect(dashboard.errors).toBeUndefined();
    expect(explore.errors).toBeUndefined();
    expect(dashboard.data.length).toBeGreaterThan(0);
    expect(dashboard.data.some((f: DataFrame) => f.length > 0)).toBe(true);
    // In Explore, Grafana's Prometheus datasource turns instant answers into tables: FluxGrid's
    // own reading must not see them, and the user sees the same answer as on a dashboard.
    expect(shown(explore.data)).toEqual(shown(dashboard.data));
  });

  it('Objects in Explore: the failing objects are there', async () => {
    const explore = await run(
      flux(),
      request([{ refId: 'A', queryType: 'objects' }], at(25), { app: CoreApp.Explore })
    );
    const frame = explore.data[0] as DataFrame;
    const names = frame.fields.find((f) => f.name === 'name')!.values;
    const states = frame.fields.find((f) => f.name === 'state')!.values;
    expect(names.filter((_n: string, i: number) => states[i] === 'Failed').sort()).toEqual([
      'ingress-nginx',
      'podinfo',
    ]);
  });

  it('annotations (state changes) from a dashboard and from Explore', async () => {
    const ds = flux();
    const annotation: AnnotationQuery<FluxQuery> = {
      name: 'Flux',
      enable: true,
      iconColor: 'red',
      target: { refId: 'Anno', kind: 'Kustomization' },
    };
    const target = ds.annotations.prepareQuery!(annotation)!;
    for (const app of [CoreApp.Dashboard, CoreApp.Explore]) {
      const response = await run(ds, request([target], at(60), { fromMs: at(0), app }));
      const titles = (response.data[0] as DataFrame).fields.find((f) => f.name === 'title')!.values;
      expect(titles).toEqual(['Kustomization apps/podinfo became Failed', 'Kustomization apps/podinfo recovered']);
    }
  });
});

describe("Grafana's server learns which dashboard and panel asked", () => {
  it('through the resources (instant queries) as through the query path (ranges); nothing named from Explore', async () => {
    const log = grafana.backend.requestLog;
    const ds = flux();
    const askers = async (req: DataQueryRequest<FluxQuery>) => {
      log.reset();
      expect((await run(ds, req)).errors).toBeUndefined();
      return log.records.map((record) => ({ via: record.via, asker: record.asker }));
    };
    const named = { dashboardUid: 'flux', panelId: '7' };
    const objects = await askers(request([{ refId: 'A', queryType: 'objects' }], at(25), { panelId: 7 }));
    expect(objects.length).toBeGreaterThanOrEqual(3);
    expect(objects).toEqual(objects.map(() => ({ via: 'resources', asker: named })));
    const history = await askers(request([{ refId: 'A', queryType: 'stateHistory' }], at(25), { panelId: 7 }));
    expect(history).toEqual([{ via: 'query', asker: named }]);
    const explore = await askers(request([{ refId: 'A', queryType: 'objects' }], at(25), { app: CoreApp.Explore }));
    expect(explore).toEqual(explore.map(() => ({ via: 'resources', asker: undefined })));
  });
});

describe('variables', () => {
  const kinds = ['GitRepository', 'HelmRelease', 'HelmRepository', 'Kustomization'];

  it('with a time range (a variable refreshed on time range change)', async () => {
    const ds = flux();
    const response = await lastValueFrom(
      new FluxVariableSupport(ds).query(request([{ refId: 'V', target: 'kinds' }], at(50)))
    );
    expect(response.errors).toBeUndefined();
    expect((response.data[0] as DataFrame).fields[0].values).toEqual(expect.arrayContaining(kinds));
  });

  it('without a time range (refreshed on dashboard load, or metricFindQuery without options)', async () => {
    const ds = flux();
    expect((await ds.metricFindQuery('kinds')).map((v) => v.text)).toEqual(expect.arrayContaining(kinds));
    // The same as with a range ending now.
    const query: FluxVariableQuery = { refId: 'V', target: 'namespaces', kind: 'HelmRelease' };
    const ranged = await ds.metricFindQuery(query, { range: request([], Date.now()).range });
    expect(ranged.map((v) => v.text)).toEqual(['apps', 'infra']);
    expect(await ds.metricFindQuery(query)).toEqual(ranged);
  });
});

it("Save & test passes against the real Prometheus, through Grafana's class", async () => {
  const health = await flux().testDatasource();
  expect(health.status).toBe('success');
  expect(health.message).toMatch(/^Prometheus OK — \d+ Flux objects in 1 cluster \(/);
});

it('hands Grafana DateTimes, never JS Dates (Grafana calls range.to.utcOffset())', async () => {
  // Record every request the FluxGrid datasource hands Grafana's Prometheus datasource.
  const original = grafana.prometheus.query.bind(grafana.prometheus);
  const recorded: Array<DataQueryRequest['range']> = [];
  grafana.prometheus.query = (req) => {
    recorded.push(req.range);
    return original(req);
  };
  try {
    // Instant queries go through the resources (the next test); range queries through query().
    await run(flux(), request([{ refId: 'A', queryType: 'stateHistory' }], at(50)));
  } finally {
    grafana.prometheus.query = original;
  }
  expect(recorded.length).toBeGreaterThanOrEqual(1);
  for (const range of recorded) {
    expect(isDateTime(range.from)).toBe(true);
    expect(isDateTime(range.to)).toBe(true);
    expect(typeof range.to.utcOffset()).toBe('number');
  }
});

it("instant queries ask Prometheus through the datasource's resources, Grafana's query path none", async () => {
  const original = grafana.prometheus.query.bind(grafana.prometheus);
  let viaQuery = 0;
  grafana.prometheus.query = (req) => {
    viaQuery++;
    return original(req);
  };
  const calls = grafana.backendSrv.calls.length;
  try {
    const objects = await run(flux(), request([{ refId: 'A', queryType: 'objects' }], at(50)));
    expect(objects.errors).toBeUndefined();
    expect(objects.data[0].length).toBeGreaterThan(10);
  } finally {
    grafana.prometheus.query = original;
  }
  expect(viaQuery).toBe(0);
  const paths = grafana.backendSrv.calls.slice(calls).map((call) => new URL(call.url, 'http://grafana').pathname);
  expect(paths.length).toBeGreaterThanOrEqual(3);
  expect(new Set(paths)).toEqual(new Set(['/api/datasources/uid/prom/resources/api/v1/query']));
});

it("asks Grafana's backend for no series names: each series' labels arrive once", async () => {
  // What Grafana's Prometheus datasource hands back to FluxGrid, as it decoded the backend's frames.
  const original = grafana.prometheus.query.bind(grafana.prometheus);
  const frames: DataFrame[] = [];
  const legends: Array<string | undefined> = [];
  grafana.prometheus.query = (req) => {
    legends.push(...req.targets.map((target) => target.legendFormat));
    return from(original(req)).pipe(tap((response) => frames.push(...response.data)));
  };
  try {
    const history = await run(flux(), request([{ refId: 'A', queryType: 'stateHistory' }], at(50)));
    expect(history.errors).toBeUndefined();
  } finally {
    grafana.prometheus.query = original;
  }
  const fields = frames.filter((frame) => frame.length > 0).flatMap((frame) => frame.fields);
  expect(fields.filter((field) => field.labels?.fluxgrid_name).length).toBeGreaterThan(10);
  // No display name (with none asked for, Grafana's backend writes `metric{a="b", …}` into each).
  expect(fields.filter((field) => field.config.displayNameFromDS !== undefined)).toEqual([]);
  expect(legends.length).toBeGreaterThanOrEqual(1);
  expect(new Set(legends)).toEqual(new Set([NO_LEGEND]));
});

describe('incremental querying (the Prometheus datasource caches range answers)', () => {
  const history: FluxQuery = { refId: 'H', queryType: 'stateHistory' };
  const relative: RawTimeRange = { from: 'now-30m', to: 'now' };

  it.each([false, true])('incremental %s: State history is the same as a full query', async (incremental) => {
    const uid = incremental ? 'prom-incremental' : 'prom';
    const ds = flux({ prometheusUid: uid });
    const log = grafana.backend.requestLog;
    // Two refreshes of one panel, five minutes apart ("now-30m" to "now").
    const first = await run(ds, request([history], at(40), { rangeRaw: relative, panelId: 1 }));
    expect(first.errors).toBeUndefined();
    log.reset();
    const second = await run(ds, request([history], at(45), { rangeRaw: relative, panelId: 1 }));
    expect(second.errors).toBeUndefined();
    const full = await run(flux(), request([history], at(45)));
    expect(shown(second.data)).toEqual(shown(full.data));
    expect(second.data.length).toBeGreaterThan(0);
    // With incremental querying on, the second refresh asked Prometheus only for the end of the
    // range (the overlap window, 10 minutes); off, for the whole range.
    const [asked] = log.records;
    const askedFromMs = Number(asked.params.start) * 1000;
    if (incremental) {
      expect(askedFromMs).toBeGreaterThanOrEqual(at(40) - 10 * MINUTE - MINUTE);
    } else {
      expect(askedFromMs).toBeLessThanOrEqual(at(15));
    }
  });
});
