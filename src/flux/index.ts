/**
 * FluxGrid's Flux core: pure functions from Grafana DataFrames to Flux objects and back to what a
 * panel shows, and the questions the datasource asks Prometheus. The only import path for the
 * panel and the datasource.
 *
 * Read in this order to learn Flux's rules: types, labels, schemas, state, normalize (over
 * timeline), reconcile, summary, relations. Then questions/question.ts (what every question is)
 * and the questions (questions/: objects, history, durations, catalog, rollouts), each holding
 * its PromQL and the reading of its answers, over the PromQL building blocks (promql/: escape,
 * selectors, identity, stateRules, stats). CONTRIBUTING.md's layout table maps each query type
 * to its module.
 */
export * from './types';
export { readFluxFrames, normalizeFluxFrames } from './normalize';
export {
  countByState,
  groupObjects,
  sortObjects,
  filterObjects,
  isSustainedFailure,
  compareIdentity,
  compareText,
} from './summary';
export type { GroupBy, GroupKeys, FluxGroup, SortBy, ObjectFilter } from './summary';
export { formatDuration, parseDuration } from './format';
export {
  objectKey,
  identityLabels,
  CLUSTER_LABELS,
  KIND_LABELS,
  NAME_LABEL,
  NAMESPACE_LABELS,
  REASON_LABELS,
  SOURCE_LABELS,
} from './labels';
export type { ObjectIdentity, IdentityLabels } from './labels';
export { readFluxGridFrame, toFluxGridFrame, FLUXGRID_FIELDS, FLUXGRID_FRAME_VERSION } from './fluxgridFrame';
export { severityOf, CONFIGURATION_KINDS, DEPENDENCY_NOT_READY } from './state';
export { STATE_COLOR_NAMES } from './colors';
export {
  relate,
  summarizeCauses,
  describeCauses,
  describeRef,
  parseRef,
  sortCausesFirst,
  compareCausesFirst,
  sourceClaimOf,
  sourceGroupOf,
  SOURCE_REFERENCES,
} from './relations';
export type { FluxRelations, FluxCause, CauseSummary, RelateOptions, SourceClaim } from './relations';

// PromQL building blocks the datasource needs for its filters and settings.
export { alternation, duration, escapeRegex, MATCH_NOTHING, quote } from './promql/escape';
export { isLabelName, schemasOf, STATE_SCHEMAS } from './promql/selectors';
export type { FilterValue, FluxFilters, PromQLOptions, SchemaSetting, StateSchema } from './promql/selectors';
export type { ObjectRef } from './promql/identity';

// The questions: `queries(filters, options, window, …)` and `read(answers, window, …)` each.
export * as objectsQuestion from './questions/objects';
export * as historyQuestion from './questions/history';
export * as durationsQuestion from './questions/durations';
export * as catalogQuestion from './questions/catalog';
export * as rolloutsQuestion from './questions/rollouts';
export * as recordingRulesQuestion from './questions/recordingRules';
export type { Rollout, RolloutMember, RolloutStatus } from './questions/rollouts';
export { toRolloutFrame, readRolloutFrames, isRolloutFrame } from './questions/rolloutsFrame';
export {
  blockedByField,
  readBlockedBy,
  readObjectColumn,
  readSourceRefs,
  sourceRefField,
  BLOCKED_BY_FIELD,
  SOURCE_REF_FIELD,
} from './relationsFrame';
export { readyMessageOf, readyMessageField, READY_MESSAGE_FIELD, READY_MESSAGE_LABELS } from './readyMessage';
export type { FluxAnswers, FluxQueries, FluxWindow } from './questions/question';
export type { ObjectsParams } from './questions/objects';
export type { RecordingCoverage } from './questions/recordingRules';
export type { HistoryParams, StateChange, StateTimeline } from './questions/history';
export type { DurationRow, DurationsParams } from './questions/durations';
export { VARIABLE_TARGETS, isVariableTarget } from './questions/catalog';
export type { FluxFamilies, VariableTarget } from './questions/catalog';
