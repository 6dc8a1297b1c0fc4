/**
 * An object's source is its real source per kind, never a label the scrape added.
 *
 * Fixtures: the labels each exporter writes, per kind, plus the target labels prometheus-operator
 * adds when it scrapes them (PodMonitor for the controllers, ServiceMonitor for kube-state-metrics
 * and the Flux Operator: `endpoint` is the port name, `container`, `pod`, `instance`, `job`,
 * `service`, the target's `namespace`).
 */
import { sourceOf, type Labels } from './labels';

/** What prometheus-operator adds to every series of a kube-state-metrics target (kube-prometheus-stack: honor_labels true). */
const KSM_TARGET: Labels = {
  namespace: 'monitoring',
  endpoint: 'http',
  container: 'kube-state-metrics',
  pod: 'kube-state-metrics-6d4c8f7b9-q2x7z',
  instance: '10.244.1.7:8080',
  job: 'kube-state-metrics',
  service: 'kube-state-metrics',
};
/** What prometheus-operator adds to the Flux Operator's series. */
const OPERATOR_TARGET: Labels = {
  namespace: 'flux-system',
  endpoint: 'http-metrics',
  container: 'manager',
  pod: 'flux-operator-7f9d8c6b5-k4m2p',
  instance: '10.244.0.9:8080',
  job: 'flux-operator',
  service: 'flux-operator',
};
/** What the flux-system PodMonitor adds to a controller's series (legacy gauges). */
const CONTROLLER_TARGET: Labels = {
  namespace: 'flux-system',
  endpoint: 'http-prom',
  container: 'manager',
  pod: 'kustomize-controller-5c8d7b6f4-x2k9p',
  instance: '10.244.0.12:8080',
  job: 'flux-system/flux-system',
};
const SCRAPE_LABELS = ['endpoint', 'container', 'pod', 'instance', 'job', 'service', 'namespace'];

/** gotk_resource_info as fluxcd/flux2-monitoring-example kube-state-metrics-config.yaml (commit 6182ebd) has it. */
const ksm = (kind: string, labels: Labels): Labels => ({
  ...KSM_TARGET,
  customresource_group: 'x.toolkit.fluxcd.io',
  customresource_kind: kind,
  customresource_version: 'v1',
  exported_namespace: 'apps',
  name: 'obj',
  ...labels,
});
/** flux_resource_info as controlplaneio-fluxcd/flux-operator internal/reporter/metrics.go (fluxLabelsToValues) writes it. */
const operator = (kind: string, labels: Labels): Labels => ({
  ...OPERATOR_TARGET,
  uid: '3f1c',
  kind,
  exported_namespace: 'apps',
  name: 'obj',
  ready: 'True',
  suspended: 'False',
  ...labels,
});

const CASES: Array<[string, Labels, string | undefined]> = [
  // kube-state-metrics (kube-state-metrics-config.yaml)
  ['KSM Kustomization', ksm('Kustomization', { ready: 'True', source_name: 'flux-system' }), 'flux-system'],
  [
    'KSM HelmRelease (spec.chart)',
    ksm('HelmRelease', { chart_name: 'podinfo', chart_source_name: 'charts' }),
    'charts',
  ],
  [
    'KSM HelmRelease (spec.chartRef)',
    ksm('HelmRelease', { chart_name: 'podinfo', chart_ref_name: 'oci-podinfo' }),
    'oci-podinfo',
  ],
  ['KSM HelmRelease (no chart yet)', ksm('HelmRelease', { ready: 'Unknown' }), undefined],
  ['KSM GitRepository', ksm('GitRepository', { url: 'https://github.com/x/y' }), 'https://github.com/x/y'],
  ['KSM OCIRepository', ksm('OCIRepository', { url: 'oci://ghcr.io/x/y' }), 'oci://ghcr.io/x/y'],
  ['KSM HelmRepository', ksm('HelmRepository', { url: 'https://charts.x.io' }), 'https://charts.x.io'],
  ['KSM HelmChart', ksm('HelmChart', { chart_name: 'podinfo', chart_version: '6.x' }), 'podinfo'],
  ['KSM Bucket (honor_labels)', ksm('Bucket', { endpoint: 's3.amazonaws.com', bucket_name: 'b' }), 's3.amazonaws.com'],
  [
    'KSM Bucket (no honor_labels: the Bucket endpoint is exported_endpoint)',
    ksm('Bucket', { exported_endpoint: 'minio.x:9000', bucket_name: 'b' }),
    'minio.x:9000',
  ],
  ['KSM Alert (no source)', ksm('Alert', {}), undefined],
  ['KSM Provider (no source)', ksm('Provider', {}), undefined],
  ['KSM Receiver', ksm('Receiver', { webhook_path: '/hook/abc' }), '/hook/abc'],
  ['KSM ImageRepository', ksm('ImageRepository', { image: 'ghcr.io/x/y' }), 'ghcr.io/x/y'],
  ['KSM ImagePolicy', ksm('ImagePolicy', { source_name: 'img-y' }), 'img-y'],
  ['KSM ImageUpdateAutomation', ksm('ImageUpdateAutomation', { source_name: 'flux-system' }), 'flux-system'],
  // Flux Operator (metrics.go fluxLabelsToValues / RecordMetrics)
  ['operator Kustomization', operator('Kustomization', { source_name: 'flux-system', path: './apps' }), 'flux-system'],
  ['operator HelmRelease', operator('HelmRelease', { source_name: 'charts' }), 'charts'],
  [
    'operator GitRepository',
    operator('GitRepository', { url: 'https://github.com/x/y', ref: 'main' }),
    'https://github.com/x/y',
  ],
  ['operator Bucket', operator('Bucket', { url: 's3.amazonaws.com', ref: 'b' }), 's3.amazonaws.com'],
  ['operator Receiver', operator('Receiver', { url: '/hook/abc' }), '/hook/abc'],
  ['operator ImageRepository', operator('ImageRepository', { url: 'ghcr.io/x/y' }), 'ghcr.io/x/y'],
  ['operator Alert (no source)', operator('Alert', {}), undefined],
  ['operator Provider (no source)', operator('Provider', {}), undefined],
  [
    'operator FluxInstance',
    operator('FluxInstance', { registry: 'ghcr.io/fluxcd', revision: 'v2.9.0@sha256:1' }),
    'ghcr.io/fluxcd',
  ],
  ['operator ResourceSet (no source)', operator('ResourceSet', { resources: '4', revision: 'sha256:1' }), undefined],
  [
    'operator ResourceSetInputProvider',
    operator('ResourceSetInputProvider', { url: 'https://github.com/x/y' }),
    'https://github.com/x/y',
  ],
  // Legacy gauges (fluxcd/pkg runtime/metrics/recorder.go): kind, name, namespace only.
  [
    'legacy gauge',
    {
      ...CONTROLLER_TARGET,
      kind: 'Kustomization',
      name: 'obj',
      exported_namespace: 'apps',
      type: 'Ready',
      status: 'True',
    },
    undefined,
  ],
  // A Bucket from the operator or the controllers: its `endpoint` is the scrape's.
  [
    'legacy Bucket gauge',
    { ...CONTROLLER_TARGET, kind: 'Bucket', name: 'b', type: 'Ready', status: 'True' },
    undefined,
  ],
];

describe('sourceOf: the real source per kind', () => {
  it.each(CASES)('%s', (_name, labels, expected) => {
    expect(sourceOf(labels)).toBe(expected);
  });

  it.each(CASES)('%s: never a scrape label', (_name, labels) => {
    // Mark every label the scrape added (those whose value is still the target's) and ask again.
    const marked: Labels = { ...labels };
    for (const target of [KSM_TARGET, OPERATOR_TARGET, CONTROLLER_TARGET]) {
      for (const label of SCRAPE_LABELS) {
        if (labels[label] !== undefined && labels[label] === target[label]) {
          marked[label] = `scrape:${label}`;
        }
      }
    }
    expect(sourceOf(marked) ?? '').not.toMatch(/^scrape:/);
  });
});
