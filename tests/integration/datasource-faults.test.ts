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

function objects(jsonData: FluxDataSourceOptions = {}, query: Partial<FluxQuery> = {}): Promise<DataQueryResponse> {
  const from = dateTime(NOW - 30 * MINUTE);
  const to = dateTime(NOW);
  return lastValueFrom(
    flux(jsonData).query({
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
