/**
 * Test and benchmark fixtures: frames shaped like Grafana's Prometheus datasource output (one
 * frame per series: Time in ms + Value carrying the labels, __name__ included), and FluxObjects.
 * Not imported by the plugin.
 */
import { DataFrame, dateTime, EventBusSrv, FieldType, LoadingState, PanelProps, toDataFrame } from '@grafana/data';

import type { FluxObject, FluxState } from '../flux';
import { DEFAULT_OPTIONS, FluxGridOptions } from './types';

export const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);
export const STEP = 60_000;
export const MINUTE = 60_000;
/** Range end: 30 minutes of data. */
export const T_END = T0 + 30 * MINUTE;

export function promFrame(
  metric: string,
  labels: Record<string, string>,
  from: number,
  to: number,
  value = 1
): DataFrame {
  const times: number[] = [];
  for (let t = from; t <= to; t += STEP) {
    times.push(t);
  }
  return toDataFrame({
    fields: [
      { name: 'Time', type: FieldType.time, values: times },
      {
        name: 'Value',
        type: FieldType.number,
        values: times.map(() => value),
        labels: { __name__: metric, ...labels },
      },
    ],
  });
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
    return [promFrame('flux_resource_info', current, T0, T_END)];
  }
  return [
    promFrame(
      'flux_resource_info',
      { ...base, ready: 'True', reason: 'ReconciliationSucceeded' },
      T0,
      spec.since - STEP
    ),
    promFrame('flux_resource_info', current, spec.since, T_END),
  ];
}

/** gotk_resource_info (kube-state-metrics) series for one always-Ready object. */
export function ksmReadyFrame(kind: string, namespace: string, name: string): DataFrame {
  return promFrame(
    'gotk_resource_info',
    { customresource_kind: kind, exported_namespace: namespace, name, ready: 'True', suspended: 'false' },
    T0,
    T_END
  );
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

let counter = 0;

export function makeObject(partial: Partial<FluxObject> = {}): FluxObject {
  counter++;
  const kind = partial.kind ?? 'Kustomization';
  const namespace = partial.namespace ?? 'flux-system';
  const name = partial.name ?? `object-${counter}`;
  const cluster = partial.cluster ?? '';
  return {
    key: `${cluster}/${kind}/${namespace}/${name}`,
    cluster,
    kind,
    namespace,
    name,
    state: 'Ready',
    suspended: false,
    schema: 'flux-operator',
    observedAt: T_END,
    labels: { kind, exported_namespace: namespace, name },
    ...partial,
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
      makeObject({
        cluster: `cluster-${i % 4}`,
        kind: FLEET_KINDS[i % FLEET_KINDS.length],
        namespace: `team-${(i >> 2) % 50}`,
        name: `app-${i}`,
        state,
        reason: state === 'Failed' ? 'BuildFailed' : undefined,
        since: T0 + (i % 30) * MINUTE,
      })
    );
  }
  return objects;
}
