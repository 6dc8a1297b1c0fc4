/**
 * The Rollout question's reading: revision per cluster, newest, lagging, since when; and the
 * message when an exporter has no revision.
 */
import { ksmLabels, legacyConditionLabels, operatorLabels, seriesFrame, steps, STEP, T0 } from '../testing/frames';
import * as rollouts from './rollouts';

const window = { fromMs: T0, toMs: T0 + 59 * STEP };

/** kube-state-metrics' Kustomization apps/podinfo on `cluster`, running `revision` for steps [from, to). */
const ksm = (cluster: string, revision: string, from: number, to: number, ready = 'True') =>
  seriesFrame(
    ksmLabels('Kustomization', 'podinfo', { cluster, revision, ready, source_name: 'fleet' }),
    steps(to - from, 1, from)
  );

describe('rollout queries', () => {
  it('asks one range query over the objects’ state selectors, filtered', () => {
    const asked = rollouts.queries({ name: { type: 'equals', value: 'podinfo' } }, {}, window);
    expect(asked.range).toBe(true);
    expect(Object.keys(asked.exprs)).toEqual(['revisions']);
    expect(asked.exprs.revisions).toContain('name="podinfo"');
    expect(asked.exprs.revisions).toContain('gotk_resource_info');
    expect(asked.exprs.revisions).toContain('flux_resource_info');
  });
});

describe('rollout read', () => {
  it('finds the newest revision, the clusters on it and the lagging one, since when', () => {
    const answers = {
      revisions: [
        // Cluster a: abc for the first 10 steps, then def.
        ksm('a', 'main@sha1:abc', 0, 10),
        ksm('a', 'main@sha1:def', 10, 60),
        // Cluster b: def from step 30.
        ksm('b', 'main@sha1:abc', 0, 30),
        ksm('b', 'main@sha1:def', 30, 60),
        // Cluster c: stuck on abc, Failed (kube-state-metrics keeps the last applied revision).
        ksm('c', 'main@sha1:abc', 0, 60, 'False'),
      ],
    };
    const [rollout] = rollouts.read(answers, window);
    expect(rollout).toMatchObject({
      kind: 'Kustomization',
      namespace: 'apps',
      name: 'podinfo',
      newest: 'main@sha1:def',
      newestSince: T0 + 10 * STEP,
      onNewest: 2,
      lagging: 1,
    });
    expect(rollout.message).toBeUndefined();
    expect(
      rollout.members.map((m) => [m.cluster, m.revision, m.status, m.state, m.since, m.sinceIsLowerBound])
    ).toEqual([
      ['c', 'main@sha1:abc', 'lagging', 'Failed', T0, true],
      ['a', 'main@sha1:def', 'newest', 'Ready', T0 + 10 * STEP, false],
      ['b', 'main@sha1:def', 'newest', 'Ready', T0 + 30 * STEP, false],
    ]);
  });

  it('dates a revision from its own unbroken samples: an old series in the lookback and a ready change do not move it', () => {
    const answers = {
      revisions: [
        // v1 ended at step 10 but stays visible for the 5-minute lookback (no staleness marker).
        ksm('a', 'v1', 0, 15),
        // v2 from step 10: Failed first, then Ready from 20 (a new series, the old one in the lookback).
        ksm('a', 'v2', 10, 25, 'False'),
        ksm('a', 'v2', 20, 60),
      ],
    };
    const [rollout] = rollouts.read(answers, window);
    expect(rollout.members[0]).toMatchObject({ revision: 'v2', since: T0 + 10 * STEP, sinceIsLowerBound: false });
  });

  it('takes a return to an older revision as the newest rollout, since the return', () => {
    const answers = {
      revisions: [
        seriesFrame(ksmLabels('Kustomization', 'podinfo', { cluster: 'a', revision: 'v1' }), [
          ...steps(10, 1, 0),
          ...steps(20, 1, 40),
        ]),
        ksm('a', 'v2', 10, 40),
        ksm('b', 'v2', 0, 60),
      ],
    };
    const [rollout] = rollouts.read(answers, window);
    expect(rollout.newest).toBe('v1');
    expect(rollout.newestSince).toBe(T0 + 40 * STEP);
    expect(rollout.members.map((m) => [m.cluster, m.status])).toEqual([
      ['b', 'lagging'],
      ['a', 'newest'],
    ]);
  });

  it('reads the Flux Operator’s attempted revision: a stuck cluster is on the newest, Failed', () => {
    const op = (cluster: string, revision: string, ready: string) =>
      seriesFrame(
        operatorLabels('HelmRelease', 'redis', {
          cluster,
          revision,
          ready,
          reason: ready === 'True' ? 'InstallSucceeded' : 'UpgradeFailed',
        }),
        steps(60)
      );
    const [rollout] = rollouts.read({ revisions: [op('a', '1.2.0', 'True'), op('b', '1.2.0', 'False')] }, window);
    expect(rollout.onNewest).toBe(2);
    expect(rollout.members.find((m) => m.cluster === 'b')).toMatchObject({ state: 'Failed', reason: 'UpgradeFailed' });
  });

  it('says that the legacy gauges carry no revision, instead of showing nothing', () => {
    const legacy = seriesFrame(
      legacyConditionLabels('Kustomization', 'podinfo', 'True', { cluster: 'old' }),
      steps(60)
    );
    const [rollout] = rollouts.read({ revisions: [legacy, ksm('a', 'v2', 0, 60)] }, window);
    expect(rollout.members.map((m) => [m.cluster, m.status])).toEqual([
      ['old', 'no revision'],
      ['a', 'newest'],
    ]);
    expect(rollout.message).toBe(`Kustomization apps/podinfo on old: ${rollouts.NO_REVISION.legacy}`);
  });

  it('keeps one rollout per object name, in the identity order', () => {
    const other = seriesFrame(
      ksmLabels('GitRepository', 'fleet', { cluster: 'a', revision: 'main@sha1:1' }),
      steps(60)
    );
    const out = rollouts.read({ revisions: [ksm('a', 'v1', 0, 60), other] }, window);
    expect(out.map((r) => `${r.kind}/${r.name}`)).toEqual(['GitRepository/fleet', 'Kustomization/podinfo']);
    expect(rollouts.read({ revisions: [] }, window)).toEqual([]);
  });
});
