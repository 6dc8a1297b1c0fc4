/**
 * The FluxGrid datasource's settings and query models (the contract in CONTRIBUTING.md).
 */
import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

import { SchemaSetting } from '../flux/promql';
import { FluxLabelMapping } from '../flux/types';

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
}

export type FluxQueryType = 'objects' | 'stateHistory' | 'reconcileDuration' | 'summary' | 'stateChanges';

export interface FluxQuery extends DataQuery {
  queryType?: FluxQueryType;
  /** Exact values; template variables, multi-value and All allowed. */
  cluster?: string;
  kind?: string;
  namespace?: string;
  /** A regex (RE2, anchored); variable values inside it are matched literally. */
  name?: string;
  /** A FluxState, or a variable of them. */
  state?: string;
  /** reconcileDuration: how many of the slowest objects. */
  limit?: number;
  /** summary: counts per state (one row) or per kind (one row per kind). */
  summaryBy?: 'state' | 'kind';
}

export type FluxVariableTarget = 'clusters' | 'kinds' | 'namespaces' | 'names';

export interface FluxVariableQuery extends DataQuery {
  target: FluxVariableTarget;
  cluster?: string;
  kind?: string;
  namespace?: string;
}

export const DEFAULT_LIMIT = 20;

export const DEFAULT_QUERY: Partial<FluxQuery> = {
  queryType: 'objects',
};

export const QUERY_TYPES: ReadonlyArray<{ value: FluxQueryType; label: string; description: string }> = [
  { value: 'objects', label: 'Objects', description: 'Current state of every matching Flux object (one row each)' },
  {
    value: 'stateHistory',
    label: 'State history',
    description: 'State per object over the time range, for the State timeline',
  },
  {
    value: 'reconcileDuration',
    label: 'Reconcile duration',
    description: 'p50 / p95 / max and count per object over the time range, slowest first',
  },
  {
    value: 'summary',
    label: 'Summary',
    description: 'Counts per state (or per kind and state), for stat and bar panels',
  },
  {
    value: 'stateChanges',
    label: 'State changes',
    description: 'Every state change in the time range (what annotations show)',
  },
];

export const SCHEMA_OPTIONS: ReadonlyArray<{ value: SchemaSetting; label: string; description: string }> = [
  { value: 'auto', label: 'Auto', description: 'Read every schema found; the richest wins per object' },
  {
    value: 'kube-state-metrics',
    label: 'kube-state-metrics',
    description: 'gotk_resource_info (Flux >= 2.1 monitoring config)',
  },
  { value: 'flux-operator', label: 'Flux Operator', description: 'flux_resource_info' },
  {
    value: 'legacy',
    label: 'Legacy gauges',
    description: 'gotk_reconcile_condition + gotk_suspend_status (Flux <= 2.4)',
  },
];

/** The label mapping the core and the PromQL builders use, from the datasource settings. */
export function labelMappingOf(options: FluxDataSourceOptions): FluxLabelMapping {
  const mapping: FluxLabelMapping = {};
  const set = (key: keyof FluxLabelMapping, value: string | undefined) => {
    const trimmed = value?.trim();
    if (trimmed) {
      mapping[key] = trimmed;
    }
  };
  set('kind', options.labels?.kind);
  set('namespace', options.labels?.namespace);
  set('name', options.labels?.name);
  set('cluster', options.clusterLabel || options.labels?.cluster);
  set('reason', options.reasonLabel || options.labels?.reason);
  return mapping;
}
