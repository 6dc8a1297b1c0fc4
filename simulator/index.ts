/**
 * The Flux fleet simulator: scenario files in, Prometheus metrics out (live `/metrics` through
 * prom-client, or OpenMetrics history for `promtool tsdb create-blocks-from openmetrics`).
 */
export { loadScenario, parseScenario, ScenarioError, MAX_OBJECTS, MAX_STEP_SECONDS } from './scenario';
export { expectedStates, verifyExpectations, lookbackConflicts, schemasAt, type ExpectedStatesOptions } from './expect';
export {
  scenarioToOpenMetrics,
  writeScenarioHistory,
  OpenMetricsWriter,
  escapeLabelValue,
  formatLabels,
  type OpenMetricsOptions,
} from './openmetrics';
export { buildFleet, objectKey, selectObjects } from './fleet';
export { playScenario, simulatedState, schemaReportsKind, LOOKBACK_SECONDS, type PlayedScenario } from './timeline';
export { LiveSimulator, startSimulatorServer, type SimulatorServer } from './live';
export { FLUX_KINDS, FLUX_CONTROLLERS, type FluxKind } from './kinds';
export { parseDurationSeconds, formatSeconds } from './duration';
export * from './types';
