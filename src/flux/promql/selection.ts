/**
 * Which objects a query reads, written so that every query stays under {@link MAX_QUERY_BYTES}
 * whatever the filters.
 *
 * A filter on an identity field acts on the object's *preferred* label (the first present of a
 * list, selectors.ts). Exactly that, inside the selectors, takes one selector per candidate label
 * and field (up to 16 for kube-state-metrics), each carrying the filter's values, and a query
 * repeats its selectors several times: 10 namespaces and 5 clusters made the since query 290 KB.
 * So there are three ways to write the same selection, tried in order until the query fits:
 * - `inline`: the exact selector alternatives (cheapest to evaluate: the index does the work);
 * - `prefilter`: each selector narrowed by the first candidate label only (`namespace=~"V|"`: the
 *   series whose first candidate matches or is absent, a superset), and the exact filter applied
 *   once, on the `fluxgrid_*` identity the query computes anyway ({@link Selection.exact});
 * - `outer`: no matchers in the selectors at all, the exact filter once (the filter's values
 *   appear once: only a filter that is itself longer than the budget can exceed it).
 * All three select the same objects; tests/integration run the larger ones on a real Prometheus.
 */
import { FluxLabelMapping } from '../types';
import { alternation, escapeRegex, MATCH_NOTHING, quote } from './escape';
import { ID, normalizeIdentity } from './identity';
import {
  familyIdentityLabels,
  filteredSelectors,
  FilterValue,
  FluxFilters,
  infoMetrics,
  LabelMatcher,
  matcherFor,
  MetricFamily,
  renderSelector,
  SelectorModifiers,
} from './selectors';

/** VictoriaMetrics' default -search.maxQueryLen: the longest query every engine takes. */
export const MAX_QUERY_BYTES = 16 * 1024;

export type SelectionMode = 'inline' | 'prefilter' | 'outer';
export const SELECTION_MODES: readonly SelectionMode[] = ['inline', 'prefilter', 'outer'];

const FIELDS = ['cluster', 'kind', 'namespace', 'name'] as const;
type Field = (typeof FIELDS)[number];

/** How a query selects the series of the objects matching the filters. */
export interface Selection {
  mode: SelectionMode;
  mapping: FluxLabelMapping;
  /** The selectors (to be OR-ed) of `metric` for `family`, with `extra` matchers on each. */
  selectors(metric: string, family: MetricFamily, extra?: LabelMatcher[], modifiers?: SelectorModifiers): string[];
  /** The selectors of every info metric family of an info schema. */
  info(schema: 'flux-operator' | 'kube-state-metrics', modifiers?: SelectorModifiers): string[];
  /**
   * `expr` (series with `fluxgrid_*` identity labels) restricted to the objects the filters match;
   * `expr` itself when the selectors already did that exactly.
   */
  exact(expr: string): string;
}

/** The RE2 pattern a filter stands for (anchored by Prometheus, as a matcher's). */
export function filterPattern(filter: FilterValue): string {
  switch (filter.type) {
    case 'equals':
      return escapeRegex(filter.value);
    case 'oneOf':
      return filter.values.length === 0 ? MATCH_NOTHING : alternation(filter.values);
    case 'regex':
      return filter.pattern;
  }
}

const MATCH_LABEL = (field: Field) => `fluxgrid_match_${field}`;

/** Keeps the series of `expr` whose `fluxgrid_<field>` matches each filter, the marker labels removed. */
export function filterIdentity(expr: string, filters: FluxFilters): string {
  const fields = FIELDS.filter((f) => filters[f]);
  if (fields.length === 0) {
    return expr;
  }
  let out = expr;
  for (const f of fields) {
    // label_replace writes the marker only when the whole value matches (its regex is anchored).
    out = `label_replace(${out}, "${MATCH_LABEL(f)}", "1", "${ID[f]}", ${quote(filterPattern(filters[f]!))})`;
  }
  for (const f of fields) {
    // Keeps the series whose marker is set (`unless on(m) vector(1)` would read the same on
    // Prometheus; VictoriaMetrics keeps everything there).
    out = `(${out} and on(${MATCH_LABEL(f)}) label_replace(vector(1), "${MATCH_LABEL(f)}", "1", "", ""))`;
  }
  for (const f of fields) {
    out = `label_replace(${out}, "${MATCH_LABEL(f)}", "", "", "")`;
  }
  return out;
}

/**
 * `expr` (raw series) restricted to the matching objects and handed back raw: the identity is
 * computed for the filter and removed again (the core reads the raw labels).
 */
export function filterRawSeries(expr: string, filters: FluxFilters, mapping: FluxLabelMapping): string {
  if (!FIELDS.some((f) => filters[f])) {
    return expr;
  }
  // kube-state-metrics' lists hold every candidate (the others only lack customresource_kind).
  let out = filterIdentity(normalizeIdentity(expr, 'kube-state-metrics', mapping), filters);
  for (const f of FIELDS) {
    out = `label_replace(${out}, "${ID[f]}", "", "", "")`;
  }
  return out;
}

function prefilterMatchers(filters: FluxFilters, family: MetricFamily, mapping: FluxLabelMapping): LabelMatcher[] {
  const labels = familyIdentityLabels(family, mapping);
  return FIELDS.filter((f) => filters[f]).map((f) => {
    const first = labels[f][0];
    // Only one candidate: that label decides alone, exactly.
    return labels[f].length === 1
      ? matcherFor(first, filters[f]!)
      : { label: first, op: '=~', value: `(?:${filterPattern(filters[f]!)})|` };
  });
}

export function objectSelection(filters: FluxFilters, mapping: FluxLabelMapping, mode: SelectionMode): Selection {
  const filtered = FIELDS.some((f) => filters[f]);
  const selectors = (
    metric: string,
    family: MetricFamily,
    extra: LabelMatcher[] = [],
    modifiers: SelectorModifiers = {}
  ): string[] => {
    if (mode === 'inline' || !filtered) {
      return filteredSelectors(metric, family, filters, mapping, extra, modifiers);
    }
    const matchers = mode === 'prefilter' ? [...extra, ...prefilterMatchers(filters, family, mapping)] : extra;
    return [renderSelector(metric, matchers, modifiers)];
  };
  return {
    mode,
    mapping,
    selectors,
    info(schema, modifiers = {}) {
      const metrics = infoMetrics(schema);
      if (metrics.length === 1) {
        return selectors(metrics[0], schema, [], modifiers);
      }
      const names: LabelMatcher = { label: '__name__', op: '=~', value: alternation(metrics) };
      return selectors('', schema, [names], modifiers);
    },
    exact: (expr) => (mode === 'inline' ? expr : filterIdentity(expr, filters)),
  };
}

/** UTF-8 bytes, as the engines count a query's length. */
export function queryBytes(expr: string): number {
  return new TextEncoder().encode(expr).length;
}

/**
 * The query `build` writes for the first selection mode that keeps it within
 * {@link MAX_QUERY_BYTES} (the last one when none does: only a filter longer than the budget).
 */
export function fitting(filters: FluxFilters, mapping: FluxLabelMapping, build: (s: Selection) => string): string {
  const filtered = FIELDS.some((f) => filters[f]);
  let expr = '';
  for (const mode of SELECTION_MODES) {
    expr = build(objectSelection(filters, mapping, mode));
    if (!filtered || queryBytes(expr) <= MAX_QUERY_BYTES) {
      return expr;
    }
  }
  return expr;
}
