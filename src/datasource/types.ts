/**
 * The FluxGrid datasource's settings and query models (the contract in CONTRIBUTING.md).
 */
import { DataQueryRequest, DataSourceApi, DataSourceJsonData, ScopedVars, TimeRange } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

import { FLUX_METRICS, FluxLabelMapping, FluxQueries, isLabelName, SchemaSetting, VariableTarget } from '../flux';

export interface FluxDataSourceOptions extends DataSourceJsonData {
  /** The Prometheus datasource to read from. */
  prometheusUid?: string;
  /** Default 'auto': read all three schemas, the richest winning per object. */
  schema?: SchemaSetting;
  /** Default: auto (the first present of cluster, k8s_cluster, cluster_name, kubernetes_cluster). */
  clusterLabel?: string;
  /** Default: auto (reason, then ready_reason). */
  reasonLabel?: string;
  /** kind / namespace / name overrides for custom kube-state-metrics configs. */
  labels?: FluxLabelMapping;
  /** How long to wait for each Prometheus answer, in seconds. Default 30. */
  timeoutSeconds?: number;
  /**
   * FluxGrid's recording rules (alerts/fluxgrid-recording-rules.yaml). Default 'auto': read the
   * Objects times from them where they cover the range; 'off': always the raw queries.
   */
  recordingRules?: 'auto' | 'off';
}

/** A filter field of a query: one value (or variable), or any of several. */
export type FilterField = string | string[];

export type FluxQueryType = 'objects' | 'stateHistory' | 'reconcileDuration' | 'summary' | 'stateChanges' | 'rollout';

export interface FluxQuery extends DataQuery {
  /** The query model's version (migrations.ts); absent in queries saved by 0.1.0. */
  version?: number;
  queryType?: FluxQueryType;
  /**
   * Exact values; template variables, multi-value and All allowed. A list means any of its
   * entries (each entry as a single value would be); one string is what 0.1.0 saved.
   */
  cluster?: FilterField;
  kind?: FilterField;
  namespace?: FilterField;
  /** A regex (RE2, anchored); variable values inside it are matched literally. */
  name?: string;
  /** A FluxState, or a variable of them; a list means any of them. */
  state?: FilterField;
  /** reconcileDuration: how many of the slowest objects. */
  limit?: number;
  /** summary: counts per state (one row) or per kind (one row per kind). */
  summaryBy?: 'state' | 'kind';
}

export interface FluxVariableQuery extends DataQuery {
  target: VariableTarget;
  /** The other filters, as on {@link FluxQuery}; the target's own one is ignored. */
  cluster?: FilterField;
  kind?: FilterField;
  namespace?: FilterField;
  /** A name regex (RE2, anchored), as on {@link FluxQuery}: narrows every target, names too. */
  name?: string;
}

/** Where a variable query runs: Grafana passes a range and scoped variables, or neither. */
export interface VariableContext {
  range?: TimeRange;
  scopedVars?: ScopedVars;
}

/**
 * The FluxGrid datasource as its variable support and editors use it. Declared here rather than
 * imported from datasource.ts, which imports them: no import cycle.
 */
export interface FluxDatasourceApi extends DataSourceApi<FluxQuery, FluxDataSourceOptions> {
  /**
   * What a query would ask Prometheus as it stands (variables resolved), one entry per question
   * asked, in order, without asking: for the query editor. Rejects as running it would.
   */
  plannedQueries(query: FluxQuery, range: TimeRange, scopedVars?: ScopedVars): Promise<FluxQueries[]>;
  /** The values a query variable lists. */
  variableValues(
    query: FluxVariableQuery,
    context?: VariableContext,
    request?: DataQueryRequest<FluxVariableQuery>
  ): Promise<string[]>;
}

export const DEFAULT_LIMIT = 20;

/** The query a new panel starts with (getDefaultQuery). */
export const DEFAULT_QUERY: Partial<FluxQuery> = {
  version: 1,
  queryType: 'objects',
};

interface Choice<T> {
  value: T;
  label: string;
  description: string;
}

/**
 * A choice list from a record keyed by every value of the union: the compiler then holds the
 * union and the list to the same values (the record's key order is the list's order).
 */
function choices<T extends string>(byValue: Record<T, Omit<Choice<T>, 'value'>>): ReadonlyArray<Choice<T>> {
  return (Object.keys(byValue) as T[]).map((value) => ({ value, ...byValue[value] }));
}

export const QUERY_TYPES = choices<FluxQueryType>({
  objects: { label: 'Objects', description: 'Current state of every matching Flux object (one row each)' },
  stateHistory: {
    label: 'State history',
    description: 'State per object over the time range, for the State timeline',
  },
  reconcileDuration: {
    label: 'Reconcile duration',
    description: 'p50 / p95 / max and count per object over the time range, slowest first',
  },
  summary: {
    label: 'Summary',
    description: 'Counts per state (or per kind and state), for stat and bar panels',
  },
  stateChanges: {
    label: 'State changes',
    description: 'Every state change in the time range (what annotations show)',
  },
  rollout: {
    label: 'Rollout',
    description: 'One object name across clusters: the revision each runs, the newest, which lag and since when',
  },
});

export const SCHEMA_OPTIONS = choices<SchemaSetting>({
  auto: { label: 'Auto', description: 'Read every schema found; the richest wins per object' },
  'kube-state-metrics': {
    label: 'kube-state-metrics',
    description: `${FLUX_METRICS.kubeStateMetricsInfo} (Flux >= 2.1 monitoring config)`,
  },
  'flux-operator': { label: 'Flux Operator', description: FLUX_METRICS.fluxOperatorInfo },
  legacy: {
    label: 'Legacy gauges',
    description: `${FLUX_METRICS.legacyCondition} + ${FLUX_METRICS.legacySuspend} (Flux <= 2.4)`,
  },
});

/** The settings that name a Prometheus label, as the ConfigEditor shows them. */
export type LabelSettingKey = 'clusterLabel' | 'reasonLabel' | 'kind' | 'namespace' | 'name';

export const LABEL_SETTINGS: ReadonlyArray<{ key: LabelSettingKey; label: string; description: string }> = [
  {
    key: 'clusterLabel',
    label: 'Cluster label',
    description:
      'Multi-cluster setups (Thanos, Mimir, Grafana Cloud). Empty: the first present of cluster, k8s_cluster, cluster_name, kubernetes_cluster.',
  },
  {
    key: 'reasonLabel',
    label: 'Reason label',
    description:
      "The Ready condition's reason. Empty: reason (Flux Operator), then ready_reason (a common kube-state-metrics addition).",
  },
  {
    key: 'kind',
    label: 'Kind label',
    description:
      'For custom kube-state-metrics configs (gotk_resource_info only; the controllers and the Flux Operator always use kind). Empty: customresource_kind, then kind.',
  },
  {
    key: 'namespace',
    label: 'Namespace label',
    description:
      'For custom kube-state-metrics configs (gotk_resource_info only). Empty: exported_namespace when present (scraped through a ServiceMonitor), else namespace.',
  },
  {
    key: 'name',
    label: 'Name label',
    description: 'For custom kube-state-metrics configs (gotk_resource_info only). Empty: name.',
  },
];

/** The raw (untrimmed) value of a label setting. */
export function labelSettingValue(options: FluxDataSourceOptions, key: LabelSettingKey): string | undefined {
  switch (key) {
    case 'clusterLabel':
      return options.clusterLabel || options.labels?.cluster;
    case 'reasonLabel':
      return options.reasonLabel || options.labels?.reason;
    default:
      return options.labels?.[key];
  }
}

/** Why a label setting's value cannot be used, or undefined when it can (empty means auto). */
export function labelSettingError(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed || isLabelName(trimmed)) {
    return undefined;
  }
  return `"${trimmed}" is not a Prometheus label name: letters, digits and _ only, not starting with a digit`;
}

/** Every invalid label setting, by key. */
export function labelSettingErrors(options: FluxDataSourceOptions): Partial<Record<LabelSettingKey, string>> {
  const errors: Partial<Record<LabelSettingKey, string>> = {};
  for (const { key } of LABEL_SETTINGS) {
    const error = labelSettingError(labelSettingValue(options, key));
    if (error) {
      errors[key] = error;
    }
  }
  return errors;
}

/** Settings FluxGrid cannot use; its message names them and is meant for the user as is. */
export class InvalidSettingsError extends Error {}

/**
 * The label mapping the core and the PromQL builders use, from the datasource settings. Throws an
 * {@link InvalidSettingsError} naming the setting when a label name is not one: label names are
 * pasted into PromQL as they are.
 */
export function labelMappingOf(options: FluxDataSourceOptions): FluxLabelMapping {
  const errors = labelSettingErrors(options);
  const invalid = LABEL_SETTINGS.filter((s) => errors[s.key]);
  if (invalid.length) {
    throw new InvalidSettingsError(
      `Invalid FluxGrid datasource settings: ${invalid.map((s) => `${s.label}: ${errors[s.key]}`).join('; ')}. ` +
        'Fix it in the FluxGrid datasource settings (Labels), or leave it empty for auto-detection.'
    );
  }
  const mapping: FluxLabelMapping = {};
  const set = (key: keyof FluxLabelMapping, value: string | undefined) => {
    const trimmed = value?.trim();
    if (trimmed) {
      mapping[key] = trimmed;
    }
  };
  set('kind', labelSettingValue(options, 'kind'));
  set('namespace', labelSettingValue(options, 'namespace'));
  set('name', labelSettingValue(options, 'name'));
  set('cluster', labelSettingValue(options, 'clusterLabel'));
  set('reason', labelSettingValue(options, 'reasonLabel'));
  return mapping;
}
