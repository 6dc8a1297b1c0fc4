import { ByTime } from './byTime';

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
