/**
 * Filters, label matchers and vector selectors: which series of a metric family a question reads.
 *
 * Pure string building, no Grafana runtime: the datasource interpolates template variables into
 * {@link FilterValue}s and hands them here.
 *
 * The identity labels a filter acts on are those the core reads ({@link identityLabels}, labels.ts):
 * the preferred label of a series is the first present of a list. PromQL cannot filter on "the first
 * present label", so a filter on namespace becomes one selector per candidate, each requiring the more
 * preferred ones absent, exact by construction:
 * `{exported_namespace=~"V"} or {exported_namespace="", namespace=~"V"}`.
 */
import { identityLabels, KIND_LABELS } from '../labels';
import { stateMetricsOf } from '../schemas';
import { FLUX_SCHEMAS, FluxLabelMapping, FluxSchema } from '../types';
import { alternation, MATCH_NOTHING, quote } from './escape';

/**
 * What a filter field asks for, after template interpolation. The datasource decides which parts
 * are the user's pattern and which are variable values (escaped with `escapeRegex`).
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
  /**
   * `@ <seconds>`: evaluate at this literal time (epoch s). Inside a subquery VictoriaMetrics reads
   * `end()` as the subquery step's own time; a literal means the same on every engine.
   */
  at?: number;
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
  if (modifiers.at !== undefined) {
    out += ` @ ${atTime(modifiers.at)}`;
  } else if (modifiers.atEnd) {
    out += ' @ end()';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Schemas and the datasource's settings

export type SchemaSetting = 'auto' | FluxSchema;
/** A schema the datasource reads state from (kept as a name for the datasource's imports). */
export type StateSchema = FluxSchema;

/** Richest first: the order in which `or` lets one schema win over another for the same object. */
export const STATE_SCHEMAS: readonly FluxSchema[] = FLUX_SCHEMAS;

export function schemasOf(setting: SchemaSetting | undefined): readonly FluxSchema[] {
  return !setting || setting === 'auto' ? STATE_SCHEMAS : [setting];
}

/** The info metric families of an info schema (one today; the Flux Operator may add more). */
export function infoMetrics(schema: 'flux-operator' | 'kube-state-metrics'): string[] {
  return stateMetricsOf(schema);
}

export interface PromQLOptions {
  /** Which schema(s) to read; 'auto' (default) reads all three, richest winning per object. */
  schema?: SchemaSetting;
  /** Label overrides (see {@link FluxLabelMapping}); unset fields are auto-detected. */
  labels?: FluxLabelMapping;
}

/** Who exported a metric family: a state schema, or the controllers' reconcile counters. */
export type MetricFamily = FluxSchema | 'controller';

/** The kube-state-metrics' own kind label, which no other family carries. */
const KSM_KIND_LABEL = KIND_LABELS[0];

/**
 * Which labels of a family hold the object's cluster / kind / namespace / name, most preferred
 * first: {@link identityLabels}, the one rule the core reads with too, minus the default labels a
 * family never carries (customresource_kind outside kube-state-metrics), which would only double
 * the selectors.
 */
export function familyIdentityLabels(family: MetricFamily, mapping: FluxLabelMapping) {
  const preferred = identityLabels(mapping);
  return {
    cluster: [...preferred.cluster],
    kind:
      family === 'kube-state-metrics'
        ? [...preferred.kind]
        : preferred.kind.filter((label) => label !== KSM_KIND_LABEL || label === mapping.kind),
    namespace: [...preferred.namespace],
    name: [...preferred.name],
  };
}

/**
 * Whether `filter` may accept the empty value (an absent label). Any pattern may (`eu|`,
 * `(?:eu)?`, `.*`): for one that cannot, the guard this answers for repeats what the pattern
 * already asks, so reading RE2's syntax to tell them apart is not worth its code.
 */
function filterMayMatchEmpty(filter: FilterValue): boolean {
  return filter.type === 'regex' || (filter.type === 'equals' ? filter.value === '' : filter.values.includes(''));
}

/** Whether `filter` accepts the empty value and no other. */
function matchesOnlyEmpty(filter: FilterValue): boolean {
  return filter.type === 'equals'
    ? filter.value === ''
    : filter.type === 'oneOf' && filter.values.length > 0 && filter.values.every((v) => v === '');
}

const absent = (label: string): LabelMatcher => ({ label, op: '=', value: '' });

/**
 * Alternatives (OR-ed selectors) that together match exactly the series whose *preferred* label
 * (the first present of `labels`) satisfies `filter`: for each candidate, that candidate matches
 * and every more preferred one is absent (`=""` matches an absent label). A filter that accepts
 * the empty value would also take an absent candidate while a later one is set (`cluster=""` and
 * `k8s_cluster="prod"`: the object's cluster is prod): there each candidate but the last must be
 * present too, and the last alternative alone (every candidate absent or the last matching) holds
 * the objects without the label. A filter of the empty value alone is that one alternative.
 */
function preferredLabelAlternatives(labels: string[], filter: FilterValue | undefined): LabelMatcher[][] {
  if (!filter) {
    return [[]];
  }
  if (matchesOnlyEmpty(filter)) {
    return [labels.map(absent)];
  }
  const acceptsEmpty = filterMayMatchEmpty(filter);
  return labels.map((label, i) => [
    ...labels.slice(0, i).map(absent),
    matcherFor(label, filter),
    ...(acceptsEmpty && i < labels.length - 1 ? [{ label, op: '!=' as const, value: '' }] : []),
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
  family: MetricFamily,
  filters: FluxFilters,
  mapping: FluxLabelMapping,
  extra: LabelMatcher[] = [],
  modifiers: SelectorModifiers = {}
): string[] {
  const labels = familyIdentityLabels(family, mapping);
  const alternatives = cartesian([
    preferredLabelAlternatives(labels.cluster, filters.cluster),
    preferredLabelAlternatives(labels.kind, filters.kind),
    preferredLabelAlternatives(labels.namespace, filters.namespace),
    preferredLabelAlternatives(labels.name, filters.name),
  ]);
  return alternatives.map((matchers) => renderSelector(metric, [...extra, ...matchers], modifiers));
}

/**
 * The selectors of every info metric family of a schema: by name for one family, else one
 * `{__name__=~"a|b"}` selector per filter alternative (not one per family: the alternatives
 * already multiply with each filtered label).
 */
export function infoSelectors(
  schema: 'flux-operator' | 'kube-state-metrics',
  filters: FluxFilters,
  mapping: FluxLabelMapping,
  modifiers: SelectorModifiers = {}
): string[] {
  const metrics = infoMetrics(schema);
  if (metrics.length === 1) {
    return filteredSelectors(metrics[0], schema, filters, mapping, [], modifiers);
  }
  const names: LabelMatcher = { label: '__name__', op: '=~', value: alternation(metrics) };
  return filteredSelectors('', schema, filters, mapping, [names], modifiers);
}

/** Epoch seconds as an `@` time: milliseconds kept, no exponent. */
export function atTime(seconds: number): string {
  return String(Math.round(seconds * 1000) / 1000);
}

export function orAll(parts: string[]): string {
  return parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(' or ');
}
