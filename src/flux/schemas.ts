/**
 * Which metric a series is, and so which of Flux's three metric schemas it belongs to.
 *
 * The metric name is usually the `__name__` label, but users aggregate it away
 * (`max by (kind, name, exported_namespace, ready) (gotk_resource_info)`), and Grafana names the
 * value field after the metric in some versions. When no name says it, the labels do: each schema
 * has a label combination no other one has.
 */
import { labelValue, Labels } from './labels';
import { SeriesRef } from './frames';
import { FLUX_METRICS, FluxSchema, FluxState } from './types';

/** Looked up once: see frames.ts on builtins in a vm context (asked per series). */
const hasOwnProperty = Object.prototype.hasOwnProperty;

export type SeriesRole =
  | 'legacyCondition'
  | 'legacySuspend'
  | 'kubeStateMetricsInfo'
  | 'fluxOperatorInfo'
  | 'reconcileCount'
  | 'reconcileSum'
  /** A Flux metric FluxGrid does not read (the duration histogram's buckets). */
  | 'ignored'
  /** Not a Flux metric at all; its name goes to `otherMetrics`. */
  | 'other';

export interface SeriesClass {
  role: SeriesRole;
  /** The metric name, when known (for `otherMetrics`). */
  metric?: string;
}

const ROLE_OF_METRIC: Record<string, SeriesRole> = {
  [FLUX_METRICS.legacyCondition]: 'legacyCondition',
  [FLUX_METRICS.legacySuspend]: 'legacySuspend',
  [FLUX_METRICS.kubeStateMetricsInfo]: 'kubeStateMetricsInfo',
  // The Flux Operator's own objects (FluxInstance, ResourceSet, ResourceSetInputProvider) read like
  // flux_resource_info: the same labels and state rules. Listed before it so that METRIC_OF_ROLE
  // names flux_resource_info in messages.
  [FLUX_METRICS.fluxInstanceInfo]: 'fluxOperatorInfo',
  [FLUX_METRICS.fluxResourceSetInfo]: 'fluxOperatorInfo',
  [FLUX_METRICS.fluxResourceSetInputProviderInfo]: 'fluxOperatorInfo',
  [FLUX_METRICS.fluxOperatorInfo]: 'fluxOperatorInfo',
  [FLUX_METRICS.reconcileDurationCount]: 'reconcileCount',
  [FLUX_METRICS.reconcileDurationSum]: 'reconcileSum',
  [FLUX_METRICS.reconcileDurationBucket]: 'ignored',
};

/** The metric a role stands for, to name it in messages when the series lost its name. */
export const METRIC_OF_ROLE: Partial<Record<SeriesRole, string>> = Object.fromEntries(
  Object.entries(ROLE_OF_METRIC).map(([metric, role]) => [role, metric])
);

export const SCHEMA_OF_ROLE: Partial<Record<SeriesRole, FluxSchema>> = {
  legacyCondition: 'legacy',
  legacySuspend: 'legacy',
  kubeStateMetricsInfo: 'kube-state-metrics',
  fluxOperatorInfo: 'flux-operator',
};

/**
 * The class of each Flux metric, made once: classifying is done per series (10k series, 10k
 * objects) and its callers only read the result.
 */
const CLASS_OF_METRIC: ReadonlyMap<string, Readonly<SeriesClass>> = new Map(
  Object.entries(ROLE_OF_METRIC).map(([metric, role]) => [metric, Object.freeze({ role, metric })])
);

export function isFluxMetric(name: string | undefined): boolean {
  return name !== undefined && hasOwnProperty.call(ROLE_OF_METRIC, name);
}

/**
 * The statuses of the legacy Ready condition gauge (`gotk_reconcile_condition{type="Ready"}`, one
 * series per status, 1 on the current one) and the state each stands for. Which one wins when
 * several are 1 is `legacyState`'s precedence (state.ts).
 */
export const LEGACY_STATUS_STATES = [
  ['True', 'Ready'],
  ['False', 'Failed'],
  ['Unknown', 'Progressing'],
  ['Deleted', 'Deleted'],
] as const satisfies ReadonlyArray<readonly [status: string, state: FluxState]>;

/** A status of the legacy Ready condition gauge (the `status` label). */
export type LegacyStatus = (typeof LEGACY_STATUS_STATES)[number][0];

const LEGACY_STATUS_VALUES: ReadonlySet<string> = new Set(LEGACY_STATUS_STATES.map(([status]) => status));

export function isLegacyStatus(value: string | undefined): value is LegacyStatus {
  return value !== undefined && LEGACY_STATUS_VALUES.has(value);
}

/** The role of the series that carry each schema's state (legacy: with gotk_suspend_status beside it). */
const STATE_ROLE: Record<FluxSchema, SeriesRole> = {
  'flux-operator': 'fluxOperatorInfo',
  'kube-state-metrics': 'kubeStateMetricsInfo',
  legacy: 'legacyCondition',
};

/** Every metric name that plays `role`, in the order ROLE_OF_METRIC lists them. */
export function metricsOfRole(role: SeriesRole): string[] {
  return Object.keys(ROLE_OF_METRIC).filter((metric) => ROLE_OF_METRIC[metric] === role);
}

/**
 * The state metric families of a schema. The datasource's PromQL reads exactly these: a family
 * added to ROLE_OF_METRIC with a state role (another Flux Operator info metric) is queried too.
 */
export function stateMetricsOf(schema: FluxSchema): string[] {
  return Object.prototype.hasOwnProperty.call(STATE_ROLE, schema) ? metricsOfRole(STATE_ROLE[schema]) : [];
}

/** The state schema a metric family belongs to (gotk_suspend_status and the counters: none). */
export function stateSchemaOfMetric(metric: string): FluxSchema | undefined {
  for (const schema of Object.keys(STATE_ROLE) as FluxSchema[]) {
    if (STATE_ROLE[schema] === ROLE_OF_METRIC[metric] && Object.prototype.hasOwnProperty.call(ROLE_OF_METRIC, metric)) {
      return schema;
    }
  }
  return undefined;
}

/** A value field named like Grafana's defaults says nothing about the metric. */
const GENERIC_FIELD_NAME = /^Value( #.*)?$/;

/**
 * Detect the metric of a series that lost its name, from the labels only its schema has:
 * `customresource_kind` is kube-state-metrics' custom resource state; `type` + `status` (or a
 * `status` of True/False/Unknown/Deleted) the legacy one-hot condition gauge; `kind` + `ready` (or Flux Operator's `uid`) the operator's info metric.
 * gotk_suspend_status and the duration histogram carry only kind/name/namespace and cannot be told
 * apart without a name.
 */
export function roleFromLabels(labels: Labels): SeriesRole | undefined {
  if (labelValue(labels, 'customresource_kind') !== undefined) {
    return 'kubeStateMetricsInfo';
  }
  const status = labelValue(labels, 'status');
  if (status !== undefined && (labelValue(labels, 'type') !== undefined || LEGACY_STATUS_VALUES.has(status))) {
    // `type` is often aggregated away too (`max by (kind, name, exported_namespace, status)`).
    return 'legacyCondition';
  }
  if (
    labelValue(labels, 'kind') !== undefined &&
    (labelValue(labels, 'ready') !== undefined || labelValue(labels, 'uid') !== undefined)
  ) {
    return 'fluxOperatorInfo';
  }
  return undefined;
}

/**
 * The metric name: `__name__`, else the value field's name or the frame's name when either is a
 * Flux metric. Without one of those, the labels decide; only when they don't is a non-generic
 * field or frame name taken as the (non-Flux) metric's name. `byLabel` is the `__name__` label's
 * value when the caller has read it already.
 */
export function classifySeries(
  series: SeriesRef,
  byLabel: string | undefined = labelValue(series.labels, '__name__')
): Readonly<SeriesClass> {
  if (byLabel !== undefined) {
    // A Map: a metric named `constructor` is some other metric, not Object's constructor.
    return CLASS_OF_METRIC.get(byLabel) ?? { role: 'other', metric: byLabel };
  }
  const byField = CLASS_OF_METRIC.get(series.fieldName) ?? CLASS_OF_METRIC.get(series.frameName);
  if (byField) {
    return byField;
  }
  const detected = roleFromLabels(series.labels);
  if (detected) {
    return { role: detected };
  }
  const named = series.fieldName && !GENERIC_FIELD_NAME.test(series.fieldName) ? series.fieldName : series.frameName;
  return { role: 'other', metric: named || undefined };
}
