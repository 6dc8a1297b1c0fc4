import { readFluxFrames } from '../normalize';
import { ksmLabels, legacyConditionLabels, seriesFrame, steps, STEP, T0 } from '../testing/frames';
import * as rollouts from './rollouts';
import { isRolloutFrame, readRolloutFrames, toRolloutFrame } from './rolloutsFrame';

const window = { fromMs: T0, toMs: T0 + 59 * STEP };
const ksm = (cluster: string, revision: string, from: number, to: number) =>
  seriesFrame(ksmLabels('Kustomization', 'podinfo', { cluster, revision, ready: 'True' }), steps(to - from, 1, from));

describe('Rollout frame', () => {
  const read = rollouts.read(
    {
      revisions: [
        ksm('a', 'v1', 0, 20),
        ksm('a', 'v2', 20, 60),
        ksm('b', 'v1', 0, 60),
        seriesFrame(legacyConditionLabels('Kustomization', 'podinfo', 'True', { cluster: 'old' }), steps(60)),
      ],
    },
    window
  );

  it('round-trips what the panel needs', () => {
    const frame = toRolloutFrame(read, 'A');
    expect(isRolloutFrame(frame)).toBe(true);
    expect(frame.meta?.notices?.[0].text).toBe(read[0].message);
    const [back] = readRolloutFrames([frame]);
    expect(back).toMatchObject({
      newest: 'v2',
      newestSince: T0 + 20 * STEP,
      onNewest: 1,
      lagging: 1,
      message: read[0].message,
    });
    expect(back.members.map((m) => [m.cluster, m.revision, m.status, m.since, m.sinceIsLowerBound])).toEqual(
      read[0].members.map((m) => [m.cluster, m.revision, m.status, m.since, m.sinceIsLowerBound])
    );
  });

  it('is read as objects by a panel in grid mode', () => {
    const objects = readFluxFrames([toRolloutFrame(read)]).objects;
    expect(objects.map((o) => o.cluster).sort()).toEqual(['a', 'b', 'old']);
  });

  it('skips rows without kind or name, and frames that are not Rollout frames', () => {
    const frame = toRolloutFrame(read);
    frame.fields[0].values[0] = null;
    expect(readRolloutFrames([frame])[0].members).toHaveLength(2);
    expect(readRolloutFrames([{ ...frame, meta: {} }])).toEqual([]);
  });
});
