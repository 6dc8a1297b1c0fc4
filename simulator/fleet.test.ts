/** @jest-environment node */
import { objectKey as coreObjectKey } from '../src/flux/labels';
import { buildFleet, objectKey, selectObjects } from './fleet';
import { FLUX_KINDS } from './kinds';
import type { FleetSpec } from './types';

const spec = (over: Partial<FleetSpec> = {}): FleetSpec => ({
  seed: 1,
  clusters: [''],
  clusterLabel: 'cluster',
  namespaces: ['apps', 'infra'],
  objects: { Kustomization: 5, HelmRelease: 5 },
  named: [{ kind: 'Kustomization', namespace: 'apps', name: 'podinfo' }],
  reconcileIntervalSeconds: 300,
  ...over,
});

describe('buildFleet', () => {
  it('is deterministic per seed, and the seed changes names', () => {
    const names = (seed: number) => buildFleet(spec({ seed })).map((o) => o.key);
    expect(names(1)).toEqual(names(1));
    expect(names(1)).not.toEqual(names(2));
  });

  it('lists named objects first and makes every key unique', () => {
    const fleet = buildFleet(spec({ objects: { Kustomization: 200 } }));
    expect(fleet[0]).toMatchObject({ kind: 'Kustomization', namespace: 'apps', name: 'podinfo', index: 0 });
    expect(new Set(fleet.map((o) => o.key)).size).toBe(fleet.length);
    expect(fleet).toHaveLength(201);
  });

  it("uses the core's object key format", () => {
    const [object] = buildFleet(spec());
    expect(object.key).toBe(coreObjectKey({ cluster: '', kind: 'Kustomization', namespace: 'apps', name: 'podinfo' }));
    expect(objectKey('c', 'k', 'n', 'x')).toBe(coreObjectKey({ cluster: 'c', kind: 'k', namespace: 'n', name: 'x' }));
  });

  it('gives every cluster the same object names (one Git repository, several clusters)', () => {
    const fleet = buildFleet(spec({ clusters: ['eu', 'us'] }));
    const names = (cluster: string) =>
      fleet.filter((o) => o.cluster === cluster).map((o) => `${o.kind}/${o.namespace}/${o.name}`);
    expect(names('eu')).toEqual(names('us'));
  });

  it('builds 50,000 objects of every kind with distinct keys and uids', () => {
    const objects = Object.fromEntries(FLUX_KINDS.map((k) => [k, Math.floor(50_000 / FLUX_KINDS.length)]));
    const fleet = buildFleet(
      spec({ objects, named: [], namespaces: Array.from({ length: 100 }, (_, i) => `ns-${i}`) })
    );
    expect(fleet.length).toBe(Math.floor(50_000 / FLUX_KINDS.length) * FLUX_KINDS.length);
    expect(new Set(fleet.map((o) => o.key)).size).toBe(fleet.length);
    expect(new Set(fleet.map((o) => o.uid)).size).toBe(fleet.length);
  });
});

describe('selectObjects', () => {
  const fleet = buildFleet(spec({ clusters: ['eu', 'us'] }));
  it('matches every given field and honours count in fleet order', () => {
    expect(selectObjects(fleet, { cluster: 'us', kind: 'HelmRelease' })).toHaveLength(5);
    expect(selectObjects(fleet, { kind: 'HelmRelease', count: 2 }).map((o) => o.index)).toEqual(
      fleet
        .filter((o) => o.kind === 'HelmRelease')
        .slice(0, 2)
        .map((o) => o.index)
    );
    expect(selectObjects(fleet, { namespace: 'apps', name: 'podinfo' })).toHaveLength(2);
    expect(selectObjects(fleet, { name: 'absent' })).toEqual([]);
  });
});
