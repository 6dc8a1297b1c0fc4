/**
 * PromQL for Flux: escaping, and the queries the FluxGrid datasource sends for each question.
 *
 * Pure string building, no Grafana runtime: the datasource interpolates template variables into
 * {@link FilterValue}s and hands them here.
 *
 * ## Escaping
 * - A label value goes into a double-quoted PromQL string: `\` `"` and control characters are
 *   escaped Go-style (`\\`, `\"`, `\n`, `\xNN`). `$` is written `\x24`, and the second `[` of `[[` `\x5b`:
 *   Grafana's Prometheus datasource runs template interpolation over the expression once more, and a
 *   label value such as `$namespace` or `[[x]]` must not be taken for a dashboard variable there.
 * - A value inside a regex matcher is first quoted for RE2 (every metacharacter escaped, as Go's
 *   `regexp.QuoteMeta`), then string-escaped. A value like `.*` or `a|b` then matches only itself.
 *
 * ## One normalised vocabulary
 * The three schemas name the same things differently (`customresource_kind` vs `kind`,
 * `exported_namespace` vs `namespace`, several cluster labels). Every query that aggregates first
 * rewrites them into `fluxgrid_cluster`, `fluxgrid_kind`, `fluxgrid_namespace`, `fluxgrid_name`
 * with `label_replace`, in the same order of preference as `labels.ts` (`resolveIdentity`), so an
 * object has the same identity in every query and in the core.
 *
 * Filters cannot act on those rewritten labels (PromQL has no label filter on expressions), so a
 * namespace filter becomes two selectors, exact by construction:
 * `{exported_namespace=~"V"} or {exported_namespace="", namespace=~"V"}`; an auto-detected cluster
 * label likewise becomes one selector per candidate label, each requiring the preferred ones absent.
 *
 * ## The state rules in PromQL
 * `stateSeries` derives the state of `state.ts` (`infoState`, `legacyState`) as a label,
 * `fluxgrid_state`, with `label_join` + a chain of `label_replace` (later rules override earlier
 * ones, so the chain runs from the weakest rule to Suspended). The datasource's Objects state comes
 * from the core (`readFluxFrames`); this PromQL twin is used where state has to be known at every
 * step inside Prometheus: state history and state changes, and which series count as "another
 * state" for time in state. Tests hold the two equal.
 *
 * ## Objects in three queries, one row per object each
 * 1. `objectsStateQuery`: the raw state series at the end of the range (instant), decoded by the
 *    core. Legacy gauges only where they are 1.
 * 2. `sinceQuery`: since when each object is in its state. Inside the subquery only raw selectors
 *    run (`timestamp(sel)`: a sample's own time); relabelling and the state rules run once,
 *    outside. Info metrics: exact to the scrape for ranges up to 24 h (the time of the last sample
 *    in another state: the change happened before the next scrape). Legacy gauges: exact to one
 *    subquery step (4 min up to 24 h, then range / 360). Approximate everywhere: an object in its
 *    state for the whole range gets the range start (a lower bound); one that appeared within the
 *    range, its first sample within one step; a gap in the series is not a change; a state shorter
 *    than a step can be missed by the legacy gauges (and by info metrics past 24 h).
 * 3. `lastReconcileQuery`: the last sample of gotk_reconcile_duration_seconds_count, seen at a
 *    step, that still had an older count than at the end: exact to one step. Nothing when the
 *    object did not reconcile within the range.
 * Both subqueries need the `@` modifier (Prometheus >= 2.33 by default; Thanos, Mimir support it).
 */
import { CLUSTER_LABELS, KIND_LABELS, NAME_LABEL, NAMESPACE_LABELS, REASON_LABELS } from './labels';
import { CONFIGURATION_KINDS, DEPENDENCY_NOT_READY } from './state';
import { FLUX_METRICS, FluxLabelMapping, FluxState } from './types';

// ---------------------------------------------------------------------------------------------
// Escaping

/** The body of a double-quoted PromQL string holding `value` exactly. */
export function escapeLabelValue(value: string): string {
  let out = '';
  let previous = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    switch (char) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      // Grafana's Prometheus datasource interpolates the expression again: keep `$x`, `${x}` and
      // `[[x]]` in label values from looking like dashboard variables.
      case '$':
        out += '\\x24';
        break;
      case '[':
        // Only `[[` reads as a variable; a lone `[` (regex classes) stays readable.
        out += previous === '[' ? '\\x5b' : '[';
        break;
      default:
        if (code < 0x20 || code === 0x7f) {
          out += '\\x' + code.toString(16).padStart(2, '0');
        } else {
          out += char;
        }
    }
    previous = char;
  }
  return out;
}

/** `value` as a PromQL string literal, quotes included. */
export function quote(value: string): string {
  return '"' + escapeLabelValue(value) + '"';
}

/** RE2 metacharacters (Go's regexp.QuoteMeta set). */
const REGEX_META = /[\\.+*?()|[\]{}^$]/g;

/** `value` as an RE2 pattern that matches exactly `value` (before string escaping). */
export function escapeRegex(value: string): string {
  return value.replace(REGEX_META, '\\$&');
}

/** An RE2 pattern matching exactly one of `values` (Prometheus anchors the whole pattern). */
export function alternation(values: readonly string[]): string {
  if (values.length === 1) {
    return escapeRegex(values[0]);
  }
  return '(?:' + values.map(escapeRegex).join('|') + ')';
}

// ---------------------------------------------------------------------------------------------
// Filters and selectors

/**
 * What a filter field asks for, after template interpolation. The datasource decides which parts
 * are the user's pattern and which are variable values (escaped with {@link escapeRegex}).
 */
export type FilterValue =
  /** Exactly this value. */
  | { type: 'equals'; value: string }
  /** Exactly one of these values (a multi-value variable). Empty matches nothing. */
  | { type: 'oneOf'; values: string[] }
  /** An RE2 pattern, anchored by Prometheus. Only its string escaping is done here. */
  | { type: 'regex'; pattern: string };

export interface FluxFilters {
  cluster?: FilterValue;
  kind?: FilterValue;
  namespace?: FilterValue;
  name?: FilterValue;
}

export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  /** The raw value or pattern; escaped when rendered. */
  value: string;
}

/** A regex that matches no label value at all (not even the empty one). */
const MATCH_NOTHING = '(?:$.^)';

export function matcherFor(label: string, filter: FilterValue): LabelMatcher {
  switch (filter.type) {
    case 'equals':
      return { label, op: '=', value: filter.value };
    case 'oneOf':
      return filter.values.length === 0
        ? { label, op: '=~', value: MATCH_NOTHING }
        : filter.values.length === 1
          ? { label, op: '=', value: filter.values[0] }
          : { label, op: '=~', value: alternation(filter.values) };
    case 'regex':
      return { label, op: '=~', value: filter.pattern };
  }
}

/** A Prometheus label name (the only thing pasted into PromQL unquoted). */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

export function renderMatcher(m: LabelMatcher): string {
  // Label names come from settings; the datasource validates them (labelMappingOf). This is the
  // last line of defence: never paste something that is not a label name into PromQL.
  if (!isLabelName(m.label)) {
    throw new Error(`"${m.label}" is not a valid Prometheus label name`);
  }
  return `${m.label}${m.op}${quote(m.value)}`;
}

export interface SelectorModifiers {
  /** `@ end()`: evaluate at the end of the query whatever the step (for "the current state"). */
  atEnd?: boolean;
  /** A range, e.g. `1h`: makes a range vector selector. */
  range?: string;
}

export function renderSelector(
  metric: string,
  matchers: readonly LabelMatcher[],
  modifiers: SelectorModifiers = {}
): string {
  const body = matchers.map(renderMatcher).join(', ');
  let out = body ? `${metric}{${body}}` : metric;
  if (modifiers.range) {
    out += `[${modifiers.range}]`;
  }
  if (modifiers.atEnd) {
    out += ' @ end()';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Schemas and label names

export type SchemaSetting = 'auto' | 'legacy' | 'kube-state-metrics' | 'flux-operator';
export type StateSchema = Exclude<SchemaSetting, 'auto'>;

/** Richest first: the order in which `or` lets one schema win over another for the same object. */
export const STATE_SCHEMAS: readonly StateSchema[] = ['flux-operator', 'kube-state-metrics', 'legacy'];

export function schemasOf(setting: SchemaSetting | undefined): readonly StateSchema[] {
  return !setting || setting === 'auto' ? STATE_SCHEMAS : [setting];
}

export const SCHEMA_METRIC: Record<StateSchema, string> = {
  'flux-operator': FLUX_METRICS.fluxOperatorInfo,
  'kube-state-metrics': FLUX_METRICS.kubeStateMetricsInfo,
  legacy: FLUX_METRICS.legacyCondition,
};

export interface PromQLOptions {
  /** Which schema(s) to read; 'auto' (default) reads all three, richest winning per object. */
  schema?: SchemaSetting;
  /** Label overrides (see {@link FluxLabelMapping}); unset fields are auto-detected. */
  labels?: FluxLabelMapping;
}

/** The normalised identity labels every aggregating query groups by. */
export const ID = {
  cluster: 'fluxgrid_cluster',
  kind: 'fluxgrid_kind',
  namespace: 'fluxgrid_namespace',
  name: 'fluxgrid_name',
} as const;
export const STATE_LABEL = 'fluxgrid_state';
export const STAT_LABEL = 'fluxgrid_stat';
const ID_LIST = `${ID.cluster}, ${ID.kind}, ${ID.namespace}, ${ID.name}`;
const TMP_LABEL = 'fluxgrid_signals';

/**
 * Which label of a metric family holds the object's kind / namespace / name, most preferred first.
 *
 * The kind / namespace / name overrides of a {@link FluxLabelMapping} are for custom
 * kube-state-metrics configs: they apply to gotk_resource_info only, with the defaults as fallback.
 * The controllers' metrics (gotk_reconcile_*: 'controller', and the legacy gauges) and the Flux
 * Operator's always use `kind`, `name` and `namespace` / `exported_namespace`. The same preference
 * as the core's `resolveIdentity` (labels.ts), once {@link objectsStateQuery} has rewritten the
 * overridden labels of the kube-state-metrics series into the default ones.
 */
function withOverride(
  metricSchema: StateSchema | 'controller',
  override: string | undefined,
  defaults: readonly string[]
): string[] {
  return metricSchema === 'kube-state-metrics' && override
    ? [override, ...defaults.filter((l) => l !== override)]
    : [...defaults];
}

/** Which series a metric's kind sits in: kube-state-metrics says customresource_kind. */
function kindLabels(metricSchema: StateSchema | 'controller', mapping: FluxLabelMapping): string[] {
  // The same preference as resolveIdentity: customresource_kind (kube-state-metrics only), then kind.
  const defaults = metricSchema === 'kube-state-metrics' ? KIND_LABELS : KIND_LABELS.filter((l) => l === 'kind');
  return withOverride(metricSchema, mapping.kind, defaults);
}

function namespaceLabels(metricSchema: StateSchema | 'controller', mapping: FluxLabelMapping): string[] {
  return withOverride(metricSchema, mapping.namespace, NAMESPACE_LABELS);
}

function nameLabels(metricSchema: StateSchema | 'controller', mapping: FluxLabelMapping): string[] {
  return withOverride(metricSchema, mapping.name, [NAME_LABEL]);
}

/** The cluster label is added by the scrape or remote write, alike for every metric family. */
function clusterLabels(mapping: FluxLabelMapping): string[] {
  return mapping.cluster ? [mapping.cluster] : [...CLUSTER_LABELS];
}

/**
 * The mapping the core should decode {@link objectsStateQuery}'s answer with: that query rewrites
 * the kind / namespace / name overrides into the default labels (defaults as fallback), so only
 * cluster and reason remain to be told.
 */
export function coreMappingOf(mapping: FluxLabelMapping): FluxLabelMapping {
  const out: FluxLabelMapping = {};
  if (mapping.cluster) {
    out.cluster = mapping.cluster;
  }
  if (mapping.reason) {
    out.reason = mapping.reason;
  }
  return out;
}

/**
 * Alternatives (OR-ed selectors) that together match exactly the series whose *preferred* label
 * (the first present of `labels`) satisfies `filter`: for each candidate, that candidate matches
 * and every more preferred one is absent (`=""` matches an absent label).
 */
function preferredLabelAlternatives(labels: string[], filter: FilterValue | undefined): LabelMatcher[][] {
  if (!filter) {
    return [[]];
  }
  return labels.map((label, i) => [
    ...labels.slice(0, i).map((before): LabelMatcher => ({ label: before, op: '=', value: '' })),
    matcherFor(label, filter),
  ]);
}

function cartesian(groups: LabelMatcher[][][]): LabelMatcher[][] {
  return groups.reduce<LabelMatcher[][]>(
    (acc, alternatives) => acc.flatMap((left) => alternatives.map((right) => [...left, ...right])),
    [[]]
  );
}

/**
 * The selectors (to be OR-ed) for `metric` restricted by `filters`. Each is a plain vector
 * selector; `extra` matchers (e.g. `type="Ready"`) are added to all of them.
 */
export function filteredSelectors(
  metric: string,
  metricSchema: StateSchema | 'controller',
  filters: FluxFilters,
  mapping: FluxLabelMapping,
  extra: LabelMatcher[] = [],
  modifiers: SelectorModifiers = {}
): string[] {
  const alternatives = cartesian([
    preferredLabelAlternatives(clusterLabels(mapping), filters.cluster),
    preferredLabelAlternatives(kindLabels(metricSchema, mapping), filters.kind),
    preferredLabelAlternatives(namespaceLabels(metricSchema, mapping), filters.namespace),
    preferredLabelAlternatives(nameLabels(metricSchema, mapping), filters.name),
  ]);
  return alternatives.map((matchers) => renderSelector(metric, [...extra, ...matchers], modifiers));
}

function orAll(parts: string[]): string {
  return parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(' or ');
}

/** label_replace that copies `src` into `dst` when `src` is non-empty (so later calls win). */
function copyLabel(expr: string, dst: string, src: string): string {
  return `label_replace(${expr}, ${quote(dst)}, "$1", ${quote(src)}, "(.+)")`;
}

/** Rewrites identity labels into the fluxgrid_* vocabulary, most preferred label applied last. */
export function normalizeIdentity(
  expr: string,
  metricSchema: StateSchema | 'controller',
  mapping: FluxLabelMapping
): string {
  let out = expr;
  const steps: Array<[string, string[]]> = [
    [ID.cluster, clusterLabels(mapping)],
    [ID.kind, kindLabels(metricSchema, mapping)],
    [ID.namespace, namespaceLabels(metricSchema, mapping)],
    [ID.name, nameLabels(metricSchema, mapping)],
  ];
  for (const [dst, sources] of steps) {
    for (const src of [...sources].reverse()) {
      out = copyLabel(out, dst, src);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// State in PromQL (the twin of state.ts)

interface StateRule {
  /** Anchored RE2 over `suspended|ready|reason|kind` joined with '|'. */
  pattern: string;
  state: FluxState;
}

const CONFIG_KINDS = [...CONFIGURATION_KINDS].map(escapeRegex).join('|');
const DNR = escapeRegex(DEPENDENCY_NOT_READY);

/**
 * infoState() as label rules, weakest first (each later match overrides). The joined label is
 * `suspended|ready|reason|kind`; parseReady/parseSuspended are case-insensitive, so are these.
 */
export const INFO_STATE_RULES: readonly StateRule[] = [
  // Anything else, including a ready label we cannot read: no status information.
  { pattern: '.*', state: 'Unknown' },
  { pattern: `[^|]*\\|\\|[^|]*\\|(?:${CONFIG_KINDS})`, state: 'Ready' },
  { pattern: '[^|]*\\|(?i:unknown)\\|.*', state: 'Progressing' },
  { pattern: '[^|]*\\|(?i:true)\\|.*', state: 'Ready' },
  { pattern: '[^|]*\\|(?i:false)\\|.*', state: 'Failed' },
  { pattern: `[^|]*\\|(?i:false)\\|${DNR}\\|.*`, state: 'Progressing' },
  { pattern: '(?i:true)\\|.*', state: 'Suspended' },
];

function applyRules(expr: string, rules: readonly StateRule[]): string {
  let out = expr;
  for (const rule of rules) {
    out = `label_replace(${out}, "${STATE_LABEL}", ${quote(rule.state)}, "${TMP_LABEL}", ${quote(rule.pattern)})`;
  }
  return out;
}

function reasonLabelFor(mapping: FluxLabelMapping): string[] {
  return mapping.reason ? [mapping.reason] : [...REASON_LABELS];
}

/**
 * `max by (id, fluxgrid_state)` of an info metric: one series per object and state at each step.
 * The reason is the first present of the reason labels (as reasonOf): it is copied into the
 * temporary label most-preferred-last.
 */
/** The info-metric state rules applied to `expr` (series with raw labels): adds fluxgrid_* and fluxgrid_state. */
function infoStateLabels(
  expr: string,
  schema: 'flux-operator' | 'kube-state-metrics',
  mapping: FluxLabelMapping
): string {
  let out = normalizeIdentity(expr, schema, mapping);
  // The reason (first present of the candidates) into fluxgrid_reason, then the joined signals.
  for (const src of [...reasonLabelFor(mapping)].reverse()) {
    out = copyLabel(out, 'fluxgrid_reason', src);
  }
  out = `label_join(${out}, "${TMP_LABEL}", "|", "suspended", "ready", "fluxgrid_reason", "${ID.kind}")`;
  return applyRules(out, INFO_STATE_RULES);
}

/**
 * `max by (id, fluxgrid_state)` of an info metric: one series per object and state at each step.
 * The reason is the first present of the reason labels (as reasonOf).
 */
function infoStateSeries(
  schema: 'flux-operator' | 'kube-state-metrics',
  filters: FluxFilters,
  mapping: FluxLabelMapping,
  atEnd: boolean
): string {
  const selectors = filteredSelectors(SCHEMA_METRIC[schema], schema, filters, mapping, [], { atEnd });
  return `max by (${ID_LIST}, ${STATE_LABEL}) (${infoStateLabels(orAll(selectors), schema, mapping)})`;
}

/**
 * legacyState() in PromQL: the one-hot Ready condition (value 1) and the suspend gauge, with the
 * same precedence (Deleted > Suspended > False > Unknown > True) through `or on(id)`, which keeps
 * the left side for an object present on both. Without `includeDeleted`, Deleted objects are
 * masked out entirely (`unless on(id)`), as the core hides them by default.
 */
function legacyStateSeries(
  filters: FluxFilters,
  mapping: FluxLabelMapping,
  atEnd: boolean,
  includeDeleted: boolean
): string {
  const gauge = (metric: string, extra: LabelMatcher[]) =>
    `max by (${ID_LIST}) (${normalizeIdentity(
      orAll(filteredSelectors(metric, 'legacy', filters, mapping, extra, { atEnd }).map((s) => `${s} == 1`)),
      'legacy',
      mapping
    )})`;
  const condition = (status: string) =>
    gauge(FLUX_METRICS.legacyCondition, [
      { label: 'type', op: '=', value: 'Ready' },
      { label: 'status', op: '=', value: status },
    ]);
  const withState = (expr: string, state: FluxState) =>
    `label_replace(${expr}, "${STATE_LABEL}", ${quote(state)}, "", "")`;
  const live = [
    withState(gauge(FLUX_METRICS.legacySuspend, []), 'Suspended'),
    withState(condition('False'), 'Failed'),
    withState(condition('Unknown'), 'Progressing'),
    withState(condition('True'), 'Ready'),
  ]
    .map((p) => `(${p})`)
    .join(` or on(${ID_LIST}) `);
  const deleted = condition('Deleted');
  return includeDeleted
    ? `(${withState(deleted, 'Deleted')}) or on(${ID_LIST}) ${live}`
    : `(${live}) unless on(${ID_LIST}) ${deleted}`;
}

export interface StateSeriesOptions {
  /** Pin every selector to the end of the query (`@ end()`): "the current state", inside a subquery. */
  atEnd?: boolean;
  /** Keep legacy Flux 2.0 Deleted objects (state "Deleted"); default false drops them. */
  includeDeleted?: boolean;
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
  const parts = schemasOf(options.schema).map((schema) =>
    schema === 'legacy'
      ? legacyStateSeries(filters, mapping, atEnd, series.includeDeleted ?? false)
      : infoStateSeries(schema, filters, mapping, atEnd)
  );
  return parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(` or on(${ID_LIST}) `);
}

// ---------------------------------------------------------------------------------------------
// Queries

/** Seconds as a PromQL duration. */
export function duration(seconds: number): string {
  return `${Math.max(1, Math.round(seconds))}s`;
}

/**
 * How often the since / last-reconcile subqueries look at the raw series: every 4 minutes,
 * growing past 24 h to keep at most 360 steps. Subquery cost is series x steps, and it dominates
 * an Objects refresh at 10k objects (see bench/datasource.bench.ts: a 1 min step made it 4x
 * slower). What a step takes is `timestamp()` of the newest sample:
 * - info metrics: a state change ENDS a series, and Prometheus looks back 5 minutes for the
 *   newest sample, so with any step under 5 minutes (ranges up to 24 h) the last sample of every
 *   series is seen, exactly;
 * - legacy gauges and the reconcile counter change their value IN PLACE: the last sample with the
 *   old value is only seen if a step falls between it and the change, so those times are exact to
 *   one step (4 min up to 24 h).
 */
export function subqueryStep(windowSeconds: number, maxSteps = 360, minStepSeconds = 240): number {
  return Math.max(minStepSeconds, Math.ceil(windowSeconds / maxSteps));
}

/** The raw state series for the core to decode (`readFluxFrames`): instant, names kept. */
export function objectsStateQuery(filters: FluxFilters, options: PromQLOptions = {}): string {
  const mapping = options.labels ?? {};
  const parts: string[] = [];
  for (const schema of schemasOf(options.schema)) {
    if (schema === 'legacy') {
      // Only the one-hot series that are 1 (a quarter of them), and only suspended objects' gauge.
      parts.push(
        ...filteredSelectors(FLUX_METRICS.legacyCondition, 'legacy', filters, mapping, [
          { label: 'type', op: '=', value: 'Ready' },
        ]).map((s) => `${s} == 1`),
        ...filteredSelectors(FLUX_METRICS.legacySuspend, 'legacy', filters, mapping).map((s) => `${s} == 1`)
      );
    } else if (schema === 'kube-state-metrics') {
      parts.push(
        ...filteredSelectors(SCHEMA_METRIC[schema], schema, filters, mapping).map((s) =>
          toDefaultIdentityLabels(s, mapping)
        )
      );
    } else {
      parts.push(...filteredSelectors(SCHEMA_METRIC[schema], schema, filters, mapping));
    }
  }
  return orAll(parts);
}

/**
 * A kube-state-metrics selector with the overridden identity labels copied into the default ones
 * (where the override is present), so the core, reading with {@link coreMappingOf}, resolves the
 * same identity as the PromQL here: the override first, the defaults as fallback.
 */
function toDefaultIdentityLabels(selector: string, mapping: FluxLabelMapping): string {
  let out = selector;
  const rewrites: Array<[string | undefined, string]> = [
    [mapping.kind, KIND_LABELS[0]],
    [mapping.namespace, NAMESPACE_LABELS[0]],
    [mapping.name, NAME_LABEL],
  ];
  for (const [override, preferred] of rewrites) {
    if (override && override !== preferred) {
      out = copyLabel(out, preferred, override);
    }
  }
  return out;
}

/**
 * `fn_over_time(timestamp(SEL)[window:step])` over each selector: per raw series, the time of a
 * sample. Only raw selectors run at every step (cheap); relabelling and state rules run once,
 * outside, on one value per series. `timestamp()` of a plain selector is the sample's own time,
 * so the answers are exact to the scrape, whatever the step. With `onlyWhen` (e.g. `== 0`), only
 * samples passing that comparison count (`and` matches the same series, names ignored).
 */
function sampleTimes(fn: 'max' | 'min', selectors: string[], window: string, onlyWhen?: string): string {
  const parts = selectors.map((sel) => (onlyWhen ? `(timestamp(${sel}) and ${sel} ${onlyWhen})` : `timestamp(${sel})`));
  return `${fn}_over_time((${parts.join(' or ')})[${window}])`;
}

const PART_LABEL = 'fluxgrid_part';

/** The max over several per-object expressions (`or` alone would keep only the first one's value). */
function maxOf(exprs: string[]): string {
  return `max by (${ID_LIST}) (${exprs.map((e, i) => `label_replace(${e}, "${PART_LABEL}", "${i}", "", "")`).join(' or ')})`;
}

/**
 * Since when each object of an info schema has been in its current state. A state change ends the
 * object's series and starts another (new label values), so per raw series the last sample time in
 * the window is all it takes:
 * - since = the last sample of any series of the object in ANOTHER state (exact: the change
 *   happened between that scrape and the next one);
 * - no other state within the window: the first sample of the object in its current state (the
 *   window start, or when the object appeared; within one subquery step).
 */
function infoSince(
  schema: 'flux-operator' | 'kube-state-metrics',
  filters: FluxFilters,
  mapping: FluxLabelMapping,
  window: string
): string {
  const selectors = filteredSelectors(SCHEMA_METRIC[schema], schema, filters, mapping);
  const current = infoStateSeries(schema, filters, mapping, true);
  const last = `max by (${ID_LIST}, ${STATE_LABEL}) (${infoStateLabels(sampleTimes('max', selectors, window), schema, mapping)})`;
  const other = `max by (${ID_LIST}) (${last} unless on(${ID_LIST}, ${STATE_LABEL}) ${current})`;
  // Without another state in the window, every sample of the object was in its current state: its
  // first sample will do, no state rules needed (objects gone by now are dropped by the datasource,
  // which joins on the current objects).
  const first = `min by (${ID_LIST}) (${normalizeIdentity(sampleTimes('min', selectors, window), schema, mapping)})`;
  return `${other} or on(${ID_LIST}) ${first}`;
}

/**
 * The same for the legacy gauges, whose values flip in place (one series per status, 0 or 1):
 * - suspended now: since the last sample with the suspend gauge at 0;
 * - otherwise, in the state of status S: since the last sample with S's gauge at 0, or with the
 *   suspend gauge at 1, whichever is later;
 * - neither within the window: the first sample of any of its condition series.
 */
function legacySince(filters: FluxFilters, mapping: FluxLabelMapping, window: string): string {
  const norm = (expr: string) => normalizeIdentity(expr, 'legacy', mapping);
  const ready: LabelMatcher[] = [{ label: 'type', op: '=', value: 'Ready' }];
  const conditions = filteredSelectors(FLUX_METRICS.legacyCondition, 'legacy', filters, mapping, ready);
  const suspends = filteredSelectors(FLUX_METRICS.legacySuspend, 'legacy', filters, mapping);
  const suspendsAtEnd = filteredSelectors(FLUX_METRICS.legacySuspend, 'legacy', filters, mapping, [], { atEnd: true });
  const current = legacyStateSeries(filters, mapping, true, false);
  const suspendedNow = `max by (${ID_LIST}) (${norm(orAll(suspendsAtEnd.map((s) => `${s} == 1`)))})`;
  let statusOff = norm(sampleTimes('max', conditions, window, '== 0'));
  for (const [status, state] of LEGACY_STATUS_STATES) {
    statusOff = `label_replace(${statusOff}, "${STATE_LABEL}", ${quote(state)}, "status", ${quote(status)})`;
  }
  const unsuspended = `max by (${ID_LIST}) (${norm(sampleTimes('max', suspends, window, '== 0'))}) and on(${ID_LIST}) ${suspendedNow}`;
  const leftState = `(max by (${ID_LIST}) (max by (${ID_LIST}, ${STATE_LABEL}) (${statusOff}) and on(${ID_LIST}, ${STATE_LABEL}) ${current}) unless on(${ID_LIST}) ${suspendedNow})`;
  const wasSuspended = `((max by (${ID_LIST}) (${norm(sampleTimes('max', suspends, window, '== 1'))}) and on(${ID_LIST}) ${current}) unless on(${ID_LIST}) ${suspendedNow})`;
  const other = maxOf([unsuspended, leftState, wasSuspended]);
  const first = `(min by (${ID_LIST}) (${norm(sampleTimes('min', conditions, window))}) and on(${ID_LIST}) ${current})`;
  return `${other} or on(${ID_LIST}) ${first}`;
}

const LEGACY_STATUS_STATES: ReadonlyArray<[string, FluxState]> = [
  ['True', 'Ready'],
  ['False', 'Failed'],
  ['Unknown', 'Progressing'],
  ['Deleted', 'Deleted'],
];

/**
 * Since when each object has been in its current state: epoch seconds, one series per object.
 * Computed per raw series inside the subquery and aggregated once outside (see infoSince,
 * legacySince); with several schemas the richest one's answer wins, as for the state. The
 * subquery step only decides how often the raw series are looked at: the times themselves are
 * sample times. A value at (or, through Prometheus' 5 min lookback, just before) the window start
 * means "at least since the window start".
 */
export function sinceQuery(
  filters: FluxFilters,
  options: PromQLOptions,
  windowSeconds: number,
  stepSeconds: number
): string {
  const mapping = options.labels ?? {};
  const window = `${duration(windowSeconds)}:${duration(stepSeconds)}`;
  const parts = schemasOf(options.schema).map((schema) =>
    schema === 'legacy' ? legacySince(filters, mapping, window) : infoSince(schema, filters, mapping, window)
  );
  return parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(` or on(${ID_LIST}) `);
}

/**
 * When each object last reconciled, from gotk_reconcile_duration_seconds_count (every Flux
 * version's controllers export it): per raw counter series, the last sample that still shows an
 * older count than today's (`X != X @ end()`); the reconcile happened between that scrape and the
 * next. No such sample in the window: it did not reconcile within the window (0). Also lists
 * objects known only from their reconciles (Flux >= 2.5 without a state metric).
 */
export function lastReconcileQuery(
  filters: FluxFilters,
  options: PromQLOptions,
  windowSeconds: number,
  stepSeconds: number
): string {
  const mapping = options.labels ?? {};
  const window = `${duration(windowSeconds)}:${duration(stepSeconds)}`;
  const selectors = filteredSelectors(FLUX_METRICS.reconcileDurationCount, 'controller', filters, mapping);
  const endValue = orAll(
    filteredSelectors(FLUX_METRICS.reconcileDurationCount, 'controller', filters, mapping, [], { atEnd: true })
  );
  const norm = (expr: string) => normalizeIdentity(expr, 'controller', mapping);
  const before = sampleTimes('max', selectors, window, `!= ${selectors.length > 1 ? `(${endValue})` : endValue}`);
  const last = `max by (${ID_LIST}) (${norm(before)})`;
  // Objects that did not reconcile within the window still exist: 0 says "not within the window".
  return `${last} or on(${ID_LIST}) (max by (${ID_LIST}) (${norm(endValue)}) * 0)`;
}

/**
 * Reconcile duration per object over the window from the histogram: p50, p95, max (the upper
 * bound of the slowest non-empty bucket: histogram_quantile(1, …)), count and mean, in one query
 * told apart by the `fluxgrid_stat` label; only the `limit` objects with the highest p95 (plus
 * objects tied with the last one).
 */
export function reconcileDurationQuery(
  filters: FluxFilters,
  options: PromQLOptions,
  windowSeconds: number,
  limit: number
): string {
  const mapping = options.labels ?? {};
  const range = duration(windowSeconds);
  const increase = (metric: string, by: string) =>
    `sum by (${by}) (${normalizeIdentity(
      orAll(filteredSelectors(metric, 'controller', filters, mapping, [], { range }).map((s) => `increase(${s})`)),
      'controller',
      mapping
    )})`;
  const buckets = increase(FLUX_METRICS.reconcileDurationBucket, `${ID_LIST}, le`);
  const count = increase(FLUX_METRICS.reconcileDurationCount, ID_LIST);
  const sum = increase(FLUX_METRICS.reconcileDurationSum, ID_LIST);
  const quantile = (q: number) => `histogram_quantile(${q}, ${buckets})`;
  const p95 = quantile(0.95);
  // topk() breaks ties at random (Go map order), so five topk()s could pick five different sets.
  // The limit-th highest p95 is a value, though: keep every object at or above it (the limit plus
  // any ties); the datasource sorts and cuts deterministically.
  const threshold = `scalar(min(topk(${Math.max(1, Math.floor(limit))}, ${p95})))`;
  const top = `((${p95}) >= ${threshold})`;
  const stat = (name: string, expr: string) =>
    `label_replace((${expr}) and on(${ID_LIST}) ${top}, "${STAT_LABEL}", "${name}", "", "")`;
  return [
    stat('p50', quantile(0.5)),
    stat('p95', p95),
    stat('max', quantile(1)),
    stat('count', count),
    stat('mean', `${sum} / (${count} > 0)`),
  ]
    .map((p) => `(${p})`)
    .join(' or ');
}

export type VariableTarget = 'clusters' | 'kinds' | 'namespaces' | 'names';

const VARIABLE_LABEL: Record<VariableTarget, string> = {
  clusters: ID.cluster,
  kinds: ID.kind,
  namespaces: ID.namespace,
  names: ID.name,
};

/** The distinct values of one identity label over the objects matching `filters`. */
export function labelValuesQuery(target: VariableTarget, filters: FluxFilters, options: PromQLOptions = {}): string {
  return `group by (${VARIABLE_LABEL[target]}) (${objectIdentitiesQuery(filters, options)})`;
}

/** One series per live object (value 1): the base of variables and the health check. */
export function objectIdentitiesQuery(filters: FluxFilters, options: PromQLOptions = {}): string {
  return `max by (${ID_LIST}) (${stateSeries(filters, options)})`;
}

/** How many objects, and in how many clusters (one query, told apart by `fluxgrid_stat`). */
export function objectCountQuery(options: PromQLOptions = {}): string {
  // Only objects with a kind and a name: a series without them (a wrong label mapping) is no object.
  // `unless on(l) vector(1)` drops the series whose label l is empty (vector(1) has no labels).
  const ids = `(${objectIdentitiesQuery({}, options)} unless on(${ID.kind}) vector(1) unless on(${ID.name}) vector(1))`;
  return `label_replace(count(${ids}), "${STAT_LABEL}", "objects", "", "") or label_replace(count(count by (${ID.cluster}) (${ids})), "${STAT_LABEL}", "clusters", "", "")`;
}

/** The state metric families, by schema. */
const STATE_FAMILIES = [FLUX_METRICS.kubeStateMetricsInfo, FLUX_METRICS.fluxOperatorInfo, FLUX_METRICS.legacyCondition];

/**
 * Which of the three state metric families exist (for schema detection and the health check),
 * and whether controllers report reconciles (`gotk_reconcile_duration_seconds_count`: Flux >= 2.5
 * without a state metric has only those).
 */
export function metricFamiliesQuery(): string {
  const names = [...STATE_FAMILIES, FLUX_METRICS.reconcileDurationCount];
  return `count by (__name__) ({__name__=~${quote(names.map(escapeRegex).join('|'))}})`;
}

/** The stat label value of {@link stateSeriesCountQuery}. */
export const STATE_SERIES_STAT = 'stateSeries';

/**
 * How many state series the configured schema(s) have at all, unfiltered, as one series labelled
 * `fluxgrid_stat="stateSeries"` (nothing when there are none). Cheap (a count of an instant
 * selector): OR-ed into another query, it tells "no state metric at all" (Flux >= 2.5 with only
 * reconcile counters) from "the filters match no object".
 */
export function stateSeriesCountQuery(options: PromQLOptions = {}): string {
  const names = schemasOf(options.schema).map((schema) => SCHEMA_METRIC[schema]);
  return `label_replace(count({__name__=~${quote(names.map(escapeRegex).join('|'))}}), "${STAT_LABEL}", "${STATE_SERIES_STAT}", "", "")`;
}
