/**
 * Causes before symptoms, from the labels the exporters write (fixtures as in sources.test.ts:
 * kube-state-metrics per flux2-monitoring-example's config, the Flux Operator per its reporter).
 */
import { readFluxFrames } from './normalize';
import {
  describeCauses,
  describeRef,
  parseRef,
  relate,
  sortCausesFirst,
  sourceClaimOf,
  sourceGroupOf,
  summarizeCauses,
} from './relations';
import { groupObjects } from './summary';
import { fluxObject, instantFrames, ksmLabels, legacyOneHot, operatorLabels } from './testing/frames';
import { FluxObject } from './types';

const read = (series: Array<{ labels: Record<string, string>; value: number }>): FluxObject[] =>
  readFluxFrames(instantFrames(series)).objects;

const ksm = (kind: string, name: string, ready: string, extra: Record<string, string> = {}) => ({
  labels: ksmLabels(kind, name, { ready, ...extra }),
  value: 1,
});

const byName = (objects: FluxObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.name === name)!;

describe('sourceClaimOf', () => {
  it('reads each kind’s own label and the kinds Flux allows for it', () => {
    const objects = read([
      ksm('Kustomization', 'apps', 'False', { source_name: 'flux-system' }),
      ksm('HelmRelease', 'podinfo', 'False', { chart_source_name: 'charts', chart_name: 'podinfo' }),
      ksm('HelmRelease', 'oci', 'False', { chart_ref_name: 'podinfo-oci' }),
      ksm('ImagePolicy', 'latest', 'True', { source_name: 'podinfo-image' }),
      ksm('ImageUpdateAutomation', 'bump', 'True', { source_name: 'flux-system' }),
      ksm('GitRepository', 'flux-system', 'False', { url: 'https://github.com/x/y' }),
    ]);
    expect(sourceClaimOf(byName(objects, 'Kustomization', 'apps'))).toEqual({
      cluster: '',
      namespace: 'apps',
      name: 'flux-system',
      kinds: ['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact'],
    });
    expect(sourceClaimOf(byName(objects, 'HelmRelease', 'podinfo'))?.kinds).toEqual([
      'HelmRepository',
      'GitRepository',
      'Bucket',
    ]);
    expect(sourceClaimOf(byName(objects, 'HelmRelease', 'oci'))?.kinds).toEqual(['OCIRepository', 'HelmChart']);
    expect(sourceClaimOf(byName(objects, 'ImagePolicy', 'latest'))?.kinds).toEqual(['ImageRepository']);
    expect(sourceClaimOf(byName(objects, 'ImageUpdateAutomation', 'bump'))?.kinds).toEqual(['GitRepository']);
    // A source's url is where it fetches from, not a Flux object it depends on.
    expect(sourceClaimOf(byName(objects, 'GitRepository', 'flux-system'))).toBeUndefined();
  });

  it('reads source_kind and source_namespace when a custom config adds them', () => {
    const [object] = read([
      ksm('Kustomization', 'apps', 'False', {
        source_name: 'shared',
        source_kind: 'OCIRepository',
        source_namespace: 'flux-system',
      }),
    ]);
    expect(sourceClaimOf(object)).toEqual({
      cluster: '',
      namespace: 'flux-system',
      name: 'shared',
      kinds: ['OCIRepository'],
    });
  });

  it('claims nothing for legacy gauges, which carry no source', () => {
    const objects = read(legacyOneHot('Kustomization', 'apps', 'False'));
    expect(objects).toHaveLength(1);
    expect(sourceClaimOf(objects[0])).toBeUndefined();
  });

  it('never reads a source through the prototype', () => {
    const object = fluxObject({ name: 'x', labels: Object.create(null) });
    expect(sourceClaimOf(object)).toBeUndefined();
    const hostile = fluxObject({ name: 'y', kind: 'constructor' });
    expect(sourceClaimOf(hostile)).toBeUndefined();
  });
});

describe('relate', () => {
  // One failing GitRepository, three Kustomizations and a HelmRelease from it; a HelmRepository
  // failing behind a HelmChart behind a HelmRelease (Flux Operator); a failure of its own.
  const objects = read([
    ksm('GitRepository', 'flux-system', 'False', { url: 'ssh://git@github.com/x/fleet' }),
    ksm('Kustomization', 'apps', 'False', { source_name: 'flux-system' }),
    ksm('Kustomization', 'infra', 'Unknown', { source_name: 'flux-system', suspended: 'false' }),
    ksm('Kustomization', 'ready', 'True', { source_name: 'flux-system' }),
    ksm('HelmRelease', 'from-git', 'False', { chart_source_name: 'flux-system' }),
    ksm('Kustomization', 'own', 'False', { source_name: 'healthy' }),
    ksm('GitRepository', 'healthy', 'True'),
    {
      labels: operatorLabels('HelmRepository', 'bitnami', { ready: 'False', reason: 'Failed', url: 'https://c' }),
      value: 1,
    },
    {
      labels: operatorLabels('HelmChart', 'apps-redis', { ready: 'False', reason: 'Failed', source_name: 'bitnami' }),
      value: 1,
    },
    {
      labels: operatorLabels('HelmRelease', 'redis', {
        ready: 'False',
        reason: 'ArtifactFailed',
        source_name: 'apps-redis',
      }),
      value: 1,
    },
  ]);
  const relations = relate(objects);
  const blockedName = (kind: string, name: string) => {
    const source = relations.blockedBy.get(byName(objects, kind, name).key);
    return source && describeRef(source);
  };

  it('marks Failed and Unknown consumers of a Failed source, not Ready ones', () => {
    expect(blockedName('Kustomization', 'apps')).toBe('GitRepository apps/flux-system');
    // Progressing here: gotk's Unknown ready is reconciling; only Failed/Unknown states are blocked.
    expect(byName(objects, 'Kustomization', 'infra').state).toBe('Progressing');
    expect(blockedName('Kustomization', 'infra')).toBeUndefined();
    expect(blockedName('Kustomization', 'ready')).toBeUndefined();
    expect(blockedName('HelmRelease', 'from-git')).toBe('GitRepository apps/flux-system');
    expect(blockedName('Kustomization', 'own')).toBeUndefined();
    expect(relations.sourceOf.get(byName(objects, 'Kustomization', 'own').key)?.name).toBe('healthy');
  });

  it('follows a chain to its root cause', () => {
    expect(blockedName('HelmRelease', 'redis')).toBe('HelmChart apps/apps-redis');
    expect(blockedName('HelmChart', 'apps-redis')).toBe('HelmRepository apps/bitnami');
    const roots = [...relations.causes.values()].map((c) => [
      describeRef(c.source),
      c.blocked.map((o) => o.name).sort(),
    ]);
    expect(roots).toEqual(
      expect.arrayContaining([
        ['GitRepository apps/flux-system', ['apps', 'from-git']],
        ['HelmRepository apps/bitnami', ['apps-redis', 'redis']],
      ])
    );
    expect(relations.causes.size).toBe(2);
  });

  it('summarises causes apart from symptoms', () => {
    const summary = summarizeCauses(objects, relations);
    expect(summary).toEqual({ causes: 2, blocked: 4, otherFailures: 1 });
    expect(describeCauses(summary)).toBe('2 failing sources block 4 objects');
    expect(describeCauses({ causes: 1, blocked: 1, otherFailures: 0 })).toBe('1 failing source blocks 1 object');
    expect(describeCauses({ causes: 0, blocked: 0, otherFailures: 3 })).toBeUndefined();
  });

  it('sorts causes first, then failures of their own, then the blocked', () => {
    const order = sortCausesFirst(objects, relations).map((o) => `${o.kind}/${o.name}`);
    expect(order.slice(0, 2)).toEqual(['GitRepository/flux-system', 'HelmRepository/bitnami']);
    expect(order[2]).toBe('Kustomization/own');
    expect(order.slice(3, 7).sort()).toEqual([
      'HelmChart/apps-redis',
      'HelmRelease/from-git',
      'HelmRelease/redis',
      'Kustomization/apps',
    ]);
  });

  it('relates only within the cluster and the namespace the reference means', () => {
    const fleet = read([
      ksm('GitRepository', 'flux-system', 'False', { cluster: 'a' }),
      ksm('Kustomization', 'apps', 'False', { cluster: 'b', source_name: 'flux-system' }),
      ksm('Kustomization', 'other-ns', 'False', {
        cluster: 'a',
        exported_namespace: 'team',
        source_name: 'flux-system',
      }),
    ]);
    expect(relate(fleet).blockedBy.size).toBe(0);
  });

  it('guesses nothing when two sources of allowed kinds share the name', () => {
    const twins = read([
      ksm('GitRepository', 'flux-system', 'False'),
      ksm('OCIRepository', 'flux-system', 'False'),
      ksm('Kustomization', 'apps', 'False', { source_name: 'flux-system' }),
    ]);
    const r = relate(twins);
    const apps = byName(twins, 'Kustomization', 'apps');
    expect(r.blockedBy.has(apps.key)).toBe(false);
    expect(r.ambiguous.get(apps.key)).toBe(
      'GitRepository apps/flux-system or OCIRepository apps/flux-system: the metrics do not say which'
    );
  });

  it('takes the datasource’s decisions for objects without labels (FluxGrid frame)', () => {
    const source = fluxObject({ name: 'flux-system', kind: 'GitRepository', state: 'Failed', schema: 'fluxgrid' });
    const consumer = fluxObject({ name: 'apps', state: 'Failed', schema: 'fluxgrid' });
    const declared = new Map([[consumer.key, parseRef('GitRepository apps/flux-system', '')!]]);
    const r = relate([source, consumer], { declared });
    expect(r.blockedBy.get(consumer.key)?.key).toBe(source.key);
    expect(r.causes.get(source.key)?.object).toBe(source);
    // A declaration naming the object itself is dropped.
    const self = relate([consumer], { declared: new Map([[consumer.key, parseRef('Kustomization apps/apps', '')!]]) });
    expect(self.blockedBy.size).toBe(0);
  });
});

describe('describeRef / parseRef', () => {
  it('round-trips', () => {
    const ref = { cluster: 'prod', kind: 'GitRepository', namespace: 'flux-system', name: 'fleet' };
    expect(parseRef(describeRef(ref), 'prod')).toEqual(ref);
    expect(parseRef('not a ref at all', '')).toBeUndefined();
    expect(parseRef('', '')).toBeUndefined();
  });
});

describe('group by source and by revision', () => {
  const objects = read([
    ksm('GitRepository', 'flux-system', 'False', { revision: 'main@sha1:1' }),
    ksm('Kustomization', 'apps', 'False', { source_name: 'flux-system', revision: 'main@sha1:1' }),
    ksm('Kustomization', 'infra', 'True', { source_name: 'flux-system', revision: 'main@sha1:0' }),
    ksm('HelmRepository', 'bitnami', 'True'),
    ksm('HelmChart', 'apps-redis', 'True'),
    {
      labels: operatorLabels('HelmChart', 'apps-redis', { source_name: 'bitnami', revision: '1.0.0' }),
      value: 1,
    },
    { labels: operatorLabels('HelmRelease', 'redis', { source_name: 'apps-redis', revision: '1.0.0' }), value: 1 },
    ksm('Kustomization', 'lonely', 'True'),
  ]);

  it('puts each source with its consumers, chains under their top source, the rest in no group', () => {
    const groups = groupObjects(objects, ['source'], { source: sourceGroupOf(relate(objects)) });
    const members = Object.fromEntries(groups.map((g) => [g.label, g.objects.map((o) => o.name).sort()]));
    expect(members).toEqual({
      'GitRepository apps/flux-system': ['apps', 'flux-system', 'infra'],
      'HelmRepository apps/bitnami': ['apps-redis', 'bitnami', 'redis'],
      '(no source relation)': ['lonely'],
    });
    // Without the relations nothing is guessed: one group of objects without a relation.
    expect(groupObjects(objects, ['source']).map((g) => g.label)).toEqual(['(no source relation)']);
  });

  it('groups by revision', () => {
    const groups = groupObjects(objects, ['revision']);
    expect(
      groups
        .find((g) => g.label === 'main@sha1:1')
        ?.objects.map((o) => o.name)
        .sort()
    ).toEqual(['apps', 'flux-system']);
    expect(groups.find((g) => g.label === '(no revision)')?.objects.map((o) => o.name)).toEqual(['bitnami', 'lonely']);
  });
});
