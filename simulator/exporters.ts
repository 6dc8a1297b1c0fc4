/**
 * The labels each exporter writes for one object, kind by kind, without target labels:
 *
 * - kube-state-metrics' gotk_resource_info: fluxcd/flux2-monitoring-example
 *   `monitoring/controllers/kube-prometheus-stack/kube-state-metrics-config.yaml` (commit 6182ebd),
 *   plus the Flux 2.7 kinds as deploy/kube-prometheus-stack-values.yaml adds them. A label path
 *   that resolves to nothing is left out (kube-state-metrics
 *   `pkg/customresourcestate/registry_factory.go`).
 * - the Flux Operator's flux_resource_info and its own families: controlplaneio-fluxcd/flux-operator
 *   `internal/reporter/metrics.go` (fluxLabelsToValues, RecordMetrics; commit 17c6aea). Empty values
 *   (no reason, no url) are left out, as Prometheus stores no empty labels.
 * - the legacy gauges: fluxcd/pkg `runtime/metrics/recorder.go` (kind, name, namespace; the scrape
 *   moves the object's namespace to exported_namespace).
 */
import { isOciHelmRepository, KIND_INFO } from './kinds';
import { hashString, hexDigits } from './random';
import type { Labels } from './targets';
import { revisionText } from './timeline';
import type { ObjectCondition, SimObject } from './types';

/** The name without the fleet's kind prefix: what the object is about (podinfo, redis, …). */
function wordOf(object: SimObject): string {
  return object.name.replace(
    /^(git|oci-charts|oci|charts|bucket|img|policy|auto|alert|slack|webhook|gen|artifact)-/,
    ''
  );
}

/**
 * Whether a HelmRelease uses spec.chartRef (an OCIRepository, Flux >= 2.3) rather than spec.chart
 * (a HelmChart template from a HelmRepository, GitRepository or Bucket): as the scenario names its
 * chart source, else one in three, fixed per object.
 */
export function usesChartRef(object: SimObject): boolean {
  if (object.kind !== 'HelmRelease') {
    return false;
  }
  return object.chartSource ? object.chartSource.kind === 'OCIRepository' : hashString(object.key) % 3 === 0;
}

/**
 * A HelmRelease's chart source: spec.chartRef's name, or spec.chart.spec.sourceRef's (a
 * HelmRepository, or a GitRepository or Bucket holding the chart at a path). kube-state-metrics'
 * chart_name is status.history[0].chartName, the chart's own name whatever the source.
 */
function helmReleaseSource(object: SimObject, word: string): Pick<ObjectFields, 'chartSourceName' | 'chartRefName'> {
  const named = object.chartSource?.name;
  return usesChartRef(object)
    ? { chartRefName: named ?? `oci-${word}` }
    : { chartSourceName: named ?? `charts-${word}` };
}

/** What an object's spec and status hold, as far as any exporter reads them. */
interface ObjectFields {
  sourceName?: string;
  chartSourceName?: string;
  chartRefName?: string;
  url?: string;
  ref?: string;
  path?: string;
  chartName?: string;
  chartVersion?: string;
  chartAppVersion?: string;
  endpoint?: string;
  bucketName?: string;
  webhookPath?: string;
  image?: string;
}

function fieldsOf(object: SimObject): ObjectFields {
  const word = wordOf(object);
  switch (object.kind) {
    case 'Kustomization':
      return { sourceName: 'flux-system', path: `./apps/${object.namespace}/${word}` };
    case 'HelmRelease':
      return {
        chartName: word,
        chartAppVersion: `${hashString(word) % 10}.${hashString(object.key) % 30}.0`,
        ...helmReleaseSource(object, word),
      };
    case 'GitRepository':
      // spec.ref.branch: the operator's `ref` is the bare branch (tag, semver or name likewise).
      return { url: `https://github.com/example/${word}`, ref: 'main' };
    case 'OCIRepository':
      return { url: `oci://ghcr.io/example/manifests/${word}`, ref: 'latest' };
    case 'HelmRepository':
      return isOciHelmRepository(object.kind, object.name)
        ? { url: `oci://ghcr.io/example/charts/${word}` }
        : { url: `https://charts.example.com/${word}` };
    case 'HelmChart':
      return { sourceName: `charts-${word}`, chartName: word, chartVersion: `1.${hashString(word) % 20}.x` };
    case 'Bucket':
      return { endpoint: 's3.amazonaws.com', bucketName: `${word}-artifacts` };
    case 'Receiver':
      // status.webhookPath: /hook/ and the sha256 of token, name and namespace.
      return { webhookPath: `/hook/${hexDigits(object.key, 64)}` };
    case 'ImageRepository':
      return { image: `ghcr.io/example/${word}` };
    case 'ImagePolicy':
      return { sourceName: `img-${word}` };
    case 'ImageUpdateAutomation':
      return { sourceName: 'flux-system' };
    case 'ExternalArtifact':
      // spec.sourceRef: the ArtifactGenerator that writes it.
      return { sourceName: `gen-${word}` };
    case 'ResourceSetInputProvider':
      return { url: `https://github.com/example/${word}` };
    default:
      return {};
  }
}

/** kube-state-metrics' label name -> the field it reads (kube-state-metrics-config.yaml labelsFromPath). */
const KSM_FIELD: Record<string, keyof ObjectFields> = {
  source_name: 'sourceName',
  url: 'url',
  chart_name: 'chartName',
  chart_version: 'chartVersion',
  chart_app_version: 'chartAppVersion',
  chart_ref_name: 'chartRefName',
  chart_source_name: 'chartSourceName',
  endpoint: 'endpoint',
  bucket_name: 'bucketName',
  webhook_path: 'webhookPath',
  image: 'image',
};

/** gotk_resource_info's labels for an object (kube-state-metrics custom resource state). */
export function kubeStateMetricsLabels(
  object: SimObject,
  condition: ObjectCondition,
  withReadyReason: boolean
): Labels {
  const info = KIND_INFO[object.kind];
  const labels: Labels = {
    customresource_group: info.group,
    customresource_kind: object.kind,
    customresource_version: info.version,
    name: object.name,
    exported_namespace: object.namespace,
  };
  // A static object (Alert, Provider, OCI HelmRepository) has no status: no ready, no revision.
  const hasStatus = info.hasReadyCondition && !isOciHelmRepository(object.kind, object.name);
  if (hasStatus) {
    labels.ready = condition.ready;
    if (withReadyReason) {
      labels.ready_reason = condition.reason;
    }
  }
  if (condition.suspend !== undefined && info.hasSuspend) {
    // [spec, suspend] printed with %v: lower case, absent while unset.
    labels.suspended = condition.suspend ? 'true' : 'false';
  }
  const fields = fieldsOf(object);
  for (const label of info.kubeStateMetricsLabels ?? []) {
    const value =
      label === 'revision'
        ? hasStatus
          ? revisionText(object, condition.revisionNumber)
          : undefined
        : fields[KSM_FIELD[label]];
    if (value !== undefined) {
      labels[label] = value;
    }
  }
  return labels;
}

/**
 * The Flux Operator's labels for an object: flux_resource_info for the Flux kinds (fluxLabelsToValues),
 * the kind's own family for FluxInstance, ResourceSet, ResourceSetInputProvider (RecordMetrics).
 */
export function fluxOperatorLabels(object: SimObject, condition: ObjectCondition): Labels {
  const info = KIND_INFO[object.kind];
  const fields = fieldsOf(object);
  // Alert, Provider and OCI HelmRepository: ready forced to "True"; they have no condition, so no reason.
  const forcedReady = !info.hasReadyCondition || isOciHelmRepository(object.kind, object.name);
  const labels: Labels = {
    uid: object.uid,
    kind: object.kind,
    name: object.name,
    exported_namespace: object.namespace,
    ready: forcedReady ? 'True' : condition.ready,
    reason: forcedReady ? '' : condition.reason,
    // spec.suspend for the Flux kinds (always written, capitalised); the reconcile annotation for
    // the operator's own kinds. ArtifactGenerator/ExternalArtifact have no spec.suspend: always False.
    suspended: condition.suspend && info.hasSuspend ? 'True' : 'False',
  };
  const revision = forcedReady ? undefined : revisionText(object, condition.revisionNumber);
  switch (object.kind) {
    case 'FluxInstance':
      return { ...labels, registry: 'ghcr.io/fluxcd', revision: revision ?? '' };
    case 'ResourceSet':
      return { ...labels, resources: String(3 + (hashString(object.key) % 20)), revision: revision ?? '' };
    case 'ResourceSetInputProvider':
      return { ...labels, url: fields.url ?? '' };
  }
  const out: Labels = {
    ...labels,
    revision: revision ?? '',
    // spec.url; the Bucket's endpoint, the Receiver's webhook path, the ImageRepository's image.
    url: fields.url ?? fields.endpoint ?? fields.webhookPath ?? fields.image ?? '',
    // The bare branch/tag/semver, or the Bucket's name.
    ref: fields.ref ?? fields.bucketName ?? '',
    // spec.sourceRef; a HelmRelease's chart sourceRef or chartRef; an ImagePolicy's imageRepositoryRef.
    source_name: fields.sourceName ?? fields.chartSourceName ?? fields.chartRefName ?? '',
    path: fields.path ?? '',
  };
  for (const name of Object.keys(out)) {
    if (out[name] === '') {
      delete out[name];
    }
  }
  return out;
}

/** The legacy gauges' object labels, on a controller target (`namespace` is the target's). */
export function legacyObjectLabels(object: SimObject, target: Labels, extra: Labels): Labels {
  return { ...target, kind: object.kind, name: object.name, exported_namespace: object.namespace, ...extra };
}
