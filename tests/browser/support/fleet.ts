/**
 * Test data for the browser tests: the fixture scenario backfilled into a REAL Prometheus, queried
 * through Grafana's own PrometheusDatasource (tests/harness/grafana-runtime.ts, over the Go backend
 * stand-in), serialised with dataFrameToJSON like Grafana's /api/ds/query wire format. The page
 * turns them back with dataFrameFromJSON.
 */
import path from 'node:path';

// Must come before @grafana/* (it gives @grafana/data the browser globals it touches on import).
import { queryPrometheus, startGrafanaRuntime } from '../../harness/grafana-runtime';
import { startPrometheus, type PrometheusServer } from '../../harness/prometheus';
import { dataFrameToJSON, type DataFrameJSON } from '@grafana/data';
import type { PromQuery } from '@grafana/prometheus';

import {
  expectedStates,
  loadScenario,
  scenarioToOpenMetrics,
  verifyExpectations,
  type Scenario,
  type SimulatedSchema,
} from '../../../simulator';
import { countByState } from '../../../src/flux/summary';
import type { FluxObject, FluxState } from '../../../src/flux/types';

export const FLEET_SCENARIO = path.join(__dirname, '..', 'fixtures', 'fleet.yaml');
/** The scenario's `expect` instant the tests look at: the range ends here. */
export const AT_SECONDS = 55 * 60;

/** The metric each simulated schema's objects are read from. */
export const SCHEMA_METRIC: Partial<Record<SimulatedSchema, string>> = {
  'kube-state-metrics': 'gotk_resource_info',
  'flux-operator': 'flux_resource_info',
};

/**
 * Non-Flux series a user might query by mistake (node_exporter's load average), written as a small
 * OpenMetrics history of our own, backfilled beside the scenario.
 */
export function nodeExporterOpenMetrics(fromSeconds: number, toSeconds: number, stepSeconds = 30): string {
  const lines = ['# TYPE node_load1 gauge', '# HELP node_load1 1m load average.'];
  for (const instance of ['node-a:9100', 'node-b:9100']) {
    for (let t = fromSeconds, i = 0; t <= toSeconds; t += stepSeconds, i++) {
      lines.push(`node_load1{instance="${instance}",job="node"} ${(0.4 + 0.1 * Math.sin(i / 10)).toFixed(3)} ${t}`);
    }
  }
  lines.push('# EOF');
  return lines.join('\n') + '\n';
}

export interface FleetData {
  scenario: Scenario;
  prometheus: PrometheusServer;
  /** Range of the panel's query (epoch ms): scenario start to AT_SECONDS. */
  range: { from: number; to: number };
  /** Grafana's frames for `SCHEMA_METRIC[schema]`, as dataFrameToJSON output. */
  frames: Partial<Record<SimulatedSchema, DataFrameJSON[]>>;
  /** What the scenario declares at AT_SECONDS, read as each schema's reader sees it. */
  expected: Partial<Record<SimulatedSchema, { states: Map<string, FluxState>; counts: Record<FluxState, number> }>>;
}

/**
 * Prometheus targets as a Grafana panel runs them: Grafana's PrometheusDatasource over the backend
 * stand-in, started for this one query (Grafana's runtime services are process-wide).
 */
export async function query(prometheusUrl: string, targets: PromQuery[], range: { from: number; to: number }) {
  const grafana = await startGrafanaRuntime({ prometheusUrl });
  try {
    const response = await queryPrometheus(grafana.prometheus, targets, range);
    if (response.error || response.errors?.length) {
      throw new Error(`query failed: ${JSON.stringify(response.error ?? response.errors)}`);
    }
    return (response.data as Array<Parameters<typeof dataFrameToJSON>[0]>).map((frame) => dataFrameToJSON(frame));
  } finally {
    await grafana.close();
  }
}

/** Backfills the fixture scenario (and node_load1) into a new Prometheus and queries it. */
export async function loadFleet(): Promise<FleetData> {
  const scenario = loadScenario(FLEET_SCENARIO);
  const problems = verifyExpectations(scenario);
  if (problems.length > 0) {
    throw new Error(`fixture scenario is inconsistent:\n${problems.join('\n')}`);
  }
  const startSeconds = scenario.startMs / 1000;
  const prometheus = await startPrometheus({
    openMetrics: [
      scenarioToOpenMetrics(scenario),
      nodeExporterOpenMetrics(startSeconds, startSeconds + scenario.durationSeconds),
    ],
    timeoutMs: 120_000,
  });
  try {
    const range = { from: scenario.startMs, to: scenario.startMs + AT_SECONDS * 1000 };
    const frames: FleetData['frames'] = {};
    const expected: FleetData['expected'] = {};
    for (const schema of scenario.schemas) {
      const metric = SCHEMA_METRIC[schema];
      if (!metric) {
        continue;
      }
      // The panel's documented query: the state metric as a range query, so it can tell since when.
      frames[schema] = await query(prometheus.url, [{ refId: 'A', expr: metric, range: true }], range);
      const states = expectedStates(scenario, AT_SECONDS, { schema, includeDeleted: false });
      // The core's count (it reads only `state`), so the test counts exactly as the panel does.
      const counts = countByState(Array.from(states.values(), (state) => ({ state }) as FluxObject));
      expected[schema] = { states, counts };
    }
    return { scenario, prometheus, range, frames, expected };
  } catch (error) {
    await prometheus.stop();
    throw error;
  }
}
