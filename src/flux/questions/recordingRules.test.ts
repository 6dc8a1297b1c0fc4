import { FluxAnswers } from './question';
import { queries, read, RecordingCoverage, unusable } from './recordingRules';
import { instantFrames } from '../testing/frames';

const END_S = 100_000;
const window = { fromMs: (END_S - 3600) * 1000, toMs: END_S * 1000 };

function answers(from?: number, last?: number): FluxAnswers {
  const series = [];
  if (from !== undefined) {
    series.push({ labels: { fluxgrid_stat: 'recordedFrom' }, value: from });
  }
  if (last !== undefined) {
    series.push({ labels: { fluxgrid_stat: 'recordedLast' }, value: last });
  }
  return { recorded: instantFrames(series, END_S * 1000) };
}

describe('recording rules coverage', () => {
  it('asks for the heartbeat of this version of the rules, at the range end, as literals', () => {
    const { exprs, range } = queries(window);
    expect(range).toBe(false);
    expect(exprs.recorded).toContain('fluxgrid:recording_rules:info{version="2"}');
    expect(exprs.recorded).toContain('[3599999ms:60s] @ 100000');
    expect(exprs.recorded).not.toContain('end()');
  });

  it('reads how far back the events go and when the rules last ran; nothing without both', () => {
    expect(read(answers(END_S - 7200, END_S - 30))).toEqual({ fromS: END_S - 7200, lastS: END_S - 30 });
    expect(read(answers(END_S - 7200))).toBeUndefined();
    expect(read(answers())).toBeUndefined();
  });

  it('answers only for a range they cover, evaluated now, and labels they keep', () => {
    const covered: RecordingCoverage = { fromS: END_S - 7200, lastS: END_S - 30 };
    expect(unusable(covered, window, {})).toBeUndefined();
    expect(unusable(covered, window, { cluster: 'k8s_cluster', reason: 'ready_reason' })).toBeUndefined();
    expect(unusable(undefined, window, {})).toBe('not evaluated');
    expect(unusable({ ...covered, fromS: END_S - 1800 }, window, {})).toMatch(
      /evaluated only since .* after the range's start/
    );
    // One interval of slack: the first evaluation comes within a minute of the rules' start.
    expect(unusable({ ...covered, fromS: END_S - 3600 + 59 }, window, {})).toBeUndefined();
    expect(unusable({ ...covered, lastS: END_S - 600 }, window, {})).toMatch(
      /last evaluated at .* before the range's end/
    );
    expect(unusable(covered, window, { cluster: 'region', name: 'object' })).toBe(
      'they do not keep the labels region, object'
    );
  });
});
