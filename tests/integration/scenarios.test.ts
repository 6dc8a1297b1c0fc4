/** @jest-environment node */
/**
 * Every scenario of the library, every schema it declares: the states the Flux core computes from
 * a real Prometheus' answers (asked the way Grafana's Prometheus datasource asks, through the
 * stand-in) equal the scenario's expected states at each `expect` instant.
 *
 * One Prometheus per scenario, holding the scenario's backfilled history (all its schemas; they
 * use different metric names). Each schema is then read on its own by querying only its families.
 */
import { readdirSync } from 'fs';
import * as path from 'path';
import { readFluxFrames } from '../../src/flux';
import type { FluxState } from '../../src/flux/types';
import {
  expectedStates,
  formatSeconds,
  loadScenario,
  scenarioToOpenMetrics,
  schemasAt,
  type Scenario,
  type SimulatedSchema,
} from '../../simulator';
import { queryLikeGrafana, type PromTarget } from '../harness/grafana-prometheus';
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
  'flux-operator': ['flux_resource_info'],
};

type QueryMode = 'instant' | 'range';

async function coreStates(
  url: string,
  scenario: Scenario,
  schema: SimulatedSchema,
  atSeconds: number,
  mode: QueryMode
) {
  const to = scenario.startMs + atSeconds * 1000;
  const targets: PromTarget[] = TARGETS[schema].map((expr, i) => ({
    refId: String.fromCharCode(65 + i),
    expr,
    instant: mode === 'instant',
    range: mode === 'range',
  }));
  // Range: the last 30 minutes (or since the start), as a dashboard would ask.
  const from = Math.max(scenario.startMs, to - 30 * 60_000);
  const response = await queryLikeGrafana(url, targets, { from: mode === 'range' ? from : to - 3600_000, to });
  expect(response.errors ?? []).toEqual([]);
  const reading = readFluxFrames(response.data, { includeDeleted: schema === 'legacy-2.0' });
  return new Map<string, FluxState>(reading.objects.map((o) => [o.key, o.state]));
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

  beforeAll(async () => {
    prometheus = await startPrometheus({ openMetrics: scenarioToOpenMetrics(scenario, { reconcileMetrics: false }) });
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  const cases = scenario.expect.flatMap((entry) =>
    schemasAt(scenario, entry).flatMap((schema) =>
      (['instant', 'range'] as const).map((mode) => [schema, formatSeconds(entry.at), mode, entry.at] as const)
    )
  );
  const check = async (schema: SimulatedSchema, mode: QueryMode, at: number) => {
    const actual = await coreStates(prometheus.url, scenario, schema, at, mode);
    const expected = expectedStates(scenario, at, { schema, includeDeleted: schema === 'legacy-2.0' });
    expect(differences(actual, expected)).toEqual({});
    expect(actual.size).toBe(expected.size);
  };
  it.each(cases)('%s at %s (%s query): the core shows the expected states', (schema, _label, mode, at) =>
    check(schema, mode, at)
  );
});
