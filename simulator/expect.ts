/** The scenario's declared expectations, and checks that they agree with the simulation. */
import type { FluxState } from '../src/flux/types';
import { formatSeconds } from './duration';
import { buildFleet, selectObjects } from './fleet';
import { LOOKBACK_SECONDS, playScenario, schemaReportsKind, simulatedState, type PlayedScenario } from './timeline';
import type { Expectation, Scenario, SimulatedSchema } from './types';

export interface ExpectedStatesOptions {
  /**
   * Read the expectation as a reader of this schema sees it: per-schema overrides apply, and objects
   * the schema does not report are left out (deleted objects outside legacy-2.0, Alert/Provider
   * where the schema has no series for them).
   */
  schema?: SimulatedSchema;
  /** Keep Deleted objects (legacy-2.0). Default true, like the scenario declares them. */
  includeDeleted?: boolean;
}

/** The schemas an expect entry is checked under. */
export function schemasAt(scenario: Scenario, entry: Expectation): SimulatedSchema[] {
  return entry.schemas ?? scenario.schemas;
}

function expectationAt(scenario: Scenario, atOffsetSeconds: number): Expectation {
  const entry = scenario.expect.find((e) => e.at === atOffsetSeconds);
  if (!entry) {
    const known = scenario.expect.map((e) => formatSeconds(e.at)).join(', ') || 'none';
    throw new Error(
      `${scenario.file}: no expect entry at ${formatSeconds(atOffsetSeconds)} (declared instants: ${known})`
    );
  }
  return entry;
}

/**
 * Expected FluxState per object key at one of the scenario's `expect` instants: listed objects get
 * their declared state, every other object the entry's `default`.
 */
export function expectedStates(
  scenario: Scenario,
  atOffsetSeconds: number,
  options: ExpectedStatesOptions = {}
): Map<string, FluxState> {
  const entry = expectationAt(scenario, atOffsetSeconds);
  const objects = buildFleet(scenario.fleet);
  const states = new Map<string, FluxState>(objects.map((o) => [o.key, entry.default]));
  for (const item of entry.objects) {
    const state = (options.schema && item.schemas[options.schema]) ?? item.state;
    for (const object of selectObjects(objects, item.select)) {
      states.set(object.key, state);
    }
  }
  const { schema } = options;
  const includeDeleted = options.includeDeleted ?? true;
  for (const object of objects) {
    const state = states.get(object.key);
    const dropDeleted = state === 'Deleted' && (!includeDeleted || (schema !== undefined && schema !== 'legacy-2.0'));
    if (dropDeleted || (schema !== undefined && !schemaReportsKind(schema, object))) {
      states.delete(object.key);
    }
  }
  return states;
}

/**
 * Problems where a declared expectation disagrees with what the simulated metrics can show
 * (a scenario authoring error). Empty when the scenario is consistent.
 */
export function verifyExpectations(scenario: Scenario, played: PlayedScenario = playScenario(scenario)): string[] {
  const problems: string[] = [];
  for (const entry of scenario.expect) {
    for (const schema of schemasAt(scenario, entry)) {
      const expected = expectedStates(scenario, entry.at, { schema });
      for (const history of played.histories) {
        const simulated = simulatedState(history.at(entry.at), history.object, schema, scenario);
        const declared = expected.get(history.object.key);
        if (simulated !== declared) {
          problems.push(
            `${entry.path} (${formatSeconds(entry.at)}, ${schema}): ${history.object.key} is declared ` +
              `${declared ?? 'absent'} but the simulated metrics show ${simulated ?? 'nothing (absent)'}`
          );
        }
      }
    }
  }
  return problems;
}

/**
 * Backfilled history has no staleness markers, so a series that ended (a label change in
 * kube-state-metrics or the Flux Operator, a deletion in legacy-2.4) stays visible for Prometheus'
 * 5m lookback. An expectation instant where an object's old series still shows a different state
 * cannot be checked against backfilled data: report it.
 */
export function lookbackConflicts(scenario: Scenario, played: PlayedScenario = playScenario(scenario)): string[] {
  const problems: string[] = [];
  const step = scenario.stepSeconds;
  for (const entry of scenario.expect) {
    for (const schema of schemasAt(scenario, entry)) {
      if (schema === 'legacy-2.0') {
        continue; // series are never removed: values change in place
      }
      for (const history of played.histories) {
        const now = simulatedState(history.at(entry.at), history.object, schema, scenario);
        if (schema === 'legacy-2.4' && now !== undefined) {
          continue; // only a deletion ends legacy-2.4 series
        }
        const firstVisible = Math.max(0, Math.ceil((entry.at - LOOKBACK_SECONDS) / step) * step);
        for (const change of history.changeTimes()) {
          if (change <= firstVisible || change > entry.at) {
            continue;
          }
          // The last sample before the change is still within the lookback at entry.at.
          const before = simulatedState(history.at(change - step), history.object, schema, scenario);
          if (before !== undefined && before !== now) {
            problems.push(
              `${entry.path}.at: ${formatSeconds(entry.at)} is within Prometheus' 5m lookback of a change of ` +
                `${history.object.key} at ${formatSeconds(change)} (${before} -> ${now ?? 'absent'}, ${schema}); ` +
                `backfilled series have no staleness markers: expect at ${formatSeconds(change + LOOKBACK_SECONDS + step)} or later`
            );
            break;
          }
        }
      }
    }
  }
  return problems;
}
