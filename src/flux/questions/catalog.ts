/**
 * The catalog questions, for template variables and the health check: the distinct values of an
 * identity label, how many objects and clusters there are, and which Flux metric families exist.
 * All instant queries over the live objects (the PromQL state rules decide which are live).
 */
import { escapeRegex, quote } from '../promql/escape';
import { ID, ID_LIST, lastSamples } from '../promql/identity';
import { FluxFilters, PromQLOptions } from '../promql/selectors';
import { stateSeries } from '../promql/stateRules';
import { asStat, statOf } from '../promql/stats';
import { stateMetricsOf, stateSchemaOfMetric } from '../schemas';
import { compareText } from '../summary';
import { FLUX_METRICS, FLUX_SCHEMAS, FluxSchema } from '../types';
import { FluxAnswers, FluxQueries, FluxWindow } from './question';

/** What a FluxGrid query variable lists, each the values of one identity label. */
export const VARIABLE_TARGETS = ['clusters', 'kinds', 'namespaces', 'names'] as const;
export type VariableTarget = (typeof VARIABLE_TARGETS)[number];

const VARIABLE_LABEL: Record<VariableTarget, string> = {
  clusters: ID.cluster,
  kinds: ID.kind,
  namespaces: ID.namespace,
  names: ID.name,
};

export function isVariableTarget(value: unknown): value is VariableTarget {
  return typeof value === 'string' && (VARIABLE_TARGETS as readonly string[]).includes(value);
}

/** One series per live object (value 1): the base of variables and the health check. */
export function objectIdentitiesQuery(filters: FluxFilters, options: PromQLOptions = {}): string {
  return `max by (${ID_LIST}) (${stateSeries(filters, options)})`;
}

// ---------------------------------------------------------------------------------------------
// Variable values

/** The distinct values of one identity label over the objects matching `filters`. */
export function labelValuesQuery(target: VariableTarget, filters: FluxFilters, options: PromQLOptions = {}): string {
  return `group by (${VARIABLE_LABEL[target]}) (${objectIdentitiesQuery(filters, options)})`;
}

export function valuesQueries(
  target: VariableTarget,
  filters: FluxFilters,
  options: PromQLOptions,
  _window?: FluxWindow
): FluxQueries {
  return { exprs: { values: labelValuesQuery(target, filters, options) }, range: false };
}

/** The distinct non-empty values, in the identity order's text order (the panel lists them the same way). */
export function readValues(target: VariableTarget, answers: FluxAnswers): string[] {
  const label = VARIABLE_LABEL[target];
  const values = new Set<string>();
  for (const sample of lastSamples(answers.values ?? [])) {
    const value = Object.prototype.hasOwnProperty.call(sample.labels, label) ? sample.labels[label] : '';
    if (value) {
      values.add(value);
    }
  }
  return Array.from(values).sort(compareText);
}

// ---------------------------------------------------------------------------------------------
// Counts

const OBJECTS_STAT = 'objects';
const CLUSTERS_STAT = 'clusters';

/** Marks each series whose `label` is not empty with `marker="1"`. */
function markPresent(expr: string, label: string, marker: string): string {
  return `label_replace(${expr}, ${quote(marker)}, "1", ${quote(label)}, "(?s).+")`;
}

/** How many objects, and in how many clusters (one query, told apart by a stat label). */
export function objectCountQuery(options: PromQLOptions = {}): string {
  // Only objects with a kind and a name: a series without them (a wrong label mapping) is no object.
  // Each is marked when present and matched `and on(markers)` against a vector(1) carrying both
  // marks. Not `unless on(l) vector(1)`: VictoriaMetrics keeps every series with it, where
  // Prometheus drops those whose l is empty.
  const [hasKind, hasName] = ['fluxgrid_has_kind', 'fluxgrid_has_name'];
  const marked = markPresent(markPresent(objectIdentitiesQuery({}, options), ID.kind, hasKind), ID.name, hasName);
  const both = `label_replace(label_replace(vector(1), "${hasKind}", "1", "", ""), "${hasName}", "1", "", "")`;
  const ids = `(${marked} and on(${hasKind}, ${hasName}) ${both})`;
  return `${asStat(`count(${ids})`, OBJECTS_STAT)} or ${asStat(`count(count by (${ID.cluster}) (${ids}))`, CLUSTERS_STAT)}`;
}

export function countQueries(options: PromQLOptions, _window?: FluxWindow): FluxQueries {
  return { exprs: { counts: objectCountQuery(options) }, range: false };
}

export function readCounts(answers: FluxAnswers): { objects: number; clusters: number } {
  let objects = 0;
  let clusters = 0;
  for (const sample of lastSamples(answers.counts ?? [])) {
    if (statOf(sample.labels) === OBJECTS_STAT) {
      objects = sample.value;
    } else if (statOf(sample.labels) === CLUSTERS_STAT) {
      clusters = sample.value;
    }
  }
  return { objects, clusters };
}

// ---------------------------------------------------------------------------------------------
// Metric families

/**
 * Which state metric families exist (for schema detection and the health check), and whether
 * controllers report reconciles (`gotk_reconcile_duration_seconds_count`: Flux >= 2.5 without a
 * state metric has only those).
 */
export function metricFamiliesQuery(): string {
  const names = [...FLUX_SCHEMAS.flatMap(stateMetricsOf), FLUX_METRICS.reconcileDurationCount];
  return `count by (__name__) ({__name__=~${quote(names.map(escapeRegex).join('|'))}})`;
}

export function familiesQueries(_window?: FluxWindow): FluxQueries {
  return { exprs: { families: metricFamiliesQuery() }, range: false };
}

export interface FluxFamilies {
  /** The schemas with state series, in the order the answer named them. */
  schemas: FluxSchema[];
  /** Whether the controllers' reconcile counters exist. */
  reconcileCounters: boolean;
}

export function readFamilies(answers: FluxAnswers): FluxFamilies {
  const schemas: FluxSchema[] = [];
  let reconcileCounters = false;
  for (const sample of lastSamples(answers.families ?? [])) {
    const metric = Object.prototype.hasOwnProperty.call(sample.labels, '__name__') ? sample.labels.__name__ : '';
    const schema = stateSchemaOfMetric(metric);
    if (schema && sample.value > 0 && !schemas.includes(schema)) {
      schemas.push(schema);
    }
    if (metric === FLUX_METRICS.reconcileDurationCount && sample.value > 0) {
      reconcileCounters = true;
    }
  }
  return { schemas, reconcileCounters };
}
