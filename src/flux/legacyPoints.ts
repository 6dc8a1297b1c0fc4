/**
 * An object's legacy gauges (gotk_reconcile_condition{type="Ready"} by status, gotk_suspend_status)
 * as points in time, each the max over duplicate series of each gauge (state.ts LegacySignals):
 * timeline.ts decides the object's state from them.
 *
 * - Series that all sample at the same ascending times (a query's steps: nearly every object) are
 *   merged by position into one signal mask per time, in one buffer reused for every object: range
 *   data has 60 points and more per object, and an object per point was most of the reading's garbage.
 * - Otherwise by time, a {@link LegacyPoint} per timestamp.
 */
import { ByTime, isAscending, reportsAtEnd, sameSamples, sameTimes } from './byTime';
import type { SeriesRef } from './frames';
import type { SeriesLabels } from './labels';
import type { LegacyStatus } from './schemas';
import { DECIDING_RANK, LegacySignals, SET_SIGNAL, SIGNAL_MASKS, SIGNAL_RANK, STATE_OF_MASK } from './state';
import type { FluxState } from './types';
import { toMs, toSampleValue } from './values';

/** Looked up once and not imported: see timeline.ts (they run per sample). */
const numberIsNaN = Number.isNaN;
const numberIsFinite = Number.isFinite;
const NAN = Number.NaN;

/** An object's legacy series, in canonical order (seriesOrder.ts) by the time they are decided. */
export interface LegacySeries {
  conditions: Array<{ series: SeriesRef; status: LegacyStatus }> | undefined;
  suspends: SeriesRef[] | undefined;
}

/** A sample's value as toSampleValue reads it, without a call for a number (see frames.ts widen). */
function valueAt(series: SeriesRef, i: number): number {
  const sample = series.values[i];
  return typeof sample === 'number' ? (numberIsFinite(sample) ? sample : NAN) : toSampleValue(sample);
}

export interface LegacyPoint extends LegacySignals {
  /** Labels of the first series that said 1, by signal rank ({@link SIGNAL_RANK}), to show the one that decided. */
  deciders: Array<SeriesLabels | undefined>;
  /** Labels shown when no signal says 1: of the series whose signal ranks first, whatever the frame order. */
  anyLabels: SeriesLabels;
  anyRank: number;
}

/**
 * Marks one legacy series' samples on the points by time; whether it still reports at its query's end.
 * `zeroIsPoint` false: a 0 makes no point of its own (see {@link legacyPointsByTime}).
 */
function mark(
  byTime: ByTime<LegacyPoint>,
  series: SeriesRef,
  signal: LegacyStatus | 'Suspended',
  zeroIsPoint: boolean
): boolean {
  const rank = SIGNAL_RANK[signal];
  const setSignal = SET_SIGNAL[rank];
  const labels = series.read!;
  let lastSeen = NAN;
  for (let i = series.start; i < series.end; i++) {
    const value = valueAt(series, i);
    const raw = series.times[i];
    const t = typeof raw === 'number' ? raw : toMs(raw);
    if (numberIsNaN(value) || numberIsNaN(t)) {
      continue;
    }
    if (!(t <= lastSeen)) {
      lastSeen = t;
    }
    if (!zeroIsPoint && !(value > 0)) {
      continue;
    }
    // Every other sample gets a point at its time, so an all-0 object is still seen (as Unknown).
    let point = byTime.get(t);
    if (point && rank < point.anyRank) {
      point.anyLabels = labels;
      point.anyRank = rank;
    }
    if (!point) {
      const deciders = [undefined, undefined, undefined, undefined, undefined];
      point = {
        readyTrue: 0,
        readyFalse: 0,
        readyUnknown: 0,
        deleted: 0,
        suspended: 0,
        deciders,
        anyLabels: labels,
        anyRank: rank,
      };
      byTime.set(t, point);
    }
    if (value > 0) {
      setSignal(point);
      point.deciders[rank] ??= labels;
    }
  }
  return reportsAtEnd(series, lastSeen);
}

/**
 * The points by time, ascending; `present`: some series still reports at its query's end. For
 * objects that also have an info series (each point is weighed against it, `withInfo`) or whose
 * legacy series sample at different times.
 *
 * gotk_suspend_status at 0 says nothing of the Ready condition: beside condition or info series it
 * makes no point of its own, or a later sample of it (another query, a shorter step) would be an
 * Unknown point that hides a real Failed. At 1 it does: suspended wins over everything. Alone, the
 * object's only gauge, every sample is a point (Unknown at 0).
 */
export function legacyPointsByTime(
  legacy: LegacySeries,
  withInfo = false
): { times: number[]; points: LegacyPoint[]; present: boolean } {
  const byTime = new ByTime<LegacyPoint>();
  let present = false;
  for (let i = 0; legacy.conditions && i < legacy.conditions.length; i++) {
    present = mark(byTime, legacy.conditions[i].series, legacy.conditions[i].status, true) || present;
  }
  const suspendZeroIsPoint = !withInfo && !legacy.conditions?.length;
  for (let i = 0; legacy.suspends && i < legacy.suspends.length; i++) {
    present = mark(byTime, legacy.suspends[i], 'Suspended', suspendZeroIsPoint) || present;
  }
  const times = byTime.times();
  return { times, points: times.map((t) => byTime.get(t)!), present };
}

/**
 * The first legacy series when every legacy series samples at its times, ascending numbers: a
 * position then stands for one time in all of them.
 */
export function sharedSeries(legacy: LegacySeries): SeriesRef | undefined {
  const first = legacy.conditions ? legacy.conditions[0].series : legacy.suspends?.[0];
  if (!first || (!first.ascending && !isAscending(first))) {
    return undefined;
  }
  for (let i = 0; legacy.conditions && i < legacy.conditions.length; i++) {
    if (!sharesTimes(first, legacy.conditions[i].series)) {
      return undefined;
    }
  }
  for (let i = 0; legacy.suspends && i < legacy.suspends.length; i++) {
    if (!sharesTimes(first, legacy.suspends[i])) {
      return undefined;
    }
  }
  return first;
}

/** `series` samples at `first`'s ascending times: known from their spacing, else compared. */
function sharesTimes(first: SeriesRef, series: SeriesRef): boolean {
  return series === first || sameTimes(first, series) || sameSamples(first, series);
}

/** The bit of a mask that says some series has a sample at that time (above the signals' bits). */
const SAMPLED = SIGNAL_MASKS;

/**
 * The signal mask at each shared time of the object being read (0: no point there), in one buffer
 * for every object: objects are read one at a time, and nothing keeps the masks after.
 */
let masks = new Uint8Array(64);

/**
 * Marks one series' samples on {@link masks} by position; whether it still reports at its query's end.
 * `zeroIsPoint` false: a 0 marks nothing, no point of its own (as {@link legacyPointsByTime}).
 */
function markMasks(series: SeriesRef, rank: number, zeroIsPoint: boolean): boolean {
  const bit = SAMPLED | (1 << rank);
  // A 0 where a condition has a sample adds nothing either: that mask has SAMPLED already.
  const zero = zeroIsPoint ? SAMPLED : 0;
  const { start, end } = series;
  // Shared times are ascending numbers: the last row with a sample is the newest, its time read
  // once (not the series' times array row by row).
  let newest = -1;
  for (let i = start; i < end; i++) {
    const value = valueAt(series, i);
    if (!numberIsNaN(value)) {
      newest = i;
      masks[i - start] |= value > 0 ? bit : zero;
    }
  }
  return reportsAtEnd(series, newest < 0 ? NAN : (series.times[newest] as number));
}

/** The newest point of an object's legacy series and the run of its state up to it. */
export interface NewestPoint {
  /** The signals at the newest time, a mask of {@link SIGNAL_RANK} bits (state.ts STATE_OF_MASK). */
  signals: number;
  state: FluxState;
  /**
   * The labels shown: of the first series whose gauge decided the state, else of the first series of
   * the lowest-ranked gauge with a sample (as by time: {@link LegacyPoint} deciders and anyLabels).
   */
  read: SeriesLabels;
  observedAt: number;
  /** Start of the last run of the state. */
  runStart: number;
  present: boolean;
}

/**
 * The newest point of legacy series that share `first`'s times ({@link sharedSeries}): their
 * points as masks, the newest one's labels looked up once at its position.
 */
export function newestSharedPoint(legacy: LegacySeries, first: SeriesRef): NewestPoint | undefined {
  const n = first.end - first.start;
  if (masks.length < n) {
    masks = new Uint8Array(n);
  }
  // A loop, not fill(): most objects have one point (instant data), and fill is a runtime call.
  for (let i = 0; i < n; i++) {
    masks[i] = 0;
  }
  const conditions = legacy.conditions ?? [];
  const suspends = legacy.suspends ?? [];
  let present = false;
  for (let i = 0; i < conditions.length; i++) {
    present = markMasks(conditions[i].series, SIGNAL_RANK[conditions[i].status], true) || present;
  }
  for (let i = 0; i < suspends.length; i++) {
    present = markMasks(suspends[i], SIGNAL_RANK.Suspended, conditions.length === 0) || present;
  }
  let newest = n - 1;
  while (newest >= 0 && masks[newest] === 0) {
    newest--;
  }
  if (newest < 0) {
    return undefined;
  }
  const { times, start } = first;
  const signals = masks[newest] & (SAMPLED - 1);
  const state = STATE_OF_MASK[signals];
  let runStart = times[start + newest] as number;
  for (let i = newest - 1; i >= 0; i--) {
    if (masks[i] !== 0) {
      if (STATE_OF_MASK[masks[i] & (SAMPLED - 1)] !== state) {
        break;
      }
      runStart = times[start + i] as number;
    }
  }
  const deciding = DECIDING_RANK.get(state);
  let decider: SeriesLabels | undefined;
  let any: SeriesLabels | undefined;
  let anyRank = SAMPLED;
  for (let k = 0; k < conditions.length + suspends.length; k++) {
    const series = k < conditions.length ? conditions[k].series : suspends[k - conditions.length];
    const rank = k < conditions.length ? SIGNAL_RANK[conditions[k].status] : SIGNAL_RANK.Suspended;
    const value = valueAt(series, series.start + newest);
    if (numberIsNaN(value)) {
      continue;
    }
    if (rank < anyRank) {
      any = series.read;
      anyRank = rank;
    }
    if (decider === undefined && rank === deciding && value > 0) {
      decider = series.read;
    }
  }
  return { signals, state, read: (decider ?? any)!, observedAt: times[start + newest] as number, runStart, present };
}
