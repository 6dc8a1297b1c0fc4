import { readFluxFrames } from './normalize';
import {
  infoState,
  LEGACY_PRECEDENCE,
  legacyReady,
  LegacySignals,
  legacyState,
  parseReady,
  parseSuspended,
  severityOf,
} from './state';
import { instantFrames, ksmLabels, Labels, operatorLabels } from './testing/frames';
import { FLUX_STATES } from './types';

const signals = (partial: Partial<LegacySignals>): LegacySignals => ({
  readyTrue: 0,
  readyFalse: 0,
  readyUnknown: 0,
  deleted: 0,
  suspended: 0,
  ...partial,
});

describe('infoState (kube-state-metrics and Flux Operator)', () => {
  it.each([
    // suspended wins over everything
    [{ readyLabel: 'False', suspended: true }, 'Suspended'],
    [{ readyLabel: undefined, suspended: true, kind: 'Alert' }, 'Suspended'],
    [{ readyLabel: 'True' }, 'Ready'],
    [{ readyLabel: 'true' }, 'Ready'],
    [{ readyLabel: 'False' }, 'Failed'],
    [{ readyLabel: 'False', reason: 'DependencyNotReady' }, 'Progressing'],
    [{ readyLabel: 'False', reason: 'dependencynotready' }, 'Failed'],
    [{ readyLabel: 'Unknown' }, 'Progressing'],
    [{ readyLabel: 'Unknown', reason: 'DependencyNotReady' }, 'Progressing'],
    [{ readyLabel: undefined }, 'Unknown'],
    [{ readyLabel: undefined, kind: 'Alert' }, 'Ready'],
    [{ readyLabel: undefined, kind: 'Provider' }, 'Ready'],
    [{ readyLabel: 'False', kind: 'Provider' }, 'Failed'],
    [{ readyLabel: 'Sort of' }, 'Unknown'],
    // OCI HelmRepository (static since Flux 2.2): kube-state-metrics has no `ready`, only the url
    // (flux2-monitoring-example kube-state-metrics-config.yaml exports spec.url).
    [{ readyLabel: undefined, kind: 'HelmRepository', url: 'oci://ghcr.io/stefanprodan/charts' }, 'Ready'],
    [{ readyLabel: undefined, kind: 'HelmRepository', url: 'https://stefanprodan.github.io/podinfo' }, 'Unknown'],
    [{ readyLabel: undefined, kind: 'HelmRepository' }, 'Unknown'],
    [{ readyLabel: undefined, kind: 'OCIRepository', url: 'oci://ghcr.io/stefanprodan/manifests' }, 'Unknown'],
    [{ readyLabel: undefined, kind: 'HelmRepository', url: 'oci://x', suspended: true }, 'Suspended'],
    // The Flux Operator reports it forced ready="True" (flux-operator internal/reporter/metrics.go).
    [{ readyLabel: 'True', kind: 'HelmRepository', url: 'oci://ghcr.io/stefanprodan/charts' }, 'Ready'],
  ])('%p -> %s', (partial, expected) => {
    expect(infoState({ kind: 'Kustomization', reason: undefined, suspended: false, ...partial })).toBe(expected);
  });

  // The Flux Operator writes ready="Unknown" and no reason when there is no Ready condition
  // (flux-operator internal/reporter/metrics.go commonLabelsToValues); a real Ready=Unknown has a
  // reason. kube-state-metrics writes `ready` only from a Ready condition.
  it.each([
    [{ schema: 'flux-operator', readyLabel: 'Unknown' }, 'Unknown'],
    [{ schema: 'flux-operator', readyLabel: 'unknown' }, 'Unknown'],
    [{ schema: 'flux-operator', readyLabel: 'Unknown', reason: 'Progressing' }, 'Progressing'],
    [{ schema: 'flux-operator', readyLabel: 'Unknown', suspended: true }, 'Suspended'],
    [{ schema: 'flux-operator', readyLabel: 'False' }, 'Failed'],
    [{ schema: 'kube-state-metrics', readyLabel: 'Unknown' }, 'Progressing'],
    [{ schema: 'kube-state-metrics', readyLabel: 'Unknown', reason: 'Progressing' }, 'Progressing'],
  ] as const)('%p -> %s', (partial, expected) => {
    expect(infoState({ kind: 'Kustomization', reason: undefined, suspended: false, ...partial })).toBe(expected);
  });
});

/** `labels` without `name`. */
const without = (labels: Labels, name: string): Labels =>
  Object.fromEntries(Object.entries(labels).filter(([label]) => label !== name));

describe('the state of an object read from its series', () => {
  it('Flux Operator ready="Unknown" without a reason (no Ready condition) is Unknown, as kube-state-metrics without ready', () => {
    const op = without(operatorLabels('Kustomization', 'a', { ready: 'Unknown' }), 'reason');
    const objects = readFluxFrames(
      instantFrames([
        { labels: op, value: 1 },
        { labels: ksmLabels('Kustomization', 'b'), value: 1 },
      ])
    ).objects;
    expect(objects.map((o) => [o.name, o.state])).toEqual([
      ['a', 'Unknown'],
      ['b', 'Unknown'],
    ]);
  });

  it('ready="Unknown" with a reason, and kube-state-metrics\' ready="Unknown" with or without one, is Progressing', () => {
    const objects = readFluxFrames(
      instantFrames([
        { labels: operatorLabels('Kustomization', 'a', { ready: 'Unknown', reason: 'Progressing' }), value: 1 },
        { labels: ksmLabels('Kustomization', 'b', { ready: 'Unknown' }), value: 1 },
        { labels: ksmLabels('Kustomization', 'c', { ready: 'Unknown', ready_reason: 'Progressing' }), value: 1 },
      ])
    ).objects;
    expect(objects.map((o) => [o.name, o.state])).toEqual([
      ['a', 'Progressing'],
      ['b', 'Progressing'],
      ['c', 'Progressing'],
    ]);
  });

  it("the Flux Operator's own families say the same (flux_instance_info, …)", () => {
    const instance = without(
      operatorLabels('FluxInstance', 'flux', { __name__: 'flux_instance_info', ready: 'Unknown' }),
      'reason'
    );
    const objects = readFluxFrames(instantFrames([{ labels: instance, value: 1 }])).objects;
    expect(objects.map((o) => [o.name, o.state])).toEqual([['flux', 'Unknown']]);
  });
});

describe('legacyState', () => {
  it.each([
    [{ deleted: 1, readyFalse: 1, suspended: 1 }, 'Deleted'],
    [{ suspended: 1, readyFalse: 1 }, 'Suspended'],
    [{ readyFalse: 1, readyTrue: 1 }, 'Failed'],
    [{ readyUnknown: 1, readyTrue: 1 }, 'Progressing'],
    [{ readyTrue: 1 }, 'Ready'],
    [{}, 'Unknown'],
  ])('%p -> %s', (partial, expected) => {
    expect(legacyState(signals(partial))).toBe(expected);
  });

  it('follows LEGACY_PRECEDENCE: each gauge beats every one after it', () => {
    const field: Record<(typeof LEGACY_PRECEDENCE)[number]['gauge'], keyof LegacySignals> = {
      Deleted: 'deleted',
      Suspended: 'suspended',
      False: 'readyFalse',
      Unknown: 'readyUnknown',
      True: 'readyTrue',
    };
    LEGACY_PRECEDENCE.forEach(({ state }, i) => {
      const weaker = LEGACY_PRECEDENCE.slice(i);
      expect(legacyState(signals(Object.fromEntries(weaker.map((p) => [field[p.gauge], 1]))))).toBe(state);
    });
    expect(new Set(LEGACY_PRECEDENCE.map((p) => p.gauge)).size).toBe(5);
  });

  it('reports the Ready status with the same precedence', () => {
    expect(legacyReady(signals({ readyFalse: 1, readyTrue: 1 }))).toBe('False');
    expect(legacyReady(signals({ readyUnknown: 1 }))).toBe('Unknown');
    expect(legacyReady(signals({ readyTrue: 1, suspended: 1 }))).toBe('True');
    expect(legacyReady(signals({ readyTrue: 1, deleted: 1 }))).toBeUndefined();
    expect(legacyReady(signals({}))).toBeUndefined();
  });
});

describe('label parsing', () => {
  it('parses ready and suspended case-insensitively; absent suspended is false', () => {
    expect(parseReady('UNKNOWN')).toBe('Unknown');
    expect(parseReady('')).toBeUndefined();
    expect(parseSuspended('true')).toBe(true);
    expect(parseSuspended('True')).toBe(true);
    expect(parseSuspended('false')).toBe(false);
    expect(parseSuspended(undefined)).toBe(false);
  });

  it('orders severity like FLUX_STATES', () => {
    expect(FLUX_STATES.map(severityOf)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
