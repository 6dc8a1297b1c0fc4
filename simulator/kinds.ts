/**
 * The kinds the simulator knows: API group and the version current Flux (2.9) serves, who
 * reconciles them, who reports them and what their revisions and sources look like.
 *
 * - Group/version: the CRDs of source-controller v1.9, kustomize-controller v1.9, helm-controller
 *   v1.6, notification-controller v1.9, image-reflector/image-automation-controller v1.2 and
 *   source-watcher v2.2 (the versions fluxcd/flux2 v2.9.0 `manifests/bases/*` pins), and
 *   flux-operator `api/v1`.
 * - kube-state-metrics labels: fluxcd/flux2-monitoring-example
 *   `monitoring/controllers/kube-prometheus-stack/kube-state-metrics-config.yaml` (commit 6182ebd);
 *   the Flux 2.7 kinds, which it does not list yet, as deploy/kube-prometheus-stack-values.yaml
 *   adds them (their CRDs: source-controller api/v1/externalartifact_types.go, source-watcher
 *   api/v1beta1/artifactgenerator_types.go).
 * - Flux Operator: controlplaneio-fluxcd/flux-operator `internal/reporter/metrics.go`.
 */

/** The Flux toolkit kinds (kube-state-metrics' config lists each; the Flux Operator reports each). */
export const TOOLKIT_KINDS = [
  'Kustomization',
  'HelmRelease',
  'GitRepository',
  'OCIRepository',
  'HelmRepository',
  'HelmChart',
  'Bucket',
  'Alert',
  'Provider',
  'Receiver',
  'ImageRepository',
  'ImagePolicy',
  'ImageUpdateAutomation',
  // Flux 2.7
  'ExternalArtifact',
  'ArtifactGenerator',
] as const;

/** The Flux Operator's own kinds: only the operator reports them, each in its own metric family. */
export const OPERATOR_KINDS = ['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider'] as const;

/** Every kind a scenario can use. New kinds go last: fleets generate names in this order. */
export const FLUX_KINDS = [...TOOLKIT_KINDS, ...OPERATOR_KINDS] as const;

export type ToolkitKind = (typeof TOOLKIT_KINDS)[number];
export type OperatorKind = (typeof OPERATOR_KINDS)[number];
export type FluxKind = (typeof FLUX_KINDS)[number];

/** The Flux controllers (pods with label `app=<name>` in flux-system, port `http-prom`). */
export const FLUX_CONTROLLERS = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
  'image-reflector-controller',
  'image-automation-controller',
  // Flux 2.7: reconciles ArtifactGenerator, writes ExternalArtifact.
  'source-watcher',
] as const;

export type FluxController = (typeof FLUX_CONTROLLERS)[number];

export type RevisionStyle = 'git' | 'oci' | 'digest' | 'chart' | 'distribution';

/** The Flux Operator's metric family for a kind (metrics.go: one per own kind, flux_resource_info for the rest). */
export type OperatorFamily =
  'flux_resource_info' | 'flux_instance_info' | 'flux_resourceset_info' | 'flux_resourcesetinputprovider_info';

export interface KindInfo {
  group: string;
  /** The API version Flux 2.9 (or the Flux Operator) serves. */
  version: string;
  /** Who reconciles it: a Flux controller, or the Flux Operator for its own kinds. */
  controller: FluxController | 'flux-operator';
  /** How `revision` looks; undefined when the kind has no revision. */
  revision?: RevisionStyle;
  /** The kube-state-metrics labels beyond the common ones, in the config's order; undefined: not in the config. */
  kubeStateMetricsLabels?: readonly string[];
  /** False for Alert and Provider (static objects since notification v1beta3: no Ready condition). */
  hasReadyCondition: boolean;
  /**
   * Whether the exporters show the object suspended: spec.suspend for the Flux kinds; the reconcile
   * annotation for the operator's own kinds. False for ArtifactGenerator and ExternalArtifact, which
   * have no spec.suspend (kube-state-metrics writes no `suspended`, the operator always "False").
   */
  hasSuspend: boolean;
  /** The first Flux minor version serving the kind: the legacy gauges (Flux <= 2.4) know only older ones. */
  sinceFlux: number;
  operatorFamily: OperatorFamily;
}

const toolkit = (
  info: Omit<KindInfo, 'operatorFamily' | 'sinceFlux' | 'hasSuspend'> & Partial<KindInfo>
): KindInfo => ({
  sinceFlux: 2.0,
  hasSuspend: true,
  operatorFamily: 'flux_resource_info',
  ...info,
});

const operatorOwn = (family: OperatorFamily, revision?: RevisionStyle): KindInfo => ({
  group: 'fluxcd.controlplane.io',
  version: 'v1',
  controller: 'flux-operator',
  revision,
  hasReadyCondition: true,
  // Suspended by the annotation fluxcd.controlplane.io/reconcile: disabled (metrics.go reads it).
  hasSuspend: true,
  sinceFlux: 2.0,
  operatorFamily: family,
});

export const KIND_INFO: Record<FluxKind, KindInfo> = {
  Kustomization: toolkit({
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'kustomize-controller',
    revision: 'git',
    kubeStateMetricsLabels: ['revision', 'source_name'],
    hasReadyCondition: true,
  }),
  HelmRelease: toolkit({
    group: 'helm.toolkit.fluxcd.io',
    version: 'v2',
    controller: 'helm-controller',
    revision: 'chart',
    kubeStateMetricsLabels: ['revision', 'chart_name', 'chart_app_version', 'chart_ref_name', 'chart_source_name'],
    hasReadyCondition: true,
  }),
  GitRepository: toolkit({
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'source-controller',
    revision: 'git',
    kubeStateMetricsLabels: ['revision', 'url'],
    hasReadyCondition: true,
  }),
  OCIRepository: toolkit({
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'source-controller',
    revision: 'oci',
    kubeStateMetricsLabels: ['revision', 'url'],
    hasReadyCondition: true,
  }),
  HelmRepository: toolkit({
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'source-controller',
    revision: 'digest',
    kubeStateMetricsLabels: ['revision', 'url'],
    hasReadyCondition: true,
  }),
  HelmChart: toolkit({
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'source-controller',
    revision: 'chart',
    kubeStateMetricsLabels: ['revision', 'chart_name', 'chart_version'],
    hasReadyCondition: true,
  }),
  Bucket: toolkit({
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'source-controller',
    revision: 'digest',
    kubeStateMetricsLabels: ['revision', 'endpoint', 'bucket_name'],
    hasReadyCondition: true,
  }),
  Alert: toolkit({
    group: 'notification.toolkit.fluxcd.io',
    version: 'v1beta3',
    controller: 'notification-controller',
    kubeStateMetricsLabels: [],
    hasReadyCondition: false,
  }),
  Provider: toolkit({
    group: 'notification.toolkit.fluxcd.io',
    version: 'v1beta3',
    controller: 'notification-controller',
    kubeStateMetricsLabels: [],
    hasReadyCondition: false,
  }),
  Receiver: toolkit({
    group: 'notification.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'notification-controller',
    kubeStateMetricsLabels: ['webhook_path'],
    hasReadyCondition: true,
  }),
  ImageRepository: toolkit({
    group: 'image.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'image-reflector-controller',
    kubeStateMetricsLabels: ['image'],
    hasReadyCondition: true,
  }),
  ImagePolicy: toolkit({
    group: 'image.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'image-reflector-controller',
    kubeStateMetricsLabels: ['source_name'],
    hasReadyCondition: true,
  }),
  ImageUpdateAutomation: toolkit({
    group: 'image.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'image-automation-controller',
    kubeStateMetricsLabels: ['source_name'],
    hasReadyCondition: true,
  }),
  // Written by source-watcher for an ArtifactGenerator (spec.sourceRef names it); no spec.suspend.
  ExternalArtifact: toolkit({
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'source-watcher',
    revision: 'oci',
    kubeStateMetricsLabels: ['revision', 'source_name'],
    hasReadyCondition: true,
    hasSuspend: false,
    sinceFlux: 2.7,
  }),
  // Suspended by an annotation (source.extensions.fluxcd.io/reconcile: disabled), not spec.suspend.
  ArtifactGenerator: toolkit({
    group: 'source.extensions.fluxcd.io',
    version: 'v1beta1',
    controller: 'source-watcher',
    kubeStateMetricsLabels: [],
    hasReadyCondition: true,
    hasSuspend: false,
    sinceFlux: 2.7,
  }),
  FluxInstance: operatorOwn('flux_instance_info', 'distribution'),
  ResourceSet: operatorOwn('flux_resourceset_info', 'digest'),
  ResourceSetInputProvider: operatorOwn('flux_resourcesetinputprovider_info'),
};

export function isFluxKind(value: unknown): value is FluxKind {
  return typeof value === 'string' && (FLUX_KINDS as readonly string[]).includes(value);
}

export function isOperatorKind(kind: FluxKind): kind is OperatorKind {
  return (OPERATOR_KINDS as readonly string[]).includes(kind);
}

/** The Flux controller reconciling a kind; undefined for the Flux Operator's own kinds. */
export function fluxControllerOf(kind: FluxKind): FluxController | undefined {
  const controller = KIND_INFO[kind].controller;
  return controller === 'flux-operator' ? undefined : controller;
}

/**
 * An OCI HelmRepository (spec.type oci): the simulator makes a HelmRepository named `oci-…` one.
 * Static since Flux 2.2 (source-controller migrationToStatic): no status, no reconciles, no metrics
 * from the controller; kube-state-metrics writes no `ready`; the Flux Operator forces ready="True".
 */
export function isOciHelmRepository(kind: FluxKind, name: string): boolean {
  return kind === 'HelmRepository' && name.startsWith('oci-');
}

/** controller-runtime's controller name for a kind (`controller_runtime_reconcile_total{controller}`). */
export function controllerRuntimeName(kind: FluxKind): string {
  return kind.toLowerCase();
}
