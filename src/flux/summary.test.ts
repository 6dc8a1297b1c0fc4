import fc from 'fast-check';

import { countByState, filterObjects, groupObjects, isSustainedFailure, sortObjects } from './summary';
import { fluxObject, T0 } from './testing/frames';
import { FLUX_STATES, FluxObject, FluxState } from './types';

const MINUTE = 60_000;

const fleet: FluxObject[] = [
  fluxObject({
    name: 'podinfo',
    kind: 'Kustomization',
    namespace: 'apps',
    cluster: 'prod',
    state: 'Ready',
    since: T0 - 50 * MINUTE,
  }),
  fluxObject({
    name: 'redis',
    kind: 'HelmRelease',
    namespace: 'data',
    cluster: 'prod',
    state: 'Failed',
    reason: 'InstallFailed',
    revision: '17.0.1',
    since: T0 - 5 * MINUTE,
  }),
  fluxObject({
    name: 'infra',
    kind: 'Kustomization',
    namespace: 'flux-system',
    cluster: 'staging',
    state: 'Progressing',
  }),
  fluxObject({
    name: 'flux-system',
    kind: 'GitRepository',
    namespace: 'flux-system',
    cluster: '',
    state: 'Suspended',
    since: T0 - 90 * MINUTE,
  }),
  fluxObject({ name: 'old', kind: 'HelmRelease', namespace: 'apps', cluster: 'staging', state: 'Unknown' }),
  fluxObject({
    name: 'api',
    kind: 'Kustomization',
    namespace: 'apps',
    cluster: 'prod',
    state: 'Failed',
    since: T0 - 30 * MINUTE,
  }),
];

describe('countByState', () => {
  it('has every state, 0 by default', () => {
    expect(countByState([])).toEqual({ Failed: 0, Progressing: 0, Unknown: 0, Suspended: 0, Ready: 0, Deleted: 0 });
    expect(countByState(fleet)).toEqual({ Failed: 2, Progressing: 1, Unknown: 1, Suspended: 1, Ready: 1, Deleted: 0 });
  });
});

describe('groupObjects', () => {
  it('with no levels: one group with key "" holding everything', () => {
    const groups = groupObjects(fleet, []);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ key: '', objects: fleet, counts: countByState(fleet) });
    expect(groups[0].children).toBeUndefined();
  });

  it('sorts groups worst first, then by label; "" cluster is "(no cluster)"', () => {
    const groups = groupObjects(fleet, ['cluster']);
    expect(groups.map((g) => [g.key, g.label, g.level])).toEqual([
      ['prod', 'prod', 'cluster'],
      ['staging', 'staging', 'cluster'],
      ['', '(no cluster)', 'cluster'],
    ]);
    expect(groups[0].counts.Failed).toBe(2);
    expect(groups[0].objects.map((o) => o.name)).toEqual(['podinfo', 'redis', 'api']);
  });

  it('ties on the worst state fall back to the label', () => {
    const groups = groupObjects(fleet, ['kind']);
    // HelmRelease and Kustomization both have a Failed object.
    expect(groups.map((g) => g.key)).toEqual(['HelmRelease', 'Kustomization', 'GitRepository']);
  });

  it('nests a second level, with ids unique across the tree', () => {
    const groups = groupObjects(fleet, ['cluster', 'kind']);
    const prod = groups[0];
    expect(prod.children!.map((g) => [g.key, g.level, g.objects.length])).toEqual([
      ['HelmRelease', 'kind', 1],
      ['Kustomization', 'kind', 2],
    ]);
    const ids = groups.flatMap((g) => [g.id, ...(g.children ?? []).map((c) => c.id)]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(prod.children![0].id).toBe('cluster=prod/kind=HelmRelease');
  });

  it('keeps ids unique whatever the label values hold ("/", "=")', () => {
    const groups = groupObjects(
      [
        fluxObject({ cluster: 'a/kind=b', kind: 'c', name: 'x' }),
        fluxObject({ cluster: 'a', kind: 'b/kind=c', name: 'y' }),
      ],
      ['cluster', 'kind']
    );
    const ids = groups.flatMap((g) => (g.children ?? []).map((c) => c.id));
    expect(new Set(ids).size).toBe(2);
  });

  it('groups by namespace, "(no namespace)" for ""', () => {
    const groups = groupObjects([...fleet, fluxObject({ name: 'x', namespace: '', state: 'Ready' })], ['namespace']);
    expect(groups.map((g) => g.label)).toEqual(['apps', 'data', 'flux-system', '(no namespace)']);
  });

  it('keeps every object exactly once (property)', () => {
    const objectArb = fc.record({
      name: fc.string({ maxLength: 4 }),
      kind: fc.constantFrom('Kustomization', 'HelmRelease'),
      namespace: fc.constantFrom('', 'a', 'b'),
      cluster: fc.constantFrom('', 'prod', 'dev'),
      state: fc.constantFrom(...FLUX_STATES),
    });
    fc.assert(
      fc.property(
        fc.array(objectArb, { maxLength: 40 }),
        fc.constantFrom<Array<'cluster' | 'kind' | 'namespace'>>(
          [],
          ['cluster'],
          ['kind', 'namespace'],
          ['namespace', 'cluster']
        ),
        (partials, levels) => {
          const objects = partials.map((p) => fluxObject(p));
          const groups = groupObjects(objects, levels);
          const leaves = (gs: typeof groups): FluxObject[] =>
            gs.flatMap((g) => (g.children ? leaves(g.children) : g.objects));
          expect(leaves(groups).length).toBe(objects.length);
          expect(new Set(leaves(groups))).toEqual(new Set(objects));
        }
      )
    );
  });
});

describe('sortObjects', () => {
  it('severity: state order, then kind, namespace, name', () => {
    expect(sortObjects(fleet, 'severity').map((o) => o.name)).toEqual([
      'redis',
      'api',
      'infra',
      'old',
      'flux-system',
      'podinfo',
    ]);
  });

  it('name: namespace/name, then kind and cluster', () => {
    const objects = [
      ...fleet,
      fluxObject({ name: 'api', kind: 'HelmRelease', namespace: 'apps', cluster: 'prod' }),
      fluxObject({ name: 'api', kind: 'HelmRelease', namespace: 'apps', cluster: 'dev' }),
    ];
    expect(sortObjects(objects, 'name').map((o) => `${o.namespace}/${o.name}/${o.kind}/${o.cluster}`)).toEqual([
      'apps/api/HelmRelease/dev',
      'apps/api/HelmRelease/prod',
      'apps/api/Kustomization/prod',
      'apps/old/HelmRelease/staging',
      'apps/podinfo/Kustomization/prod',
      'data/redis/HelmRelease/prod',
      'flux-system/flux-system/GitRepository/',
      'flux-system/infra/Kustomization/staging',
    ]);
  });

  it('timeInState: longest first, unknown since last', () => {
    expect(sortObjects(fleet, 'timeInState').map((o) => o.name)).toEqual([
      'flux-system',
      'podinfo',
      'api',
      'redis',
      'infra',
      'old',
    ]);
  });

  it('returns a new array and leaves the input alone', () => {
    const before = [...fleet];
    const sorted = sortObjects(fleet, 'name');
    expect(sorted).not.toBe(fleet);
    expect(fleet).toEqual(before);
  });
});

describe('filterObjects', () => {
  const names = (objects: FluxObject[]) => objects.map((o) => o.name);

  it('keeps everything with an empty filter', () => {
    expect(filterObjects(fleet, {})).toEqual(fleet);
    expect(filterObjects(fleet, { states: [], search: '  ' })).toEqual(fleet);
  });

  it('by states and problems only', () => {
    expect(names(filterObjects(fleet, { states: ['Failed', 'Suspended'] }))).toEqual(['redis', 'flux-system', 'api']);
    expect(names(filterObjects(fleet, { problemsOnly: true }))).toEqual(['redis', 'infra', 'old', 'api']);
    expect(names(filterObjects(fleet, { problemsOnly: true, states: ['Failed', 'Ready'] }))).toEqual(['redis', 'api']);
  });

  it.each([
    ['helmrelease', ['redis', 'old']],
    ['apps/po', ['podinfo']],
    ['STAGING', ['infra', 'old']],
    ['installfailed', ['redis']],
    ['17.0', ['redis']],
    ['flux-system/flux', ['flux-system']],
    ['nothing-like-this', []],
  ])('search %p', (search, expected) => {
    expect(names(filterObjects(fleet, { search }))).toEqual(expected);
  });
});

describe('isSustainedFailure', () => {
  const failed = (since?: number, state: FluxState = 'Failed') => fluxObject({ name: 'a', state, since });

  it('needs Failed, a known since, and the threshold reached', () => {
    expect(isSustainedFailure(failed(T0 - 10 * MINUTE), 10 * MINUTE, T0)).toBe(true);
    expect(isSustainedFailure(failed(T0 - 10 * MINUTE + 1), 10 * MINUTE, T0)).toBe(false);
    expect(isSustainedFailure(failed(undefined), 0, T0)).toBe(false);
    expect(isSustainedFailure(failed(T0 - 60 * MINUTE, 'Progressing'), 10 * MINUTE, T0)).toBe(false);
    expect(isSustainedFailure(failed(T0 - 60 * MINUTE, 'Suspended'), 10 * MINUTE, T0)).toBe(false);
  });
});
