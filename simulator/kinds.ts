/**
 * The Flux kinds the simulator knows: API group/version, the controller that reconciles them and
 * what their revisions and sources look like. Kind-specific kube-state-metrics labels follow the
 * official flux2-monitoring-example `kube-state-metrics-config.yaml`.
 */

export const FLUX_KINDS = [
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
] as const;

export type FluxKind = (typeof FLUX_KINDS)[number];

export const FLUX_CONTROLLERS = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
  'image-reflector-controller',
  'image-automation-controller',
] as const;

export type FluxController = (typeof FLUX_CONTROLLERS)[number];

export type RevisionStyle = 'git' | 'oci' | 'digest' | 'chart';

export interface KindInfo {
  group: string;
  version: string;
  controller: FluxController;
  /** How `revision` looks; undefined when the kind has no revision. */
  revision?: RevisionStyle;
  /** The kube-state-metrics labels beyond the common ones, in the reference table's order. */
  kubeStateMetricsLabels: readonly string[];
  /** False for Alert and Provider (static objects since notification v1beta3: no Ready condition). */
  hasReadyCondition: boolean;
}

export const KIND_INFO: Record<FluxKind, KindInfo> = {
  Kustomization: {
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'kustomize-controller',
    revision: 'git',
    kubeStateMetricsLabels: ['revision', 'source_name'],
    hasReadyCondition: true,
  },
  HelmRelease: {
    group: 'helm.toolkit.fluxcd.io',
    version: 'v2',
    controller: 'helm-controller',
    revision: 'chart',
    kubeStateMetricsLabels: ['revision', 'chart_name', 'chart_app_version', 'chart_ref_name', 'chart_source_name'],
    hasReadyCondition: true,
  },
  GitRepository: {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'source-controller',
    revision: 'git',
    kubeStateMetricsLabels: ['revision', 'url'],
    hasReadyCondition: true,
  },
  OCIRepository: {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1beta2',
    controller: 'source-controller',
    revision: 'oci',
    kubeStateMetricsLabels: ['revision', 'url'],
    hasReadyCondition: true,
  },
  HelmRepository: {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'source-controller',
    revision: 'digest',
    kubeStateMetricsLabels: ['revision', 'url'],
    hasReadyCondition: true,
  },
  HelmChart: {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'source-controller',
    revision: 'chart',
    kubeStateMetricsLabels: ['revision', 'chart_name', 'chart_version'],
    hasReadyCondition: true,
  },
  Bucket: {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'source-controller',
    revision: 'digest',
    kubeStateMetricsLabels: ['revision', 'endpoint', 'bucket_name'],
    hasReadyCondition: true,
  },
  Alert: {
    group: 'notification.toolkit.fluxcd.io',
    version: 'v1beta3',
    controller: 'notification-controller',
    kubeStateMetricsLabels: [],
    hasReadyCondition: false,
  },
  Provider: {
    group: 'notification.toolkit.fluxcd.io',
    version: 'v1beta3',
    controller: 'notification-controller',
    kubeStateMetricsLabels: [],
    hasReadyCondition: false,
  },
  Receiver: {
    group: 'notification.toolkit.fluxcd.io',
    version: 'v1',
    controller: 'notification-controller',
    kubeStateMetricsLabels: ['webhook_path'],
    hasReadyCondition: true,
  },
  ImageRepository: {
    group: 'image.toolkit.fluxcd.io',
    version: 'v1beta2',
    controller: 'image-reflector-controller',
    kubeStateMetricsLabels: ['image'],
    hasReadyCondition: true,
  },
  ImagePolicy: {
    group: 'image.toolkit.fluxcd.io',
    version: 'v1beta2',
    controller: 'image-reflector-controller',
    kubeStateMetricsLabels: ['source_name'],
    hasReadyCondition: true,
  },
  ImageUpdateAutomation: {
    group: 'image.toolkit.fluxcd.io',
    version: 'v1beta2',
    controller: 'image-automation-controller',
    kubeStateMetricsLabels: ['source_name'],
    hasReadyCondition: true,
  },
};

export function isFluxKind(value: unknown): value is FluxKind {
  return typeof value === 'string' && (FLUX_KINDS as readonly string[]).includes(value);
}

/** controller-runtime's controller name for a kind (`controller_runtime_reconcile_total{controller}`). */
export function controllerRuntimeName(kind: FluxKind): string {
  return kind.toLowerCase();
}
