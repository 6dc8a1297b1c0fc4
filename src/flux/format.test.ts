import { formatDuration, parseDuration } from './format';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [45 * S, '45s'],
    [59 * S + 999, '59s'],
    [60 * S, '1m'],
    [12 * M + 30 * S, '12m'],
    [59 * M + 59 * S, '59m'],
    [H, '1h'],
    [3 * H + 4 * M + 59 * S, '3h 4m'],
    [23 * H + 59 * M, '23h 59m'],
    [D, '1d'],
    [2 * D + 5 * H + 59 * M, '2d 5h'],
    [400 * D, '400d'],
    [-5 * S, '0s'],
    [NaN, '-'],
    [Infinity, '-'],
  ])('%p ms is %p', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('parseDuration', () => {
  it.each([
    ['10m', 10 * M],
    ['1h30m', H + 30 * M],
    ['90s', 90 * S],
    ['1.5h', 1.5 * H],
    ['500ms', 500],
    ['2d', 2 * D],
    ['1w', 7 * D],
    ['1d2h3m4s5ms', D + 2 * H + 3 * M + 4 * S + 5],
    ['0s', 0],
    [' 10m ', 10 * M],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '   ', '10mfoo', '-5m', '10', 'm', '1.h', '.5h', '10 m', '1h 30m', 'abc', '10M', '5y'])(
    'rejects %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    }
  );
});
