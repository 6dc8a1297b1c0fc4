import { ByTime, firstPresent, isAscending, lastPresent, sameSamples, sameTimes } from './byTime';
import { SeriesRef } from './frames';

describe('ByTime', () => {
  it('behaves like a Map sorted by time, with or without a second timestamp', () => {
    const byTime = new ByTime<string>();
    expect(byTime.size).toBe(0);
    expect(byTime.times()).toEqual([]);
    byTime.set(5, 'a');
    byTime.set(5, 'b');
    expect(byTime.get(5)).toBe('b');
    expect(byTime.get(4)).toBeUndefined();
    expect(byTime.size).toBe(1);
    byTime.set(3, 'c');
    byTime.set(9, 'd');
    expect(byTime.get(5)).toBe('b');
    expect(byTime.times()).toEqual([3, 5, 9]);
    const seen: Array<[number, string]> = [];
    byTime.forEach((v, t) => seen.push([t, v]));
    expect(seen.sort()).toEqual([
      [3, 'c'],
      [5, 'b'],
      [9, 'd'],
    ]);
  });

  it('handles a first timestamp of 0', () => {
    const byTime = new ByTime<number>();
    byTime.set(0, 1);
    expect(byTime.get(0)).toBe(1);
    expect(byTime.size).toBe(1);
  });
});

describe('isAscending and sameSamples: when series can be merged by position', () => {
  const series = (times: unknown[], start = 0, end = times.length): SeriesRef => ({
    labels: {},
    fieldName: '',
    frameName: '',
    frameIndex: 0,
    times,
    values: [],
    start,
    end,
    schema: undefined,
    query: { start: 0, end: 0, step: 1 },
  });

  it('knows a series that samples at strictly ascending numbers, from its start to its end', () => {
    expect(isAscending(series([1, 2, 3]))).toBe(true);
    expect(isAscending(series([9, 1, 2, 3, 9], 1, 4))).toBe(true);
    expect(isAscending(series([]))).toBe(true);
  });

  it('says no for repeated, descending, NaN or non-number times (merged by time instead)', () => {
    for (const times of [[1, 1], [2, 1], [1, NaN], [NaN], ['1', '2'], [new Date(1)]]) {
      expect(isAscending(series(times))).toBe(false);
    }
  });

  it('says whether another series samples at exactly the same times, each window from its start', () => {
    expect(sameSamples(series([5, 1, 2, 3], 1), series([1, 2, 3]))).toBe(true);
    expect(sameSamples(series([1, 2]), series([1, 2, 3]))).toBe(false);
    expect(sameSamples(series([1, 2, 3, 4]), series([1, 2, 3]))).toBe(false);
    expect(sameSamples(series([1, 2, 4]), series([1, 2, 3]))).toBe(false);
    expect(sameSamples(series(['1', 2, 3]), series([1, 2, 3]))).toBe(false);
  });

  it('knows two series sample at the same times from their spacing alone, and never claims it otherwise', () => {
    const spaced = (times: number[], spacing: number, start = 0): SeriesRef => ({ ...series(times, start), spacing });
    expect(sameTimes(spaced([0, 60, 120], 60), spaced([0, 60, 120], 60))).toBe(true);
    expect(sameTimes(spaced([9, 0, 60, 120], 60, 1), spaced([0, 60, 120], 60))).toBe(true);
    expect(sameTimes(spaced([5], 0), spaced([5], 0))).toBe(true);
    // Another first time, count or spacing, or a spacing not known (NaN, absent): not known.
    expect(sameTimes(spaced([0, 60, 120], 60), spaced([60, 120, 180], 60))).toBe(false);
    expect(sameTimes(spaced([0, 60, 120], 60), spaced([0, 60], 60))).toBe(false);
    expect(sameTimes(spaced([0, 60], 60), spaced([0, 30], 30))).toBe(false);
    expect(sameTimes(spaced([0, 60], NaN), spaced([0, 60], NaN))).toBe(false);
    expect(sameTimes(series([0, 60]), series([0, 60]))).toBe(false);
  });

  it('finds the first and last row with a present value from either end', () => {
    const present = (value: unknown) => value === 1;
    const withValues = (values: unknown[], start = 0, end = values.length): SeriesRef => ({
      ...series(
        values.map((_, i) => i),
        start,
        end
      ),
      values,
    });
    expect(firstPresent(withValues([0, 1, 0, 1, 0]), present)).toBe(1);
    expect(lastPresent(withValues([0, 1, 0, 1, 0]), present)).toBe(3);
    expect(firstPresent(withValues([1, 0, 0, 1], 1, 3), present)).toBe(3);
    expect(lastPresent(withValues([1, 1, 0, 1], 1, 3), present)).toBe(1);
    expect(firstPresent(withValues([0, 0]), present)).toBe(2);
  });
});
