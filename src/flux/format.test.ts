import { formatDuration } from './format';

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
