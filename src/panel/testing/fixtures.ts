/**
 * Test and benchmark fixtures of the panel: a small fleet as Grafana's Prometheus datasource output
 * (one frame per series, built with the core's `seriesFrame`), panel props, and a large fleet of
 * FluxObjects (the core's `fluxObject`). Not imported by the plugin.
 */
import { DataFrame, dateTime, EventBusSrv, LoadingState, PanelProps } from '@grafana/data';

import type { FluxObject, FluxState } from '../../flux';
import { fluxObject, seriesFrame, type Sample } from '../../flux/testing/frames';
import { DEFAULT_OPTIONS, FluxGridOptions } from '../types';

export const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);
export const STEP = 60_000;
export const MINUTE = 60_000;
/** Range end: 30 minutes of data. */
export const T_END = T0 + 30 * MINUTE;

/** Samples every STEP from `from` to `to` (inclusive), all `value`. */
export function samplesBetween(from: number, to: number, value = 1): Sample[] {
  const samples: Sample[] = [];
  for (let t = from; t <= to; t += STEP) {
    samples.push([t, value]);
  }
  return samples;
}

/** One range-query series of `metric` (the core's test frame, labels with __name__). */
function metricFrame(metric: string, labels: Record<string, string>, from: number, to: number): DataFrame {
  return seriesFrame({ __name__: metric, ...labels }, samplesBetween(from, to));
}

export interface OperatorObjectSpec {
  kind: string;
  namespace: string;
  name: string;
  ready: 'True' | 'False' | 'Unknown';
  reason?: string;
  suspended?: boolean;
  cluster?: string;
  revision?: string;
  /** When the current ready value began; before it the object was Ready. Default: the whole range. */
  since?: number;
}

/** flux_resource_info series for one object (two series when its state changed in the range). */
export function operatorFrames(spec: OperatorObjectSpec): DataFrame[] {
  const base: Record<string, string> = {
    kind: spec.kind,
    name: spec.name,
    exported_namespace: spec.namespace,
    namespace: 'flux-system',
    suspended: spec.suspended ? 'True' : 'False',
    ...(spec.cluster ? { cluster: spec.cluster } : {}),
    ...(spec.revision ? { revision: spec.revision } : {}),
  };
  const current = { ...base, ready: spec.ready, reason: spec.reason ?? '' };
  if (spec.since === undefined || spec.since <= T0) {
    return [metricFrame('flux_resource_info', current, T0, T_END)];
  }
  return [
    metricFrame(
      'flux_resource_info',
      { ...base, ready: 'True', reason: 'ReconciliationSucceeded' },
      T0,
      spec.since - STEP
    ),
    metricFrame('flux_resource_info', current, spec.since, T_END),
  ];
}

/**
 * A small fleet: two failures (one failing since T0+5m: sustained at 10m; one since T0+25m:
 * fresh), one progressing, one suspended, three ready.
 */
export function fleetFrames(): DataFrame[] {
  return [
    ...operatorFrames({
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'apps',
      ready: 'False',
      reason: 'BuildFailed',
      revision: 'main@sha1:abc123',
      since: T0 + 5 * MINUTE,
    }),
    ...operatorFrames({
      kind: 'HelmRelease',
      namespace: 'podinfo',
      name: 'podinfo',
      ready: 'False',
      reason: 'InstallFailed',
      since: T0 + 25 * MINUTE,
    }),
    ...operatorFrames({
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'infra',
      ready: 'Unknown',
      reason: 'Progressing',
    }),
    ...operatorFrames({
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'legacy-repo',
      ready: 'True',
      suspended: true,
    }),
    ...operatorFrames({
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'flux-system',
      ready: 'True',
      reason: 'Succeeded',
    }),
    ...operatorFrames({
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'flux-system',
      ready: 'True',
      reason: 'ReconciliationSucceeded',
    }),
    ...operatorFrames({
      kind: 'HelmRepository',
      namespace: 'podinfo',
      name: 'podinfo',
      ready: 'True',
      reason: 'Succeeded',
    }),
  ];
}

export function panelProps(
  series: DataFrame[],
  options: Partial<FluxGridOptions> = {},
  overrides: Partial<PanelProps<FluxGridOptions>> = {}
): PanelProps<FluxGridOptions> {
  const timeRange = { from: dateTime(T0), to: dateTime(T_END), raw: { from: 'now-30m', to: 'now' } };
  return {
    id: 1,
    data: { state: LoadingState.Done, series, timeRange },
    timeRange,
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...options },
    transparent: false,
    width: 800,
    height: 600,
    fieldConfig: { defaults: {}, overrides: [] },
    renderCounter: 0,
    title: 'Flux',
    eventBus: new EventBusSrv(),
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    replaceVariables: (text: string) => text,
    onChangeTimeRange: () => {},
    ...overrides,
  };
}

const FLEET_KINDS = ['Kustomization', 'HelmRelease', 'GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart'];
const STATE_MIX: FluxState[] = [
  'Ready',
  'Ready',
  'Ready',
  'Ready',
  'Ready',
  'Ready',
  'Ready',
  'Failed',
  'Progressing',
  'Suspended',
  'Unknown',
];

/** A deterministic fleet of n objects across 4 clusters and 50 namespaces per cluster. */
export function makeFleet(n: number): FluxObject[] {
  const objects: FluxObject[] = [];
  for (let i = 0; i < n; i++) {
    const state = STATE_MIX[(i * 7) % STATE_MIX.length];
    objects.push(
      fluxObject({
        cluster: `cluster-${i % 4}`,
        kind: FLEET_KINDS[i % FLEET_KINDS.length],
        namespace: `team-${(i >> 2) % 50}`,
        name: `app-${i}`,
        state,
        reason: state === 'Failed' ? 'BuildFailed' : undefined,
        since: T0 + (i % 30) * MINUTE,
        schema: 'flux-operator',
        observedAt: T_END,
      })
    );
  }
  return objects;
}
