/**
 * The *Flux object* dashboard (src/dashboards/flux-object.json): shipped (an app include), provisioned
 * (the docker compose environment mounts src/dashboards where provisioning/dashboards points), every
 * datasource reference and variable chain valid; and every query it makes — FluxGrid panels,
 * variables and annotations through the provisioned FluxGrid datasource, Prometheus panels and the
 * revision annotation through Grafana's own PrometheusDatasource — run against a real Prometheus
 * scraping the live fleet simulator, answering with data for a known object.
 *
 * Grafana's runtime is tests/harness/grafana-runtime.ts (Grafana's PrometheusDatasource over real
 * HTTP to the stand-in for Grafana's Go backend); the template service is the small typed one, set
 * the way a first visit through a grid link sets it (cluster All, the object's kind, namespace, name).
 */
import { queryPrometheus, startGrafanaRuntime, type GrafanaRuntime } from '../harness/grafana-runtime';

import path from 'path';
import { lastValueFrom } from 'rxjs';
import {
  AnnotationEvent,
  AnnotationQuery,
  DataFrame,
  DataQueryRequest,
  DataQueryResponse,
  ScopedVars,
} from '@grafana/data';
import type { PromQuery } from '@grafana/prometheus';

import type { FluxDatasource } from '../../src/datasource/datasource';
import { createFluxDatasource, FLUXGRID_DATASOURCE_TYPE } from '../../src/datasource/testing/fluxDatasource';
import { dataQueryRequest } from '../../src/datasource/testing/request';
import { FakeTemplateSrv, type FakeVariable } from '../../src/datasource/testing/templateSrv';
import type { FluxQuery, FluxVariableQuery } from '../../src/datasource/types';
import { allPanels, datasourceRefs, eventually, loadDashboards, readJson, readYaml, variableName } from './lib';
import { startLiveFleet, type LiveFleet } from './live';

const UID = 'fluxgrid-object';
const FILE = 'src/dashboards/flux-object.json';
const dashboard = loadDashboards().find((d) => d.json.uid === UID)!;
const json = dashboard?.json;

const variables = (): any[] => json.templating.list;
const variableByName = (name: string) => variables().find((v: any) => v.name === name);
const isFlux = (ref: any) => ref?.type === FLUXGRID_DATASOURCE_TYPE;
const isProm = (ref: any) => ref?.type === 'prometheus';

/** What the object is: Grafana fills these from the URL a grid cell links to. */
const IDENTITY = ['cluster', 'kind', 'namespace', 'name'];

function provisionedDatasources(): any[] {
  return readYaml('provisioning/datasources/fluxgrid.yaml').datasources;
}

describe('Flux object dashboard: shipped and provisioned', () => {
  it('exists, with the uid grid links point at', () => {
    expect(dashboard?.file).toBe(FILE);
    expect(json.title).toBe('Flux object');
  });

  it('is an app include of type dashboard', () => {
    const includes = readJson('src/plugin.json').includes.filter((i: any) => i.type === 'dashboard');
    expect(includes).toContainEqual(
      expect.objectContaining({ name: 'Flux object', path: 'dashboards/flux-object.json' })
    );
  });

  it('is provisioned: the dashboard provider reads the directory docker compose mounts src/dashboards at', () => {
    const providers = readYaml('provisioning/dashboards/fluxgrid.yaml').providers;
    const compose = readYaml('docker-compose.yaml');
    const mounts: string[] = compose.services.grafana.volumes;
    const mount = mounts.map((v) => v.split(':')).find(([from]) => path.normalize(from) === 'src/dashboards');
    expect(mount).toBeDefined();
    expect(providers.map((p: any) => p.options.path)).toContain(mount![1]);
    // Grafana's file provider reads every .json under the path: the file is there.
    expect(path.dirname(FILE)).toBe('src/dashboards');
  });

  it('has the same datasource variables and input conventions as the shipped dashboards', () => {
    const reconciliation = loadDashboards().find((d) => d.json.uid === 'fluxgrid-reconciliation')!.json;
    const fluxVariable = (d: any) =>
      d.templating.list.find((v: any) => v.type === 'datasource' && v.query === FLUXGRID_DATASOURCE_TYPE);
    expect(fluxVariable(json)).toEqual(fluxVariable(reconciliation));
    expect(json.__inputs).toBeUndefined();
    expect(JSON.stringify(json)).not.toMatch(/\$\{DS_/);
  });
});

describe('Flux object dashboard: references and variable chain', () => {
  it('every datasource reference is a datasource variable of its type, or Grafana built-in, and each type is provisioned', () => {
    const declared = new Map(
      variables()
        .filter((v) => v.type === 'datasource')
        .map((v) => [v.name, v.query])
    );
    const provisioned = provisionedDatasources().map((d) => d.type);
    const refs = datasourceRefs(json);
    expect(refs.length).toBeGreaterThan(10);
    for (const { where, ref } of refs) {
      if (ref.uid === '-- Grafana --') {
        expect({ where, type: ref.type }).toEqual({ where, type: 'grafana' });
        continue;
      }
      const name = variableName(ref.uid);
      expect({ where, type: declared.get(name ?? '') }).toEqual({ where, type: ref.type });
      expect({ where, provisioned: provisioned.includes(ref.type) }).toEqual({ where, provisioned: true });
    }
    for (const panel of allPanels(json)) {
      for (const target of panel.targets ?? []) {
        expect({ panel: panel.title, same: (target.datasource ?? panel.datasource).type }).toEqual({
          panel: panel.title,
          same: panel.datasource.type,
        });
      }
    }
  });

  it('chains cluster → kind → namespace → name through FluxGrid variable queries, each using only earlier ones', () => {
    const query = variables().filter((v) => v.type === 'query');
    expect(query.map((v) => v.name)).toEqual(IDENTITY);
    expect(query.map((v) => v.query.target)).toEqual(['clusters', 'kinds', 'namespaces', 'names']);
    query.forEach((v, i) => {
      expect(v.datasource).toEqual({ type: FLUXGRID_DATASOURCE_TYPE, uid: '${datasource}' });
      const earlier = IDENTITY.slice(0, i);
      const used = ['cluster', 'kind', 'namespace'].filter((f) => v.query[f] !== undefined);
      expect({ variable: v.name, used }).toEqual({ variable: v.name, used: earlier.filter((e) => e !== 'name') });
      for (const f of used) {
        expect(v.query[f]).toBe(`$${f}`);
      }
      expect(v.refresh).toBe(2); // on time range change: the chain follows the range
    });
    // One object: kind, namespace and name are single values; cluster may be All (one-cluster setups have none).
    for (const name of ['kind', 'namespace', 'name']) {
      expect({ name, multi: variableByName(name).multi, all: variableByName(name).includeAll }).toEqual({
        name,
        multi: false,
        all: false,
      });
    }
    expect(variableByName('cluster')).toEqual(
      expect.objectContaining({ includeAll: true, allValue: '.*', multi: false })
    );
  });

  it('filters every FluxGrid query (panels, annotations) by the four identity variables', () => {
    const targets = [
      ...allPanels(json).flatMap((p) => (p.targets ?? []).filter((t: any) => isFlux(t.datasource))),
      ...json.annotations.list.filter((a: any) => isFlux(a.datasource)).map((a: any) => a.target),
    ];
    expect(targets.length).toBeGreaterThanOrEqual(4);
    for (const t of targets) {
      expect([t.cluster, t.kind, t.namespace, t.name]).toEqual(['$cluster', '$kind', '$namespace', '$name']);
    }
  });

  it('filters every Prometheus query by the object (consumers: by its namespace and name as their source)', () => {
    const exprs = [
      ...allPanels(json).flatMap((p) =>
        (p.targets ?? []).filter((t: any) => isProm(t.datasource)).map((t: any) => ({ where: p.title, expr: t.expr }))
      ),
      ...json.annotations.list
        .filter((a: any) => isProm(a.datasource))
        .map((a: any) => ({ where: a.name, expr: a.target.expr })),
    ];
    expect(exprs.length).toBeGreaterThanOrEqual(8);
    for (const { where, expr } of exprs) {
      const needed =
        where === 'Consumers' ? ['$cluster', '$namespace', '$name'] : ['$cluster', '$kind', '$namespace', '$name'];
      for (const v of needed) {
        expect({ where, uses: v, found: expr.includes(`"${v}"`) }).toEqual({ where, uses: v, found: true });
      }
    }
  });

  it('has the panels the object story needs', () => {
    const byTitle = new Map(allPanels(json).map((p) => [p.title, p]));
    expect(byTitle.get('State over the range')).toEqual(
      expect.objectContaining({
        type: 'state-timeline',
        targets: [expect.objectContaining({ queryType: 'stateHistory' })],
      })
    );
    expect(byTitle.get('State changes')?.targets[0].queryType).toBe('stateChanges');
    expect(byTitle.get('Now')?.targets[0].queryType).toBe('objects');
    expect(
      byTitle.get('Reconcile duration')?.targets.map((t: any) => t.expr.match(/histogram_quantile\(([\d.]+)/)[1])
    ).toEqual(['0.5', '0.95', '0.99']);
    expect(byTitle.get('Reconciles per minute')?.targets[0].expr).toContain('gotk_reconcile_duration_seconds_count');
    for (const title of ['Reason over the range', 'Revision over the range', 'Source', 'Consumers', 'Labels']) {
      expect(byTitle.has(title)).toBe(true);
    }
    const annotations = json.annotations.list.map((a: any) => a.name);
    expect(annotations).toEqual(['Annotations & Alerts', 'Revision changes', 'Flux state changes', 'Flux events']);
  });

  it("shows the notification-controller's Grafana provider events of this object (its tags)", () => {
    const events = json.annotations.list.find((a: any) => a.name === 'Flux events');
    expect(events.target).toEqual(
      expect.objectContaining({
        type: 'tags',
        matchAny: false,
        tags: ['flux', 'kind: $kind', 'name: $name', 'namespace: $namespace'],
      })
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Live

/** Sources fetch new revisions and Kustomizations apply them; at 60x the 30m timeline loops every 30 s. */
const SCENARIO = 'simulator/scenarios/healthy.yaml';
const SPEED = 60;
const SCRAPE_SECONDS = 1;
/** A Kustomization of that fleet (source flux-system, which four Kustomizations name). */
const OBJECT = { kind: 'Kustomization', namespace: 'apps', name: 'podinfo' };
const WINDOW_MS = 3 * 60_000;
/** One step per scrape: the simulated timeline runs 60x, a revision may last seconds. */
const STEP = { intervalMs: SCRAPE_SECONDS * 1000 };

let fleet: LiveFleet | undefined;
let grafana: GrafanaRuntime | undefined;
let flux: FluxDatasource;
/**
 * The template service, told each variable's multi and includeAll as Grafana's models carry them:
 * Grafana's Prometheus datasource formats a value by them (a regex alternation for multi or All,
 * the value as is otherwise).
 */
class DashboardTemplateSrv extends FakeTemplateSrv {
  readonly flags = new Map<string, { multi: boolean; includeAll: boolean }>();

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    if (typeof format !== 'function') {
      return super.replace(target, scopedVars, format);
    }
    return super.replace(target, scopedVars, (value: unknown, model: { name?: string }) => {
      const flags = model?.name !== undefined ? this.flags.get(model.name) : undefined;
      return format(value, flags ? { ...model, ...flags } : model);
    });
  }

  /** The multi and includeAll of a dashboard's variables. */
  useDashboard(dashboard: any): void {
    this.flags.clear();
    for (const v of dashboard.templating.list) {
      this.flags.set(v.name, { multi: Boolean(v.multi), includeAll: Boolean(v.includeAll) });
    }
  }
}

const templateSrv = new DashboardTemplateSrv();
const provisioned = (type: string) => provisionedDatasources().find((d) => d.type === type);

/** The dashboard with its datasource variables resolved to the provisioned uids, as Grafana does. */
function resolvedDashboard(): any {
  const uids: Record<string, string> = {
    datasource: provisioned(FLUXGRID_DATASOURCE_TYPE).uid,
    prometheus: provisioned('prometheus').uid,
  };
  return JSON.parse(JSON.stringify(json), (key, value) =>
    key === 'uid' && typeof value === 'string' && variableName(value) && uids[variableName(value)!]
      ? uids[variableName(value)!]
      : value
  );
}

function range() {
  const to = Date.now();
  return { from: to - WINDOW_MS, to };
}

function fluxRequest<T extends FluxQuery | FluxVariableQuery>(targets: T[]): DataQueryRequest<T> {
  const { from, to } = range();
  return dataQueryRequest(
    targets,
    { fromMs: from, toMs: to },
    {
      requestId: 'dashboard-object',
      intervalMs: STEP.intervalMs,
      maxDataPoints: 1000,
      raw: { from: 'now-3m', to: 'now' },
    }
  );
}

function rows(response: DataQueryResponse): number {
  return response.data.reduce((sum: number, frame: DataFrame) => sum + frame.length, 0);
}

function errorsOf(response: DataQueryResponse): string[] {
  return [response.error, ...(response.errors ?? [])].filter(Boolean).map((e) => String(e!.message));
}

/** Sets the variables as a grid link does, after checking the chain offers each value. */
async function openObject(object: {
  kind: string;
  namespace: string;
  name: string;
}): Promise<Record<string, string[]>> {
  const vars: FakeVariable[] = [];
  templateSrv.variables = vars;
  templateSrv.useDashboard(json);
  const offered: Record<string, string[]> = {};
  for (const variable of variables().filter((v) => v.type === 'query')) {
    const values = await flux.variableValues(variable.query, fluxRequest([variable.query]));
    offered[variable.name] = values;
    if (variable.name === 'cluster') {
      vars.push({ name: 'cluster', options: values, current: '$__all', allValue: variable.allValue });
    } else {
      vars.push({ name: variable.name, options: values, current: object[variable.name as keyof typeof object] });
    }
  }
  return offered;
}

/** Labels that name an object's source on the info series (what the Source and Consumers panels read). */
const SOURCE_NAME_LABELS = ['source_name', 'chart_source_name', 'chart_ref_name'];

/** Every info series of the fleet now, straight from Prometheus' series API. */
async function infoSeries(): Promise<Array<Record<string, string>>> {
  const match = encodeURIComponent('{__name__=~"gotk_resource_info|flux_resource_info"}');
  const now = Math.floor(Date.now() / 1000);
  return fleet!.api(`/api/v1/series?match[]=${match}&start=${now - 5}&end=${now}`);
}

/** A table frame's rows as label maps. */
function tableRows(frame: DataFrame | undefined): Array<Record<string, string>> {
  if (!frame) {
    return [];
  }
  return Array.from({ length: frame.length }, (_, i) =>
    Object.fromEntries(frame.fields.map((f) => [f.name, String(f.values[i])]))
  );
}

/** The fleet, Grafana's runtime for it and the provisioned FluxGrid datasource over it. */
async function startFleet(scenario: string): Promise<void> {
  fleet = await startLiveFleet({ scenario, speed: SPEED, scrapeIntervalSeconds: SCRAPE_SECONDS });
  const prometheus = provisioned('prometheus');
  const fluxgrid = provisioned(FLUXGRID_DATASOURCE_TYPE);
  grafana = await startGrafanaRuntime({
    prometheusUrl: fleet.prometheus.url,
    uid: prometheus.uid,
    name: prometheus.name,
    // Its scrape interval setting says what the scrapes do (provisioning: 15 s; here 1 s).
    jsonData: { ...prometheus.jsonData, timeInterval: `${SCRAPE_SECONDS}s` },
    templateSrv,
  });
  flux = createFluxDatasource(fluxgrid.jsonData, {
    uid: fluxgrid.uid,
    name: fluxgrid.name,
    templateSrv,
    dataSourceSrv: grafana.dataSourceSrv,
  });
}

async function stopFleet(): Promise<void> {
  await grafana?.close();
  await fleet?.stop();
  grafana = undefined;
  fleet = undefined;
}

/** One panel's answer, through the datasource it names. */
async function panelAnswer(title: string): Promise<DataQueryResponse> {
  const panel = allPanels(resolvedDashboard()).find((p) => p.title === title);
  expect(panel).toBeDefined();
  return isFlux(panel.datasource)
    ? lastValueFrom(flux.query(fluxRequest(panel.targets)))
    : queryPrometheus(grafana!.prometheus, panel.targets, range(), STEP);
}

async function revisionEvents(anno: any): Promise<AnnotationEvent[]> {
  const support = grafana!.prometheus.annotations!;
  const prepared: AnnotationQuery<PromQuery> = support.prepareAnnotation!({ ...anno });
  const response = await queryPrometheus(grafana!.prometheus, [prepared.target!], range(), STEP);
  expect(errorsOf(response)).toEqual([]);
  if (response.data.length === 0) {
    return []; // processEvents' observable never completes without frames
  }
  return (await lastValueFrom(support.processEvents!(prepared, response.data))) ?? [];
}

describe("live: the simulated fleet through a real Prometheus and Grafana's PrometheusDatasource", () => {
  beforeAll(() => startFleet(SCENARIO), 180_000);

  afterAll(stopFleet);

  describe('Flux object dashboard, for a known object', () => {
    it('the variable chain offers the object', async () => {
      const offered = await openObject(OBJECT);
      expect(offered.cluster).toEqual([]);
      expect(offered.kind).toContain(OBJECT.kind);
      expect(offered.namespace).toContain(OBJECT.namespace);
      expect(offered.name).toContain(OBJECT.name);
    }, 60_000);

    it('every panel query answers without error, with data (FluxGrid and Prometheus)', async () => {
      await openObject(OBJECT);
      const resolved = resolvedDashboard();
      // No state change happens in a healthy fleet; its table may be empty, but must not fail.
      const mayBeEmpty = new Set(['State changes', 'Source', 'Consumers', 'Reason over the range']);
      type Problem = { panel: string; problem: string };
      const attempt = async (): Promise<Problem[]> => {
        const problems: Problem[] = [];
        for (const panel of allPanels(resolved)) {
          const response = isFlux(panel.datasource)
            ? await lastValueFrom(flux.query(fluxRequest(panel.targets)))
            : await queryPrometheus(grafana!.prometheus, panel.targets, range(), STEP);
          const errors = errorsOf(response);
          if (errors.length) {
            problems.push({ panel: panel.title, problem: errors.join('; ') });
          } else if (rows(response) === 0 && !mayBeEmpty.has(panel.title)) {
            problems.push({ panel: panel.title, problem: 'no data' });
          }
        }
        return problems;
      };
      const problems = await eventually(attempt, (p) => p.length === 0 || p.some((x) => x.problem !== 'no data'), 60);
      expect(problems).toEqual([]);
    }, 120_000);

    it('reason over the range: the Flux Operator reason of the object', async () => {
      await openObject(OBJECT);
      const panel = allPanels(resolvedDashboard()).find((p) => p.title === 'Reason over the range');
      const response = await queryPrometheus(grafana!.prometheus, panel.targets, range(), STEP);
      const reasons = response.data.map((f: DataFrame) => f.fields[1]?.labels?.reason);
      expect(reasons).toEqual(['ReconciliationSucceeded']);
    }, 60_000);

    it('labels: one table per info series, each a label/value row list naming the object', async () => {
      await openObject(OBJECT);
      const panel = allPanels(resolvedDashboard()).find((p) => p.title === 'Labels');
      const response = await queryPrometheus(grafana!.prometheus, panel.targets, range(), STEP);
      const names = response.data.map((f: DataFrame) => f.fields[1]?.labels?.__name__).sort();
      expect(names).toEqual(['flux_resource_info', 'gotk_resource_info']);
      for (const frame of response.data) {
        expect(frame.fields[1].labels).toEqual(
          expect.objectContaining({ name: OBJECT.name, exported_namespace: OBJECT.namespace })
        );
      }
    }, 60_000);

    it('consumers of a source: every object of its namespace that names it, once each (both exporters merged)', async () => {
      // flux-system is the source every Kustomization of this fleet names, in every namespace.
      templateSrv.useDashboard(json);
      templateSrv.variables = [
        { name: 'cluster', options: [], current: '$__all', allValue: '.*' },
        { name: 'kind', options: ['GitRepository'], current: 'GitRepository' },
        { name: 'namespace', options: ['flux-system'], current: 'flux-system' },
        { name: 'name', options: ['flux-system'], current: 'flux-system' },
      ];
      const panel = allPanels(resolvedDashboard()).find((p) => p.title === 'Consumers');
      const response = await queryPrometheus(grafana!.prometheus, panel.targets, range(), STEP);
      expect(errorsOf(response)).toEqual([]);
      const consumers = tableRows(response.data[0]).map((r) => `${r.kind} ${r.exported_namespace}/${r.name}`);
      // The oracle: the info series themselves, as Prometheus lists them. A reference names a source
      // in the consumer's own namespace: apps/podinfo's flux-system is another object.
      const expected = (await infoSeries())
        .filter((s) => s.exported_namespace === 'flux-system')
        .filter((s) => SOURCE_NAME_LABELS.some((label) => s[label] === 'flux-system'))
        .map((s) => `${s.customresource_kind ?? s.kind} ${s.exported_namespace}/${s.name}`);
      expect(expected.length).toBeGreaterThan(0);
      expect(consumers.sort()).toEqual(Array.from(new Set(expected)).sort());
      expect(consumers).not.toContain(`Kustomization ${OBJECT.namespace}/${OBJECT.name}`);
    }, 60_000);

    it('revision changes annotate "main@sha1:<7> → main@sha1:<7>", the full new revision in the text', async () => {
      await openObject(OBJECT);
      const anno = resolvedDashboard().annotations.list.find((a: any) => a.name === 'Revision changes');
      const events = await eventually(
        () => revisionEvents(anno),
        (e) => e.length > 0,
        90
      );
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) {
        expect(event.title).toMatch(/^main@sha1:[0-9a-f]{7} → main@sha1:[0-9a-f]{7}$/);
        expect(event.text).toMatch(/^Revision main@sha1:[0-9a-f]{40}$/);
        const [from, to] = event.title!.split(' → ');
        expect(from).not.toBe(to);
        expect(event.text).toContain(to);
      }
    }, 120_000);

    it('state changes annotations answer through the FluxGrid datasource', async () => {
      await openObject(OBJECT);
      const anno = resolvedDashboard().annotations.list.find((a: any) => a.name === 'Flux state changes');
      const response = await lastValueFrom(flux.query(fluxRequest([{ ...anno.target, queryType: 'stateChanges' }])));
      expect(errorsOf(response)).toEqual([]);
      expect(response.data[0]?.name).toBe('State changes');
    }, 60_000);
  });

  describe('Flux reconciliation dashboard: revision changes annotation', () => {
    const reconciliation = loadDashboards().find((d) => d.json.uid === 'fluxgrid-reconciliation')!.json;

    it("is a Prometheus annotation over the dashboard's Prometheus variable, filtered by its variables", () => {
      const anno = reconciliation.annotations.list.find((a: any) => a.name === 'Revision changes');
      expect(anno.datasource).toEqual({ type: 'prometheus', uid: '${prometheus}' });
      const prometheus = reconciliation.templating.list.find((v: any) => v.name === 'prometheus');
      expect(prometheus).toEqual(expect.objectContaining({ type: 'datasource', query: 'prometheus' }));
      for (const v of ['cluster', 'kind', 'namespace']) {
        expect(anno.target.expr).toContain(`=~"$${v}"`);
      }
    });

    it('annotates each object\'s revision change, "<kind> <namespace>/<name>: old → new", with every variable at All', async () => {
      // A first visit: every variable All, the options from the FluxGrid variable queries.
      templateSrv.useDashboard(reconciliation);
      const vars: FakeVariable[] = [];
      templateSrv.variables = vars;
      for (const variable of reconciliation.templating.list.filter((v: any) => v.type === 'query')) {
        const values = await flux.variableValues(variable.query, fluxRequest([variable.query]));
        vars.push({ name: variable.name, options: values, current: '$__all' });
      }
      const resolved = JSON.parse(
        JSON.stringify(reconciliation.annotations.list.find((a: any) => a.name === 'Revision changes')).replace(
          '${prometheus}',
          provisioned('prometheus').uid
        )
      );
      const podinfo = `${OBJECT.kind} ${OBJECT.namespace}/${OBJECT.name}: `;
      const events = await eventually(
        () => revisionEvents(resolved),
        // Scraping may start after the first GitRepository change: wait for one of each.
        (e) =>
          e.some((event) => event.title?.startsWith(podinfo)) &&
          e.some((event) => event.title?.startsWith('GitRepository ')),
        90
      );
      expect(events.some((event) => event.title?.startsWith(podinfo))).toBe(true);
      for (const event of events) {
        const m = /^(\w+) ([\w-]+)\/([\w-]+): (\S+) → (\S+)$/.exec(event.title ?? '');
        expect({ title: event.title, parsed: m !== null }).toEqual({ title: event.title, parsed: true });
        expect(m![4]).not.toBe(m![5]);
        expect(event.text).toMatch(/^Revision \S+$/);
      }
      // Sources fetch new revisions too (GitRepository at 10m of the timeline), not only Kustomizations.
      expect(new Set(events.map((e) => e.title!.split(' ')[0]))).toContain('GitRepository');
    }, 120_000);
  });
});

describe('live: a failing source (scenario failing-source)', () => {
  beforeAll(() => startFleet('simulator/scenarios/failing-source.yaml'), 180_000);
  afterAll(stopFleet);

  /** The GitRepository fails at 5m, the Kustomizations built from it at 6m-8m (6-8 s at 60x). */
  const APPS = { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' };
  const SOURCE = { kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' };

  it("a consumer's Source panel shows the failing GitRepository", async () => {
    await openObject(APPS);
    const read = async () => tableRows((await panelAnswer('Source')).data[0]);
    const rowsNow = await eventually(read, (r) => r.some((row) => row.ready === 'False'), 60);
    expect(rowsNow).toEqual([
      expect.objectContaining({
        kind: SOURCE.kind,
        exported_namespace: SOURCE.namespace,
        name: SOURCE.name,
        ready: 'False',
      }),
    ]);
  }, 90_000);

  it("the source's Consumers panel lists the Kustomizations and HelmReleases of its namespace, not the team's same-named reference", async () => {
    await openObject(SOURCE);
    const consumers = tableRows((await panelAnswer('Consumers')).data[0]).map(
      (r) => `${r.kind} ${r.exported_namespace}/${r.name}`
    );
    // As the scenario names them (simulator/scenarios/failing-source.yaml).
    expect(consumers.sort()).toEqual([
      // Charts at a path in the GitRepository: chart_source_name (kube-state-metrics), source_name (operator).
      ...['platform', 'tenant-base'].map((name) => `HelmRelease flux-system/${name}`),
      ...['apps', 'infra', 'monitoring', 'tenants'].map((name) => `Kustomization flux-system/${name}`),
    ]);
  }, 60_000);

  it('state changes, reason and state over the range tell the failure', async () => {
    await openObject(APPS);
    const changes = await eventually(
      async () => tableRows((await panelAnswer('State changes')).data[0]),
      (r) => r.some((row) => row.title.includes('became Failed')),
      90
    );
    expect(changes.map((c) => c.title)).toContainEqual(expect.stringContaining('became Failed'));
    const reasons = (await panelAnswer('Reason over the range')).data.map(
      (f: DataFrame) => f.fields[1]?.labels?.reason
    );
    expect(reasons).toContain('ArtifactFailed');
    const history = await panelAnswer('State over the range');
    expect(JSON.stringify(history.data)).toContain('Failed');
  }, 150_000);
});
