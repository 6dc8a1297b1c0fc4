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
import { reasonLabels } from '../labels';
import { LEGACY_STATUS_STATES } from '../schemas';
import { CONFIGURATION_KINDS, DEPENDENCY_NOT_READY, OCI_URL_PREFIX } from '../state';
import { FLUX_METRICS, FluxLabelMapping, FluxSchema, FluxState } from '../types';
import { escapeRegex, quote } from './escape';
import { copyFirstPresent, ID, ID_LIST, normalizeIdentity } from './identity';
import { fitting, Selection } from './selection';
import { FluxFilters, LabelMatcher, orAll, PromQLOptions, schemasOf, SelectorModifiers } from './selectors';

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

const READY_UNKNOWN: StateRule = { pattern: '[^|]*\\|(?i:unknown)\\|.*', state: 'Progressing' };
/** The Flux Operator's ready="Unknown" without a reason: its default for an object without a Ready condition. */
const NO_READY_CONDITION: StateRule = { pattern: '[^|]*\\|(?i:unknown)\\|\\|.*', state: 'Unknown' };

/** infoState()'s rules, weakest first, with `unknown` the rules of ready="Unknown". */
function infoRules(unknown: readonly StateRule[]): readonly StateRule[] {
  return [
    // Anything else, including a ready label we cannot read: no status information.
    { pattern: '.*', state: 'Unknown' },
    { pattern: `[^|]*\\|\\|[^|]*\\|(?:${CONFIG_KINDS})\\|.*`, state: 'Ready' },
    // No Ready condition on an OCI HelmRepository (static since Flux 2.2): Ready (isOciHelmRepository).
    { pattern: `[^|]*\\|\\|[^|]*\\|HelmRepository\\|${OCI}.*`, state: 'Ready' },
    ...unknown,
    { pattern: '[^|]*\\|(?i:true)\\|.*', state: 'Ready' },
    { pattern: '[^|]*\\|(?i:false)\\|.*', state: 'Failed' },
    { pattern: `[^|]*\\|(?i:false)\\|${DNR}\\|.*`, state: 'Progressing' },
    { pattern: '(?i:true)\\|.*', state: 'Suspended' },
  ];
}

/**
 * infoState() as label rules, per info schema, weakest first (each later match overrides). The
 * joined label is `suspended|ready|reason|kind|url`; parseReady/parseSuspended are
 * case-insensitive, so are these. Ready=Unknown is Progressing, but the Flux Operator's without a
 * reason is Unknown (kube-state-metrics writes `ready` only from a Ready condition).
 */
export const INFO_STATE_RULES: Readonly<Record<InfoSchema, readonly StateRule[]>> = {
  'kube-state-metrics': infoRules([READY_UNKNOWN]),
  'flux-operator': infoRules([READY_UNKNOWN, NO_READY_CONDITION]),
};

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
  let out = copyFirstPresent(normalizeIdentity(expr, schema, mapping), REASON_LABEL, reasonLabels(mapping));
  out = `label_join(${out}, "${SIGNALS_LABEL}", "|", "suspended", "ready", "${REASON_LABEL}", "${ID.kind}", "url")`;
  return applyRules(out, INFO_STATE_RULES[schema]);
}

/** `max by (id, fluxgrid_state)` of an info schema: one series per object and state at each step. */
export function infoStateSeries(schema: InfoSchema, selection: Selection, modifiers: SelectorModifiers = {}): string {
  const selectors = selection.info(schema, modifiers);
  return `max by (${ID_LIST}, ${STATE_LABEL}) (${infoStateLabels(orAll(selectors), schema, selection.mapping)})`;
}

const READY: LabelMatcher = { label: 'type', op: '=', value: 'Ready' };

/** The legacy one-hot Ready condition selectors (type="Ready"), optionally of one status. */
export function legacyConditionSelectors(
  selection: Selection,
  status?: string,
  modifiers: SelectorModifiers = {},
  more: LabelMatcher[] = []
): string[] {
  const extra: LabelMatcher[] = status ? [READY, { label: 'status', op: '=', value: status }] : [READY];
  return selection.selectors(FLUX_METRICS.legacyCondition, 'legacy', [...extra, ...more], modifiers);
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
 * legacyState()'s precedence (Deleted > Suspended > False > Unknown > True) as values: each
 * gauge at 1 is worth its rank, the strongest per object is the `max`, and `count_values` turns
 * that rank back into a label the state is read from. Per step, one relabelling for all of them,
 * and neither `or on(id)` nor `topk`: VictoriaMetrics evaluates both over whole series (it fills
 * the gaps of the left side with the right side's values; topk picks series, not points), and
 * State history showed recovered objects as still failing there.
 */
const LEGACY_RANKS: ReadonlyArray<readonly [status: string | null, rank: number, state: FluxState]> = [
  ['Deleted', 5, 'Deleted'],
  [null, 4, 'Suspended'], // the suspend gauge
  ['False', 3, 'Failed'],
  ['Unknown', 2, 'Progressing'],
  ['True', 1, 'Ready'],
];
const DELETED_RANK = 5;
const RANK_LABEL = 'fluxgrid_rank';

/** The rank each legacy status stands for (tests). */
export function legacyRanks(): Record<string, number> {
  return Object.fromEntries(LEGACY_RANKS.map(([, rank, state]) => [state, rank]));
}

/**
 * legacyState() in PromQL: one series per object, labelled with its state, value 1. Without
 * `includeDeleted`, Deleted objects are left out entirely, as the core hides them by default.
 */
export function legacyStateSeries(
  selection: Selection,
  modifiers: SelectorModifiers = {},
  includeDeleted = false
): string {
  const parts = LEGACY_RANKS.map(([status, rank]) => {
    const selectors =
      status === null
        ? selection.selectors(FLUX_METRICS.legacySuspend, 'legacy', [], modifiers)
        : legacyConditionSelectors(selection, status, modifiers);
    return `(${orAll(selectors.map((s) => `${s} == 1`))}) * ${rank}`;
  });
  let strongest = `max by (${ID_LIST}) (${normalizeIdentity(orAll(parts), 'legacy', selection.mapping)})`;
  if (!includeDeleted) {
    strongest = `${strongest} != ${DELETED_RANK}`;
  }
  let out = `count_values by (${ID_LIST}) ("${RANK_LABEL}", ${strongest})`;
  for (const [, rank, state] of LEGACY_RANKS) {
    out = `label_replace(${out}, "${STATE_LABEL}", ${quote(state)}, "${RANK_LABEL}", "${rank}")`;
  }
  return `label_replace(${out}, "${RANK_LABEL}", "", "", "")`;
}

export interface StateSeriesOptions {
  /** Pin every selector to the end of the query (`@ end()`): "the current state", inside a subquery. */
  atEnd?: boolean;
  /** Keep legacy Flux 2.0 Deleted objects (state "Deleted"); default false drops them. */
  includeDeleted?: boolean;
}

/** The raw series of a schema's objects (every state), with their identity: the `on(id)` side of precedence. */
function schemaSelectors(schema: FluxSchema, selection: Selection, modifiers: SelectorModifiers): string[] {
  return schema === 'legacy'
    ? [
        ...legacyConditionSelectors(selection, undefined, modifiers),
        ...selection.selectors(FLUX_METRICS.legacySuspend, 'legacy', [], modifiers),
      ]
    : selection.info(schema, modifiers);
}

/**
 * Per object, the first schema that has it wins (the richest, as in the core), at every step:
 * `A or (B unless on(id) ids(A))`, where ids(A) is only A's raw series with their identity (the
 * same objects as A, without A's state rules). Not `A or on(id) B`: VictoriaMetrics fills the gaps
 * of A's series with B's values there, and State history showed wrong states.
 */
export function richestPerObject(
  schemas: readonly FluxSchema[],
  selection: Selection,
  modifiers: SelectorModifiers,
  partOf: (schema: FluxSchema) => string
): string {
  const parts: string[] = [];
  const richer: string[] = [];
  for (const schema of schemas) {
    const part = partOf(schema);
    parts.push(
      richer.length === 0
        ? part
        : `(${part}) unless on(${ID_LIST}) ${normalizeIdentity(orAll(richer), 'kube-state-metrics', selection.mapping)}`
    );
    richer.push(...schemaSelectors(schema, selection, modifiers));
  }
  return parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(' or ');
}

/**
 * One series per object and state, value 1, labels `fluxgrid_cluster/kind/namespace/name/state`.
 * With several schemas, the richest wins per object, as in the core.
 */
export function stateSeries(
  filters: FluxFilters,
  options: PromQLOptions = {},
  series: StateSeriesOptions = {}
): string {
  const modifiers: SelectorModifiers = series.atEnd ? { atEnd: true } : {};
  return fitting(filters, options.labels ?? {}, (selection) =>
    selection.exact(
      richestPerObject(schemasOf(options.schema), selection, modifiers, (schema) =>
        schema === 'legacy'
          ? legacyStateSeries(selection, modifiers, series.includeDeleted ?? false)
          : infoStateSeries(schema, selection, modifiers)
      )
    )
  );
}
