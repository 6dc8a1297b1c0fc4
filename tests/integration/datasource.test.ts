/**
 * The FluxGrid datasource end to end: every query type and schema, through Grafana's real
 * PrometheusDatasource (over real HTTP to the Go-backend stand-in), against a real Prometheus
 * holding the scenario library's backfilled history. Health-check and query-path messages for
 * each failure.
 *
 * @jest-environment node
 */
import { startGrafanaRuntime, type GrafanaRuntime } from '../harness/grafana-runtime';

import { readdirSync } from 'fs';
import * as path from 'path';
import { lastValueFrom } from 'rxjs';
import {
  AnnotationQuery,
  DataFrame,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  TestDataSourceResponse,
} from '@grafana/data';

import { FLUXGRID_FIELDS, readFluxFrames } from '../../src/flux';
import type { FluxState } from '../../src/flux/types';
import { FluxDatasource } from '../../src/datasource/datasource';
import { createFluxDatasource, fluxGridPluginMeta } from '../../src/datasource/testing/fluxDatasource';
import { dataQueryRequest } from '../../src/datasource/testing/request';
import { FakeTemplateSrv } from '../../src/datasource/testing/templateSrv';
import type { FluxDataSourceOptions, FluxQuery, FluxVariableQuery } from '../../src/datasource/types';
import { FluxVariableSupport } from '../../src/datasource/variables';
import {
  expectedStates,
  loadScenario,
  scenarioToOpenMetrics,
  schemasAt,
  type Scenario,
  type SimulatedSchema,
} from '../../simulator';
import { freePort, startPrometheus, type PrometheusServer } from '../harness/prometheus';

/** Grafana's template service for FluxGrid and Prometheus alike (one per Grafana, as there). */
const templateSrv = new FakeTemplateSrv();
/** The Grafana runtime of the describe block running now. */
let grafana: GrafanaRuntime;

jest.setTimeout(120_000);

const SCENARIOS = path.join(__dirname, '..', '..', 'simulator', 'scenarios');
const MINUTE = 60_000;

const fluxDatasource = (jsonData: FluxDataSourceOptions) =>
  createFluxDatasource(jsonData, { templateSrv, dataSourceSrv: grafana.dataSourceSrv });

function request<T extends FluxQuery | FluxVariableQuery>(
  targets: T[],
  toMs: number,
  fromMs = toMs - 60 * MINUTE
): DataQueryRequest<T> {
  return dataQueryRequest(targets, { fromMs, toMs });
}

async function run(
  ds: FluxDatasource,
  targets: FluxQuery[],
  toMs: number,
  fromMs?: number
): Promise<DataQueryResponse> {
  return lastValueFrom(ds.query(request(targets, toMs, fromMs)));
}

function objectStates(frames: DataFrame[]): Map<string, FluxState> {
  const reading = readFluxFrames(frames);
  expect(reading.schemas).toEqual(frames[0]?.length ? ['fluxgrid'] : []);
  return new Map(reading.objects.map((o) => [o.key, o.state]));
}

function differences(actual: Map<string, FluxState>, expected: Map<string, FluxState>) {
  const out: Record<string, { datasource?: FluxState; expected?: FluxState }> = {};
  for (const key of new Set([...actual.keys(), ...expected.keys()])) {
    if (actual.get(key) !== expected.get(key)) {
      out[key.split('\u001f').join('/')] = { datasource: actual.get(key), expected: expected.get(key) };
    }
  }
  return out;
}

const SCHEMA_SETTING: Record<SimulatedSchema, FluxDataSourceOptions['schema']> = {
  'legacy-2.0': 'legacy',
  'legacy-2.4': 'legacy',
  'kube-state-metrics': 'kube-state-metrics',
  'flux-operator': 'flux-operator',
};

/** One Prometheus per scenario, with Grafana's Prometheus datasource in front of it. */
function withScenario(file: string) {
  const scenario = loadScenario(path.join(SCENARIOS, file));
  const ctx = {} as { scenario: Scenario; prometheus: PrometheusServer; grafana: GrafanaRuntime };
  ctx.scenario = scenario;
  beforeAll(async () => {
    ctx.prometheus = await startPrometheus({ openMetrics: scenarioToOpenMetrics(scenario) });
    ctx.grafana = grafana = await startGrafanaRuntime({ prometheusUrl: ctx.prometheus.url, templateSrv });
  });
  afterAll(async () => {
    await ctx.grafana?.close();
    await ctx.prometheus?.stop();
  });
  return ctx;
}

const at = (scenario: Scenario, offsetSeconds: number) => scenario.startMs + offsetSeconds * 1000;

// -----------------------------------------------------------------------------------------------
// Objects: every scenario, every schema, every expect instant

// Every scenario of the library but the 10k-object fleet (a benchmark, too big to backfill here).
const stateScenarios = readdirSync(SCENARIOS)
  .filter((f) => f.endsWith('.yaml') && f !== 'fleet-10k.yaml')
  .sort();

/** The richest schema a scenario exports: the one that decides in auto mode (as in the core). */
const RICHEST: SimulatedSchema[] = ['flux-operator', 'kube-state-metrics', 'legacy-2.4', 'legacy-2.0'];
/** Kinds that only some schemas report (no state series in the others): may show up in auto mode. */
const ONLY_SOME_SCHEMAS = new Set(['Alert', 'Provider']);

describe.each(stateScenarios)('Objects on scenario %s', (file) => {
  const ctx = withScenario(file);
  const scenario = loadScenario(path.join(SCENARIOS, file));
  const cases = scenario.expect.flatMap((entry) =>
    schemasAt(scenario, entry).map((schema) => [schema, entry.at] as const)
  );

  // Three for the objects, one (a single series) for whether FluxGrid's recording rules cover the range.
  it.each(cases)('%s at %ss: the expected states, in at most 4 Prometheus queries', async (schema, offset) => {
    const ds = fluxDatasource({ prometheusUid: 'prom', schema: SCHEMA_SETTING[schema] });
    ctx.grafana.backend.requestLog.reset();
    const response = await run(ds, [{ refId: 'A', queryType: 'objects' }], at(scenario, offset));
    expect(response.errors ?? []).toEqual([]);
    expect(ctx.grafana.backend.requestLog.requests).toBeLessThanOrEqual(4);
    const expected = expectedStates(scenario, offset, { schema, includeDeleted: false });
    expect(differences(objectStates(response.data), expected)).toEqual({});
  });

  // Only instants where every schema in Prometheus can be read (see flapping.yaml: backfilled
  // data has no staleness markers); there the richest one decides, as in the core.
  const autoCases = scenario.expect
    .filter((entry) => schemasAt(scenario, entry).length === scenario.schemas.length)
    .map((e) => [e.at] as const);
  // A scenario with no such instant (flapping) has no auto-schema case: nothing to skip.
  const autoIt = autoCases.length > 0 ? it.each(autoCases) : () => undefined;
  autoIt('auto schema at %ss: the expected states', async (offset: number) => {
    const richest = RICHEST.find((s) => scenario.schemas.includes(s))!;
    const ds = fluxDatasource({ prometheusUid: 'prom' });
    const response = await run(ds, [{ refId: 'A', queryType: 'objects' }], at(scenario, offset));
    expect(response.errors ?? []).toEqual([]);
    const expected = expectedStates(scenario, offset, { schema: richest, includeDeleted: false });
    const actual = objectStates(response.data);
    // Alert/Provider, which only a poorer schema reports, may show up too; anything else the
    // richest schema does not expect (a Deleted object, a reconcile-counter ghost) is a failure.
    for (const key of actual.keys()) {
      if (!expected.has(key) && ONLY_SOME_SCHEMAS.has(key.split('\u001f')[1])) {
        actual.delete(key);
      }
    }
    expect(differences(actual, expected)).toEqual({});
  });
});

// -----------------------------------------------------------------------------------------------
// The PromQL state rules (stateSeries: legacy Deleted mask, suspend precedence, DependencyNotReady)
// against real Prometheus: the last step of State history is each object's expected state.

/** Each object's state at the last step of a State history answer (objects gone by then left out). */
function lastStepStates(frames: DataFrame[]): Map<string, FluxState> {
  const out = new Map<string, FluxState>();
  for (const frame of frames) {
    const state = frame.fields[1];
    const last = state.values[state.values.length - 1] as FluxState | null;
    if (last !== null && last !== undefined) {
      const { cluster, kind, namespace, name } = state.labels!;
      out.set([cluster, kind, namespace, name].join('\u001f'), last);
    }
  }
  return out;
}

describe.each(stateScenarios)('State history on scenario %s', (file) => {
  withScenario(file);
  const scenario = loadScenario(path.join(SCENARIOS, file));
  const cases = scenario.expect.flatMap((entry) =>
    schemasAt(scenario, entry).map((schema) => [schema, entry.at] as const)
  );

  it.each(cases)('%s at %ss: the last step has the expected states', async (schema, offset) => {
    const ds = fluxDatasource({ prometheusUid: 'prom', schema: SCHEMA_SETTING[schema] });
    const to = at(scenario, offset);
    const response = await run(ds, [{ refId: 'A', queryType: 'stateHistory' }], to, to - 10 * MINUTE);
    expect(response.errors ?? []).toEqual([]);
    const expected = expectedStates(scenario, offset, { schema, includeDeleted: false });
    expect(differences(lastStepStates(response.data), expected)).toEqual({});
  });
});

// -----------------------------------------------------------------------------------------------
// Time in state, last reconcile, and the other query types on one scenario

function rows(frame: DataFrame): Array<Record<string, unknown>> {
  return Array.from({ length: frame.length }, (_, i) =>
    Object.fromEntries(frame.fields.map((f) => [f.name, f.values[i]]))
  );
}

describe('failure-recovery: since, last reconcile, summary, history, changes, durations', () => {
  const ctx = withScenario('failure-recovery.yaml');
  const scenario = loadScenario(path.join(SCENARIOS, 'failure-recovery.yaml'));
  const podinfo = (r: Record<string, unknown>) => r.kind === 'Kustomization' && r.name === 'podinfo';
  const nginx = (r: Record<string, unknown>) => r.kind === 'HelmRelease' && r.name === 'ingress-nginx';
  // Exact to one subquery step (240 s for 1 h) and a scrape (the scenario's 30 s step), for every
  // schema: the steps see which series are there, not their sample times (timestamp() of every
  // series at every step is what made the query slow, bench/objects-scale.bench.ts).
  const STEP_SLACK = 270_000;
  const SLACK = STEP_SLACK;

  it.each(['flux-operator', 'kube-state-metrics', 'legacy'] as const)(
    '%s: time in state is computed in PromQL',
    async (schema) => {
      const ds = fluxDatasource({ prometheusUid: 'prom', schema });
      const slack = schema === 'legacy' ? STEP_SLACK : SLACK;
      const to = at(scenario, 20 * 60);
      const response = await run(ds, [{ refId: 'A', queryType: 'objects' }], to);
      expect(response.errors ?? []).toEqual([]);
      const table = rows(response.data[0]);
      const failed = table.find(podinfo)!;
      expect(failed.state).toBe('Failed');
      expect(Math.abs((failed.since as number) - at(scenario, 10 * 60))).toBeLessThanOrEqual(slack);
      // In its state since the data began (the scenario start, inside the 1 h range).
      const healthy = table.find((r) => r.kind === 'GitRepository')!;
      expect(healthy.state).toBe('Ready');
      expect(Math.abs((healthy.since as number) - scenario.startMs)).toBeLessThanOrEqual(STEP_SLACK);

      const later = rows((await run(ds, [{ refId: 'A', queryType: 'objects' }], at(scenario, 50 * 60))).data[0]);
      const recovered = later.find(podinfo)!;
      expect(recovered.state).toBe('Ready');
      expect(Math.abs((recovered.since as number) - at(scenario, 40 * 60))).toBeLessThanOrEqual(slack);
      const nginxNow = later.find(nginx)!;
      expect(Math.abs((nginxNow.since as number) - at(scenario, 27 * 60))).toBeLessThanOrEqual(slack);
    }
  );

  it('last reconcile comes from gotk_reconcile_duration_seconds_count, within the range', async () => {
    const ds = fluxDatasource({ prometheusUid: 'prom' });
    const to = at(scenario, 50 * 60);
    const table = rows((await run(ds, [{ refId: 'A', queryType: 'objects' }], to)).data[0]);
    const reconciled = table.filter((r) => typeof r.lastReconcile === 'number');
    expect(reconciled.length).toBeGreaterThan(table.length / 2);
    for (const r of reconciled) {
      expect(r.lastReconcile as number).toBeLessThanOrEqual(to);
      expect(r.lastReconcile as number).toBeGreaterThan(to - 60 * MINUTE);
    }
  });

  it('a "now" with milliseconds is asked at its whole second: the same objects, no fraction sent', async () => {
    const ds = fluxDatasource({ prometheusUid: 'prom' });
    const to = at(scenario, 50 * 60);
    expect(to % 1000).toBe(0);
    const whole = rows((await run(ds, [{ refId: 'A', queryType: 'objects' }], to)).data[0]);
    ctx.grafana.backend.requestLog.reset();
    // Grafana's "now" (and Prometheus' answers, which repeat the query's time in every sample).
    const withMs = rows(
      (await run(ds, [{ refId: 'A', queryType: 'objects' }], to + 987, to + 987 - 60 * MINUTE)).data[0]
    );
    expect(withMs).toEqual(whole);
    const records = ctx.grafana.backend.requestLog.records;
    expect(records.length).toBeGreaterThanOrEqual(3);
    for (const { params } of records) {
      expect(params.time).toBe(String(to / 1000));
      // Every epoch literal of the PromQL (`@ t`, `* 0 + t`) a whole second too.
      expect(params.query.match(/\d{10}\.\d/g)).toBeNull();
    }
  });

  it("the Objects frame is marked as FluxGrid's and displays as a table", async () => {
    const ds = fluxDatasource({ prometheusUid: 'prom' });
    const [frame] = (await run(ds, [{ refId: 'A', queryType: 'objects' }], at(scenario, 20 * 60))).data as DataFrame[];
    expect(frame.meta?.custom?.fluxgrid).toEqual({ version: 1 });
    // The contract's fields, then "in this state at least since the range start" for the panel,
    // then "Blocked by" and the (hidden) source object (relations.ts); no Message column: the
    // scenario exports no ready_message.
    expect(frame.fields.map((f) => f.name)).toEqual([
      ...FLUXGRID_FIELDS,
      'sinceIsLowerBound',
      'blockedBy',
      'sourceRef',
    ]);
    const state = frame.fields.find((f) => f.name === 'state')!;
    expect(state.config.mappings?.[0]).toMatchObject({
      options: { Failed: { color: 'red' }, Ready: { color: 'green' } },
    });
    // Most severe first.
    expect(rows(frame)[0].state).toBe('Failed');
  });

  it('Summary counts per state and per kind (one Prometheus query)', async () => {
    const ds = fluxDatasource({ prometheusUid: 'prom', schema: 'flux-operator' });
    ctx.grafana.backend.requestLog.reset();
    const response = await run(
      ds,
      [
        { refId: 'S', queryType: 'summary', summaryBy: 'state' },
        { refId: 'K', queryType: 'summary', summaryBy: 'kind' },
      ],
      at(scenario, 20 * 60)
    );
    expect(ctx.grafana.backend.requestLog.requests).toBe(2);
    const [byState, byKind] = response.data as DataFrame[];
    const total = expectedStates(scenario, 20 * 60, { schema: 'flux-operator', includeDeleted: false });
    const failed = Array.from(total.values()).filter((s) => s === 'Failed').length;
    expect(rows(byState)[0]).toMatchObject({ objects: 'All', Failed: failed, Total: total.size });
    expect(rows(byKind).find((r) => r.kind === 'Kustomization')).toMatchObject({ Failed: 1 });
    expect(rows(byKind).find((r) => r.kind === 'HelmRelease')).toMatchObject({ Failed: 1 });
  });

  it.each(['flux-operator', 'kube-state-metrics', 'legacy'] as const)(
    '%s: State history is one frame per object with a string state',
    async (schema) => {
      const ds = fluxDatasource({ prometheusUid: 'prom', schema });
      const response = await run(
        ds,
        [{ refId: 'A', queryType: 'stateHistory', kind: 'Kustomization' }],
        at(scenario, 60 * 60)
      );
      expect(response.errors ?? []).toEqual([]);
      const frames = response.data as DataFrame[];
      const kustomizations = Array.from(expectedStates(scenario, 50 * 60, { includeDeleted: false }).keys()).filter(
        (key) => key.split('\u001f')[1] === 'Kustomization'
      );
      expect(frames.length).toBe(kustomizations.length);
      const frame = frames.find((f) => f.name === 'Kustomization apps/podinfo')!;
      expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
        ['time', 'time'],
        ['state', 'string'],
      ]);
      const states = frame.fields[1].values as Array<string | null>;
      const runs = states.filter((s, i) => s !== null && s !== states[i - 1]);
      expect(runs).toEqual(['Ready', 'Failed', 'Ready']);
    }
  );

  it.each(['flux-operator', 'kube-state-metrics', 'legacy'] as const)(
    '%s: state changes read "became Failed" and "recovered"',
    async (schema) => {
      const ds = fluxDatasource({ prometheusUid: 'prom', schema });
      const response = await run(ds, [{ refId: 'A', queryType: 'stateChanges' }], at(scenario, 60 * 60));
      const changes = rows(response.data[0]);
      const titles = changes.map((c) => c.title);
      expect(titles).toEqual([
        'Kustomization apps/podinfo became Failed',
        'HelmRelease infra/ingress-nginx became Failed',
        'HelmRelease infra/ingress-nginx recovered',
        'Kustomization apps/podinfo recovered',
      ]);
      expect(Math.abs((changes[0].time as number) - at(scenario, 10 * 60))).toBeLessThanOrEqual(STEP_SLACK);
    }
  );

  it('annotations go through query() with the stateChanges query', async () => {
    const ds = fluxDatasource({ prometheusUid: 'prom' });
    const annotation: AnnotationQuery<FluxQuery> = {
      name: 'Flux',
      enable: true,
      iconColor: 'red',
      target: { refId: 'X', kind: 'HelmRelease' },
    };
    const target = ds.annotations.prepareQuery!(annotation)!;
    expect(target.queryType).toBe('stateChanges');
    const response = await run(ds, [target], at(scenario, 60 * 60));
    expect(rows(response.data[0]).map((r) => r.title)).toEqual([
      'HelmRelease infra/ingress-nginx became Failed',
      'HelmRelease infra/ingress-nginx recovered',
    ]);
  });

  it('State history and State changes step no finer than the scrape interval, whatever the dashboard hands', async () => {
    // A dashboard run by scenes hands a 2 s interval for a short range; the Prometheus
    // datasource's scrape interval (unset here) is Grafana's default 15 s.
    const ds = fluxDatasource({ prometheusUid: 'prom' });
    // 5 to 15 minutes: podinfo fails at 10.
    const to = at(scenario, 15 * 60);
    const ask = (queryType: 'stateHistory' | 'stateChanges') =>
      lastValueFrom(
        ds.query({
          ...request([{ refId: 'A', queryType, kind: 'Kustomization' }], to, to - 10 * MINUTE),
          interval: '2s',
          intervalMs: 2_000,
        })
      );
    const history = await ask('stateHistory');
    expect(history.errors ?? []).toEqual([]);
    const times = (history.data[0] as DataFrame).fields[0].values as number[];
    const steps = times.slice(1).map((t, i) => t - times[i]);
    expect(Math.min(...steps)).toBe(15_000);
    expect(times.length).toBeLessThanOrEqual(10 * 4 + 1);
    // State changes ask the same question: still found, at 15 s resolution.
    const changes = rows((await ask('stateChanges')).data[0]);
    expect(changes.map((c) => c.title)).toEqual(['Kustomization apps/podinfo became Failed']);
  });

  it('Reconcile duration: p50/p95/max/count per object, slowest first, limited, in one query', async () => {
    const ds = fluxDatasource({ prometheusUid: 'prom' });
    ctx.grafana.backend.requestLog.reset();
    const response = await run(ds, [{ refId: 'A', queryType: 'reconcileDuration', limit: 3 }], at(scenario, 60 * 60));
    expect(response.errors ?? []).toEqual([]);
    expect(ctx.grafana.backend.requestLog.requests).toBe(1);
    const table = rows(response.data[0]);
    expect(table).toHaveLength(3);
    for (let i = 1; i < table.length; i++) {
      expect(table[i - 1].p95 as number).toBeGreaterThanOrEqual(table[i].p95 as number);
    }
    for (const r of table) {
      expect(r.count as number).toBeGreaterThan(0);
      expect(r.p50 as number).toBeLessThanOrEqual(r.p95 as number);
      expect(r.p95 as number).toBeLessThanOrEqual(r.max as number);
    }
  });
});

// -----------------------------------------------------------------------------------------------
// Filters and variables (two clusters)

describe('two-clusters: filters with variables, multi-value and All; query variables', () => {
  withScenario('two-clusters.yaml');
  const scenario = loadScenario(path.join(SCENARIOS, 'two-clusters.yaml'));
  const to = () => at(scenario, 15 * 60);
  afterEach(() => {
    templateSrv.variables = [];
  });
  const names = async (query: Partial<FluxQuery>, ds = fluxDatasource({ prometheusUid: 'prom' })) => {
    const response = await run(ds, [{ refId: 'A', queryType: 'objects', ...query }], to());
    expect(response.errors ?? []).toEqual([]);
    return rows(response.data[0])
      .map((r) => `${r.cluster}/${r.kind}/${r.namespace}/${r.name}`)
      .sort();
  };

  it('cluster, kind and namespace filters are exact; name is a regex', async () => {
    const all = await names({});
    expect(new Set(all.map((n) => n.split('/')[0]))).toEqual(new Set(['prod-eu', 'prod-us']));
    const eu = await names({ cluster: 'prod-eu' });
    expect(eu.length).toBe(all.length / 2);
    expect(eu.every((n) => n.startsWith('prod-eu/'))).toBe(true);
    expect(await names({ cluster: 'prod' })).toEqual([]);
    expect((await names({ kind: 'Kustomization', namespace: 'apps', name: 'pod.*' })).length).toBe(2);
    expect(await names({ state: 'Failed' })).toEqual(['prod-eu/Kustomization/apps/podinfo']);
    expect(await names({ state: 'Suspended' })).toEqual(all.filter((n) => n.startsWith('prod-us/GitRepository/')));
  });

  it('a multi-value variable matches each value; All means no filter', async () => {
    templateSrv.variables = [
      { name: 'cluster', options: ['prod-eu', 'prod-us'], current: '$__all' },
      {
        name: 'kind',
        options: ['Kustomization', 'HelmRelease', 'GitRepository'],
        current: ['Kustomization', 'GitRepository'],
      },
      { name: 'state', options: ['Failed', 'Suspended'], current: ['Failed', 'Suspended'] },
    ];
    const picked = await names({ cluster: '$cluster', kind: '${kind}' });
    expect(new Set(picked.map((n) => n.split('/')[1]))).toEqual(new Set(['Kustomization', 'GitRepository']));
    expect(new Set(picked.map((n) => n.split('/')[0]))).toEqual(new Set(['prod-eu', 'prod-us']));
    const problems = await names({ state: '$state' });
    expect(problems).toContain('prod-eu/Kustomization/apps/podinfo');
    expect(
      problems.every((n) => n.startsWith('prod-eu/Kustomization/apps/podinfo') || n.startsWith('prod-us/GitRepository'))
    ).toBe(true);
  });

  it('variable values are literal: a regex-looking value does not widen the match', async () => {
    templateSrv.variables = [{ name: 'ns', options: ['.*', 'a|b'], current: ['.*', 'a|b'] }];
    expect(await names({ namespace: '$ns' })).toEqual([]);
    expect(await names({ name: '$ns' })).toEqual([]);
    // Inside a name regex, the user's text is a regex and the variable's value a literal.
    templateSrv.variables = [{ name: 'prefix', options: ['pod'], current: 'pod' }];
    expect((await names({ name: '${prefix}.*' })).length).toBe(2);
  });

  it('variables list clusters, kinds, namespaces and names, with the other filters applied', async () => {
    const ds = fluxDatasource({ prometheusUid: 'prom' });
    const values = async (query: Omit<FluxVariableQuery, 'refId'>) => {
      const response = await lastValueFrom(
        new FluxVariableSupport(ds).query(request([{ refId: 'V', ...query }], to()))
      );
      return (response.data[0] as DataFrame).fields[0].values as string[];
    };
    expect(await values({ target: 'clusters' })).toEqual(['prod-eu', 'prod-us']);
    expect(await values({ target: 'kinds' })).toEqual(['GitRepository', 'HelmRelease', 'Kustomization']);
    expect(await values({ target: 'namespaces', kind: 'Kustomization' })).toEqual(
      ['apps', 'flux-system'].filter(Boolean).sort()
    );
    const kustomizations = await values({ target: 'names', kind: 'Kustomization', cluster: 'prod-eu' });
    expect(kustomizations).toContain('podinfo');
    const expected = Array.from(expectedStates(scenario, 15 * 60).keys())
      .map((key) => key.split('\u001f'))
      .filter(([cluster, kind]) => cluster === 'prod-eu' && kind === 'Kustomization')
      .map(([, , , name]) => name)
      .sort();
    expect(kustomizations).toEqual(expected);
    // A name regex narrows every target (names too); a list of kinds means any of them.
    const namesOf = (kinds: string[]) =>
      Array.from(
        new Set(
          Array.from(expectedStates(scenario, 15 * 60).keys())
            .map((key) => key.split('\u001f'))
            .filter(([cluster, kind]) => cluster === 'prod-eu' && kinds.includes(kind))
            .map(([, , , name]) => name)
        )
      ).sort();
    const pod = (names: string[]) => names.filter((n) => /^pod.*$/.test(n));
    expect(pod(expected).length).toBeGreaterThan(0);
    expect(await values({ target: 'names', kind: 'Kustomization', cluster: 'prod-eu', name: 'pod.*' })).toEqual(
      pod(expected)
    );
    const two = ['Kustomization', 'GitRepository'];
    expect(await values({ target: 'names', kind: two, cluster: 'prod-eu' })).toEqual(namesOf(two));
    expect(namesOf(two).length).toBeGreaterThan(expected.length);
    expect(
      (await ds.metricFindQuery({ refId: 'V', target: 'clusters' }, { range: request([], to()).range })).map(
        (v) => v.text
      )
    ).toEqual(['prod-eu', 'prod-us']);
    // A variable saved as text, handed over as saved (dashboard JSON is untyped): read as typed.
    const asSaved = async (json: string) =>
      lastValueFrom(new FluxVariableSupport(ds).query(request(JSON.parse(json), to())));
    const kinds = await asSaved('["kinds"]');
    expect((kinds.data[0] as DataFrame).fields[0].values).toEqual(['GitRepository', 'HelmRelease', 'Kustomization']);
    expect((await asSaved('["kindz"]')).errors?.[0].message).toMatch(/^Unknown variable query "kindz": FluxGrid lists/);
  });

  it('the health check counts objects and clusters', async () => {
    const ds = fluxDatasource({ prometheusUid: 'prom' });
    const expected = expectedStates(scenario, 15 * 60, { schema: 'kube-state-metrics', includeDeleted: false });
    // The health check looks at "now"; the scenario lies in the past: point "now" at it.
    const realNow = Date.now;
    Date.now = () => to();
    try {
      const health = await ds.testDatasource();
      expect(health).toEqual({
        status: 'success',
        message:
          `Prometheus OK — ${expected.size} Flux objects in 2 clusters (flux_resource_info from the Flux Operator, gotk_resource_info from kube-state-metrics, gotk_reconcile_condition from the Flux controllers (Flux <= 2.4)). ` +
          'Recording rules: not found; since and last reconcile come from the raw series, which costs seconds of ' +
          "Prometheus time at tens of thousands of objects. Load FluxGrid's alerts/fluxgrid-recording-rules.yaml " +
          'into Prometheus to make them cheap.',
      });
    } finally {
      Date.now = realNow;
    }
  });
});

// -----------------------------------------------------------------------------------------------
// A kind-label override (custom kube-state-metrics config) leaves the controllers' metrics alone

describe('label mapping: labels: { kind: "resource_kind" }', () => {
  const ctx = withScenario('failure-recovery.yaml');
  const scenario = loadScenario(path.join(SCENARIOS, 'failure-recovery.yaml'));
  const ds = () => fluxDatasource({ prometheusUid: 'prom', labels: { kind: 'resource_kind' } });
  const to = () => at(scenario, 50 * 60);

  it('objects keep their states and last reconcile (gotk_reconcile_duration_seconds_* say kind)', async () => {
    const response = await run(ds(), [{ refId: 'A', queryType: 'objects' }], to());
    expect(response.errors ?? []).toEqual([]);
    const table = rows(response.data[0]);
    const expected = expectedStates(scenario, 50 * 60, { schema: 'flux-operator', includeDeleted: false });
    const actual = objectStates(response.data);
    for (const key of actual.keys()) {
      if (!expected.has(key) && ONLY_SOME_SCHEMAS.has(key.split('\u001f')[1])) {
        actual.delete(key);
      }
    }
    expect(differences(actual, expected)).toEqual({});
    expect(table.filter((r) => typeof r.lastReconcile === 'number').length).toBeGreaterThan(table.length / 2);
    ctx.grafana.backend.requestLog.reset();
  });

  it('kind filter, reconcile duration, state history and variables still work', async () => {
    const kustomizations = await run(ds(), [{ refId: 'A', queryType: 'objects', kind: 'Kustomization' }], to());
    expect(rows(kustomizations.data[0]).length).toBeGreaterThan(0);
    expect(rows(kustomizations.data[0]).every((r) => r.kind === 'Kustomization')).toBe(true);
    const durations = await run(ds(), [{ refId: 'A', queryType: 'reconcileDuration', kind: 'HelmRelease' }], to());
    expect(durations.errors ?? []).toEqual([]);
    const durationRows = rows(durations.data[0]);
    expect(durationRows.length).toBeGreaterThan(0);
    expect(durationRows.every((r) => r.kind === 'HelmRelease' && (r.count as number) > 0)).toBe(true);
    const history = await run(ds(), [{ refId: 'A', queryType: 'stateHistory', kind: 'Kustomization' }], to());
    expect(history.errors ?? []).toEqual([]);
    expect(history.data.length).toBe(rows(kustomizations.data[0]).length);
    const kinds = await ds().metricFindQuery('kinds', { range: request([], to()).range });
    expect(kinds.map((k) => k.text)).toEqual(expect.arrayContaining(['GitRepository', 'HelmRelease', 'Kustomization']));
  });
});

// -----------------------------------------------------------------------------------------------
// Failures: health check and query path say the same useful thing

/** A datasource that is not Prometheus. */
const lokiSettings: DataSourceInstanceSettings = {
  id: 9,
  uid: 'loki',
  type: 'loki',
  name: 'Logs',
  meta: { ...fluxGridPluginMeta, id: 'loki', name: 'Loki' },
  readOnly: false,
  access: 'proxy',
  jsonData: {},
};
class Loki extends DataSourceApi {
  query(): Promise<DataQueryResponse> {
    return Promise.resolve({ data: [] });
  }
  async testDatasource(): Promise<TestDataSourceResponse> {
    return { status: 'success', message: '' };
  }
}

describe('failures', () => {
  let empty: PrometheusServer;
  beforeAll(async () => {
    empty = await startPrometheus({});
    grafana = await startGrafanaRuntime({
      prometheusUrl: empty.url,
      uid: 'empty',
      name: 'Prometheus (empty)',
      // Nothing listens on a freed port: a real connection refused.
      more: [{ uid: 'dead', name: 'Prometheus (down)', prometheusUrl: `http://127.0.0.1:${await freePort()}` }],
      others: [{ ds: new Loki(lokiSettings), settings: lokiSettings }],
      templateSrv,
    });
  });
  afterAll(async () => {
    await grafana?.close();
    await empty?.stop();
  });

  const objects: FluxQuery[] = [{ refId: 'A', queryType: 'objects' }];

  it('no Prometheus selected', async () => {
    const ds = fluxDatasource({});
    const health = await ds.testDatasource();
    expect(health.status).toBe('error');
    expect(health.message).toMatch(/^No Prometheus datasource selected/);
    const response = await run(ds, objects, Date.now());
    expect(response.data).toEqual([]);
    expect(response.errors?.[0].message).toBe(health.message);
  });

  it('a uid that does not exist (provisioned wrong) is named', async () => {
    const ds = fluxDatasource({ prometheusUid: 'prometheus-typo' });
    const health = await ds.testDatasource();
    expect(health).toMatchObject({ status: 'error' });
    expect(health.message).toContain('Prometheus datasource with uid "prometheus-typo" not found');
    const response = await run(ds, objects, Date.now());
    expect(response.data).toEqual([]);
    expect(response.errors?.[0]).toMatchObject({ refId: 'A', message: health.message });
  });

  it('a datasource that is not Prometheus', async () => {
    const health = await fluxDatasource({ prometheusUid: 'loki' }).testDatasource();
    expect(health.message).toBe(
      'Datasource "Logs" is of type "loki", not Prometheus: FluxGrid reads Flux\'s metrics through a Prometheus datasource.'
    );
  });

  it('Prometheus errors are passed on', async () => {
    const ds = fluxDatasource({ prometheusUid: 'dead' });
    const health = await ds.testDatasource();
    expect(health.status).toBe('error');
    expect(health.message).toMatch(
      /^Prometheus "Prometheus \(down\)" returned an error: .*ECONNREFUSED 127\.0\.0\.1:\d+/
    );
    const response = await run(ds, objects, Date.now());
    expect(response.errors?.[0].message).toMatch(/^Prometheus "Prometheus \(down\)" returned an error/);
  });

  it('a PromQL error (an invalid name regex) is passed on', async () => {
    const ds = fluxDatasource({ prometheusUid: 'empty' });
    const response = await run(ds, [{ refId: 'A', queryType: 'objects', name: '(unclosed' }], Date.now());
    expect(response.errors?.[0].message).toMatch(/returned an error: .*(parse|regex|missing closing)/i);
  });

  it('no Flux metrics: names the three families and where they come from', async () => {
    const health = await fluxDatasource({ prometheusUid: 'empty' }).testDatasource();
    expect(health.status).toBe('error');
    expect(health.message).toContain('No Flux metrics found in Prometheus "Prometheus (empty)"');
    for (const metric of [
      'gotk_resource_info',
      'flux_resource_info',
      'gotk_reconcile_condition',
      'kube-state-metrics',
      'Flux Operator',
    ]) {
      expect(health.message).toContain(metric);
    }
  });
});
