/**
 * The vocabulary of FluxGrid's domain core. Everything here is plain data: no React, no Grafana
 * runtime. The panel and the datasource are adapters around these types.
 */

/** The states a Flux object can be in, as Flux's own UIs show them. */
export type FluxState = 'Failed' | 'Progressing' | 'Unknown' | 'Suspended' | 'Ready' | 'Deleted';

/** Most severe first: the default sort order and the order of every summary. */
export const FLUX_STATES: readonly FluxState[] = ['Failed', 'Progressing', 'Unknown', 'Suspended', 'Ready', 'Deleted'];

/** States that need a person's attention ("problems only"). */
export const PROBLEM_STATES: readonly FluxState[] = ['Failed', 'Progressing', 'Unknown'];

/**
 * The three generations of Flux per-object metrics (see README "Metric schemas"), richest first:
 * the order in which one wins over another for the same object. The one list of schema names.
 * - flux-operator: flux_resource_info exported by the Flux Operator.
 * - kube-state-metrics: gotk_resource_info from kube-state-metrics' custom resource state config (Flux >= 2.1).
 * - legacy: gotk_reconcile_condition + gotk_suspend_status, exported by the controllers (Flux <= 2.4).
 */
export const FLUX_SCHEMAS = ['flux-operator', 'kube-state-metrics', 'legacy'] as const;

export type FluxSchema = (typeof FLUX_SCHEMAS)[number];

/**
 * FluxGrid's own Objects frame: a frame format, not a schema. Its objects were already normalised
 * by the datasource (from whichever schemas it read), so they say this instead of a schema.
 */
export const FLUXGRID_FRAME_FORMAT = 'fluxgrid';

/** What an object's state was read from: a schema's metrics, or FluxGrid's own frame. */
export type FluxSource = FluxSchema | typeof FLUXGRID_FRAME_FORMAT;

/** Status of the Ready condition as recorded in the metrics. */
export type ReadyStatus = 'True' | 'False' | 'Unknown';

/** Reconcile statistics from gotk_reconcile_duration_seconds_{sum,count}. */
export interface ReconcileStats {
  /** Reconciles counted: within the range for range data, since controller start for instant data. */
  count: number;
  /** Mean reconcile duration in seconds over the same window; undefined when count is 0. */
  meanSeconds?: number;
  /** Epoch ms of the last sample at which the count grew (range data only). */
  lastReconcileAt?: number;
}

/** One Flux object, identified by (cluster, kind, namespace, name). */
export interface FluxObject {
  /** Stable identity: cluster, kind, namespace and name joined; safe as a React key or map key. */
  key: string;
  /** Cluster label value, '' for single-cluster data. */
  cluster: string;
  /** Flux kind, e.g. Kustomization, HelmRelease, GitRepository. */
  kind: string;
  /** The object's own namespace (exported_namespace when present, else namespace). */
  namespace: string;
  name: string;
  state: FluxState;
  /** The Ready condition status the metrics recorded, when any. */
  ready?: ReadyStatus;
  /** Ready condition reason (Flux Operator `reason`, or the configured reason label). */
  reason?: string;
  /** Applied or fetched revision (e.g. main@sha1:abc…, chart version). */
  revision?: string;
  /** Where it comes from: source_name, url, endpoint or chart name, whichever the data has. */
  source?: string;
  suspended: boolean;
  /** Which schema's metrics this object's state was read from (or FluxGrid's frame). */
  schema: FluxSource;
  /**
   * Epoch ms since which the object has been in `state`. Known only from range data (or from the
   * FluxGrid datasource, which computes it in PromQL).
   */
  since?: number;
  /** True when `since` is the start of the data, so the object has been in its state at least that long. */
  sinceIsLowerBound?: boolean;
  /** Epoch ms of the newest sample that decided the state. */
  observedAt: number;
  reconcile?: ReconcileStats;
  /** The labels of the series that decided the state (after cleaning), for data links and tooltips. */
  labels: Record<string, string>;
}

/**
 * Which labels hold what. Every field is optional: an unset field is auto-detected.
 * Users with custom kube-state-metrics configs or relabelling set them in the panel or datasource.
 */
export interface FluxLabelMapping {
  /** e.g. cluster, k8s_cluster, cluster_name. Auto: the first of those present. */
  cluster?: string;
  /** Auto: customresource_kind, then kind. */
  kind?: string;
  /** Auto: exported_namespace, then namespace (per series). */
  namespace?: string;
  /** Auto: name. */
  name?: string;
  /** Ready reason label. Auto: reason (Flux Operator), then ready_reason (common KSM addition). */
  reason?: string;
}

export interface NormalizeOptions {
  labels?: FluxLabelMapping;
  /** Keep Deleted objects (legacy Flux 2.0 data). Default false: a deleted object is gone. */
  includeDeleted?: boolean;
}

/** What normalisation found, besides the objects: for messages that say what to do. */
export interface FluxReading {
  objects: FluxObject[];
  /** Schemas seen in the frames, in order of first appearance. */
  schemas: FluxSource[];
  /** Metric names seen that are not Flux's (so a message can name them). */
  otherMetrics: string[];
  /** Frames that could not be read at all, with why. */
  unusableFrames: string[];
  /** Series that were skipped inside otherwise usable frames, with why (e.g. no "name" label). */
  warnings?: string[];
}

/** The metric names FluxGrid reads, for messages and for the datasource's queries. */
export const FLUX_METRICS = {
  legacyCondition: 'gotk_reconcile_condition',
  legacySuspend: 'gotk_suspend_status',
  kubeStateMetricsInfo: 'gotk_resource_info',
  fluxOperatorInfo: 'flux_resource_info',
  /**
   * The Flux Operator's own objects, one family per kind, with flux_resource_info's labels (uid,
   * kind, name, exported_namespace, ready, reason, suspended) plus their own (FluxInstance:
   * registry, revision; ResourceSet: resources, revision; ResourceSetInputProvider: url).
   * Source: controlplaneio-fluxcd/flux-operator internal/reporter/metrics.go.
   */
  fluxInstanceInfo: 'flux_instance_info',
  fluxResourceSetInfo: 'flux_resourceset_info',
  fluxResourceSetInputProviderInfo: 'flux_resourcesetinputprovider_info',
  reconcileDurationSum: 'gotk_reconcile_duration_seconds_sum',
  reconcileDurationCount: 'gotk_reconcile_duration_seconds_count',
  reconcileDurationBucket: 'gotk_reconcile_duration_seconds_bucket',
} as const;

/** The state metrics, in the order a message should list them. */
export const FLUX_STATE_METRICS = [
  FLUX_METRICS.kubeStateMetricsInfo,
  FLUX_METRICS.fluxOperatorInfo,
  FLUX_METRICS.legacyCondition,
] as const;
