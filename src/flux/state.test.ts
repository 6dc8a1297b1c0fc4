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
