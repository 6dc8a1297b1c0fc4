/**
 * Which Prometheus label holds what, and an object's identity.
 *
 * The same Flux object reaches us under different label names depending on who exported it and
 * how it was scraped, so every lookup here has an auto-detected default that a
 * {@link FluxLabelMapping} can override.
 */
import { FluxLabelMapping } from './types';

/** Looked up once: see frames.ts on builtins in a vm context (Object.hasOwn runs per label read). */
const hasOwn = Object.hasOwn;
const keysOf = Object.keys;

export type Labels = Record<string, string>;

/** Cluster labels added by multi-cluster setups (Thanos, Mimir, Grafana Cloud), in order of preference. */
export const CLUSTER_LABELS = ['cluster', 'k8s_cluster', 'cluster_name', 'kubernetes_cluster'] as const;

/** Ready reason: `reason` is Flux Operator's, `ready_reason` a common kube-state-metrics addition. */
export const REASON_LABELS = ['reason', 'ready_reason'] as const;

/**
 * Where an object comes from, in order of preference; each exporter names it per kind:
 * - kube-state-metrics (flux2-monitoring-example kube-state-metrics-config.yaml): Kustomization,
 *   ImagePolicy, ImageUpdateAutomation `source_name`; HelmRelease `chart_source_name` (spec.chart)
 *   or `chart_ref_name` (spec.chartRef); Git/OCI/HelmRepository `url`; ImageRepository `image`;
 *   Receiver `webhook_path`; HelmChart only `chart_name`.
 * - Flux Operator (flux-operator internal/reporter/metrics.go): `source_name` (sourceRef, HelmRelease
 *   chart or chartRef, ImagePolicy imageRepositoryRef) or `url` (spec.url; the Bucket's endpoint,
 *   the Receiver's webhook path, the ImageRepository's image).
 * Never a scrape label: prometheus-operator adds `endpoint` (the port name: http-prom, http),
 * `container`, `pod`, `instance`, `job` and `service` to every series it scrapes.
 */
export const SOURCE_LABELS = [
  'source_name',
  'chart_source_name',
  'chart_ref_name',
  'url',
  'image',
  'webhook_path',
  'chart_name',
] as const;

/**
 * Labels that are a source only on one kind's series. kube-state-metrics' Bucket has its own
 * `endpoint` (spec.endpoint), the one `endpoint` that is not the scrape's: kube-prometheus-stack
 * scrapes kube-state-metrics with honor_labels, so it stays `endpoint`; without honor_labels the
 * scrape's port name takes `endpoint` and the Bucket's becomes `exported_endpoint`. The Flux
 * Operator's FluxInstance comes from its distribution `registry`.
 */
export const KIND_SOURCE_LABELS: ReadonlyArray<{
  kind: string;
  kindLabel: readonly string[];
  labels: readonly string[];
}> = [
  { kind: 'Bucket', kindLabel: ['customresource_kind'], labels: ['exported_endpoint', 'endpoint'] },
  { kind: 'FluxInstance', kindLabel: ['kind'], labels: ['registry'] },
];

/** The object's own namespace, see {@link resolveIdentity}. */
export const EXPORTED_NAMESPACE_LABEL = 'exported_namespace';

/** The object's kind, in order of preference: kube-state-metrics' own label, then the controllers' and Flux Operator's. */
export const KIND_LABELS = ['customresource_kind', 'kind'] as const;

/** The object's namespace, in order of preference (see {@link resolveIdentity}). */
export const NAMESPACE_LABELS = [EXPORTED_NAMESPACE_LABEL, 'namespace'] as const;

/** The object's name. */
export const NAME_LABEL = 'name';

/**
 * A label's value, treating '' as absent: Prometheus has no empty labels, but Grafana's table
 * format fills the column of a label a series lacks with ''.
 */
export function labelValue(labels: Labels, name: string): string | undefined {
  // Own properties only, strings only: a series without a `constructor` label must not read
  // Object.prototype.constructor (a function every object would share as its kind or name).
  const value = hasOwn(labels, name) ? labels[name] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Sets a label as an own property, whatever its name: a plain assignment of `__proto__` would set
 * the object's prototype (or do nothing) instead of adding the label.
 */
export function setLabel(labels: Labels, name: string, value: string): void {
  if (name === '__proto__') {
    Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    labels[name] = value;
  }
}

function firstLabel(labels: Labels, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = labelValue(labels, name);
    if (value !== undefined) {
      return value;
    }
  }
  return undefined;
}

export interface ObjectIdentity {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
}

/** Which labels hold an object's identity, most preferred first (see {@link identityLabels}). */
export interface IdentityLabels {
  cluster: readonly string[];
  kind: readonly string[];
  namespace: readonly string[];
  name: readonly string[];
}

const AUTO_IDENTITY_LABELS: IdentityLabels = {
  cluster: CLUSTER_LABELS,
  kind: KIND_LABELS,
  namespace: NAMESPACE_LABELS,
  name: [NAME_LABEL],
};

const overrideFirst = (override: string | undefined, defaults: readonly string[]): readonly string[] =>
  override ? [override, ...defaults.filter((label) => label !== override)] : defaults;

/**
 * THE label-override rule, for the core (panel) and the PromQL (datasource) alike: a kind /
 * namespace / name override is the label read first, and a series that does not carry it falls
 * back to the auto-detected labels. A custom kube-state-metrics config (resource_kind, …) then
 * reads its own label, while the Flux Operator's and the controllers' series, which never carry
 * it, still resolve (an override without fallback would drop every one of them). A cluster
 * override replaces the auto list: it names where the scrape or remote write puts the cluster.
 */
export function identityLabels(mapping: FluxLabelMapping = {}): IdentityLabels {
  if (!mapping.cluster && !mapping.kind && !mapping.namespace && !mapping.name) {
    return AUTO_IDENTITY_LABELS;
  }
  // Asked once per series with the same mapping object: build the lists once.
  const cached = IDENTITY_LABELS_OF.get(mapping);
  if (
    cached &&
    cached.of.cluster === mapping.cluster &&
    cached.of.kind === mapping.kind &&
    cached.of.namespace === mapping.namespace &&
    cached.of.name === mapping.name
  ) {
    return cached.labels;
  }
  const labels: IdentityLabels = {
    cluster: mapping.cluster ? [mapping.cluster] : CLUSTER_LABELS,
    kind: overrideFirst(mapping.kind, KIND_LABELS),
    namespace: overrideFirst(mapping.namespace, NAMESPACE_LABELS),
    name: overrideFirst(mapping.name, [NAME_LABEL]),
  };
  const { cluster, kind, namespace, name } = mapping;
  IDENTITY_LABELS_OF.set(mapping, { of: { cluster, kind, namespace, name }, labels });
  return labels;
}

/** By mapping object, with the fields the lists were built from (a mapping may change after). */
const IDENTITY_LABELS_OF = new WeakMap<FluxLabelMapping, { of: FluxLabelMapping; labels: IdentityLabels }>();

/**
 * Who a series is about, or why it cannot say (the name of the missing label, for messages).
 *
 * - kind: `customresource_kind` (kube-state-metrics) else `kind` (controllers, Flux Operator).
 * - namespace: `exported_namespace` else `namespace`. Scraped through a Pod/ServiceMonitor the
 *   target's namespace (flux-system, monitoring) takes `namespace` and the object's own namespace is
 *   pushed to `exported_namespace`; with honor_labels or a static scrape it stays in `namespace`.
 *   Decided per series, so a fleet that mixes both scrape styles still lines up.
 * - cluster: the first present of {@link CLUSTER_LABELS}; '' for single-cluster data.
 * - overrides: read first, with the above as fallback ({@link identityLabels}).
 */
export function resolveIdentity(
  labels: Labels,
  mapping: FluxLabelMapping = {},
  preferred: IdentityLabels = identityLabels(mapping)
): ObjectIdentity | { missing: string } {
  return identityOf((names) => firstLabel(labels, names), mapping, preferred);
}

/** The identity rule of {@link resolveIdentity}, over any way of reading the first present label. */
function identityOf(
  first: (names: readonly string[]) => string | undefined,
  mapping: FluxLabelMapping,
  preferred: IdentityLabels
): ObjectIdentity | { missing: string } {
  return identityFrom(
    first(preferred.name),
    first(preferred.kind),
    first(preferred.namespace),
    first(preferred.cluster),
    mapping
  );
}

/** The identity rule, given the first present value of each identity label list. */
function identityFrom(
  name: string | undefined,
  kind: string | undefined,
  namespace: string | undefined,
  cluster: string | undefined,
  mapping: FluxLabelMapping
): ObjectIdentity | { missing: string } {
  if (name === undefined || kind === undefined) {
    return { missing: identityMissing(name, kind, mapping)! };
  }
  return { cluster: cluster ?? '', kind, namespace: namespace ?? '', name };
}

/** The label {@link identityFrom} says is missing, given the first present name and kind; undefined when none is. */
export function identityMissing(
  name: string | undefined,
  kind: string | undefined,
  mapping: FluxLabelMapping
): string | undefined {
  if (name === undefined) {
    return mapping.name ?? NAME_LABEL;
  }
  return kind === undefined ? (mapping.kind ?? 'kind') : undefined;
}

export function isIdentity(value: ObjectIdentity | { missing: string }): value is ObjectIdentity {
  return (value as { missing?: string }).missing === undefined;
}

/**
 * The key of an object: unambiguous as long as no label value contains U+001F (unit separator),
 * which Kubernetes names cannot and cluster labels do not in practice.
 */
export function objectKey(identity: ObjectIdentity): string {
  // join builds one flat string. `+` builds a tree of six cons strings that Map hashing does not
  // flatten: each object kept ~190 bytes of key instead of ~65 (heap measured at 50k objects).
  return [identity.cluster, identity.kind, identity.namespace, identity.name].join('\u001f');
}

export function reasonOf(labels: Labels, mapping: FluxLabelMapping = {}): string | undefined {
  return firstLabel(labels, reasonLabels(mapping));
}

/**
 * Where the reason is: the mapped label first, then {@link REASON_LABELS}, the override rule of
 * {@link identityLabels} (a Flux Operator series never carries a custom reason label).
 */
export function reasonLabels(mapping: FluxLabelMapping): readonly string[] {
  return overrideFirst(mapping.reason, REASON_LABELS);
}

export function sourceOf(labels: Labels): string | undefined {
  return sourceFrom((names) => firstLabel(labels, names));
}

/** The source rule, over any way of reading the first present label. */
export function sourceFrom(first: (names: readonly string[]) => string | undefined): string | undefined {
  const source = first(SOURCE_LABELS);
  if (source !== undefined) {
    return source;
  }
  // Indexed, not for-of: asked for every state series without a source label (every legacy gauge).
  for (let i = 0; i < KIND_SOURCE_LABELS.length; i++) {
    if (first(KIND_SOURCE_LABELS[i].kindLabel) === KIND_SOURCE_LABELS[i].kind) {
      return first(KIND_SOURCE_LABELS[i].labels);
    }
  }
  return undefined;
}

export function revisionOf(labels: Labels): string | undefined {
  return labelValue(labels, 'revision');
}

/** The labels shown to users: everything but the metric name (which says nothing about the object). */
export function cleanLabels(labels: Labels): Labels {
  // A plain loop: object rest-spread is lowered to a slow helper by the es2015 production build.
  const clean: Labels = {};
  for (const name of keysOf(labels)) {
    const value = labels[name];
    if (name !== '__name__' && typeof value === 'string' && value !== '') {
      // A store without a call for any name but `__proto__` (once per object shown).
      if (name === '__proto__') {
        setLabel(clean, name, value);
      } else {
        clean[name] = value;
      }
    }
  }
  return clean;
}

/** What a reading keeps of a state series' labels, read in one pass (LabelReader, labelReader.ts). */
export interface SeriesLabels {
  /**
   * The labels shown ({@link cleanLabels}) when copied as they were read, else undefined: then
   * cleanLabels(labels), made once the series is the one shown (a legacy object has four).
   */
  shown: Labels | undefined;
  /** The series' labels as delivered. */
  labels: Labels;
  ready: string | undefined;
  suspended: string | undefined;
  url: string | undefined;
  reason: string | undefined;
  revision: string | undefined;
  source: string | undefined;
}
