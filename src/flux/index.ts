/**
 * FluxGrid's Flux core: pure functions from Grafana DataFrames to Flux objects and back to what a
 * panel shows. Read the files in this order to learn Flux's rules: types, labels, schemas, state,
 * normalize, reconcile, summary.
 */
export * from './types';
export { readFluxFrames, normalizeFluxFrames } from './normalize';
export { countByState, groupObjects, sortObjects, filterObjects, isSustainedFailure } from './summary';
export type { GroupBy, FluxGroup, SortBy, ObjectFilter } from './summary';
export { formatDuration, parseDuration } from './format';
export { objectKey, CLUSTER_LABELS, REASON_LABELS, SOURCE_LABELS } from './labels';
export type { ObjectIdentity } from './labels';
export { readFluxGridFrame, toFluxGridFrame, FLUXGRID_FIELDS, FLUXGRID_FRAME_VERSION } from './fluxgridFrame';
export { severityOf, CONFIGURATION_KINDS, DEPENDENCY_NOT_READY } from './state';
export { STATE_COLOR_NAMES } from './colors';
