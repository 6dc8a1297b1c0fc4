/** @jest-environment node */
/**
 * Every scenario of the library, every schema it declares: the states the Flux core computes from
 * a real Prometheus' answers (asked through Grafana's own PrometheusDatasource, over the Go backend
 * stand-in) equal the scenario's expected states at each `expect` instant.
 *
 * One Prometheus per scenario, holding the scenario's backfilled history (all its schemas; they
 * use different metric names), and one Grafana runtime in front of it. Each schema is then read on
 * its own by querying only its families.
 */
// Must come before @grafana/* (it gives @grafana/data the browser globals it touches on import).
import { queryPrometheus, startGrafanaRuntime, type GrafanaRuntime } from '../harness/grafana-runtime';

import { readdirSync } from 'fs';
import type { DataFrame } from '@grafana/data';
import type { PromQuery } from '@grafana/prometheus';
import * as path from 'path';
import { readFluxFrames } from '../../src/flux';
import { FLUX_METRICS, type FluxObject, type FluxState } from '../../src/flux/types';
import {
  expectedStates,
  formatSeconds,
  loadScenario,
  scenarioToOpenMetrics,
  schemasAt,
  type Scenario,
  type SimulatedSchema,
} from '../../simulator';
import { startPrometheus, type PrometheusServer } from '../harness/prometheus';

jest.setTimeout(120_000);

const SCENARIO_DIR = path.join(__dirname, '..', '..', 'simulator', 'scenarios');
/** The 10k fleet is backfilled once here (short history); its timings are in bench/simulator.bench.ts. */
const scenarioFiles = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** The families a reader of each schema asks Prometheus for. */
const TARGETS: Record<SimulatedSchema, string[]> = {
  'legacy-2.0': ['gotk_reconcile_condition', 'gotk_suspend_status'],
  'legacy-2.4': ['gotk_reconcile_condition', 'gotk_suspend_status'],
  'kube-state-metrics': ['gotk_resource_info'],
  // flux_resource_info and the operator's own families (flux-operator internal/reporter/metrics.go).
  'flux-operator': [
    FLUX_METRICS.fluxOperatorInfo,
    FLUX_METRICS.fluxInstanceInfo,
    FLUX_METRICS.fluxResourceSetInfo,
    FLUX_METRICS.fluxResourceSetInputProviderInfo,
  ],
};

/** Labels prometheus-operator adds to every series it scrapes: never an object's source. */
const SCRAPE_LABELS = ['endpoint', 'container', 'pod', 'instance', 'job'];

/** Objects whose source is the value of one of their series' scrape labels (KSM's own Bucket endpoint aside). */
function scrapeLabelSources(objects: FluxObject[]): string[] {
  return objects.flatMap((o) =>
    SCRAPE_LABELS.filter(
      (label) =>
        o.source !== undefined &&
        o.source === o.labels[label] &&
        !(label === 'endpoint' && o.labels.customresource_kind === 'Bucket')
    ).map((label) => `${o.kind}/${o.namespace}/${o.name}: source ${o.source} is its ${label} label`)
  );
}

type QueryMode = 'instant' | 'range';

async function coreStates(
  grafana: GrafanaRuntime,
  scenario: Scenario,
  schema: SimulatedSchema,
  atSeconds: number,
  mode: QueryMode
) {
  const to = scenario.startMs + atSeconds * 1000;
  const targets: PromQuery[] = TARGETS[schema].map((expr, i) => ({
    refId: String.fromCharCode(65 + i),
    expr,
    instant: mode === 'instant',
    range: mode === 'range',
  }));
  // Range: the last 30 minutes (or since the start), as a dashboard would ask.
  const from = Math.max(scenario.startMs, to - 30 * 60_000);
  const response = await queryPrometheus(grafana.prometheus, targets, {
    from: mode === 'range' ? from : to - 3600_000,
    to,
  });
  expect(response.errors ?? []).toEqual([]);
  const frames: DataFrame[] = response.data;
  const reading = readFluxFrames(frames, { includeDeleted: schema === 'legacy-2.0' });
  return {
    states: new Map<string, FluxState>(reading.objects.map((o) => [o.key, o.state])),
    objects: reading.objects,
    reading,
    frames,
    to,
  };
}

/** Readable diff: only the objects whose state differs. */
function differences(actual: Map<string, FluxState>, expected: Map<string, FluxState>) {
  const keys = new Set([...actual.keys(), ...expected.keys()]);
  const out: Record<string, { core?: FluxState; expected?: FluxState }> = {};
  for (const key of keys) {
    if (actual.get(key) !== expected.get(key)) {
      out[key.split('\u001f').join('/')] = { core: actual.get(key), expected: expected.get(key) };
    }
  }
  return out;
}

describe.each(scenarioFiles)('scenario %s', (file) => {
  const scenario = loadScenario(path.join(SCENARIO_DIR, file));
  let prometheus: PrometheusServer;
  let grafana: GrafanaRuntime;

  beforeAll(async () => {
    prometheus = await startPrometheus({ openMetrics: scenarioToOpenMetrics(scenario, { reconcileMetrics: false }) });
    grafana = await startGrafanaRuntime({ prometheusUrl: prometheus.url });
  });
  afterAll(async () => {
    await grafana?.close();
    await prometheus?.stop();
  });

  const cases = scenario.expect.flatMap((entry) =>
    schemasAt(scenario, entry).flatMap((schema) =>
      (['instant', 'range'] as const).map((mode) => [schema, formatSeconds(entry.at), mode, entry.at] as const)
    )
  );
  const check = async (schema: SimulatedSchema, mode: QueryMode, at: number) => {
    const { states: actual, objects, reading, frames, to } = await coreStates(grafana, scenario, schema, at, mode);
    const expected = expectedStates(scenario, at, { schema, includeDeleted: schema === 'legacy-2.0' });
    const differing = differences(actual, expected);
    if (Object.keys(differing).length > 0) {
      // Beside the diff (up to thousands of objects): what the answer held, what the core could
      // not use, and how many objects it took for deleted (absent at the query's end).
      const deleted = readFluxFrames(frames, { includeDeleted: true }).objects.filter((o) => o.state === 'Deleted');
      const read = {
        frames: frames.length,
        rows: frames.reduce((sum, frame) => sum + frame.length, 0),
        unusableFrames: reading.unusableFrames.slice(0, 5),
        warnings: (reading.warnings ?? []).slice(0, 5),
        deleted: deleted.length,
        firstDeleted: deleted[0] && { key: deleted[0].key, observedAt: deleted[0].observedAt, to },
      };
      process.stderr.write(`${schema} at ${at} s (${mode}): ${JSON.stringify(read)}\n`);
    }
    expect(differing).toEqual({});
    expect(actual.size).toBe(expected.size);
    expect(scrapeLabelSources(objects)).toEqual([]);
  };
  it.each(cases)(
    '%s at %s (%s query): the core shows the expected states, no scrape label as a source',
    (schema, _label, mode, at) => check(schema, mode, at)
  );
});

/**
 * The Flux Operator's own objects, read from a real Prometheus: what a user looks for first when
 * the operator manages Flux (FluxInstance failing, a ResourceSet failing or progressing).
 */
describe("the Flux Operator's own objects from a real Prometheus", () => {
  const scenario = loadScenario(path.join(SCENARIO_DIR, 'flux-operator-objects.yaml'));
  let prometheus: PrometheusServer;
  let grafana: GrafanaRuntime;

  beforeAll(async () => {
    prometheus = await startPrometheus({ openMetrics: scenarioToOpenMetrics(scenario, { reconcileMetrics: false }) });
    grafana = await startGrafanaRuntime({ prometheusUrl: prometheus.url });
  });
  afterAll(async () => {
    await grafana?.close();
    await prometheus?.stop();
  });

  it.each(['instant', 'range'] as const)(
    'FluxInstance, ResourceSet and ResourceSetInputProvider with their states, reasons and sources (%s query)',
    async (mode) => {
      const { objects } = await coreStates(grafana, scenario, 'flux-operator', 17 * 60 + 30, mode);
      const pick = (kind: string, name: string) => {
        const o = objects.find((x) => x.kind === kind && x.name === name);
        return o && { state: o.state, reason: o.reason, source: o.source, schema: o.schema };
      };
      expect(pick('FluxInstance', 'flux')).toEqual({
        state: 'Failed',
        reason: 'ReconciliationFailed',
        source: 'ghcr.io/fluxcd',
        schema: 'flux-operator',
      });
      expect(pick('ResourceSet', 'tenants')).toMatchObject({ state: 'Failed', reason: 'BuildFailed' });
      expect(pick('ResourceSet', 'preview')).toMatchObject({ state: 'Progressing', reason: 'Progressing' });
      expect(pick('ResourceSetInputProvider', 'pull-requests')).toMatchObject({
        state: 'Suspended',
        source: expect.stringMatching(/^https:\/\//),
      });
      // Forced ready="True" by the operator, whatever the Alert's object says.
      expect(pick('Alert', 'alert-slack')).toMatchObject({ state: 'Ready' });
      expect(objects.find((o) => o.kind === 'FluxInstance')?.revision).toMatch(/^v2\.9\.\d+@sha256:/);
    }
  );
});
