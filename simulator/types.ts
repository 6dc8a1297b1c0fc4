import type { FluxState } from '../src/flux/types';
import type { FluxKind } from './kinds';

/**
 * The metric schemas the simulator emits (see README "Metric schemas"):
 * - `legacy-2.0`: gotk_reconcile_condition with True/False/Unknown/Deleted, series never removed.
 * - `legacy-2.4`: gotk_reconcile_condition without Deleted (Flux 2.1–2.4), series removed on delete.
 * - `kube-state-metrics`: gotk_resource_info from kube-state-metrics' custom resource state.
 * - `flux-operator`: flux_resource_info from the Flux Operator.
 */
export const SIMULATED_SCHEMAS = ['legacy-2.0', 'legacy-2.4', 'kube-state-metrics', 'flux-operator'] as const;
export type SimulatedSchema = (typeof SIMULATED_SCHEMAS)[number];

/** What `schemas: all` means: every family at once, as a Flux 2.1–2.4 cluster with KSM and the operator. */
export const ALL_SCHEMAS: readonly SimulatedSchema[] = ['legacy-2.4', 'kube-state-metrics', 'flux-operator'];

export const ACTIONS = [
  'fail',
  'recover',
  'progress',
  'wait',
  'suspend',
  'resume',
  'delete',
  'flap',
  'revision',
] as const;
export type ActionName = (typeof ACTIONS)[number];

/** Which objects an event or expectation is about. Every given field must match. */
export interface ObjectSelector {
  cluster?: string;
  kind?: FluxKind;
  namespace?: string;
  name?: string;
  /** Only the first N matches, in fleet order. */
  count?: number;
}

/**
 * A HelmRelease's chart source, in its own namespace: spec.chart.spec.sourceRef (GitRepository,
 * HelmRepository, Bucket) or spec.chartRef (OCIRepository).
 */
export interface ChartSource {
  kind: 'GitRepository' | 'HelmRepository' | 'Bucket' | 'OCIRepository';
  name: string;
}

export interface NamedObject {
  cluster?: string;
  kind: FluxKind;
  namespace: string;
  name: string;
  /** HelmRelease only: where its chart comes from (default: charts-<word>, or oci-<word> for one in three). */
  chartSource?: ChartSource;
}

export interface FleetSpec {
  seed: number;
  /** Cluster names; [''] for a single cluster without a cluster label. */
  clusters: string[];
  /** Label holding the cluster name when there are several clusters. */
  clusterLabel: string;
  namespaces: string[];
  /** Generated objects per kind, per cluster. */
  objects: Partial<Record<FluxKind, number>>;
  /** Hand-named objects (created in every cluster unless `cluster` is given), listed first. */
  named: NamedObject[];
  /** Seconds between two reconciles of one object. */
  reconcileIntervalSeconds: number;
}

export interface ReplicaSpec {
  /** kube-state-metrics replicas exporting the same objects (differ in pod/instance). */
  kubeStateMetrics: number;
  /** Prometheus replicas (HA pair): every series once per replica, with a `replica` label. */
  prometheus: number;
}

export interface TimelineEvent {
  /** Seconds after the scenario start. */
  at: number;
  action: ActionName;
  select: ObjectSelector;
  /** Ready reason for fail/flap (default ReconciliationFailed), progress (Progressing), wait (DependencyNotReady). */
  reason?: string;
  /** fail/progress/wait/suspend/flap: revert after this many seconds (fail/progress/wait -> Ready, suspend -> resumed). */
  forSeconds?: number;
  /** flap: one full Ready -> Failed -> Ready cycle, in seconds. */
  periodSeconds?: number;
  /** delete (legacy-2.0): keep a stale False=1 beside Deleted=1. Default: true when the object was failing. */
  keepStaleFalse?: boolean;
  /** Where in the scenario file this event was written, for messages. */
  path: string;
}

export interface ObjectExpectation {
  select: ObjectSelector;
  state: FluxState;
  /** The state under a schema that cannot tell what `state` needs (e.g. no reason label -> Failed). */
  schemas: Partial<Record<SimulatedSchema, FluxState>>;
  path: string;
}

export interface Expectation {
  /** Seconds after the scenario start. */
  at: number;
  /** State of every object the entry does not list. */
  default: FluxState;
  /** Only check this instant under these schemas (default: all of the scenario's). */
  schemas?: SimulatedSchema[];
  objects: ObjectExpectation[];
  path: string;
}

export interface Scenario {
  name: string;
  description: string;
  /** The file it came from (for messages). */
  file: string;
  schemas: SimulatedSchema[];
  /** Epoch ms of offset 0. */
  startMs: number;
  /** Seconds between two samples (backfill) — keep <= 60 so Prometheus' 5m lookback always finds one. */
  stepSeconds: number;
  durationSeconds: number;
  fleet: FleetSpec;
  replicas: ReplicaSpec;
  /** Emit gotk_reconcile_duration_seconds per object (and controller metrics). */
  reconcileDuration: boolean;
  controllerMetrics: boolean;
  /** Add kube-state-metrics' common custom `ready_reason` label to gotk_resource_info. */
  kubeStateMetricsReadyReason: boolean;
  timeline: TimelineEvent[];
  expect: Expectation[];
}

/** One simulated Flux object. */
export interface SimObject {
  /** Same format as the core's FluxObject.key. */
  key: string;
  cluster: string;
  kind: FluxKind;
  namespace: string;
  name: string;
  /** Index in fleet order (stable). */
  index: number;
  /** Deterministic uid (flux_resource_info{uid}). */
  uid: string;
  /** HelmRelease: the chart source the scenario names (NamedObject.chartSource). */
  chartSource?: ChartSource;
}

/** What the metrics of one object say at one instant. */
export interface ObjectCondition {
  ready: 'True' | 'False' | 'Unknown';
  reason: string;
  /** spec.suspend: undefined while unset (kube-state-metrics then omits `suspended`). */
  suspend?: boolean;
  deleted: boolean;
  /** legacy-2.0 only: False stays 1 after deletion. */
  staleFalse: boolean;
  /** Counts new revisions; the revision text is derived from it. */
  revisionNumber: number;
}
