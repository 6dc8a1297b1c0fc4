import {
  cleanLabels,
  identityLabels,
  isIdentity,
  KIND_LABELS,
  NAME_LABEL,
  NAMESPACE_LABELS,
  objectKey,
  reasonLabels,
  reasonOf,
  resolveIdentity,
  sourceOf,
} from './labels';
import { readFluxFrames } from './normalize';
import { instantFrames, ksmLabels, operatorLabels } from './testing/frames';
import { FluxLabelMapping } from './types';

describe('resolveIdentity', () => {
  it('prefers customresource_kind and exported_namespace', () => {
    expect(
      resolveIdentity({
        customresource_kind: 'HelmRelease',
        kind: 'Other',
        name: 'a',
        exported_namespace: 'x',
        namespace: 'monitoring',
      })
    ).toEqual({ cluster: '', kind: 'HelmRelease', namespace: 'x', name: 'a' });
  });

  it('says which label is missing', () => {
    expect(resolveIdentity({ kind: 'Kustomization' })).toEqual({ missing: 'name' });
    expect(resolveIdentity({ name: 'a', kind: '' })).toEqual({ missing: 'kind' });
    expect(resolveIdentity({ obj: 'a' }, { name: 'objname' })).toEqual({ missing: 'objname' });
    expect(isIdentity(resolveIdentity({ name: 'a', kind: 'K' }))).toBe(true);
  });

  it('takes the first cluster label present, or the mapped one', () => {
    const labels = { name: 'a', kind: 'K', cluster_name: 'c3', k8s_cluster: 'c2' };
    expect(resolveIdentity(labels)).toMatchObject({ cluster: 'c2' });
    expect(resolveIdentity(labels, { cluster: 'cluster_name' })).toMatchObject({ cluster: 'c3' });
  });
});

describe('object keys and label helpers', () => {
  it('keys are distinct when parts shift between fields', () => {
    const a = objectKey({ cluster: '', kind: 'K', namespace: 'a/b', name: 'c' });
    const b = objectKey({ cluster: '', kind: 'K', namespace: 'a', name: 'b/c' });
    expect(a).not.toBe(b);
  });

  it('finds reason and source by preference', () => {
    expect(reasonOf({ reason: 'R', ready_reason: 'RR' })).toBe('R');
    expect(reasonOf({ ready_reason: 'RR' })).toBe('RR');
    expect(reasonOf({ reason: 'R', custom: 'C' }, { reason: 'custom' })).toBe('C');
    expect(sourceOf({ url: 'u', chart_name: 'c' })).toBe('u');
    expect(sourceOf({ chart_name: 'c' })).toBe('c');
  });

  it('a reason setting is read first, then the detected reason labels (as the identity settings)', () => {
    expect(reasonLabels({})).toEqual(['reason', 'ready_reason']);
    expect(reasonLabels({ reason: 'status_reason' })).toEqual(['status_reason', 'reason', 'ready_reason']);
    expect(reasonLabels({ reason: 'ready_reason' })).toEqual(['ready_reason', 'reason']);
    expect(reasonOf({ reason: 'R', ready_reason: 'RR' }, { reason: 'custom' })).toBe('R');
    expect(reasonOf({ ready_reason: 'RR' }, { reason: 'custom' })).toBe('RR');
  });

  it('with a reason setting, a Flux Operator series keeps its own reason (DependencyNotReady: Progressing)', () => {
    const objects = readFluxFrames(
      instantFrames([
        {
          labels: operatorLabels('Kustomization', 'a', { ready: 'False', reason: 'DependencyNotReady' }),
          value: 1,
        },
        { labels: ksmLabels('Kustomization', 'b', { ready: 'False', status_reason: 'BuildFailed' }), value: 1 },
      ]),
      { labels: { reason: 'status_reason' } }
    ).objects;
    expect(objects[0]).toMatchObject({ name: 'a', state: 'Progressing', reason: 'DependencyNotReady' });
    expect(objects[1]).toMatchObject({ name: 'b', state: 'Failed', reason: 'BuildFailed' });
  });

  it('cleans __name__ and empty values', () => {
    expect(cleanLabels({ __name__: 'x', a: '1', b: '' })).toEqual({ a: '1' });
  });
});

describe('the label preference lists (shared with the PromQL, promql/selectors.ts)', () => {
  it('are the order resolveIdentity prefers', () => {
    const labels: Record<string, string> = { [NAME_LABEL]: 'a' };
    KIND_LABELS.forEach((label, i) => (labels[label] = `k${i}`));
    NAMESPACE_LABELS.forEach((label, i) => (labels[label] = `n${i}`));
    expect(resolveIdentity(labels)).toEqual({ cluster: '', kind: 'k0', namespace: 'n0', name: 'a' });
    expect(resolveIdentity({ ...labels, [KIND_LABELS[0]]: '', [NAMESPACE_LABELS[0]]: '' })).toMatchObject({
      kind: 'k1',
      namespace: 'n1',
    });
  });
});

describe('label overrides (identityLabels: the one rule of panel and datasource)', () => {
  it('reads the override first and falls back to the auto labels where a series lacks it', () => {
    const mapping = { kind: 'resource_kind', namespace: 'object_namespace', name: 'resource_name' };
    expect(
      resolveIdentity(
        { resource_kind: 'HelmRelease', resource_name: 'podinfo', object_namespace: 'apps', kind: 'x', name: 'y' },
        mapping
      )
    ).toEqual({ cluster: '', kind: 'HelmRelease', namespace: 'apps', name: 'podinfo' });
    // A Flux Operator series carries none of them: it still resolves.
    expect(
      resolveIdentity({ kind: 'GitRepository', name: 'flux-system', exported_namespace: 'flux-system' }, mapping)
    ).toEqual({
      cluster: '',
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'flux-system',
    });
    expect(identityLabels(mapping).kind).toEqual(['resource_kind', ...KIND_LABELS]);
    expect(identityLabels({ kind: 'kind' }).kind).toEqual(['kind', 'customresource_kind']);
  });
});

describe('identityLabels', () => {
  it('follows a mapping that changes after it was asked about', () => {
    const mapping: FluxLabelMapping = { kind: 'a' };
    expect(identityLabels(mapping).kind[0]).toBe('a');
    expect(identityLabels(mapping)).toBe(identityLabels(mapping));
    mapping.kind = 'b';
    expect(identityLabels(mapping).kind[0]).toBe('b');
  });
});
