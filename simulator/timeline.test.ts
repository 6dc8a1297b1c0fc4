/** @jest-environment node */
import { parseScenario } from './scenario';
import { playScenario, reconcilesBetween, simulatedState } from './timeline';

const scenario = parseScenario(
  `
schemas: [legacy-2.0]
duration: 1h
fleet:
  named: [Kustomization/apps/a, Kustomization/apps/b, HelmRelease/apps/c, GitRepository/apps/d, Kustomization/apps/e]
timeline:
  - {at: 5m, action: fail, object: Kustomization/apps/a, reason: BuildFailed, for: 10m}
  - {at: 10m, action: flap, object: Kustomization/apps/b, period: 4m, for: 9m}
  - {at: 5m, action: fail, object: HelmRelease/apps/c}
  - {at: 20m, action: delete, object: HelmRelease/apps/c}
  - {at: 5m, action: suspend, object: GitRepository/apps/d}
  - {at: 30m, action: resume, object: GitRepository/apps/d}
  - {at: 5m, action: progress, object: Kustomization/apps/e}
  - {at: 8m, action: revision, object: Kustomization/apps/e}
  - {at: 9m, action: recover, object: Kustomization/apps/e}
`,
  't.yaml'
);
const played = playScenario(scenario);
const history = (name: string) => played.histories.find((h) => h.object.name === name)!;

describe('playScenario', () => {
  it('fails with the given reason and reverts after `for`', () => {
    expect(history('a').at(299)).toMatchObject({ ready: 'True', reason: 'ReconciliationSucceeded' });
    expect(history('a').at(300)).toMatchObject({ ready: 'False', reason: 'BuildFailed' });
    expect(history('a').at(899)).toMatchObject({ ready: 'False' });
    expect(history('a').at(900)).toMatchObject({ ready: 'True' });
  });

  it('flaps every half period and ends ready', () => {
    const readyAt = (m: number) => history('b').at(m * 60).ready;
    expect([9, 10, 11, 12, 13, 14, 16, 18, 19, 25].map(readyAt)).toEqual([
      'True',
      'False',
      'False',
      'True',
      'True',
      'False',
      'True',
      'False',
      'True',
      'True',
    ]);
  });

  it('keeps a stale False beside Deleted when an object is deleted while failing', () => {
    expect(history('c').at(1200)).toMatchObject({ deleted: true, staleFalse: true, ready: 'False' });
    expect(simulatedState(history('c').at(1200), 'HelmRelease', 'legacy-2.0', scenario)).toBe('Deleted');
    expect(simulatedState(history('c').at(1200), 'HelmRelease', 'legacy-2.4', scenario)).toBeUndefined();
  });

  it('sets spec.suspend (unset before, false after resume)', () => {
    expect(history('d').at(0).suspend).toBeUndefined();
    expect(history('d').at(600).suspend).toBe(true);
    expect(history('d').at(1800).suspend).toBe(false);
    expect(simulatedState(history('d').at(600), 'GitRepository', 'kube-state-metrics', scenario)).toBe('Suspended');
  });

  it('progresses, takes a new revision and recovers', () => {
    expect(history('e').at(400)).toMatchObject({ ready: 'Unknown', reason: 'Progressing', revisionNumber: 0 });
    expect(history('e').at(500)).toMatchObject({ ready: 'Unknown', revisionNumber: 1 });
    expect(history('e').at(540)).toMatchObject({ ready: 'True', revisionNumber: 1 });
    expect(simulatedState(history('e').at(400), 'Kustomization', 'flux-operator', scenario)).toBe('Progressing');
  });
});

describe('reconcilesBetween', () => {
  it('reconciles once per interval, never while suspended, slowly while progressing', () => {
    const interval = scenario.fleet.reconcileIntervalSeconds;
    const d = reconcilesBetween(history('d'), interval, 0, 3600);
    expect(d.every((r) => r.at <= 300 || r.at >= 1800)).toBe(true);
    const a = reconcilesBetween(history('a'), interval, 0, 3600);
    expect(a).toHaveLength(Math.floor(3600 / interval));
    expect(a.filter((r) => r.at >= 300 && r.at < 900).every((r) => r.result === 'error')).toBe(true);
    const e = reconcilesBetween(history('e'), interval, 300, 540);
    expect(e.every((r) => r.durationSeconds >= 30)).toBe(true);
  });

  it('is deterministic and splits cleanly: (0,a] + (a,b] = (0,b]', () => {
    const h = history('a');
    const whole = reconcilesBetween(h, 300, 0, 3600);
    const parts = [...reconcilesBetween(h, 300, 0, 1234), ...reconcilesBetween(h, 300, 1234, 3600)];
    expect(parts).toEqual(whole);
    expect(reconcilesBetween(h, 300, 0, 3600)).toEqual(whole);
  });
});
