import { FluxObject } from '../flux/types';
import { readFluxFrames } from '../flux';
import { describeChange, objectsFrame, reconcileDurationFrame, stateHistoryFrames, summaryFrame } from './output';

const object = (name: string, state: FluxObject['state'], extra: Partial<FluxObject> = {}): FluxObject => ({
  key: `\u001fKustomization\u001fapps\u001f${name}`,
  cluster: '',
  kind: 'Kustomization',
  namespace: 'apps',
  name,
  state,
  suspended: state === 'Suspended',
  schema: 'flux-operator',
  observedAt: 1000,
  labels: {},
  ...extra,
});

describe('objectsFrame', () => {
  it('carries sinceIsLowerBound for the status panel, hidden from a Table', () => {
    const frame = objectsFrame([fluxObjectForLowerBound()]);
    const field = frame.fields.find((f) => f.name === 'sinceIsLowerBound')!;
    expect(field.values).toEqual([true]);
    expect(field.config.custom).toEqual({ hidden: true });
  });

  const objects = [
    object('a', 'Failed', {
      since: 500,
      reason: 'BuildFailed',
      revision: 'main@sha1:1',
      reconcile: { count: 0, lastReconcileAt: 900 },
    }),
    object('b', 'Ready', { kind: 'HelmRelease', key: '\u001fHelmRelease\u001fapps\u001fb' }),
  ];

  it('is the contract frame, read back by the core as schema fluxgrid', () => {
    const frame = objectsFrame(objects, 'A');
    expect(frame.meta?.custom?.fluxgrid).toEqual({ version: 1 });
    const reading = readFluxFrames([frame]);
    expect(reading.schemas).toEqual(['fluxgrid']);
    expect(reading.objects.map((o) => [o.name, o.state, o.since, o.reason, o.reconcile?.lastReconcileAt])).toEqual([
      ['a', 'Failed', 500, 'BuildFailed', 900],
      ['b', 'Ready', undefined, undefined, undefined],
    ]);
  });

  it('tells a Table panel how to show it', () => {
    const frame = objectsFrame(objects);
    const field = (name: string) => frame.fields.find((f) => f.name === name)!;
    expect(field('state').config.custom?.cellOptions).toEqual({ type: 'color-background', mode: 'basic' });
    expect(field('since').config.unit).toBe('dateTimeFromNow');
    expect(field('cluster').config.custom?.hidden).toBe(true);
  });
});

describe('summaryFrame', () => {
  const objects = [object('a', 'Failed'), object('b', 'Ready'), object('c', 'Ready', { kind: 'HelmRelease' })];

  it('one row of counts per state, each a coloured number field', () => {
    const frame = summaryFrame(objects, 'state');
    expect(frame.length).toBe(1);
    const values = Object.fromEntries(frame.fields.map((f) => [f.name, f.values[0]]));
    expect(values).toEqual({ objects: 'All', Failed: 1, Progressing: 0, Unknown: 0, Suspended: 0, Ready: 2, Total: 3 });
    expect(frame.fields.find((f) => f.name === 'Failed')!.config.color).toEqual({ mode: 'fixed', fixedColor: 'red' });
  });

  it('a row per kind', () => {
    const frame = summaryFrame(objects, 'kind');
    expect(frame.fields[0].values).toEqual(['HelmRelease', 'Kustomization']);
    expect(frame.fields.find((f) => f.name === 'Total')!.values).toEqual([1, 2]);
  });

  it('kinds in the identity order (code point), as the Objects query lists them', () => {
    const kinds = ['OCIRepository', 'Object', 'Bucket'].map((kind, i) => object(`k${i}`, 'Ready', { kind }));
    // localeCompare would put Object before OCIRepository.
    expect(summaryFrame(kinds, 'kind').fields[0].values).toEqual(['Bucket', 'OCIRepository', 'Object']);
  });

  it('an empty fleet still answers zeros for stat panels', () => {
    expect(summaryFrame([], 'state').fields.find((f) => f.name === 'Total')!.values).toEqual([0]);
  });
});

describe('stateHistoryFrames', () => {
  it('names frames and fields after the object, with the cluster when there are several', () => {
    const frames = stateHistoryFrames([
      {
        cluster: 'eu',
        kind: 'Kustomization',
        namespace: 'apps',
        name: 'a',
        times: [1, 2],
        states: ['Ready', 'Failed'],
      },
      { cluster: 'us', kind: 'Kustomization', namespace: 'apps', name: 'a', times: [1, 2], states: ['Ready', null] },
    ]);
    expect(frames.map((f) => f.name)).toEqual(['Kustomization apps/a (eu)', 'Kustomization apps/a (us)']);
    expect(frames[0].fields[1].config.displayName).toBe('Kustomization apps/a (eu)');
  });
});

describe('reconcileDurationFrame', () => {
  it('has seconds for the durations and whole reconciles for the count', () => {
    const frame = reconcileDurationFrame([
      { cluster: '', kind: 'HelmRelease', namespace: 'apps', name: 'x', p50: 1, p95: 2, max: 8.31, count: 11.98 },
    ]);
    const field = (name: string) => frame.fields.find((f) => f.name === name)!;
    expect(field('p95').config.unit).toBe('s');
    expect(field('count').values).toEqual([12]);
  });
});

describe('describeChange', () => {
  it('reads changes like a person would', () => {
    const ref = { cluster: '', kind: 'Kustomization', namespace: 'apps' };
    const changes = [
      { ...ref, name: 'podinfo', time: 120_000, from: 'Ready', to: 'Failed' },
      { ...ref, name: 'late', time: 180_000, from: null, to: 'Progressing' },
      { ...ref, name: 'podinfo', time: 240_000, from: 'Failed', to: 'Ready' },
    ] as const;
    expect(changes.map((c) => describeChange(c))).toEqual([
      'Kustomization apps/podinfo became Failed',
      'Kustomization apps/late became Progressing',
      'Kustomization apps/podinfo recovered',
    ]);
  });
});

function fluxObjectForLowerBound() {
  return {
    key: 'k',
    cluster: '',
    kind: 'Kustomization',
    namespace: 'apps',
    name: 'a',
    state: 'Ready' as const,
    suspended: false,
    schema: 'fluxgrid' as const,
    observedAt: 0,
    labels: {},
    since: 1000,
    sinceIsLowerBound: true,
  };
}
