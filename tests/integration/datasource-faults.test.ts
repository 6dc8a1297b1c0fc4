/**
 * Prometheus in trouble, as the user meets it: down, slow, answering 4xx/5xx with a body, warning
 * (Thanos/Mimir partial responses), or with part of the data missing. Injected between Grafana's
 * backend stand-in and a real Prometheus; FluxGrid runs over Grafana's real PrometheusDatasource.
 * Each case asserts the message a query shows (panel and query editor show the query's error) and
 * the one Save & test shows.
 *
 * @jest-environment node
 */
import { startGrafanaRuntime, type GrafanaRuntime } from '../harness/grafana-runtime';

import * as path from 'path';
import { lastValueFrom } from 'rxjs';
import { CoreApp, DataFrame, DataQueryResponse, dateTime } from '@grafana/data';

import { RESOURCES_REFUSED_RETRY_MS } from '../../src/datasource/prometheusResources';
import { createFluxDatasource } from '../../src/datasource/testing/fluxDatasource';
import { FakeTemplateSrv } from '../../src/datasource/testing/templateSrv';
import type { FluxDataSourceOptions, FluxQuery } from '../../src/datasource/types';
import { loadScenario, scenarioToOpenMetrics } from '../../simulator';
import { startPrometheus, type PrometheusServer } from '../harness/prometheus';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const scenario = loadScenario(path.join(__dirname, '..', '..', 'simulator', 'scenarios', 'failure-recovery.yaml'));
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;
const START = NOW - 60 * MINUTE;

const templateSrv = new FakeTemplateSrv();
let prometheus: PrometheusServer;
let grafana: GrafanaRuntime;

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetrics: scenarioToOpenMetrics(scenario, { startMs: START }) });
  grafana = await startGrafanaRuntime({ prometheusUrl: prometheus.url, templateSrv });
});
afterAll(async () => {
  await grafana?.close();
  await prometheus?.stop();
});
afterEach(() => grafana.backend.setFaults({}));

const flux = (jsonData: FluxDataSourceOptions = {}) =>
  createFluxDatasource({ prometheusUid: 'prom', ...jsonData }, { templateSrv, dataSourceSrv: grafana.dataSourceSrv });

function objects(
  jsonData: FluxDataSourceOptions = {},
  query: Partial<FluxQuery> = {},
  ds = flux(jsonData)
): Promise<DataQueryResponse> {
  const from = dateTime(NOW - 30 * MINUTE);
  const to = dateTime(NOW);
  return lastValueFrom(
    ds.query({
      requestId: 'faults',
      interval: '15s',
      intervalMs: 15_000,
      range: { from, to, raw: { from: 'now-30m', to: 'now' } },
      scopedVars: {},
      targets: [{ refId: 'A', queryType: 'objects', ...query }],
      timezone: 'utc',
      app: CoreApp.Dashboard,
      startTime: Date.now(),
    })
  );
}

const names = (response: DataQueryResponse) =>
  Array.from((response.data[0] as DataFrame).fields.find((f) => f.name === 'name')!.values as string[]).sort();

it('healthy: objects and Save & test as usual (the baseline of the cases below)', async () => {
  const response = await objects();
  expect(response.errors).toBeUndefined();
  expect(names(response)).toContain('podinfo');
  expect(response.data[0].meta?.notices).toBeUndefined();
  expect((await flux().testDatasource()).status).toBe('success');
});

it('Prometheus down: the connection failure, named, in the query and in Save & test', async () => {
  grafana.backend.setFaults({ down: true });
  const response = await objects();
  expect(response.data).toEqual([]);
  const message = response.errors?.[0].message;
  expect(message).toMatch(
    /^Prometheus "Prometheus" returned an error: Post "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query": connect ECONNREFUSED/
  );
  const health = await flux().testDatasource();
  expect(health).toEqual({
    status: 'error',
    message: expect.stringMatching(/^Prometheus "Prometheus" returned an error: Post .*ECONNREFUSED/),
  });
});

it('Prometheus slow: a timeout naming the datasource and the seconds waited, in both', async () => {
  grafana.backend.setFaults({ delayMs: 2500 });
  const expected =
    'Prometheus "Prometheus" did not answer within 1 s: it may be down, overloaded, or the query too large. ' +
    'Try a shorter time range or narrower filters, check Prometheus, or raise the timeout in the FluxGrid datasource settings.';
  const response = await objects({ timeoutSeconds: 1 });
  expect(response.errors).toEqual([{ refId: 'A', message: expected }]);
  expect(await flux({ timeoutSeconds: 1 }).testDatasource()).toEqual({ status: 'error', message: expected });
});

it('a request superseded by the next of the same id (a newer refresh) is dropped, not asked again another way', async () => {
  const healthy = names(await objects());
  const calls = grafana.backendSrv.calls.length;
  // Both with the request id 'faults': BackendSrv cancels the first one's requests as the second's start.
  const [superseded, latest] = await Promise.all([objects(), objects()]);
  expect(latest.errors).toBeUndefined();
  expect(names(latest)).toEqual(healthy);
  expect(superseded.errors?.[0].message).toMatch(/Request was aborted/);
  const paths = grafana.backendSrv.calls.slice(calls).map((call) => new URL(call.url, 'http://grafana').pathname);
  expect(paths).not.toContain('/api/ds/query');
});

it("every instant query carries FluxGrid's timeout to Prometheus, and Prometheus' own timeout is told in its words", async () => {
  const before = grafana.backend.requestLog.records.length;
  expect((await objects({ timeoutSeconds: 7 })).errors).toBeUndefined();
  const asked = grafana.backend.requestLog.records.slice(before).filter((record) => record.via === 'resources');
  expect(asked.length).toBeGreaterThanOrEqual(3);
  // Prometheus stops evaluating a query once FluxGrid has given up on it.
  expect(asked.every((record) => record.params.timeout === '7000ms')).toBe(true);

  grafana.backend.setFaults({
    httpError: {
      status: 503,
      body: JSON.stringify({
        status: 'error',
        errorType: 'timeout',
        error: 'query timed out in expression evaluation',
      }),
    },
  });
  // Prometheus' own words (its -query.timeout may be shorter than FluxGrid's), as on the query path.
  expect((await objects({ timeoutSeconds: 7 })).errors).toEqual([
    {
      refId: 'A',
      message: 'Prometheus "Prometheus" returned an error: timeout: query timed out in expression evaluation',
    },
  ]);
});

it("a 503 with Prometheus' JSON error body: its error type and text", async () => {
  grafana.backend.setFaults({
    httpError: {
      status: 503,
      body: JSON.stringify({ status: 'error', errorType: 'unavailable', error: 'too many concurrent queries' }),
    },
  });
  const expected = 'Prometheus "Prometheus" returned an error: unavailable: too many concurrent queries';
  const response = await objects();
  expect(response.errors).toEqual([{ refId: 'A', message: expected }]);
  expect(await flux().testDatasource()).toEqual({ status: 'error', message: expected });
});

it('a 502 from a proxy in front of Prometheus: the status and the start of its body', async () => {
  grafana.backend.setFaults({ httpError: { status: 502, body: '<html><h1>502 Bad Gateway</h1></html>' } });
  const expected =
    'Prometheus "Prometheus" returned an error: unexpected response with status code 502: <html><h1>502 Bad Gateway</h1></html>';
  expect((await objects()).errors).toEqual([{ refId: 'A', message: expected }]);
  expect(await flux().testDatasource()).toEqual({ status: 'error', message: expected });
});

it("a proxy that refuses Grafana's resources API: the same objects, asked through the query path, then only there for a while", async () => {
  const healthy = names(await objects());
  grafana.backend.setFaults({ resourcesRefused: { status: 403, body: '<html><h1>403 Forbidden</h1></html>' } });
  const ds = flux();
  /** One refresh of `ds`: its objects, the Grafana paths it called, and how Prometheus was asked. */
  const refresh = async () => {
    const before = { records: grafana.backend.requestLog.records.length, calls: grafana.backendSrv.calls.length };
    const response = await objects({}, {}, ds);
    expect(response.errors).toBeUndefined();
    const paths = grafana.backendSrv.calls
      .slice(before.calls)
      .map((call) => new URL(call.url, 'http://grafana').pathname);
    return { names: names(response), paths, asked: grafana.backend.requestLog.records.slice(before.records) };
  };
  const RESOURCES = '/api/datasources/uid/prom/resources/api/v1/query';
  // Asked through the resources first (refused by the proxy), then through the query path.
  const first = await refresh();
  expect(first.names).toEqual(healthy);
  expect(first.paths).toContain(RESOURCES);
  expect(first.paths).toContain('/api/ds/query');
  expect(first.asked.length).toBeGreaterThanOrEqual(3);
  expect(first.asked.every((record) => record.via === 'query')).toBe(true);
  // The next refresh goes straight to the query path: no refused request per query.
  const second = await refresh();
  expect(second.names).toEqual(healthy);
  expect(second.paths).not.toContain(RESOURCES);
  expect(second.paths).toContain('/api/ds/query');
  // Ten minutes later the resources are tried again (and answer, the proxy gone).
  grafana.backend.setFaults({});
  const now = Date.now();
  const later = jest.spyOn(Date, 'now').mockReturnValue(now + RESOURCES_REFUSED_RETRY_MS);
  try {
    const third = await refresh();
    expect(third.names).toEqual(healthy);
    expect(third.paths).toContain(RESOURCES);
    expect(third.paths).not.toContain('/api/ds/query');
  } finally {
    later.mockRestore();
  }
  // A datasource of its own (Save & test after saving settings) tries the resources at once.
  grafana.backend.setFaults({ resourcesRefused: { status: 403, body: '<html><h1>403 Forbidden</h1></html>' } });
  expect((await flux().testDatasource()).status).toBe('success');
});

it("a 400 for a bad query: Prometheus' parse error", async () => {
  const response = await objects({}, { name: '(unclosed' });
  expect(response.errors?.[0].message).toMatch(
    /^Prometheus "Prometheus" returned an error: bad_data: invalid parameter "query": .*(parse|regex|missing closing)/i
  );
});

const WARNING = 'partial response: store gateway eu-1 unavailable';
const NOTICE = `Prometheus "Prometheus" warned: ${WARNING}. What FluxGrid shows may be incomplete.`;

it("warnings (Thanos/Mimir partial responses) reach the user: a notice on FluxGrid's frames and in Save & test", async () => {
  grafana.backend.setFaults({ warnings: [WARNING] });
  const response = await objects();
  expect(response.errors).toBeUndefined();
  expect(names(response)).toContain('podinfo');
  expect(response.data[0].meta?.notices).toEqual([{ severity: 'warning', text: NOTICE }]);
  const health = await flux().testDatasource();
  expect(health.status).toBe('success');
  expect(health.message).toMatch(/^Prometheus OK — \d+ Flux objects in 1 cluster .*\)/);
  expect(health.message).toContain(NOTICE);
});

it('Save & test on a partial answer without Flux metrics says so and keeps the warning', async () => {
  // The store that holds the Flux metrics is the one that did not answer: nothing comes back.
  grafana.backend.setFaults({ warnings: [WARNING], dropSeries: () => true });
  const health = await flux().testDatasource();
  expect(health.status).toBe('error');
  expect(health.message).toMatch(/^No Flux metrics found in Prometheus "Prometheus"/);
  expect(health.message).toContain(NOTICE);
});

it('partial data: the objects that came back, and the warning that says the answer is partial', async () => {
  const complete = names(await objects());
  grafana.backend.setFaults({
    warnings: [WARNING],
    // Every series of the infra namespace, whatever FluxGrid's query calls the label.
    dropSeries: (labels) =>
      Object.entries(labels).some(([key, value]) => key.endsWith('namespace') && value === 'infra'),
  });
  const response = await objects();
  expect(response.errors).toBeUndefined();
  const partial = names(response);
  expect(partial.length).toBeGreaterThan(0);
  expect(partial.length).toBeLessThan(complete.length);
  expect(partial).not.toContain('ingress-nginx');
  expect(response.data[0].meta?.notices).toEqual([{ severity: 'warning', text: NOTICE }]);
  // A query whose answer has no frame to carry it still tells (State history of nothing).
  const history = await objects({}, { queryType: 'stateHistory', namespace: 'infra' });
  expect(history.data).toEqual([
    expect.objectContaining({ refId: 'A', length: 0, meta: { notices: [{ severity: 'warning', text: NOTICE }] } }),
  ]);
});

it('malformed series in the answer (a broken store or proxy): the others shown, and a warning that says how many were not', async () => {
  const complete = await objects();
  const frame = complete.data[0] as DataFrame;
  const column = (name: string) => frame.fields.find((f) => f.name === name)!.values as string[];
  const outsideInfra = column('name')
    .filter((_, i) => column('namespace')[i] !== 'infra')
    .sort();
  expect(outsideInfra.length).toBeLessThan(frame.length);
  grafana.backend.setFaults({
    malformSeries: (labels) =>
      Object.entries(labels).some(([key, value]) => key.endsWith('namespace') && value === 'infra'),
  });
  const response = await objects();
  expect(response.errors).toBeUndefined();
  expect(names(response)).toEqual(outsideInfra);
  expect(response.data[0].meta?.notices).toEqual([
    {
      severity: 'warning',
      text: expect.stringMatching(
        /^\d+ series of Prometheus "Prometheus"'s answer were malformed \(a label or value FluxGrid cannot read\) and are not shown\. /
      ),
    },
  ]);
});
