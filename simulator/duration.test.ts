import { parseDuration } from '../src/flux/format';
import { formatSeconds, parseDurationSeconds } from './duration';

describe('parseDurationSeconds: scenario durations, the core grammar', () => {
  it.each([
    ['10m', 600],
    ['1h30m', 5400],
    ['90s', 90],
    ['1.5h', 5400],
    ['500ms', 0.5],
    ['2d', 172_800],
    ['1w', 604_800],
    ['90', 90],
    ['2.5', 2.5],
    [45, 45],
  ])('%j is %d s', (value, seconds) => {
    expect(parseDurationSeconds(value)).toBe(seconds);
  });

  it.each(['', '10mfoo', '-5m', -5, Number.NaN, null, '1h 30m'])('rejects %j', (value) => {
    expect(parseDurationSeconds(value)).toBeUndefined();
  });

  it('agrees with the panel threshold parser on every text with units', () => {
    for (const text of ['10m', '1h30m', '90s', '1.5h', '500ms', '2d', '1w', '10mfoo', '-5m']) {
      const ms = parseDuration(text);
      expect(parseDurationSeconds(text)).toBe(ms === undefined ? undefined : ms / 1000);
    }
  });
});

describe('formatSeconds', () => {
  it('writes what parseDurationSeconds reads', () => {
    for (const seconds of [0, 59, 90, 3600, 5400, 86_461]) {
      expect(parseDurationSeconds(formatSeconds(seconds))).toBe(seconds);
    }
  });
});
