import { SeriesRef } from './frames';
import { reconcileStats } from './reconcile';
import { T0 } from './testing/frames';

const ref = (labels: Record<string, string>, samples: Array<[number, number | null]>): SeriesRef => ({
  labels,
  fieldName: 'Value',
  frameName: '',
  frameIndex: 0,
  times: samples.map((s) => s[0]),
  values: samples.map((s) => s[1]),
  start: 0,
  end: samples.length,
  schema: undefined,
  query: { start: NaN, end: NaN, step: Infinity },
});
const count = (extra: Record<string, string>, samples: Array<[number, number | null]>) =>
  ref({ __name__: 'gotk_reconcile_duration_seconds_count', kind: 'K', name: 'a', ...extra }, samples);
const sum = (extra: Record<string, string>, samples: Array<[number, number | null]>) =>
  ref({ __name__: 'gotk_reconcile_duration_seconds_sum', kind: 'K', name: 'a', ...extra }, samples);

describe('reconcileStats', () => {
  it('is undefined without count series', () => {
    expect(reconcileStats([], [sum({}, [[T0, 1]])], true)).toBeUndefined();
  });

  it('range: no growth means count 0 and no mean or last reconcile', () => {
    expect(
      reconcileStats(
        [
          count({}, [
            [T0, 5],
            [T0 + 1, 5],
          ]),
        ],
        [
          sum({}, [
            [T0, 9],
            [T0 + 1, 9],
          ]),
        ],
        true
      )
    ).toEqual({ count: 0 });
  });

  it('range: skips null samples and handles several resets', () => {
    const stats = reconcileStats(
      [
        count({}, [
          [T0, 3],
          [T0 + 1, null],
          [T0 + 2, 5],
          [T0 + 3, 1],
          [T0 + 4, 0],
          [T0 + 5, 2],
        ]),
      ],
      [
        sum({}, [
          [T0, 3],
          [T0 + 1, null],
          [T0 + 2, 5],
          [T0 + 3, 1],
          [T0 + 4, 0],
          [T0 + 5, 2],
        ]),
      ],
      true
    );
    // 3->5 (+2), 5->1 reset (+1), 1->0 reset (+0), 0->2 (+2)
    expect(stats).toEqual({ count: 5, meanSeconds: 1, lastReconcileAt: T0 + 5 });
  });

  it('adds distinct series (a controller restart gives a new pod) but not HA copies', () => {
    const stats = reconcileStats(
      [
        count({ pod: 'old', replica: 'a' }, [
          [T0, 1],
          [T0 + 1, 3],
        ]),
        count({ pod: 'old', replica: 'b' }, [
          [T0, 1],
          [T0 + 1, 3],
        ]),
        count({ pod: 'new', replica: 'a' }, [
          [T0 + 1, 0],
          [T0 + 2, 4],
        ]),
      ],
      [
        sum({ pod: 'old', replica: 'a' }, [
          [T0, 1],
          [T0 + 1, 2],
        ]),
        sum({ pod: 'old', replica: 'b' }, [
          [T0, 1],
          [T0 + 1, 2],
        ]),
        sum({ pod: 'new', replica: 'a' }, [
          [T0 + 1, 0],
          [T0 + 2, 5],
        ]),
      ],
      true
    );
    expect(stats).toEqual({ count: 6, meanSeconds: 1, lastReconcileAt: T0 + 2 });
  });

  it('instant: counter values; mean unknown without a sum', () => {
    expect(reconcileStats([count({}, [[T0, 8]])], [], false)).toEqual({ count: 8 });
    expect(reconcileStats([count({}, [[T0, 0]])], [sum({}, [[T0, 0]])], false)).toEqual({ count: 0 });
  });

  it('merges table rows of one series (one row per sample)', () => {
    const rows = [count({}, [[T0 + 2, 6]]), count({}, [[T0, 2]]), count({}, [[T0 + 1, 4]])];
    expect(reconcileStats(rows, [], true)).toEqual({ count: 4, lastReconcileAt: T0 + 2 });
  });
});
