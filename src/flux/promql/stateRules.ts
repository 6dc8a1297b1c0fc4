/**
 * The state rules of state.ts (`infoState`, `legacyState`) in PromQL, for where state has to be
 * known at every step inside Prometheus: state history and changes, which series count as
 * "another state" for time in state, and the live objects of variables and the health check.
 * The datasource's Objects state itself comes from the core (`readFluxFrames`). Tests hold the two
 * equal.
 *
 * `stateSeries` derives the state as a label, `fluxgrid_state`, with `label_join` + a chain of
 * `label_replace` (later rules override earlier ones, so the chain runs from the weakest rule to
 * Suspended).
 */
import { REASON_LABELS } from '../labels';
import { LEGACY_STATUS_STATES } from '../schemas';
import { CONFIGURATION_KINDS, DEPENDENCY_NOT_READY, OCI_URL_PREFIX } from '../state';
import { FLUX_METRICS, FluxLabelMapping, FluxState } from '../types';
import { escapeRegex, quote } from './escape';
import { copyFirstPresent, ID, ID_LIST, normalizeIdentity } from './identity';
import {
  filteredSelectors,
  FluxFilters,
  infoSelectors,
  LabelMatcher,
  orAll,
  PromQLOptions,
  schemasOf,
} from './selectors';

/** The label the state rules write. */
export const STATE_LABEL = 'fluxgrid_state';
const SIGNALS_LABEL = 'fluxgrid_signals';
const REASON_LABEL = 'fluxgrid_reason';

export type InfoSchema = 'flux-operator' | 'kube-state-metrics';

interface StateRule {
  /** Anchored RE2 over `suspended|ready|reason|kind|url` joined with '|'. */
  pattern: string;
  state: FluxState;
}

const CONFIG_KINDS = [...CONFIGURATION_KINDS].map(escapeRegex).join('|');
const DNR = escapeRegex(DEPENDENCY_NOT_READY);
const OCI = escapeRegex(OCI_URL_PREFIX);

/**
 * infoState() as label rules, weakest first (each later match overrides). The joined label is
 * `suspended|ready|reason|kind|url`; parseReady/parseSuspended are case-insensitive, so are these.
 */
export const INFO_STATE_RULES: readonly StateRule[] = [
  // Anything else, including a ready label we cannot read: no status information.
  { pattern: '.*', state: 'Unknown' },
  { pattern: `[^|]*\\|\\|[^|]*\\|(?:${CONFIG_KINDS})\\|.*`, state: 'Ready' },
  // No Ready condition on an OCI HelmRepository (static since Flux 2.2): Ready (isOciHelmRepository).
  { pattern: `[^|]*\\|\\|[^|]*\\|HelmRepository\\|${OCI}.*`, state: 'Ready' },
  { pattern: '[^|]*\\|(?i:unknown)\\|.*', state: 'Progressing' },
  { pattern: '[^|]*\\|(?i:true)\\|.*', state: 'Ready' },
  { pattern: '[^|]*\\|(?i:false)\\|.*', state: 'Failed' },
  { pattern: `[^|]*\\|(?i:false)\\|${DNR}\\|.*`, state: 'Progressing' },
  { pattern: '(?i:true)\\|.*', state: 'Suspended' },
];

function applyRules(expr: string, rules: readonly StateRule[]): string {
  let out = expr;
  for (const rule of rules) {
    // (?s): a reason or kind with a newline matches `.` on Prometheus 2.x as on 3.x.
    out = `label_replace(${out}, "${STATE_LABEL}", ${quote(rule.state)}, "${SIGNALS_LABEL}", ${quote(`(?s)${rule.pattern}`)})`;
  }
  return out;
}

/** The info-metric state rules applied to `expr` (series with raw labels): adds fluxgrid_* and fluxgrid_state. */
export function infoStateLabels(expr: string, schema: InfoSchema, mapping: FluxLabelMapping): string {
  // The reason (the first present of the candidates, as reasonOf), then the joined signals.
  const reasons = mapping.reason ? [mapping.reason] : REASON_LABELS;
  let out = copyFirstPresent(normalizeIdentity(expr, schema, mapping), REASON_LABEL, reasons);
  out = `label_join(${out}, "${SIGNALS_LABEL}", "|", "suspended", "ready", "${REASON_LABEL}", "${ID.kind}", "url")`;
  return applyRules(out, INFO_STATE_RULES);
}

/** `max by (id, fluxgrid_state)` of an info schema: one series per object and state at each step. */
export function infoStateSeries(
  schema: InfoSchema,
  filters: FluxFilters,
  mapping: FluxLabelMapping,
  atEnd: boolean
): string {
  const selectors = infoSelectors(schema, filters, mapping, { atEnd });
  return `max by (${ID_LIST}, ${STATE_LABEL}) (${infoStateLabels(orAll(selectors), schema, mapping)})`;
}

const READY: LabelMatcher = { label: 'type', op: '=', value: 'Ready' };

/** The legacy one-hot Ready condition selectors (type="Ready"), optionally of one status. */
export function legacyConditionSelectors(
  filters: FluxFilters,
  mapping: FluxLabelMapping,
  status?: string,
  atEnd = false
): string[] {
  const extra: LabelMatcher[] = status ? [READY, { label: 'status', op: '=', value: status }] : [READY];
  return filteredSelectors(FLUX_METRICS.legacyCondition, 'legacy', filters, mapping, extra, { atEnd });
}

/** Sets fluxgrid_state from the legacy `status` label, for every status of {@link LEGACY_STATUS_STATES}. */
export function legacyStatusToState(expr: string): string {
  let out = expr;
  for (const [status, state] of LEGACY_STATUS_STATES) {
    out = `label_replace(${out}, "${STATE_LABEL}", ${quote(state)}, "status", ${quote(status)})`;
  }
  return out;
}

/**
 * legacyState() in PromQL: the one-hot Ready condition (value 1) and the suspend gauge, with the
 * same precedence (Deleted > Suspended > False > Unknown > True) through `or on(id)`, which keeps
 * the left side for an object present on both. Without `includeDeleted`, Deleted objects are
 * masked out entirely (`unless on(id)`), as the core hides them by default.
 */
export function legacyStateSeries(
  filters: FluxFilters,
  mapping: FluxLabelMapping,
  atEnd: boolean,
  includeDeleted: boolean
): string {
  const oneHot = (selectors: string[]) =>
    `max by (${ID_LIST}) (${normalizeIdentity(orAll(selectors.map((s) => `${s} == 1`)), 'legacy', mapping)})`;
  const condition = (status: string) => oneHot(legacyConditionSelectors(filters, mapping, status, atEnd));
  const withState = (expr: string, state: FluxState) =>
    `label_replace(${expr}, "${STATE_LABEL}", ${quote(state)}, "", "")`;
  const stateOf = (status: string) => LEGACY_STATUS_STATES.find(([s]) => s === status)![1];
  const live = [
    withState(
      oneHot(filteredSelectors(FLUX_METRICS.legacySuspend, 'legacy', filters, mapping, [], { atEnd })),
      'Suspended'
    ),
    ...['False', 'Unknown', 'True'].map((status) => withState(condition(status), stateOf(status))),
  ]
    .map((p) => `(${p})`)
    .join(` or on(${ID_LIST}) `);
  const deleted = condition('Deleted');
  return includeDeleted
    ? `(${withState(deleted, stateOf('Deleted'))}) or on(${ID_LIST}) ${live}`
    : `(${live}) unless on(${ID_LIST}) ${deleted}`;
}

export interface StateSeriesOptions {
  /** Pin every selector to the end of the query (`@ end()`): "the current state", inside a subquery. */
  atEnd?: boolean;
  /** Keep legacy Flux 2.0 Deleted objects (state "Deleted"); default false drops them. */
  includeDeleted?: boolean;
}

/** `a or on(id) b …`: per object, the first part that has it wins (the richest schema). */
export function firstPerObject(parts: string[]): string {
  return parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(` or on(${ID_LIST}) `);
}

/**
 * One series per object and state, value 1, labels `fluxgrid_cluster/kind/namespace/name/state`.
 * With several schemas, the richest wins per object (`or on(id)`), as in the core.
 */
export function stateSeries(
  filters: FluxFilters,
  options: PromQLOptions = {},
  series: StateSeriesOptions = {}
): string {
  const mapping = options.labels ?? {};
  const atEnd = series.atEnd ?? false;
  return firstPerObject(
    schemasOf(options.schema).map((schema) =>
      schema === 'legacy'
        ? legacyStateSeries(filters, mapping, atEnd, series.includeDeleted ?? false)
        : infoStateSeries(schema, filters, mapping, atEnd)
    )
  );
}
