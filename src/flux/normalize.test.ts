import { createDataFrame, DataFrame, FieldType } from '@grafana/data';

import { normalizeFluxFrames, readFluxFrames } from './normalize';
import {
  instantFrames,
  ksmLabels,
  Labels,
  legacyConditionLabels,
  legacyOneHot,
  legacySuspendLabels,
  operatorLabels,
  Sample,
  seriesFrame,
  STEP,
  steps,
  T0,
  tableFrame,
} from './testing/frames';
import { FluxObject } from './types';

type Shape = 'range' | 'instant' | 'table';
interface SeriesSpec {
  labels: Labels;
  samples: Sample[];
}

/** The same series delivered in each of Grafana's shapes (instant: the last sample of each). */
function framesFor(shape: Shape, series: SeriesSpec[]): DataFrame[] {
  switch (shape) {
    case 'range':
      return series.map((s) => seriesFrame(s.labels, s.samples));
    case 'instant':
      return instantFrames(
        series.map((s) => ({ labels: s.labels, value: s.samples[s.samples.length - 1][1] })),
        series[0].samples[series[0].samples.length - 1][0]
      );
    case 'table':
      return [tableFrame(series.flatMap((s) => s.samples.map(([time, value]) => ({ labels: s.labels, value, time }))))];
  }
}

function byName(objects: FluxObject[]): Record<string, FluxObject> {
  return Object.fromEntries(objects.map((o) => [o.name, o]));
}

const SHAPES: Shape[] = ['range', 'instant', 'table'];

describe.each(SHAPES)('%s frames', (shape) => {
  const isRange = shape !== 'instant';

  it('reads kube-state-metrics gotk_resource_info', () => {
    const reading = readFluxFrames(
      framesFor(shape, [
        {
          labels: ksmLabels('Kustomization', 'podinfo', {
            ready: 'True',
            suspended: 'false',
            revision: 'main@sha1:abc',
            source_name: 'podinfo-repo',
          }),
          samples: steps(3),
        },
        {
          labels: ksmLabels('HelmRelease', 'redis', { ready: 'False', revision: '1.2.3', chart_name: 'redis' }),
          samples: steps(3),
        },
        {
          labels: ksmLabels('GitRepository', 'flux-system', { ready: 'Unknown', url: 'https://git' }),
          samples: steps(3),
        },
      ])
    );
    expect(reading.schemas).toEqual(['kube-state-metrics']);
    expect(reading.unusableFrames).toEqual([]);
    const objects = byName(reading.objects);
    expect(objects.podinfo).toMatchObject({
      kind: 'Kustomization',
      namespace: 'apps',
      name: 'podinfo',
      cluster: '',
      state: 'Ready',
      ready: 'True',
      suspended: false,
      revision: 'main@sha1:abc',
      source: 'podinfo-repo',
      schema: 'kube-state-metrics',
      observedAt: T0 + 2 * STEP,
    });
    expect(objects.podinfo.labels.__name__).toBeUndefined();
    expect(objects.podinfo.labels.customresource_kind).toBe('Kustomization');
    expect(objects.redis).toMatchObject({ state: 'Failed', ready: 'False', revision: '1.2.3', source: 'redis' });
    expect(objects['flux-system']).toMatchObject({ state: 'Progressing', ready: 'Unknown', source: 'https://git' });
    if (isRange) {
      expect(objects.podinfo).toMatchObject({ since: T0, sinceIsLowerBound: true });
    } else {
      expect(objects.podinfo.since).toBeUndefined();
      expect(objects.podinfo.sinceIsLowerBound).toBeUndefined();
    }
  });

  it('reads Flux Operator flux_resource_info', () => {
    const objects = byName(
      normalizeFluxFrames(
        framesFor(shape, [
          {
            labels: operatorLabels('Kustomization', 'apps', { revision: 'main@sha1:1', source_name: 'flux-system' }),
            samples: steps(2),
          },
          {
            labels: operatorLabels('HelmRelease', 'broken', { ready: 'False', reason: 'InstallFailed' }),
            samples: steps(2),
          },
          {
            labels: operatorLabels('HelmRelease', 'waiting', { ready: 'Unknown', reason: 'Progressing' }),
            samples: steps(2),
          },
        ])
      )
    );
    expect(objects.apps).toMatchObject({
      state: 'Ready',
      schema: 'flux-operator',
      reason: 'ReconciliationSucceeded',
      revision: 'main@sha1:1',
      source: 'flux-system',
      suspended: false,
    });
    expect(objects.broken).toMatchObject({ state: 'Failed', reason: 'InstallFailed', ready: 'False' });
    expect(objects.waiting).toMatchObject({ state: 'Progressing', reason: 'Progressing' });
  });

  it('reads the legacy one-hot gauges', () => {
    const series: SeriesSpec[] = [];
    const add = (name: string, status: 'True' | 'False' | 'Unknown' | 'Deleted') => {
      for (const s of legacyOneHot('Kustomization', name, status)) {
        series.push({ labels: s.labels, samples: steps(2, s.value) });
      }
    };
    add('ok', 'True');
    add('bad', 'False');
    add('busy', 'Unknown');
    add('gone', 'Deleted');
    series.push({ labels: legacySuspendLabels('Kustomization', 'ok'), samples: steps(2, 0) });
    const reading = readFluxFrames(framesFor(shape, series));
    expect(reading.schemas).toEqual(['legacy']);
    const objects = byName(reading.objects);
    expect(Object.keys(objects).sort()).toEqual(['bad', 'busy', 'ok']);
    expect(objects.ok).toMatchObject({ state: 'Ready', ready: 'True', schema: 'legacy', suspended: false });
    expect(objects.bad).toMatchObject({ state: 'Failed', ready: 'False' });
    expect(objects.bad.labels.status).toBe('False');
    expect(objects.busy).toMatchObject({ state: 'Progressing', ready: 'Unknown' });
    expect(byName(normalizeFluxFrames(framesFor(shape, series), { includeDeleted: true })).gone).toMatchObject({
      state: 'Deleted',
    });
  });

  it('applies suspend precedence in every schema', () => {
    const series: SeriesSpec[] = [
      { labels: ksmLabels('Kustomization', 'ksm', { ready: 'False', suspended: 'true' }), samples: steps(2) },
      { labels: operatorLabels('Kustomization', 'op', { ready: 'False', suspended: 'True' }), samples: steps(2) },
      {
        labels: operatorLabels('Kustomization', 'op-lower', { ready: 'Unknown', suspended: 'true' }),
        samples: steps(2),
      },
      ...legacyOneHot('Kustomization', 'legacy', 'False').map((s) => ({
        labels: s.labels,
        samples: steps(2, s.value),
      })),
      { labels: legacySuspendLabels('Kustomization', 'legacy'), samples: steps(2, 1) },
    ];
    const objects = byName(normalizeFluxFrames(framesFor(shape, series)));
    for (const name of ['ksm', 'op', 'op-lower', 'legacy']) {
      expect(objects[name]).toMatchObject({ state: 'Suspended', suspended: true });
    }
    // The Ready status is still reported for tooltips.
    expect(objects.ksm.ready).toBe('False');
    expect(objects.legacy.ready).toBe('False');
  });
});

describe('state rules', () => {
  it('treats DependencyNotReady as Progressing, not Failed', () => {
    const objects = byName(
      normalizeFluxFrames(
        instantFrames([
          { labels: operatorLabels('Kustomization', 'op', { ready: 'False', reason: 'DependencyNotReady' }), value: 1 },
          {
            labels: ksmLabels('Kustomization', 'ksm', { ready: 'False', ready_reason: 'DependencyNotReady' }),
            value: 1,
          },
          {
            labels: operatorLabels('Kustomization', 'health', { ready: 'False', reason: 'HealthCheckFailed' }),
            value: 1,
          },
        ])
      )
    );
    expect(objects.op).toMatchObject({ state: 'Progressing', reason: 'DependencyNotReady', ready: 'False' });
    expect(objects.ksm).toMatchObject({ state: 'Progressing', reason: 'DependencyNotReady' });
    expect(objects.health.state).toBe('Failed');
  });

  it('counts Alert and Provider without a ready label as Ready, other kinds as Unknown', () => {
    const objects = byName(
      normalizeFluxFrames(
        instantFrames([
          { labels: ksmLabels('Alert', 'slack-alert'), value: 1 },
          { labels: ksmLabels('Provider', 'slack'), value: 1 },
          { labels: ksmLabels('Kustomization', 'no-status'), value: 1 },
          { labels: ksmLabels('Receiver', 'weird', { ready: 'Maybe' }), value: 1 },
        ])
      )
    );
    expect(objects['slack-alert']).toMatchObject({ state: 'Ready', suspended: false });
    expect(objects['slack-alert'].ready).toBeUndefined();
    expect(objects.slack.state).toBe('Ready');
    expect(objects['no-status'].state).toBe('Unknown');
    expect(objects.weird.state).toBe('Unknown');
  });

  it('counts an OCI HelmRepository without a ready label as Ready (static since Flux 2.2), as the PromQL rules do', () => {
    // kube-state-metrics exports no `ready` for it (its status is removed) but does export `url`.
    const objects = byName(
      normalizeFluxFrames(
        instantFrames([
          {
            labels: ksmLabels('HelmRepository', 'oci-podinfo', { url: 'oci://ghcr.io/stefanprodan/charts' }),
            value: 1,
          },
          {
            labels: ksmLabels('HelmRepository', 'https-podinfo', { url: 'https://stefanprodan.github.io/podinfo' }),
            value: 1,
          },
          {
            labels: ksmLabels('OCIRepository', 'oci-manifests', { url: 'oci://ghcr.io/stefanprodan/manifests' }),
            value: 1,
          },
        ])
      )
    );
    expect(objects['oci-podinfo'].state).toBe('Ready');
    expect(objects['oci-podinfo'].ready).toBeUndefined();
    expect(objects['https-podinfo'].state).toBe('Unknown');
    expect(objects['oci-manifests'].state).toBe('Unknown');
  });

  it('reads an absent kube-state-metrics suspended label as not suspended', () => {
    const [object] = normalizeFluxFrames(
      instantFrames([{ labels: ksmLabels('Kustomization', 'a', { ready: 'True' }), value: 1 }])
    );
    expect(object).toMatchObject({ suspended: false, state: 'Ready' });
  });

  it('ignores info samples whose value is not 1 (0, null, NaN)', () => {
    const objects = normalizeFluxFrames([
      ...instantFrames([
        { labels: ksmLabels('Kustomization', 'zero', { ready: 'True' }), value: 0 },
        { labels: ksmLabels('Kustomization', 'null', { ready: 'True' }), value: null },
        { labels: ksmLabels('Kustomization', 'nan', { ready: 'True' }), value: NaN },
      ]),
      seriesFrame(ksmLabels('Kustomization', 'late', { ready: 'False' }), [
        [T0, null],
        [T0 + STEP, 0],
        [T0 + 2 * STEP, 1],
      ]),
      seriesFrame(ksmLabels('Kustomization', 'late', { ready: 'True' }), [
        [T0, 1],
        [T0 + STEP, 1],
        [T0 + 2 * STEP, null],
      ]),
    ]);
    expect(objects.map((o) => o.name)).toEqual(['late']);
    expect(objects[0]).toMatchObject({ state: 'Failed', since: T0 + 2 * STEP, sinceIsLowerBound: false });
  });

  it('ignores legacy conditions other than Ready', () => {
    const objects = normalizeFluxFrames(
      instantFrames([
        ...legacyOneHot('Kustomization', 'a', 'True'),
        { labels: legacyConditionLabels('Kustomization', 'a', 'False', { type: 'Healthy' }), value: 1 },
      ])
    );
    expect(objects).toHaveLength(1);
    expect(objects[0].state).toBe('Ready');
  });

  it("shows the legacy gauge that decided with its own labels' reason, revision and source, by series or by table", () => {
    // Each gauge carries labels of its own: the False gauge at 1 decides, so its labels show.
    const gauges = legacyOneHot('GitRepository', 'g', 'False').map((gauge) => ({
      ...gauge,
      labels: {
        ...gauge.labels,
        reason: `${gauge.labels.status}-reason`,
        revision: `${gauge.labels.status}-rev`,
        url: `https://example.com/${gauge.labels.status}`,
      },
    }));
    const suspend = { labels: legacySuspendLabels('GitRepository', 'g', { revision: 'suspend-rev' }), value: 0 };
    for (const frames of [instantFrames([...gauges, suspend]), [tableFrame([...gauges, suspend])]]) {
      const [object] = normalizeFluxFrames(frames);
      expect(object).toMatchObject({
        state: 'Failed',
        reason: 'False-reason',
        revision: 'False-rev',
        source: 'https://example.com/False',
      });
      expect(object.labels.status).toBe('False');
    }
  });

  it('reads a legacy object whose statuses are all 0 as Unknown', () => {
    const [object] = normalizeFluxFrames(
      instantFrames(legacyOneHot('Kustomization', 'a', 'True').map((s) => ({ ...s, value: 0 })))
    );
    expect(object).toMatchObject({ state: 'Unknown', schema: 'legacy' });
    expect(object.ready).toBeUndefined();
  });

  it('masks a stale False=1 with Deleted=1 (Flux 2.0), and a Deleted object is not failing', () => {
    const frames = instantFrames([
      { labels: legacyConditionLabels('HelmRelease', 'old', 'True'), value: 0 },
      { labels: legacyConditionLabels('HelmRelease', 'old', 'False'), value: 1 },
      { labels: legacyConditionLabels('HelmRelease', 'old', 'Unknown'), value: 0 },
      { labels: legacyConditionLabels('HelmRelease', 'old', 'Deleted'), value: 1 },
      { labels: legacySuspendLabels('HelmRelease', 'old'), value: 1 },
    ]);
    expect(normalizeFluxFrames(frames)).toEqual([]);
    const [deleted] = normalizeFluxFrames(frames, { includeDeleted: true });
    expect(deleted).toMatchObject({ state: 'Deleted', schema: 'legacy' });
    expect(deleted.ready).toBeUndefined();
    expect(deleted.labels.status).toBe('Deleted');
  });
});

describe('identity and duplicates', () => {
  it('keeps apart objects whose series come in a row and differ in one identity label, and merges one that comes back', () => {
    // Each gauge of a legacy object follows the last: one identity part changed is another object.
    const legacy = (name: string, status: 'True' | 'False', extra: Labels = {}) =>
      legacyOneHot('Kustomization', name, status, extra);
    const objects = normalizeFluxFrames(
      instantFrames([
        ...legacy('a', 'True', { cluster: 'c1' }),
        ...legacy('a', 'False', { cluster: 'c2' }),
        ...legacy('a', 'False', { cluster: 'c2', exported_namespace: 'other' }),
        ...legacyOneHot('HelmRelease', 'a', 'False', { cluster: 'c2', exported_namespace: 'other' }),
        ...legacy('b', 'True', { cluster: 'c1' }),
        // c1/a again, after other objects: the same object (its False wins at the same time).
        ...legacy('a', 'False', { cluster: 'c1' }),
      ])
    );
    expect(objects.map((o) => [o.cluster, o.kind, o.namespace, o.name, o.state])).toEqual([
      ['c1', 'Kustomization', 'apps', 'a', 'Failed'],
      ['c2', 'Kustomization', 'apps', 'a', 'Failed'],
      ['c2', 'Kustomization', 'other', 'a', 'Failed'],
      ['c2', 'HelmRelease', 'other', 'a', 'Failed'],
      ['c1', 'Kustomization', 'apps', 'b', 'Ready'],
    ]);
  });

  it('collapses HA duplicates of every schema into one object', () => {
    const replicas = ['prom-0', 'prom-1'];
    const frames = replicas.flatMap((replica) =>
      instantFrames([
        { labels: ksmLabels('Kustomization', 'ksm', { ready: 'True', replica, instance: replica }), value: 1 },
        { labels: operatorLabels('Kustomization', 'op', { replica, pod: `op-${replica}` }), value: 1 },
        ...legacyOneHot('Kustomization', 'legacy', 'False', { replica }),
      ])
    );
    const objects = normalizeFluxFrames(frames);
    expect(objects.map((o) => o.name).sort()).toEqual(['ksm', 'legacy', 'op']);
    expect(byName(objects).legacy.state).toBe('Failed');
  });

  it('prefers the more severe state when duplicates disagree at the same time', () => {
    const objects = normalizeFluxFrames(
      instantFrames([
        { labels: ksmLabels('Kustomization', 'a', { ready: 'True', instance: 'ksm-0' }), value: 1 },
        { labels: ksmLabels('Kustomization', 'a', { ready: 'False', instance: 'ksm-1' }), value: 1 },
      ])
    );
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({ state: 'Failed', ready: 'False' });
    expect(objects[0].labels.instance).toBe('ksm-1');
  });

  it('uses exported_namespace when present, else namespace', () => {
    const objects = normalizeFluxFrames(
      instantFrames([
        {
          labels: operatorLabels('Kustomization', 'scraped', {
            exported_namespace: 'team-a',
            namespace: 'flux-system',
          }),
          value: 1,
        },
        {
          labels: {
            __name__: 'flux_resource_info',
            kind: 'Kustomization',
            name: 'static',
            namespace: 'team-b',
            ready: 'True',
          },
          value: 1,
        },
        {
          labels: { __name__: 'flux_resource_info', kind: 'Kustomization', name: 'nowhere', ready: 'True' },
          value: 1,
        },
      ])
    );
    const named = byName(objects);
    expect(named.scraped.namespace).toBe('team-a');
    expect(named.static.namespace).toBe('team-b');
    expect(named.nowhere.namespace).toBe('');
  });

  it('joins objects scraped with and without honor_labels', () => {
    const objects = normalizeFluxFrames(
      instantFrames([
        {
          labels: ksmLabels('Kustomization', 'a', {
            ready: 'True',
            exported_namespace: 'apps',
            namespace: 'monitoring',
          }),
          value: 1,
        },
        {
          labels: { ...ksmLabels('Kustomization', 'a', { ready: 'True', namespace: 'apps' }), exported_namespace: '' },
          value: 1,
        },
      ])
    );
    expect(objects).toHaveLength(1);
    expect(objects[0].namespace).toBe('apps');
  });

  it.each([
    ['cluster', 'prod'],
    ['k8s_cluster', 'prod'],
    ['cluster_name', 'prod'],
    ['kubernetes_cluster', 'prod'],
  ])('detects the cluster from %s', (label, value) => {
    const [object] = normalizeFluxFrames(
      instantFrames([{ labels: ksmLabels('Kustomization', 'a', { ready: 'True', [label]: value }), value: 1 }])
    );
    expect(object.cluster).toBe(value);
  });

  it('keeps the same object in two clusters apart, and prefers `cluster` over k8s_cluster', () => {
    const objects = normalizeFluxFrames(
      instantFrames([
        { labels: ksmLabels('Kustomization', 'a', { ready: 'True', cluster: 'prod', k8s_cluster: 'other' }), value: 1 },
        { labels: ksmLabels('Kustomization', 'a', { ready: 'False', cluster: 'staging' }), value: 1 },
      ])
    );
    expect(objects.map((o) => [o.cluster, o.state])).toEqual([
      ['prod', 'Ready'],
      ['staging', 'Failed'],
    ]);
    expect(new Set(objects.map((o) => o.key)).size).toBe(2);
  });

  it('lets a label mapping override every auto-detected label', () => {
    const labels = {
      __name__: 'gotk_resource_info',
      customresource_kind: 'Kustomization',
      name: 'ignored-name',
      object_name: 'mapped',
      exported_namespace: 'ignored-ns',
      object_namespace: 'mapped-ns',
      cluster: 'ignored-cluster',
      region: 'eu-1',
      ready: 'False',
      reason: 'IgnoredReason',
      failure: 'BuildFailed',
    };
    const [object] = normalizeFluxFrames(instantFrames([{ labels, value: 1 }]), {
      labels: { name: 'object_name', namespace: 'object_namespace', cluster: 'region', reason: 'failure' },
    });
    expect(object).toMatchObject({
      name: 'mapped',
      namespace: 'mapped-ns',
      cluster: 'eu-1',
      reason: 'BuildFailed',
      state: 'Failed',
    });
  });

  it('uses a mapped reason label to recognise DependencyNotReady', () => {
    const [object] = normalizeFluxFrames(
      instantFrames([
        { labels: ksmLabels('Kustomization', 'a', { ready: 'False', why: 'DependencyNotReady' }), value: 1 },
      ]),
      { labels: { reason: 'why' } }
    );
    expect(object.state).toBe('Progressing');
  });

  it('a mapped cluster label that is absent means no cluster', () => {
    const [object] = normalizeFluxFrames(
      instantFrames([{ labels: ksmLabels('Kustomization', 'a', { ready: 'True', cluster: 'prod' }), value: 1 }]),
      { labels: { cluster: 'region' } }
    );
    expect(object.cluster).toBe('');
  });

  it('keeps weird unicode and dots in names intact and keys distinct', () => {
    const objects = normalizeFluxFrames(
      instantFrames([
        { labels: ksmLabels('Kustomization', 'ünïcødé-☃', { ready: 'True', cluster: 'クラスター' }), value: 1 },
        { labels: ksmLabels('Kustomization', 'a.b', { ready: 'True', exported_namespace: 'x' }), value: 1 },
        { labels: ksmLabels('Kustomization', 'b', { ready: 'True', exported_namespace: 'x.a' }), value: 1 },
      ])
    );
    expect(objects.map((o) => o.name)).toEqual(['ünïcødé-☃', 'a.b', 'b']);
    expect(objects[0].cluster).toBe('クラスター');
    expect(new Set(objects.map((o) => o.key)).size).toBe(3);
  });
});

describe('timelines: latest wins, since', () => {
  it('takes the newest series when kube-state-metrics labels change within the range', () => {
    const [object] = normalizeFluxFrames([
      seriesFrame(ksmLabels('Kustomization', 'a', { ready: 'True', revision: 'r1' }), steps(5)),
      seriesFrame(ksmLabels('Kustomization', 'a', { ready: 'False', revision: 'r2' }), steps(3, 1, 5)),
    ]);
    expect(object).toMatchObject({
      state: 'Failed',
      revision: 'r2',
      since: T0 + 5 * STEP,
      sinceIsLowerBound: false,
      observedAt: T0 + 7 * STEP,
    });
  });

  it('a new revision in the same state keeps since', () => {
    const [object] = normalizeFluxFrames([
      seriesFrame(ksmLabels('Kustomization', 'a', { ready: 'True', revision: 'r1' }), steps(5)),
      seriesFrame(ksmLabels('Kustomization', 'a', { ready: 'True', revision: 'r2' }), steps(3, 1, 5)),
    ]);
    expect(object).toMatchObject({ state: 'Ready', revision: 'r2', since: T0, sinceIsLowerBound: true });
  });

  it('since is the start of the last run when the object flaps', () => {
    const ready = seriesFrame(ksmLabels('Kustomization', 'a', { ready: 'True' }), [
      [T0, 1],
      [T0 + STEP, 1],
      [T0 + 4 * STEP, 1],
      [T0 + 5 * STEP, 1],
    ]);
    const failed = seriesFrame(ksmLabels('Kustomization', 'a', { ready: 'False' }), [
      [T0 + 2 * STEP, 1],
      [T0 + 3 * STEP, 1],
      [T0 + 6 * STEP, 1],
      [T0 + 7 * STEP, 1],
    ]);
    const [object] = normalizeFluxFrames([ready, failed]);
    expect(object).toMatchObject({ state: 'Failed', since: T0 + 6 * STEP, sinceIsLowerBound: false });
  });

  it('since of a legacy object follows its one-hot timeline', () => {
    const conditions = (status: string, values: number[]) =>
      seriesFrame(
        legacyConditionLabels('Kustomization', 'a', status),
        values.map((v, i) => [T0 + i * STEP, v] as Sample)
      );
    const [object] = normalizeFluxFrames([
      conditions('True', [1, 1, 0, 0, 1, 0, 0]),
      conditions('False', [0, 0, 1, 1, 0, 1, 1]),
      conditions('Unknown', [0, 0, 0, 0, 0, 0, 0]),
    ]);
    expect(object).toMatchObject({ state: 'Failed', since: T0 + 5 * STEP, sinceIsLowerBound: false });
  });

  it('marks since as a lower bound when the state holds from the first timestamp of the data', () => {
    const objects = byName(
      normalizeFluxFrames([
        seriesFrame(ksmLabels('Kustomization', 'old', { ready: 'False' }), steps(10)),
        // Created during the range: since is exact.
        seriesFrame(ksmLabels('Kustomization', 'new', { ready: 'False' }), steps(4, 1, 6)),
      ])
    );
    expect(objects.old).toMatchObject({ since: T0, sinceIsLowerBound: true });
    expect(objects.new).toMatchObject({ since: T0 + 6 * STEP, sinceIsLowerBound: false });
  });

  it('an object whose series end before the range does is gone (Flux >= 2.1 deletes them), never Failed', () => {
    const frames = [
      seriesFrame(ksmLabels('Kustomization', 'kept', { ready: 'True' }), steps(10)),
      // Failing, then deleted: its series stops 5 steps before the end of the data.
      seriesFrame(ksmLabels('Kustomization', 'deleted', { ready: 'False' }), steps(5)),
    ];
    expect(normalizeFluxFrames(frames).map((o) => o.name)).toEqual(['kept']);
    const deleted = byName(normalizeFluxFrames(frames, { includeDeleted: true })).deleted;
    expect(deleted).toMatchObject({ state: 'Deleted', since: T0 + 4 * STEP, observedAt: T0 + 4 * STEP });
  });

  it('an object missing only at the last step is still there (an instant query may sit a step later)', () => {
    const frames = [
      seriesFrame(ksmLabels('Kustomization', 'a', { ready: 'True' }), steps(10)),
      seriesFrame(ksmLabels('Kustomization', 'b', { ready: 'False' }), steps(9)),
    ];
    expect(byName(normalizeFluxFrames(frames)).b).toMatchObject({ state: 'Failed' });
  });

  it('range table frames (one row per sample) give the same timeline', () => {
    const rows = [
      ...steps(3).map(([time]) => ({ labels: ksmLabels('Kustomization', 'a', { ready: 'True' }), value: 1, time })),
      ...steps(2, 1, 3).map(([time]) => ({
        labels: ksmLabels('Kustomization', 'a', { ready: 'False' }),
        value: 1,
        time,
      })),
    ];
    const [object] = normalizeFluxFrames([tableFrame(rows)]);
    expect(object).toMatchObject({ state: 'Failed', since: T0 + 3 * STEP, sinceIsLowerBound: false });
  });
});

describe('mixed schemas for the same object', () => {
  it('prefers flux-operator over kube-state-metrics over legacy at the same time', () => {
    const frames = instantFrames([
      ...legacyOneHot('Kustomization', 'a', 'False'),
      { labels: ksmLabels('Kustomization', 'a', { ready: 'Unknown', revision: 'ksm-rev' }), value: 1 },
      { labels: operatorLabels('Kustomization', 'a', { ready: 'True', revision: 'op-rev' }), value: 1 },
    ]);
    const reading = readFluxFrames(frames);
    expect(reading.schemas).toEqual(['legacy', 'kube-state-metrics', 'flux-operator']);
    expect(reading.objects).toHaveLength(1);
    expect(reading.objects[0]).toMatchObject({ schema: 'flux-operator', state: 'Ready', revision: 'op-rev' });

    const [withoutOperator] = normalizeFluxFrames(frames.slice(0, 5));
    expect(withoutOperator).toMatchObject({ schema: 'kube-state-metrics', state: 'Progressing', revision: 'ksm-rev' });
  });

  it('prefers the most recent observation over the richer schema', () => {
    const [object] = normalizeFluxFrames([
      seriesFrame(operatorLabels('Kustomization', 'a', { ready: 'True' }), steps(3)),
      ...legacyOneHot('Kustomization', 'a', 'False').map((s) => seriesFrame(s.labels, steps(5, s.value))),
    ]);
    expect(object).toMatchObject({ schema: 'legacy', state: 'Failed', since: T0 + 3 * STEP });
  });
});

describe('metric names and frame shapes', () => {
  it('reads the metric from the value field name when __name__ is missing', () => {
    const labels = ksmLabels('Kustomization', 'a', { ready: 'True' });
    delete (labels as Partial<Labels>).__name__;
    const reading = readFluxFrames([seriesFrame(labels, steps(1), { fieldName: 'gotk_resource_info' })]);
    expect(reading.objects).toHaveLength(1);
    expect(reading.schemas).toEqual(['kube-state-metrics']);
  });

  it('detects the schema from labels when the name was aggregated away', () => {
    const strip = ({ __name__, ...rest }: Labels) => rest;
    const reading = readFluxFrames([
      ...instantFrames([
        { labels: strip(ksmLabels('Kustomization', 'ksm', { ready: 'False' })), value: 1 },
        { labels: { kind: 'HelmRelease', name: 'op', exported_namespace: 'apps', ready: 'True' }, value: 1 },
        ...legacyOneHot('GitRepository', 'legacy', 'Unknown').map((s) => ({ ...s, labels: strip(s.labels) })),
      ]),
      tableFrame([{ labels: { kind: 'Bucket', name: 'op-table', uid: 'u1', ready: 'False' }, value: 1 }]),
    ]);
    expect(reading.schemas).toEqual(['kube-state-metrics', 'flux-operator', 'legacy']);
    expect(reading.objects.map((o) => [o.name, o.schema, o.state])).toEqual([
      ['ksm', 'kube-state-metrics', 'Failed'],
      ['op', 'flux-operator', 'Ready'],
      ['legacy', 'legacy', 'Progressing'],
      ['op-table', 'flux-operator', 'Failed'],
    ]);
  });

  it('reads a table with a __name__ column and "Value" as well as "Value #A"', () => {
    const rows = [
      { labels: ksmLabels('Kustomization', 'a', { ready: 'True' }), value: 1 },
      { labels: ksmLabels('Kustomization', 'b', { ready: 'False' }), value: 1 },
    ];
    for (const valueName of ['Value', 'Value #A', 'Value #flux']) {
      const objects = normalizeFluxFrames([tableFrame(rows, { valueName })]);
      expect(objects.map((o) => o.state)).toEqual(['Ready', 'Failed']);
    }
  });

  it('records non-Flux metrics and ignores the duration histogram buckets', () => {
    const reading = readFluxFrames([
      ...instantFrames([
        { labels: { __name__: 'up', job: 'prometheus' }, value: 1 },
        { labels: { __name__: 'controller_runtime_reconcile_total', controller: 'kustomization' }, value: 5 },
        { labels: { __name__: 'up', job: 'node' }, value: 1 },
        {
          labels: { __name__: 'gotk_reconcile_duration_seconds_bucket', kind: 'Kustomization', name: 'a', le: '1' },
          value: 1,
        },
        { labels: { job: 'x' }, value: 1 },
      ]),
      seriesFrame({ job: 'x' }, steps(1), { fieldName: 'process_cpu_seconds_total' }),
    ]);
    expect(reading.objects).toEqual([]);
    expect(reading.otherMetrics).toEqual(['up', 'controller_runtime_reconcile_total', 'process_cpu_seconds_total']);
    expect(reading.unusableFrames).toEqual([]);
  });

  it('lists frames it cannot use, with why, and never throws', () => {
    const frames: DataFrame[] = [
      createDataFrame({ name: 'Warnings', fields: [] }),
      createDataFrame({ name: 'strings', fields: [{ name: 'text', type: FieldType.string, values: ['a'] }] }),
      createDataFrame({ refId: 'B', fields: [{ name: 'Value', type: FieldType.number, values: [1] }] }),
      seriesFrame({ __name__: 'gotk_resource_info', customresource_kind: 'Kustomization', ready: 'True' }, steps(1), {
        refId: 'C',
      }),
      seriesFrame({ __name__: 'flux_resource_info', name: 'x', ready: 'True' }, steps(1), { frameName: 'no-kind' }),
      seriesFrame({ kind: 'HelmRelease', ready: 'True' }, steps(1), { refId: 'D' }),
      undefined as unknown as DataFrame,
    ];
    const reading = readFluxFrames(frames);
    expect(reading.objects).toEqual([]);
    expect(reading.unusableFrames).toEqual([
      'frame "Warnings" has no fields',
      'frame "strings" has no numeric field',
      'frame "B" has no time field',
      'frame "C" (gotk_resource_info) has no "name" label',
      'frame "no-kind" (flux_resource_info) has no "kind" label',
      'frame "D" (flux_resource_info) has no "name" label',
    ]);
    expect(() => readFluxFrames(null as unknown as DataFrame[])).not.toThrow();
  });

  it('skips table rows without a name, warns, and keeps the others', () => {
    const reading = readFluxFrames([
      tableFrame([
        { labels: ksmLabels('Kustomization', 'a', { ready: 'True' }), value: 1 },
        { labels: { ...ksmLabels('Kustomization', '', { ready: 'True' }) }, value: 1 },
        { labels: { ...ksmLabels('Kustomization', '', { ready: 'False' }) }, value: 1 },
      ]),
    ]);
    expect(reading.objects.map((o) => o.name)).toEqual(['a']);
    expect(reading.unusableFrames).toEqual([]);
    expect(reading.warnings).toEqual(['frame "A": 2 gotk_resource_info series without a "name" label were ignored']);
  });

  it('treats empty label values as absent', () => {
    const [object] = normalizeFluxFrames(
      instantFrames([
        {
          labels: ksmLabels('Kustomization', 'a', {
            ready: 'True',
            suspended: '',
            revision: '',
            source_name: '',
            url: 'https://x',
            cluster: '',
            k8s_cluster: 'b',
          }),
          value: 1,
        },
      ])
    );
    expect(object).toMatchObject({ suspended: false, source: 'https://x', cluster: 'b' });
    expect(object.revision).toBeUndefined();
    expect(object.labels.revision).toBeUndefined();
  });

  it('reads instant frames typed timeseries-multi (older Grafana) like numeric-multi ones', () => {
    const frame = seriesFrame(operatorLabels('Kustomization', 'a', { ready: 'False' }), [[T0, 1]]);
    expect(frame.meta?.type).toBe('timeseries-multi');
    const [object] = normalizeFluxFrames([frame]);
    expect(object).toMatchObject({ state: 'Failed', observedAt: T0 });
    expect(object.since).toBeUndefined();
  });

  it('an operator series that lost its ready label (aggregated away) is Unknown, not Progressing', () => {
    const { ready, ...labels } = operatorLabels('Kustomization', 'a');
    const objects = normalizeFluxFrames(
      instantFrames([
        { labels, value: 1 },
        { labels: { ...labels, kind: 'Provider', name: 'slack', uid: 'u2' }, value: 1 },
      ])
    );
    expect(ready).toBe('True');
    expect(objects.map((o) => o.state)).toEqual(['Unknown', 'Ready']);
  });

  it('reads a mix of shapes in one response', () => {
    const objects = normalizeFluxFrames([
      seriesFrame(ksmLabels('Kustomization', 'range', { ready: 'True' }), steps(3)),
      ...instantFrames([{ labels: operatorLabels('HelmRelease', 'instant'), value: 1 }], T0 + 2 * STEP),
      tableFrame([{ labels: ksmLabels('GitRepository', 'table', { ready: 'False' }), value: 1, time: T0 + 2 * STEP }]),
    ]);
    expect(objects.map((o) => [o.name, o.state])).toEqual([
      ['range', 'Ready'],
      ['instant', 'Ready'],
      ['table', 'Failed'],
    ]);
  });
});

describe('reconcile stats', () => {
  const countLabels = (name: string, extra: Labels = {}) => ({
    __name__: 'gotk_reconcile_duration_seconds_count',
    kind: 'Kustomization',
    name,
    exported_namespace: 'apps',
    namespace: 'flux-system',
    ...extra,
  });
  const sumLabels = (name: string, extra: Labels = {}) => ({
    ...countLabels(name, extra),
    __name__: 'gotk_reconcile_duration_seconds_sum',
  });

  it('range: increase with a counter reset, mean, last reconcile', () => {
    const [object] = normalizeFluxFrames([
      seriesFrame(ksmLabels('Kustomization', 'a', { ready: 'True' }), steps(6)),
      seriesFrame(countLabels('a'), [
        [T0, 10],
        [T0 + STEP, 12],
        [T0 + 2 * STEP, 1], // controller restart: counted from 0 again
        [T0 + 3 * STEP, 3],
        [T0 + 4 * STEP, 3],
        [T0 + 5 * STEP, 3],
      ]),
      seriesFrame(sumLabels('a'), [
        [T0, 20],
        [T0 + STEP, 24],
        [T0 + 2 * STEP, 2],
        [T0 + 3 * STEP, 6],
        [T0 + 4 * STEP, 6],
        [T0 + 5 * STEP, 6],
      ]),
    ]);
    expect(object.reconcile).toEqual({ count: 5, meanSeconds: 2, lastReconcileAt: T0 + 3 * STEP });
    expect(object.schema).toBe('kube-state-metrics');
  });

  it('instant: counter values since controller start', () => {
    const [object] = normalizeFluxFrames(
      instantFrames([
        { labels: operatorLabels('Kustomization', 'a'), value: 1 },
        { labels: countLabels('a'), value: 40 },
        { labels: sumLabels('a'), value: 10 },
      ])
    );
    expect(object.reconcile).toEqual({ count: 40, meanSeconds: 0.25 });
  });

  it('includes objects known only from durations, as Unknown legacy objects', () => {
    const reading = readFluxFrames([
      seriesFrame(countLabels('only-durations'), [
        [T0, 1],
        [T0 + STEP, 2],
      ]),
      seriesFrame(sumLabels('only-durations'), [
        [T0, 1],
        [T0 + STEP, 4],
      ]),
    ]);
    expect(reading.objects).toHaveLength(1);
    const [object] = reading.objects;
    expect(object).toMatchObject({
      name: 'only-durations',
      kind: 'Kustomization',
      namespace: 'apps',
      state: 'Unknown',
      schema: 'legacy',
      suspended: false,
      observedAt: T0 + STEP,
      reconcile: { count: 1, meanSeconds: 3, lastReconcileAt: T0 + STEP },
    });
    expect(object.ready).toBeUndefined();
    expect(object.since).toBeUndefined();
    expect(object.labels.__name__).toBeUndefined();
  });

  it('does not double count HA copies of the same counter', () => {
    const [object] = normalizeFluxFrames(
      ['prom-0', 'prom-1'].flatMap((replica) =>
        instantFrames([
          { labels: countLabels('a', { replica }), value: 7 },
          { labels: sumLabels('a', { replica }), value: 14 },
        ])
      )
    );
    expect(object.reconcile).toEqual({ count: 7, meanSeconds: 2 });
  });

  it('does not resurrect a Deleted object from its durations', () => {
    const objects = normalizeFluxFrames(
      instantFrames([...legacyOneHot('Kustomization', 'a', 'Deleted'), { labels: countLabels('a'), value: 3 }])
    );
    expect(objects).toEqual([]);
  });
});

describe('FluxGrid frames', () => {
  it('reads a FluxGrid objects frame, validating states', () => {
    const frame = createDataFrame({
      refId: 'A',
      meta: { custom: { fluxgrid: { version: 1 } } },
      fields: [
        { name: 'kind', type: FieldType.string, values: ['Kustomization', 'HelmRelease', 'GitRepository'] },
        { name: 'namespace', type: FieldType.string, values: ['apps', 'apps', 'flux-system'] },
        { name: 'name', type: FieldType.string, values: ['a', 'b', 'c'] },
        { name: 'cluster', type: FieldType.string, values: ['prod', 'prod', ''] },
        { name: 'state', type: FieldType.string, values: ['Failed', 'Exploded', 'Suspended'] },
        { name: 'reason', type: FieldType.string, values: ['BuildFailed', '', ''] },
        { name: 'revision', type: FieldType.string, values: ['main@sha1:1', '', ''] },
        { name: 'source', type: FieldType.string, values: ['flux-system', '', 'https://git'] },
        { name: 'suspended', type: FieldType.boolean, values: [false, false, true] },
        { name: 'since', type: FieldType.time, values: [T0, null, T0 - STEP] },
        { name: 'lastReconcile', type: FieldType.time, values: [T0 + STEP, null, null] },
      ],
    });
    const reading = readFluxFrames([frame]);
    expect(reading.schemas).toEqual(['fluxgrid']);
    expect(reading.objects).toHaveLength(3);
    const [a, b, c] = reading.objects;
    expect(a).toMatchObject({
      kind: 'Kustomization',
      namespace: 'apps',
      name: 'a',
      cluster: 'prod',
      state: 'Failed',
      reason: 'BuildFailed',
      revision: 'main@sha1:1',
      source: 'flux-system',
      suspended: false,
      since: T0,
      schema: 'fluxgrid',
      reconcile: { lastReconcileAt: T0 + STEP },
    });
    expect(b.state).toBe('Unknown');
    expect(b.since).toBeUndefined();
    expect(b.reason).toBeUndefined();
    expect(c).toMatchObject({ state: 'Suspended', suspended: true, cluster: '', since: T0 - STEP });
  });

  it('lists a FluxGrid frame without the required fields as unusable', () => {
    const frame = createDataFrame({
      name: 'Objects',
      meta: { custom: { fluxgrid: { version: 1 } } },
      fields: [{ name: 'kind', type: FieldType.string, values: ['Kustomization'] }],
    });
    expect(readFluxFrames([frame]).unusableFrames).toEqual(['frame "Objects" (FluxGrid objects) has no "name" field']);
  });
});

describe('each series is judged by its own query', () => {
  const at = (step: number, from: number, to: number, value: number | null = 1): Sample[] => {
    const samples: Sample[] = [];
    for (let t = from; t <= to; t += step) {
      samples.push([t, value]);
    }
    return samples;
  };
  const END = T0 + 10 * STEP;

  it('a failing object of a 60 s query stays Failed beside a 15 s query that ends later', () => {
    // Range end T0+10m45s: A's last aligned sample is at T0+10m, B's at T0+10m45s.
    const frames = [
      seriesFrame(ksmLabels('Kustomization', 'failing', { ready: 'False' }), at(STEP, T0, END), { refId: 'A' }),
      seriesFrame(operatorLabels('Kustomization', 'fast'), at(15_000, T0, END + 45_000), { refId: 'B' }),
    ];
    const objects = byName(normalizeFluxFrames(frames));
    expect(objects.failing).toMatchObject({ state: 'Failed', observedAt: END, since: T0, sinceIsLowerBound: true });
    expect(objects.fast.state).toBe('Ready');
  });

  it("another query's sample far ahead hides nothing", () => {
    const frames = [
      seriesFrame(ksmLabels('Kustomization', 'failing', { ready: 'False' }), at(STEP, T0, END), { refId: 'A' }),
      seriesFrame(ksmLabels('Kustomization', 'ready', { ready: 'True' }), at(STEP, T0, END), { refId: 'A' }),
      // An instant query an hour later (a time shift, a clock ahead).
      ...instantFrames([{ labels: operatorLabels('HelmRelease', 'ahead'), value: 1 }], END + 3_600_000),
    ];
    frames[2].refId = 'C';
    expect(normalizeFluxFrames(frames).map((o) => [o.name, o.state])).toEqual([
      ['failing', 'Failed'],
      ['ready', 'Ready'],
      ['ahead', 'Ready'],
    ]);
  });

  it('still sees an object deleted within its own query, whatever the other queries do', () => {
    const frames = [
      seriesFrame(ksmLabels('Kustomization', 'kept', { ready: 'True' }), at(STEP, T0, END), { refId: 'A' }),
      seriesFrame(ksmLabels('Kustomization', 'deleted', { ready: 'False' }), at(STEP, T0, END - 5 * STEP), {
        refId: 'A',
      }),
      seriesFrame(operatorLabels('Kustomization', 'slow'), at(5 * STEP, T0, END - 5 * STEP), { refId: 'B' }),
    ];
    expect(normalizeFluxFrames(frames).map((o) => o.name)).toEqual(['kept', 'slow']);
  });

  it("takes the step from the time field's config.interval when Grafana sets it", () => {
    // Every series has one sample, so no gap shows the step; the interval does.
    const kept = seriesFrame(ksmLabels('Kustomization', 'kept', { ready: 'True' }), [[END, 1]]);
    const gone = seriesFrame(ksmLabels('Kustomization', 'gone', { ready: 'False' }), [[END - 3 * STEP, 1]]);
    for (const frame of [kept, gone]) {
      frame.fields[0].config.interval = STEP;
    }
    expect(normalizeFluxFrames([kept, gone]).map((o) => o.name)).toEqual(['kept']);
  });

  // gotk_suspend_status says whether the object is suspended, nothing of its Ready condition.
  const legacyFailing = (name: string, missing: Sample[] = []) =>
    (['True', 'False', 'Unknown'] as const).map((status) =>
      seriesFrame(
        legacyConditionLabels('Kustomization', name, status),
        [...at(STEP, T0, END, status === 'False' ? 1 : 0), ...missing],
        { refId: 'A' }
      )
    );
  const suspendGauge = (name: string, samples: Sample[]) =>
    seriesFrame(legacySuspendLabels('Kustomization', name), samples, { refId: 'B' });

  it('a not-suspended sample later than the state, from another query, leaves a Failed object Failed', () => {
    const info = [
      seriesFrame(ksmLabels('Kustomization', 'a', { ready: 'False' }), at(STEP, T0, END), { refId: 'A' }),
      ...instantFrames([{ labels: legacySuspendLabels('Kustomization', 'a'), value: 0 }], END + 30_000),
    ];
    info[1].refId = 'B';
    expect(readFluxFrames(info).objects).toMatchObject([
      { state: 'Failed', ready: 'False', schema: 'kube-state-metrics', since: T0, observedAt: END },
    ]);
    const conditions = [...legacyFailing('b'), suspendGauge('b', at(15_000, T0, END + 45_000, 0))];
    expect(readFluxFrames(conditions).objects).toMatchObject([
      { state: 'Failed', ready: 'False', schema: 'legacy', suspended: false, since: T0, observedAt: END },
    ]);
  });

  it('a not-suspended sample where the conditions have none, at the same times, leaves a Failed object Failed', () => {
    // Same times in every series (merged by position), the conditions without a sample at the last.
    const frames = [...legacyFailing('a', [[END + STEP, null]]), suspendGauge('a', at(STEP, T0, END + STEP, 0))];
    expect(readFluxFrames(frames).objects).toMatchObject([
      { state: 'Failed', ready: 'False', suspended: false, since: T0, observedAt: END },
    ]);
  });

  it('a suspend gauge at 1 later than the last condition or info sample makes the object Suspended', () => {
    const info = [
      seriesFrame(ksmLabels('Kustomization', 'a', { ready: 'False' }), at(STEP, T0, END), { refId: 'A' }),
      ...instantFrames([{ labels: legacySuspendLabels('Kustomization', 'a'), value: 1 }], END + 30_000),
    ];
    info[1].refId = 'B';
    expect(readFluxFrames(info).objects).toMatchObject([
      { state: 'Suspended', suspended: true, observedAt: END + 30_000 },
    ]);
    const suspendedAfter = [...at(15_000, T0, END, 0), ...at(15_000, END + 15_000, END + 45_000)];
    expect(readFluxFrames([...legacyFailing('b'), suspendGauge('b', suspendedAfter)]).objects).toMatchObject([
      { state: 'Suspended', suspended: true, since: END + 15_000, observedAt: END + 45_000 },
    ]);
    const sameTimes = [
      ...legacyFailing('c', [[END + STEP, null]]),
      suspendGauge('c', [...at(STEP, T0, END, 0), [END + STEP, 1]]),
    ];
    expect(readFluxFrames(sameTimes).objects).toMatchObject([
      { state: 'Suspended', suspended: true, since: END + STEP, observedAt: END + STEP },
    ]);
  });

  it('an object known only from gotk_suspend_status is Unknown, or Suspended at 1', () => {
    for (const [value, state] of [
      [0, 'Unknown'],
      [1, 'Suspended'],
    ] as const) {
      const labels = legacySuspendLabels('Kustomization', 'a');
      expect(readFluxFrames(instantFrames([{ labels, value }])).objects).toMatchObject([{ state, schema: 'legacy' }]);
      expect(readFluxFrames([seriesFrame(labels, at(STEP, T0, END, value))]).objects).toMatchObject([
        { state, schema: 'legacy', since: T0, observedAt: END },
      ]);
    }
  });

  it('an instant query beside a range query gives its objects no since', () => {
    const frames = [
      seriesFrame(ksmLabels('Kustomization', 'range', { ready: 'True' }), at(STEP, T0, END), { refId: 'A' }),
      ...instantFrames([{ labels: operatorLabels('HelmRelease', 'instant'), value: 1 }], END),
    ];
    frames[1].refId = 'B';
    const objects = byName(normalizeFluxFrames(frames));
    expect(objects.range).toMatchObject({ since: T0, sinceIsLowerBound: true });
    expect(objects.instant.since).toBeUndefined();
  });
});

describe('staleness slack and HA sums (behaviours a mutant must not survive)', () => {
  it('an object whose series ends two steps before its query does is gone', () => {
    const frames = [
      seriesFrame(ksmLabels('Kustomization', 'a', { ready: 'True' }), steps(10)),
      seriesFrame(ksmLabels('Kustomization', 'two-early', { ready: 'False' }), steps(8)),
      seriesFrame(ksmLabels('Kustomization', 'one-early', { ready: 'False' }), steps(9)),
    ];
    expect(normalizeFluxFrames(frames).map((o) => o.name)).toEqual(['a', 'one-early']);
    expect(byName(normalizeFluxFrames(frames, { includeDeleted: true }))['two-early']).toMatchObject({
      state: 'Deleted',
      observedAt: T0 + 7 * STEP,
    });
  });

  it('a sum or count over an HA pair (info value 2) is an existing object, instant and range', () => {
    const failing = ksmLabels('Kustomization', 'pair', { ready: 'False' });
    expect(normalizeFluxFrames(instantFrames([{ labels: failing, value: 2 }]))).toMatchObject([
      { name: 'pair', state: 'Failed' },
    ]);
    const [ranged] = normalizeFluxFrames([
      seriesFrame(ksmLabels('Kustomization', 'pair', { ready: 'True' }), steps(3, 2)),
      seriesFrame(failing, steps(3, 2, 3)),
    ]);
    expect(ranged).toMatchObject({ state: 'Failed', since: T0 + 3 * STEP, observedAt: T0 + 5 * STEP });
    const [single] = normalizeFluxFrames([seriesFrame(failing, steps(4, 2))]);
    expect(single).toMatchObject({ state: 'Failed', since: T0, observedAt: T0 + 3 * STEP });
  });

  it('a legacy gauge summed over an HA pair (2) still counts', () => {
    const [object] = normalizeFluxFrames(
      instantFrames(legacyOneHot('Kustomization', 'pair', 'False').map((s) => ({ ...s, value: s.value * 2 })))
    );
    expect(object).toMatchObject({ state: 'Failed', ready: 'False' });
  });
});

describe('timestamps in any order', () => {
  it('descending samples keep since and the newest state', () => {
    const reversed = (samples: Sample[]) => [...samples].reverse();
    const objects = byName(
      normalizeFluxFrames([
        seriesFrame(ksmLabels('Kustomization', 'steady', { ready: 'False' }), reversed(steps(6))),
        seriesFrame(ksmLabels('Kustomization', 'flapped', { ready: 'True' }), reversed(steps(3))),
        seriesFrame(ksmLabels('Kustomization', 'flapped', { ready: 'False' }), reversed(steps(3, 1, 3))),
      ])
    );
    expect(objects.steady).toMatchObject({ state: 'Failed', since: T0, sinceIsLowerBound: true });
    expect(objects.flapped).toMatchObject({
      state: 'Failed',
      since: T0 + 3 * STEP,
      sinceIsLowerBound: false,
      observedAt: T0 + 5 * STEP,
    });
  });

  it('a single descending series is range data: since and its lower bound are kept', () => {
    const [object] = normalizeFluxFrames([
      seriesFrame(ksmLabels('Kustomization', 'only', { ready: 'False' }), [...steps(6)].reverse()),
    ]);
    expect(object).toMatchObject({ state: 'Failed', since: T0, sinceIsLowerBound: true, observedAt: T0 + 5 * STEP });
  });

  it('a table with rows newest first gives the same timeline', () => {
    const rows = steps(5)
      .map(([time], i) => ({
        labels: ksmLabels('Kustomization', 'a', { ready: i < 2 ? 'True' : 'False' }),
        value: 1,
        time,
      }))
      .reverse();
    const [object] = normalizeFluxFrames([tableFrame(rows)]);
    expect(object).toMatchObject({ state: 'Failed', since: T0 + 2 * STEP, sinceIsLowerBound: false });
  });
});

describe('label names and values named after Object.prototype members', () => {
  const HOSTILE = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

  it('a series carrying such labels keeps them as labels and merges with nothing', () => {
    const extra = (i: number): Labels => {
      // JSON.parse makes `__proto__` an own property, as a decoded frame's labels are.
      const labels: Labels = JSON.parse(JSON.stringify({ ready: 'False' }));
      for (const name of HOSTILE) {
        Object.defineProperty(labels, name, { value: `${name}-${i}`, enumerable: true, writable: true });
      }
      return labels;
    };
    const objects = normalizeFluxFrames(
      instantFrames([
        { labels: ksmLabels('Kustomization', 'a', extra(1)), value: 1 },
        { labels: ksmLabels('Kustomization', 'b', extra(2)), value: 1 },
      ])
    );
    expect(objects.map((o) => [o.name, o.state])).toEqual([
      ['a', 'Failed'],
      ['b', 'Failed'],
    ]);
    for (const name of HOSTILE) {
      expect(Object.getOwnPropertyDescriptor(objects[0].labels, name)?.value).toBe(`${name}-1`);
    }
    expect(Object.getPrototypeOf(objects[0].labels)).toBe(Object.prototype);
  });

  it('a label mapping to such a name reads only a label of that name, never the prototype', () => {
    const frames = instantFrames([
      { labels: ksmLabels('Kustomization', 'a', { ready: 'True' }), value: 1 },
      { labels: ksmLabels('HelmRelease', 'b', { ready: 'False' }), value: 1 },
      { labels: ksmLabels('GitRepository', 'c', { ready: 'True' }), value: 1 },
    ]);
    for (const name of HOSTILE) {
      const reading = readFluxFrames(frames, {
        labels: { name, kind: name, namespace: name, cluster: name, reason: name },
      });
      // Three objects with text for names, never merged into one whose name is a function.
      for (const object of reading.objects) {
        for (const part of [object.key, object.kind, object.name, object.namespace, object.cluster]) {
          expect(typeof part).toBe('string');
        }
        expect(object.cluster).toBe('');
        expect(object.reason).toBeUndefined();
      }
      expect(new Set(reading.objects.map((o) => o.key)).size).toBe(reading.objects.length);
      expect(reading.objects.length + reading.unusableFrames.length).toBe(3);
    }
  });

  it('a label literally named constructor works as a mapped label', () => {
    const labels = (name: string, kind: string) => {
      const l = ksmLabels(kind, 'ignored', { ready: 'True', toString: 'prod' });
      Object.assign(l, { constructor: name });
      return l;
    };
    const objects = normalizeFluxFrames(
      instantFrames([
        { labels: labels('first', 'Kustomization'), value: 1 },
        { labels: labels('second', 'Kustomization'), value: 1 },
      ]),
      { labels: { name: 'constructor', cluster: 'toString' } }
    );
    expect(objects.map((o) => [o.name, o.cluster])).toEqual([
      ['first', 'prod'],
      ['second', 'prod'],
    ]);
  });

  it('a metric or table column named constructor or __proto__ is read as text', () => {
    const reading = readFluxFrames([
      ...instantFrames([{ labels: { __name__: 'constructor', job: 'x' }, value: 1 }]),
      tableFrame([
        {
          labels: { ...ksmLabels('Kustomization', 'a', { ready: 'True' }), constructor: 'c', ['__proto__']: 'p' },
          value: 1,
        },
      ]),
    ]);
    expect(reading.otherMetrics).toEqual(['constructor']);
    expect(reading.objects).toHaveLength(1);
    expect(Object.getOwnPropertyDescriptor(reading.objects[0].labels, '__proto__')?.value).toBe('p');
    expect(Object.getOwnPropertyDescriptor(reading.objects[0].labels, 'constructor')?.value).toBe('c');
  });
});

describe('frame order', () => {
  it('HA copies that tie (same state, same time) show the same labels in any frame order', () => {
    const copy = (replica: string, revision: string) =>
      ksmLabels('Kustomization', 'a', { ready: 'True', replica, revision, instance: replica });
    const frames = instantFrames([
      { labels: copy('prom-1', 'main@sha1:old'), value: 1 },
      { labels: copy('prom-0', 'main@sha1:new'), value: 1 },
      ...legacyOneHot('Kustomization', 'legacy', 'Unknown').map((s) => ({ ...s, value: 0 })),
    ]);
    const forward = normalizeFluxFrames(frames);
    const backward = normalizeFluxFrames([...frames].reverse());
    expect(byName(backward)).toEqual(byName(forward));
    expect(byName(forward).a.revision).toBe('main@sha1:new');
  });
});
