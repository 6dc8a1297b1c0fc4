/**
 * The Flux Operator's own objects (FluxInstance, ResourceSet, ResourceSetInputProvider) where a user
 * looks for them: in the Flux reconciliation dashboard's kind variable, status grid, counts per kind
 * and state timeline, through the provisioned FluxGrid datasource, against a real Prometheus
 * scraping the live fleet simulator (scenario flux-operator-objects: the operator's families as
 * flux-operator internal/reporter/metrics.go writes them).
 *
 * Grafana's own PrometheusDatasource, built from the provisioned settings, over the Go backend
 * stand-in (tests/harness/grafana-runtime.ts); the template and datasource services are handed to
 * the datasource (no module mocks).
 */
// Must come before @grafana/* (it gives @grafana/data the browser globals it touches on import).
import { startGrafanaRuntime, type GrafanaRuntime } from '../harness/grafana-runtime';

import { lastValueFrom } from 'rxjs';
import { DataQueryRequest, DataQueryResponse, dateTime } from '@grafana/data';

import type { FluxDatasource } from '../../src/datasource/datasource';
import { createFluxDatasource, FLUXGRID_DATASOURCE_TYPE } from '../../src/datasource/testing/fluxDatasource';
import { FakeTemplateSrv, type FakeVariable } from '../../src/datasource/testing/templateSrv';
import type { FluxQuery, FluxVariableQuery } from '../../src/datasource/types';
import { allPanels, eventually, loadDashboards, readYaml } from './lib';
import { startLiveFleet, type LiveFleet } from './live';

/** FluxInstance fails 5m-20m, a ResourceSet fails from 10m: at 60x the fleet gets there in seconds. */
const SCENARIO = 'simulator/scenarios/flux-operator-objects.yaml';
const SPEED = 60;
const SCRAPE_SECONDS = 1;
const OPERATOR_KINDS = ['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider'];

const dashboard = loadDashboards().find((d) => d.json.uid === 'fluxgrid-reconciliation')!;
let fleet: LiveFleet | undefined;
let grafana: GrafanaRuntime | undefined;
let datasource: FluxDatasource;
const templateSrv = new FakeTemplateSrv();

function provisioned(type: string): any {
  return readYaml('provisioning/datasources/fluxgrid.yaml').datasources.find((d: any) => d.type === type);
}

function request<T extends FluxQuery | FluxVariableQuery>(targets: T[]): DataQueryRequest<T> {
  const to = dateTime(Date.now());
  const from = dateTime(Date.now() - 5 * 60_000);
  return {
    requestId: 'dashboards-operator',
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

/** The values of a string field across a response's frames. */
function column(response: DataQueryResponse, name: string): string[] {
  return response.data.flatMap((frame: any) => {
    const field = frame.fields?.find((f: any) => f.name === name);
    return field ? Array.from(field.values as ArrayLike<string>) : [];
  });
}

/** Every panel target of the dashboard whose panel has the given title. */
function targetsOf(title: string): FluxQuery[] {
  const panel = allPanels(dashboard.json).find((p) => p.title === title);
  expect(panel).toBeDefined();
  return panel.targets;
}

/** Variables in dashboard order, each set to All. */
async function resolveVariables(): Promise<Record<string, string[]>> {
  const variables: FakeVariable[] = [];
  templateSrv.variables = variables;
  for (const variable of dashboard.json.templating.list.filter((v: any) => v.type === 'query')) {
    const values = await datasource.variableValues(variable.query, request([variable.query]));
    variables.push({ name: variable.name, options: values, current: '$__all' });
  }
  return Object.fromEntries(variables.map((v) => [v.name, v.options]));
}

beforeAll(async () => {
  fleet = await startLiveFleet({ scenario: SCENARIO, speed: SPEED, scrapeIntervalSeconds: SCRAPE_SECONDS });
  const prometheus = provisioned('prometheus');
  const fluxgrid = provisioned(FLUXGRID_DATASOURCE_TYPE);
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

describe("Flux reconciliation dashboard: the Flux Operator's own objects, live", () => {
  it('the kind variable offers FluxInstance, ResourceSet and ResourceSetInputProvider', async () => {
    const variables = await eventually(resolveVariables, (v) => OPERATOR_KINDS.every((k) => v.kind.includes(k)));
    expect(variables.kind).toEqual(expect.arrayContaining(OPERATOR_KINDS));
  }, 90_000);

  it('the status grid shows them with their states; a failing FluxInstance is Failed', async () => {
    await resolveVariables();
    const read = async () => {
      const response = await lastValueFrom(datasource.query(request(targetsOf('Flux objects'))));
      const kinds = column(response, 'kind');
      const states = column(response, 'state');
      return Object.fromEntries(
        kinds.map((kind, i) => [kind, states[i]]).filter(([kind]) => OPERATOR_KINDS.includes(kind))
      ) as Record<string, string>;
    };
    // The timeline loops: the FluxInstance fails from 5m to 20m of every 35m.
    const byKind = await eventually(read, (states) => states.FluxInstance === 'Failed', 90);
    expect(Object.keys(byKind).sort()).toEqual([...OPERATOR_KINDS].sort());
    expect(byKind.FluxInstance).toBe('Failed');
  }, 120_000);

  it('the counts per kind and the state timeline include them', async () => {
    await resolveVariables();
    const counts = await lastValueFrom(datasource.query(request(targetsOf('Objects by kind'))));
    expect(JSON.stringify(counts.data)).toContain('ResourceSet');
    // State history steps no finer than the scrape interval (15 s): a fleet started seconds ago may
    // not have a sample at a step yet, so wait for one as the other tests wait for their states.
    const timeline = async () => {
      const response = await lastValueFrom(datasource.query(request(targetsOf('State history'))));
      return response.data
        .map((frame: any) => `${frame.name ?? ''} ${JSON.stringify(frame.fields?.[1]?.labels ?? {})}`)
        .join('\n');
    };
    expect(await eventually(timeline, (names) => names.includes('FluxInstance'), 45)).toContain('FluxInstance');
  }, 60_000);
});
