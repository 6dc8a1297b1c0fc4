import fc from 'fast-check';

import type { SeriesRef } from './frames';
import type { SeriesLabels } from './labels';
import { LegacySeries, legacyPointsByTime, newestSharedPoint, sharedSeries } from './legacyPoints';
import { LEGACY_STATUS_STATES, type LegacyStatus } from './schemas';
import { DECIDING_RANK, legacyReady, legacyState, READY_OF_MASK, SIGNAL_RANK } from './state';

const STATUSES: LegacyStatus[] = LEGACY_STATUS_STATES.map(([status]) => status);

/**
 * A series whose window is `times`/`values`, at `offset` inside arrays that hold `offset` rows
 * before it and one after it that are not its own (as a table row's window, or a frame narrowed
 * to the range): samples that must never be read.
 */
function offsetSeries(name: string, times: number[], values: unknown[], offset: number, spacing?: number): SeriesRef {
  const step = spacing ?? 60;
  const first = times[0] ?? 1_000;
  const before = Array.from({ length: offset }, (_, i) => first - (offset - i) * step);
  const after = (times.at(-1) ?? first) + step;
  const ref = series(name, [...before, ...times, after], [...before.map(() => 1), ...values, 1], spacing);
  return { ...ref, start: offset, end: offset + times.length };
}

function series(name: string, times: number[], values: unknown[], spacing?: number): SeriesRef {
  const read: SeriesLabels = {
    shown: undefined,
    labels: { name },
    ready: undefined,
    suspended: undefined,
    url: undefined,
    reason: undefined,
    revision: undefined,
    source: undefined,
  };
  return {
    labels: { name },
    fieldName: 'Value',
    frameName: '',
    frameIndex: 0,
    times,
    values,
    start: 0,
    end: times.length,
    schema: 'legacy',
    read,
    query: { start: times[0] ?? NaN, end: times[times.length - 1] ?? NaN, step: 60 },
    spacing,
  };
}

/** What decideLegacy made of the points by time before the masks: the reference. */
function newestByTime(legacy: LegacySeries) {
  const { times, points, present } = legacyPointsByTime(legacy);
  if (points.length === 0) {
    return undefined;
  }
  const newest = points[points.length - 1];
  const state = legacyState(newest);
  let runStart = times[times.length - 1];
  for (let i = times.length - 2; i >= 0 && legacyState(points[i]) === state; i--) {
    runStart = times[i];
  }
  const rank = DECIDING_RANK.get(state);
  const read = (rank === undefined ? undefined : newest.deciders[rank]) ?? newest.anyLabels;
  return { state, ready: legacyReady(newest), suspended: newest.suspended > 0, read, runStart, present };
}

describe('legacy points by position at shared times', () => {
  it('give the newest state, its run, the labels shown and presence exactly as the points by time do', () => {
    const sample = fc.constantFrom<unknown>(0, 1, 2, NaN, null, Infinity, '1', '0', undefined);
    const gauge = fc.record({
      signal: fc.constantFrom<LegacyStatus | 'Suspended'>(...STATUSES, 'Suspended'),
      values: fc.array(sample, { minLength: 8, maxLength: 8 }),
      offset: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(gauge, { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 0, max: 8 }),
        fc.boolean(),
        (gauges, length, spaced) => {
          const times = Array.from({ length }, (_, i) => 1_000 + i * 60);
          const conditions: LegacySeries['conditions'] = [];
          const suspends: SeriesRef[] = [];
          gauges.forEach(({ signal, values, offset }, i) => {
            const ref = offsetSeries(`s${i}`, times, values.slice(0, length), offset, spaced ? 60 : undefined);
            if (signal === 'Suspended') {
              suspends.push(ref);
            } else {
              conditions.push({ series: ref, status: signal });
            }
          });
          const legacy: LegacySeries = {
            conditions: conditions.length > 0 ? conditions : undefined,
            suspends: suspends.length > 0 ? suspends : undefined,
          };
          const first = sharedSeries(legacy);
          expect(first).toBeDefined();
          const byPosition = newestSharedPoint(legacy, first!);
          const byTime = newestByTime(legacy);
          if (!byTime) {
            expect(byPosition).toBeUndefined();
            return;
          }
          expect(byPosition).toBeDefined();
          const { signals, state, read, observedAt, runStart, present } = byPosition!;
          expect({
            state,
            ready: READY_OF_MASK[signals],
            suspended: (signals & (1 << SIGNAL_RANK.Suspended)) !== 0,
            runStart,
            present,
          }).toEqual({
            state: byTime.state,
            ready: byTime.ready,
            suspended: byTime.suspended,
            runStart: byTime.runStart,
            present: byTime.present,
          });
          // The very series whose labels show, not an equal one.
          expect(read).toBe(byTime.read);
          expect(observedAt).toBe(legacyPointsByTime(legacy).times.at(-1));
          // Within the windows: never a row before or after them.
          expect(times).toContain(observedAt);
          expect(times).toContain(runStart);
        }
      ),
      { numRuns: 500 }
    );
  });

  it('are not used when the series sample at other times, or at times not ascending', () => {
    const a = series('a', [0, 60, 120], [1, 1, 1]);
    const shifted = series('b', [60, 120, 180], [1, 1, 1]);
    expect(sharedSeries({ conditions: [{ series: a, status: 'True' }], suspends: [shifted] })).toBeUndefined();
    const descending = series('c', [120, 60, 0], [1, 1, 1]);
    expect(sharedSeries({ conditions: [{ series: descending, status: 'True' }], suspends: undefined })).toBeUndefined();
    const same = series('d', [0, 60, 120], [0, 0, 0]);
    expect(sharedSeries({ conditions: [{ series: a, status: 'True' }], suspends: [same] })).toBe(a);
  });
});

describe('gotk_suspend_status at 0', () => {
  const condition = series('false', [0, 60], [1, 1]);
  const notSuspended = series('suspend', [0, 30, 60, 90], [0, 0, 0, 0]);
  const suspendedAt90 = series('suspend', [0, 30, 60, 90], [0, 0, 0, 1]);

  it('makes no point of its own beside conditions or info series: it says nothing of Ready', () => {
    const beside: LegacySeries = { conditions: [{ series: condition, status: 'False' }], suspends: [notSuspended] };
    expect(legacyPointsByTime(beside).times).toEqual([0, 60]);
    expect(newestByTime(beside)).toMatchObject({ state: 'Failed', runStart: 0, present: true });
    expect(legacyPointsByTime({ conditions: undefined, suspends: [notSuspended] }, true).times).toEqual([]);
  });

  it('at 1 it does (suspended wins), and alone every sample is a point', () => {
    const beside: LegacySeries = { conditions: [{ series: condition, status: 'False' }], suspends: [suspendedAt90] };
    expect(legacyPointsByTime(beside).times).toEqual([0, 60, 90]);
    expect(newestByTime(beside)).toMatchObject({ state: 'Suspended', runStart: 90 });
    expect(legacyPointsByTime({ conditions: undefined, suspends: [suspendedAt90] }, true).times).toEqual([90]);
    expect(newestByTime({ conditions: undefined, suspends: [notSuspended] })).toMatchObject({
      state: 'Unknown',
      runStart: 0,
    });
  });
});
