/**
 * Test fixtures: DataFrames shaped the way Grafana's Prometheus datasource delivers them
 * (one frame per series for time series, one frame for the table format). Written from the shapes
 * only, with @grafana/data's own constructors. Test code only: nothing in src/flux imports it.
 */
import { createDataFrame, DataFrame, DataFrameType, FieldType } from '@grafana/data';

import { objectKey } from '../labels';
import { FluxObject } from '../types';

export type Labels = Record<string, string>;
export type Sample = [time: number, value: number | null];

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
export const STEP = 60_000;

/** A range-query series: one frame, Time + Value, labels on the value field. */
export function seriesFrame(
  labels: Labels,
  samples: Sample[],
  options: { fieldName?: string; frameName?: string; metaType?: DataFrameType; refId?: string } = {}
): DataFrame {
  return createDataFrame({
    name: options.frameName,
    refId: options.refId ?? 'A',
    meta: { type: options.metaType ?? DataFrameType.TimeSeriesMulti, custom: { resultType: 'matrix' } },
    fields: [
      { name: 'Time', type: FieldType.time, values: samples.map((s) => s[0]) },
      { name: options.fieldName ?? 'Value', type: FieldType.number, values: samples.map((s) => s[1]), labels },
    ],
  });
}

/** An instant-query result: one single-row frame per series, all at `time`. */
export function instantFrames(series: Array<{ labels: Labels; value: number | null }>, time = T0): DataFrame[] {
  return series.map(({ labels, value }) =>
    createDataFrame({
      refId: 'A',
      meta: { type: DataFrameType.NumericMulti, custom: { resultType: 'vector' } },
      fields: [
        { name: 'Time', type: FieldType.time, values: [time] },
        { name: 'Value', type: FieldType.number, values: [value], labels },
      ],
    })
  );
}

/**
 * The table format: Time, one string column per label (the union over rows; '' where a row lacks
 * the label, as Grafana fills it), then the value column ('Value #A' by default).
 */
export function tableFrame(
  rows: Array<{ labels: Labels; value: number | null; time?: number }>,
  options: { valueName?: string; refId?: string } = {}
): DataFrame {
  const names: string[] = [];
  for (const row of rows) {
    for (const name of Object.keys(row.labels)) {
      if (!names.includes(name)) {
        names.push(name);
      }
    }
  }
  names.sort();
  return createDataFrame({
    refId: options.refId ?? 'A',
    // Grafana's Prometheus table format: no data frame type, shown as a table.
    meta: { preferredVisualisationType: 'table' },
    fields: [
      { name: 'Time', type: FieldType.time, values: rows.map((r) => r.time ?? T0) },
      ...names.map((name) => ({ name, type: FieldType.string, values: rows.map((r) => r.labels[name] ?? '') })),
      { name: options.valueName ?? 'Value #A', type: FieldType.number, values: rows.map((r) => r.value) },
    ],
  });
}

/**
 * The fluxgrid_* identity labels the PromQL builders write (promql/identity.ts): a Kustomization
 * in `apps` by default, `extra` on top (fluxgrid_cluster, a stat label…).
 */
export function fluxgridLabels(name: string, extra: Labels = {}): Labels {
  return { fluxgrid_kind: 'Kustomization', fluxgrid_namespace: 'apps', fluxgrid_name: name, ...extra };
}

/** A range-query series from parallel lists of times and values. */
export function timedSeries(labels: Labels, times: number[], values: Array<number | null>): DataFrame {
  return seriesFrame(
    labels,
    times.map((t, i) => [t, values[i]])
  );
}

/** Steps T0, T0+STEP, … for `n` samples with value `value`. */
export function steps(n: number, value: number | null = 1, from = 0): Sample[] {
  return Array.from({ length: n }, (_, i) => [T0 + (from + i) * STEP, value] as Sample);
}

export function ksmLabels(kind: string, name: string, extra: Labels = {}): Labels {
  return {
    __name__: 'gotk_resource_info',
    customresource_group: 'kustomize.toolkit.fluxcd.io',
    customresource_kind: kind,
    customresource_version: 'v1',
    exported_namespace: 'apps',
    name,
    namespace: 'monitoring',
    instance: '10.0.0.1:8080',
    job: 'kube-state-metrics',
    ...extra,
  };
}

export function operatorLabels(kind: string, name: string, extra: Labels = {}): Labels {
  return {
    __name__: 'flux_resource_info',
    uid: `uid-${kind}-${name}`,
    kind,
    name,
    exported_namespace: 'apps',
    namespace: 'flux-system',
    ready: 'True',
    reason: 'ReconciliationSucceeded',
    suspended: 'False',
    ...extra,
  };
}

export function legacyConditionLabels(kind: string, name: string, status: string, extra: Labels = {}): Labels {
  return {
    __name__: 'gotk_reconcile_condition',
    kind,
    name,
    exported_namespace: 'apps',
    namespace: 'flux-system',
    type: 'Ready',
    status,
    instance: '10.0.0.2:8080',
    job: 'kustomize-controller',
    ...extra,
  };
}

export function legacySuspendLabels(kind: string, name: string, extra: Labels = {}): Labels {
  return {
    __name__: 'gotk_suspend_status',
    kind,
    name,
    exported_namespace: 'apps',
    namespace: 'flux-system',
    instance: '10.0.0.2:8080',
    ...extra,
  };
}

/** The four one-hot status series of one legacy object at one instant (Flux 2.0 style). */
export function legacyOneHot(
  kind: string,
  name: string,
  status: 'True' | 'False' | 'Unknown' | 'Deleted',
  extra: Labels = {}
): Array<{ labels: Labels; value: number }> {
  return (['True', 'False', 'Unknown', 'Deleted'] as const).map((s) => ({
    labels: legacyConditionLabels(kind, name, s, extra),
    value: s === status ? 1 : 0,
  }));
}

/** A plain object for tests of summaries, the panel and benchmarks; its key is the core's objectKey. */
export function fluxObject(partial: Partial<FluxObject> & { name: string }): FluxObject {
  const base = {
    cluster: '',
    kind: 'Kustomization',
    namespace: 'apps',
    state: 'Ready' as const,
    suspended: false,
    schema: 'kube-state-metrics' as const,
    observedAt: T0,
    labels: {},
    ...partial,
  };
  return { key: objectKey(base), ...base };
}
