/**
 * The FluxGrid queries of the shipped dashboards (panels, variables, annotations), run through the
 * FluxGrid datasource as provisioned (provisioning/datasources/fluxgrid.yaml), against a real
 * Prometheus scraping the live fleet simulator: every one answers without error, with data.
 *
 * Grafana's own PrometheusDatasource, built from the provisioned settings, over the Go backend
 * stand-in (tests/harness/grafana-runtime.ts); dashboard variables are resolved through the
 * datasource's own variable queries, in dashboard order, and set to All, as on a first visit.
 */
// Must come before @grafana/* (it gives @grafana/data the browser globals it touches on import).
import { startGrafanaRuntime, type GrafanaRuntime } from '../harness/grafana-runtime';

import { lastValueFrom } from 'rxjs';
import { DataQueryRequest, DataQueryResponse, dateTime } from '@grafana/data';

import { FluxDatasource } from '../../src/datasource/datasource';
import { createFluxDatasource, FLUXGRID_DATASOURCE_TYPE } from '../../src/datasource/testing/fluxDatasource';
import { FakeTemplateSrv, type FakeVariable } from '../../src/datasource/testing/templateSrv';
import type { FluxQuery, FluxVariableQuery } from '../../src/datasource/types';
import { allPanels, loadDashboards, readYaml } from './lib';
import { startLiveFleet, type LiveFleet } from './live';

// The template and datasource services are handed to the datasource (no module mocks); the
// template service is the one object the variables are set on.
const templateSrv = new FakeTemplateSrv();

/**
 * A HelmRelease fails at 5m and is suspended at 15m with a Kustomization: at 60x speed the fleet
 * has failed, suspended and ready objects and state changes within a minute.
 */
const SCENARIO = 'simulator/scenarios/suspended-while-failing.yaml';
const SPEED = 60;
const SCRAPE_SECONDS = 1;

const FLUXGRID_TYPE = FLUXGRID_DATASOURCE_TYPE;
const dashboard = loadDashboards().find((d) => d.json.uid === 'fluxgrid-reconciliation')!;

let fleet: LiveFleet | undefined;
let grafana: GrafanaRuntime | undefined;
let datasource: FluxDatasource;

function provisioned(type: string): any {
  return readYaml('provisioning/datasources/fluxgrid.yaml').datasources.find((d: any) => d.type === type);
}

function request<T extends FluxQuery | FluxVariableQuery>(targets: T[], windowMs: number): DataQueryRequest<T> {
  const to = dateTime(Date.now());
  const from = dateTime(Date.now() - windowMs);
  return {
    requestId: 'dashboard-fluxgrid-queries',
    interval: '1s',
    intervalMs: 1000,
    maxDataPoints: 1000,
    range: { from, to, raw: { from: 'now-5m', to: 'now' } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
  };
}

/** Rows across a response's frames. */
function rows(response: DataQueryResponse): number {
  return response.data.reduce(
    (sum: number, frame: any) => sum + (frame.length ?? frame.fields?.[0]?.values?.length ?? 0),
    0
  );
}

/** Variables in dashboard order, each set to All, each resolved with the variables before it. */
async function resolveVariables(): Promise<FakeVariable[]> {
  const variables: FakeVariable[] = [];
  templateSrv.variables = variables;
  for (const variable of dashboard.json.templating.list.filter((v: any) => v.type === 'query')) {
    const values = await datasource.variableValues(variable.query, request([variable.query], 5 * 60_000));
    variables.push({ name: variable.name, options: values, current: '$__all' });
  }
  return variables;
}

beforeAll(async () => {
  fleet = await startLiveFleet({ scenario: SCENARIO, speed: SPEED, scrapeIntervalSeconds: SCRAPE_SECONDS });
  const prometheus = provisioned('prometheus');
  const fluxgrid = provisioned(FLUXGRID_TYPE);
  grafana = await startGrafanaRuntime({
    prometheusUrl: fleet.prometheus.url,
    uid: prometheus.uid,
    name: prometheus.name,
    jsonData: prometheus.jsonData,
    templateSrv,
  });
  datasource = createFluxDatasource(fluxgrid.jsonData, {
    uid: fluxgrid.uid,
    name: fluxgrid.name,
    templateSrv,
    dataSourceSrv: grafana.dataSourceSrv,
  });
}, 180_000);

afterAll(async () => {
  await grafana?.close();
  await fleet?.stop();
});

describe('Flux reconciliation dashboard through the provisioned FluxGrid datasource, live', () => {
  it('the provisioned datasource passes its health check', async () => {
    const health = await datasource.testDatasource();
    expect(health).toEqual(expect.objectContaining({ status: 'success' }));
  }, 60_000);

  it('the kind and namespace variables have values (cluster may be empty: one cluster)', async () => {
    const variables = await resolveVariables();
    const byName = Object.fromEntries(variables.map((v) => [v.name, v.options]));
    expect(byName.kind.length).toBeGreaterThan(0);
    expect(byName.namespace).toContain('apps');
    expect(byName.cluster).toEqual([]);
  }, 60_000);

  // Every panel and the annotation must show something once the fleet has failed and suspended
  // objects and state changes; "no data" is retried while the simulated timeline gets there.
  it('every panel query and the annotation query answer without error, with data', async () => {
    await resolveVariables();
    const targets = [
      ...allPanels(dashboard.json).flatMap((p) =>
        (p.targets ?? []).map((t: FluxQuery) => ({ where: `panel "${p.title}"`, target: t }))
      ),
      ...dashboard.json.annotations.list
        .filter((a: any) => a.datasource?.type === FLUXGRID_TYPE)
        .map((a: any) => ({ where: `annotation "${a.name}"`, target: { ...a.target, queryType: 'stateChanges' } })),
    ];
    expect(targets.length).toBeGreaterThanOrEqual(7);

    type Outcome = { where: string; queryType: string; problem: string };
    const attempt = async (): Promise<Outcome[]> => {
      const outcomes: Outcome[] = [];
      for (const { where, target } of targets) {
        const response = await lastValueFrom(datasource.query(request([target], 5 * 60_000)));
        const errors = [response.error, ...(response.errors ?? [])].filter(Boolean).map((e: any) => e.message);
        if (errors.length > 0) {
          outcomes.push({ where, queryType: target.queryType!, problem: errors.join('; ') });
        } else if (rows(response) === 0) {
          outcomes.push({ where, queryType: target.queryType!, problem: 'no data' });
        }
      }
      return outcomes;
    };
    let problems = await attempt();
    const deadline = Date.now() + 90_000;
    while (problems.length > 0 && problems.every((p) => p.problem === 'no data') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2000));
      problems = await attempt();
    }
    expect(problems).toEqual([]);
  }, 150_000);
});
