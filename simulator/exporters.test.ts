import { fluxOperatorLabels, kubeStateMetricsLabels, usesChartRef } from './exporters';
import { FLUX_DURATION_BUCKETS, FAMILIES } from './series';
import { buildFleet } from './fleet';
import { KIND_INFO, type FluxKind } from './kinds';
import { INITIAL_CONDITION } from './timeline';
import type { ObjectCondition, SimObject } from './types';

const fleet = buildFleet({
  seed: 3,
  clusters: [''],
  clusterLabel: 'cluster',
  namespaces: ['apps'],
  objects: Object.fromEntries(Object.keys(KIND_INFO).map((kind) => [kind, 3])),
  named: [{ kind: 'HelmRepository', namespace: 'apps', name: 'oci-podinfo' }],
  reconcileIntervalSeconds: 300,
});
const first = (kind: FluxKind, name?: string): SimObject =>
  fleet.find((o) => o.kind === kind && (name === undefined || o.name === name))!;
const failing: ObjectCondition = { ...INITIAL_CONDITION, ready: 'False', reason: 'BuildFailed' };
const suspended: ObjectCondition = { ...INITIAL_CONDITION, suspend: true };

// Fixtures follow controlplaneio-fluxcd/flux-operator internal/reporter/metrics.go (fluxLabelsToValues,
// RecordMetrics, commit 17c6aea): which spec/status field lands in which label, per kind.
describe('Flux Operator labels, kind by kind', () => {
  it('GitRepository: url is spec.url, ref the bare branch', () => {
    const labels = fluxOperatorLabels(first('GitRepository'), INITIAL_CONDITION);
    expect(labels.url).toMatch(/^https:\/\/github\.com\//);
    expect(labels.ref).toBe('main');
    expect(labels.revision).toMatch(/^main@sha1:[0-9a-f]{40}$/);
  });

  it('OCIRepository: ref the bare tag', () => {
    const labels = fluxOperatorLabels(first('OCIRepository'), INITIAL_CONDITION);
    expect(labels.url).toMatch(/^oci:\/\//);
    expect(labels.ref).toBe('latest');
  });

  it('Bucket: url is the endpoint, ref the bucket name', () => {
    const bucket = first('Bucket');
    const labels = fluxOperatorLabels(bucket, INITIAL_CONDITION);
    const ksm = kubeStateMetricsLabels(bucket, INITIAL_CONDITION, false);
    expect(labels.url).toBe(ksm.endpoint);
    expect(labels.ref).toBe(ksm.bucket_name);
  });

  it('Receiver: url is the webhook path; ImageRepository: url is the image', () => {
    const receiver = first('Receiver');
    expect(fluxOperatorLabels(receiver, INITIAL_CONDITION).url).toBe(
      kubeStateMetricsLabels(receiver, INITIAL_CONDITION, false).webhook_path
    );
    expect(fluxOperatorLabels(receiver, INITIAL_CONDITION).url).toMatch(/^\/hook\/[0-9a-f]{64}$/);
    const image = first('ImageRepository');
    expect(fluxOperatorLabels(image, INITIAL_CONDITION).url).toBe(
      kubeStateMetricsLabels(image, INITIAL_CONDITION, false).image
    );
  });

  it('HelmRelease: source_name is the chart sourceRef or the chartRef, as kube-state-metrics splits them', () => {
    const releases = fleet.filter((o) => o.kind === 'HelmRelease');
    expect(releases.some(usesChartRef)).toBe(true);
    expect(releases.some((r) => !usesChartRef(r))).toBe(true);
    for (const release of releases) {
      const ksm = kubeStateMetricsLabels(release, INITIAL_CONDITION, false);
      expect(fluxOperatorLabels(release, INITIAL_CONDITION).source_name).toBe(
        usesChartRef(release) ? ksm.chart_ref_name : ksm.chart_source_name
      );
      expect(ksm.chart_ref_name === undefined).toBe(!usesChartRef(release));
    }
  });

  it('HelmRelease with a GitRepository chart source: chart_source_name and the operator source_name name it', () => {
    const [fromGit, fromOci] = buildFleet({
      seed: 3,
      clusters: [''],
      clusterLabel: 'cluster',
      namespaces: ['apps'],
      objects: {},
      named: [
        {
          kind: 'HelmRelease',
          namespace: 'apps',
          name: 'platform',
          chartSource: { kind: 'GitRepository', name: 'fleet' },
        },
        {
          kind: 'HelmRelease',
          namespace: 'apps',
          name: 'web',
          chartSource: { kind: 'OCIRepository', name: 'web-chart' },
        },
      ],
      reconcileIntervalSeconds: 300,
    });
    const ksm = kubeStateMetricsLabels(fromGit, INITIAL_CONDITION, false);
    expect(ksm.chart_source_name).toBe('fleet');
    expect(ksm.chart_ref_name).toBeUndefined();
    // status.history[0].chartName: the chart's own name, not its path in the repository.
    expect(ksm.chart_name).toBe('platform');
    expect(fluxOperatorLabels(fromGit, INITIAL_CONDITION).source_name).toBe('fleet');
    expect(usesChartRef(fromGit)).toBe(false);
    // A named OCIRepository is spec.chartRef, whatever the hash says.
    expect(usesChartRef(fromOci)).toBe(true);
    expect(kubeStateMetricsLabels(fromOci, INITIAL_CONDITION, false)).toMatchObject({ chart_ref_name: 'web-chart' });
    expect(kubeStateMetricsLabels(fromOci, INITIAL_CONDITION, false).chart_source_name).toBeUndefined();
    expect(fluxOperatorLabels(fromOci, INITIAL_CONDITION).source_name).toBe('web-chart');
  });

  it('Alert, Provider and OCI HelmRepository: ready forced to "True", no reason, whatever the object says', () => {
    for (const object of [first('Alert'), first('Provider'), first('HelmRepository', 'oci-podinfo')]) {
      const labels = fluxOperatorLabels(object, failing);
      expect(labels.ready).toBe('True');
      expect(labels.reason).toBeUndefined();
    }
    expect(fluxOperatorLabels(first('HelmRepository', 'oci-podinfo'), failing).revision).toBeUndefined();
    expect(
      fluxOperatorLabels(
        fleet.find((o) => o.kind === 'HelmRepository' && !o.name.startsWith('oci-'))!,
        failing
      ).ready
    ).toBe('False');
  });

  it('every label present, suspended capitalised; empty ones left out', () => {
    const labels = fluxOperatorLabels(first('Kustomization'), suspended);
    expect(labels).toMatchObject({
      kind: 'Kustomization',
      ready: 'True',
      reason: 'ReconciliationSucceeded',
      suspended: 'True',
      source_name: 'flux-system',
    });
    expect(labels.path).toMatch(/^\.\/apps\//);
    expect(Object.values(labels)).not.toContain('');
    expect(labels.url).toBeUndefined();
  });

  it('ArtifactGenerator has no spec.suspend: always suspended="False"; ExternalArtifact names its generator', () => {
    expect(fluxOperatorLabels(first('ArtifactGenerator'), suspended).suspended).toBe('False');
    expect(fluxOperatorLabels(first('ExternalArtifact'), INITIAL_CONDITION).source_name).toMatch(/^gen-/);
  });

  it("the operator's own kinds: their own labels (registry, resources, url) and the reconcile annotation as suspended", () => {
    expect(fluxOperatorLabels(first('FluxInstance'), suspended)).toMatchObject({
      kind: 'FluxInstance',
      registry: 'ghcr.io/fluxcd',
      suspended: 'True',
      revision: expect.stringMatching(/^v2\.9\.0@sha256:[0-9a-f]{64}$/),
    });
    expect(fluxOperatorLabels(first('ResourceSet'), failing)).toMatchObject({
      ready: 'False',
      reason: 'BuildFailed',
      resources: expect.stringMatching(/^\d+$/),
    });
    const provider = fluxOperatorLabels(first('ResourceSetInputProvider'), INITIAL_CONDITION);
    expect(provider.url).toMatch(/^https:\/\//);
    expect(provider.source_name).toBeUndefined();
  });
});

// Fixtures follow fluxcd/flux2-monitoring-example kube-state-metrics-config.yaml (commit 6182ebd).
describe('kube-state-metrics labels, kind by kind', () => {
  it('names the API version Flux 2.9 serves', () => {
    expect(kubeStateMetricsLabels(first('OCIRepository'), INITIAL_CONDITION, false).customresource_version).toBe('v1');
    expect(kubeStateMetricsLabels(first('ImagePolicy'), INITIAL_CONDITION, false).customresource_version).toBe('v1');
    expect(kubeStateMetricsLabels(first('HelmRelease'), INITIAL_CONDITION, false).customresource_version).toBe('v2');
    expect(kubeStateMetricsLabels(first('Alert'), INITIAL_CONDITION, false).customresource_version).toBe('v1beta3');
  });

  it('OCI HelmRepository: static, no status: no ready and no revision, only the oci:// url', () => {
    const labels = kubeStateMetricsLabels(first('HelmRepository', 'oci-podinfo'), failing, false);
    expect(labels.ready).toBeUndefined();
    expect(labels.revision).toBeUndefined();
    expect(labels.url).toMatch(/^oci:\/\//);
  });

  it('kinds without spec.suspend never get `suspended`', () => {
    expect(kubeStateMetricsLabels(first('ArtifactGenerator'), suspended, false).suspended).toBeUndefined();
    expect(kubeStateMetricsLabels(first('Kustomization'), suspended, false).suspended).toBe('true');
  });

  it('writes only the labels its config names for the kind', () => {
    for (const object of fleet.filter((o) => KIND_INFO[o.kind].kubeStateMetricsLabels !== undefined)) {
      const labels = kubeStateMetricsLabels(object, { ...INITIAL_CONDITION, suspend: false }, true);
      const allowed = new Set([
        'customresource_group',
        'customresource_kind',
        'customresource_version',
        'name',
        'exported_namespace',
        'ready',
        'ready_reason',
        'suspended',
        ...KIND_INFO[object.kind].kubeStateMetricsLabels!,
      ]);
      expect(Object.keys(labels).filter((l) => !allowed.has(l))).toEqual([]);
    }
  });
});

describe('duration buckets', () => {
  it('are ExponentialBucketsRange(0.01, 1800, 10) at full precision (fluxcd/pkg runtime/metrics/recorder.go)', () => {
    expect(FAMILIES.reconcileDuration.buckets).toBe(FLUX_DURATION_BUCKETS);
    expect(FLUX_DURATION_BUCKETS).toHaveLength(10);
    expect(FLUX_DURATION_BUCKETS[0]).toBe(0.01);
    expect(FLUX_DURATION_BUCKETS[1]).toBe(0.038363583488692544);
    expect(FLUX_DURATION_BUCKETS[9]).toBeCloseTo(1800, 9);
    const factor = FLUX_DURATION_BUCKETS[1] / FLUX_DURATION_BUCKETS[0];
    FLUX_DURATION_BUCKETS.forEach((le, i) => expect(Math.abs(le / (0.01 * factor ** i) - 1)).toBeLessThan(1e-12));
  });
});
