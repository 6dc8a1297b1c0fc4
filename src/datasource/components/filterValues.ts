/**
 * The editors' multi-selects over the query model's filter fields: a field holds one exact value
 * or a `$variable`, or several of them. Pure functions, so the reading of a saved field and the
 * writing of a selection are tested apart from any picker.
 */
import type { TemplateSrv } from '@grafana/runtime';

import type { VariableTarget } from '../../flux';
import type { FilterField, FluxQuery, FluxVariableQuery } from '../types';

/** The entries of a field, as a picker shows them (trimmed, empty ones dropped, no repeats). */
export function filterEntries(field: FilterField | readonly string[] | undefined): string[] {
  const raw = typeof field === 'string' ? [field] : (field ?? []);
  return Array.from(new Set(raw.map((v) => v.trim()).filter((v) => v !== '')));
}

/** A field from a picker's selection: nothing for none, a string for one, a list for several. */
export function filterFieldOf(entries: readonly string[]): FilterField | undefined {
  const kept = filterEntries(entries);
  return kept.length === 0 ? undefined : kept.length === 1 ? kept[0] : kept;
}

/** A `$name` for each dashboard variable, offered before the values (as Grafana's builders do). */
export function variableEntries(templateSrv: Pick<TemplateSrv, 'getVariables'> | undefined): string[] {
  return (templateSrv?.getVariables() ?? []).map((v) => `$${v.name}`);
}

export type IdentityKey = 'cluster' | 'kind' | 'namespace';

/** The identity filters, each offered from the variable query that lists its values. */
export const IDENTITY_FILTERS: ReadonlyArray<{
  key: IdentityKey;
  target: VariableTarget;
  label: string;
  tooltip: string;
}> = [
  { key: 'cluster', target: 'clusters', label: 'Cluster', tooltip: 'Clusters (exact values) or variables' },
  { key: 'kind', target: 'kinds', label: 'Kind', tooltip: 'Flux kinds (Kustomization, HelmRelease, …) or variables' },
  {
    key: 'namespace',
    target: 'namespaces',
    label: 'Namespace',
    tooltip: "The objects' own namespaces (exact values) or variables",
  },
];

/** The other identity filters of a query, which narrow what one picker offers. */
export function narrowingOf(
  query: Pick<FluxQuery, IdentityKey>,
  key: IdentityKey
): Pick<FluxVariableQuery, IdentityKey> {
  const narrowing: Pick<FluxVariableQuery, IdentityKey> = {};
  for (const other of IDENTITY_FILTERS) {
    if (other.key !== key && query[other.key] !== undefined) {
      narrowing[other.key] = query[other.key];
    }
  }
  return narrowing;
}
