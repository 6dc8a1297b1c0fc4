/**
 * The timestamps of each query a reading's frames answer (one QueryTiming per refId): what every
 * series is judged against (timeline.ts, reportsAtEnd), never another query's timing.
 */
// Types only: see frames.ts (the core loads in node).
import type { DataFrame, Field } from '@grafana/data';

import type { QueryTiming } from './series';
import { toMs } from './values';

/** Looked up once: see values.ts on builtins in a vm context (widen runs per timestamp). */
const numberIsNaN = Number.isNaN;
const numberIsFinite = Number.isFinite;
const NAN = Number.NaN;
const INFINITY = Number.POSITIVE_INFINITY;
const mathFloor = Math.floor;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** See frames.ts on reading Grafana's frames and fields with Reflect.get. */
const reflectGet: <T>(target: object, name: string) => T | undefined = Reflect.get;

/** The frames' timings, one per refId (frames without one share a query). */
export class QueryTimings {
  private readonly byRefId = new Map<string, QueryTiming>();

  private lastRefId: string | undefined = undefined;
  private last: QueryTiming | undefined = undefined;
  /** Whether the last time field added was strictly ascending numbers, and its spacing (SeriesRef). */
  ascending = false;
  spacing = NAN;

  /** The timing of `frame`'s query, widened by the frame's time field. */
  add(frame: DataFrame, timeField: Field, times: ArrayLike<unknown>): QueryTiming {
    const refId = reflectGet(frame, 'refId');
    // 50k frames of one query in a row: skip the map lookup for each.
    const query = typeof refId === 'string' ? refId : '';
    let timing = query === this.lastRefId ? this.last : this.byRefId.get(query);
    if (!timing) {
      timing = { start: NAN, end: NAN, step: INFINITY };
      this.byRefId.set(query, timing);
    }
    this.lastRefId = query;
    this.last = timing;
    this.ascending = false;
    this.spacing = NAN;
    if (this.widenAscending(timing, times)) {
      setStep(timing, timeField, this.smallestGap);
    } else {
      this.spacing = NAN;
      widen(timing, timeField, times);
    }
    return timing;
  }

  private smallestGap = INFINITY;

  /**
   * {@link widen} for the time field of nearly every frame, strictly ascending numbers, in one
   * tighter pass: min and max are the ends, the smallest gap the smallest step. False, with
   * `timing` untouched, when the times are not such.
   */
  private widenAscending(timing: QueryTiming, times: ArrayLike<unknown>): boolean {
    if (this.widenSpaced(timing, times)) {
      return true;
    }
    const n = times.length;
    let previous = -INFINITY;
    let gap = INFINITY;
    let widest = 0;
    let integers = true;
    for (let i = 0; i < n; i++) {
      const t = times[i];
      if (typeof t !== 'number' || !(t > previous)) {
        return false;
      }
      if (i > 0) {
        const distance = t - previous;
        gap = distance < gap ? distance : gap;
        widest = distance > widest ? distance : widest;
      }
      // floor, not `% 1`: a double's remainder is a call into the C library, per timestamp.
      integers &&= mathFloor(t) === t;
      previous = t;
    }
    if (n > 0) {
      const first = times[0] as number;
      timing.start = first >= timing.start ? timing.start : first;
      timing.end = previous <= timing.end ? timing.end : previous;
    }
    this.ascending = true;
    this.spacing = !integers ? NAN : n <= 1 ? 0 : gap === widest ? gap : NAN;
    this.smallestGap = gap;
    return true;
  }

  /**
   * {@link widenAscending} for evenly spaced integer times (a query's steps: nearly every frame),
   * each compared with first + i × step: fewer operations per time than the general pass. Safe
   * integers only, where that sum is exact, so the answer is the general pass's. False, with
   * `timing` untouched, when the times are not such (the general pass then decides).
   */
  private widenSpaced(timing: QueryTiming, times: ArrayLike<unknown>): boolean {
    const n = times.length;
    if (n === 0) {
      return false;
    }
    const first = times[0];
    const second = n > 1 ? times[1] : undefined;
    if (typeof first !== 'number' || !(first >= -MAX_SAFE) || mathFloor(first) !== first) {
      return false;
    }
    const step = typeof second === 'number' ? second - first : n > 1 ? NAN : 0;
    if (n > 1 && !(step > 0 && mathFloor(step) === step && first + (n - 1) * step <= MAX_SAFE)) {
      return false;
    }
    // From the second time on: the step itself may be rounded (-1 then 5e-324 gives 1), so the
    // second time is compared too.
    for (let i = 1; i < n; i++) {
      if (times[i] !== first + i * step) {
        return false;
      }
    }
    // The time itself (first + 0 × step would turn a first -0 into 0).
    const last = times[n - 1] as number;
    timing.start = first >= timing.start ? timing.start : first;
    timing.end = last <= timing.end ? timing.end : last;
    this.ascending = true;
    this.spacing = step;
    this.smallestGap = n > 1 ? step : INFINITY;
    return true;
  }
}

/**
 * Widens `timing` by a time field: min and max over every row (the rows need not be in order:
 * descending or shuffled timestamps give the same timing), and the smallest gap between two
 * distinct timestamps, in sorted order.
 */
function widen(timing: QueryTiming, timeField: Field, times: ArrayLike<unknown>): void {
  let min = timing.start;
  let max = timing.end;
  let gap = INFINITY;
  let previous = NAN;
  let ascending = true;
  let descending = true;
  for (let i = 0; i < times.length; i++) {
    // Numbers, what Grafana gives, without a call: a double handed to a function that is not
    // inlined is boxed, one allocation per sample (range data: GC took more than the reading).
    const raw = times[i];
    const t = typeof raw === 'number' ? raw : toMs(raw);
    if (numberIsNaN(t)) {
      continue;
    }
    if (!(t >= min)) {
      min = t;
    }
    if (!(t <= max)) {
      max = t;
    }
    if (!numberIsNaN(previous) && t !== previous) {
      ascending &&= t > previous;
      descending &&= t < previous;
      const distance = t > previous ? t - previous : previous - t;
      gap = distance < gap ? distance : gap;
    }
    previous = t;
  }
  if (!ascending && !descending) {
    // Out of order (a table's rows go series by series): neighbours in the input are not
    // neighbours in time.
    gap = smallestGap(times);
  }
  timing.start = min;
  timing.end = max;
  setStep(timing, timeField, gap);
}

/** The query's step narrowed by a time field's: its `config.interval`, else its smallest gap. */
function setStep(timing: QueryTiming, timeField: Field, gap: number): void {
  // Each decoded field's config has a hidden class of its own too: Reflect.get, as for the frame.
  const config = reflectGet<Field['config']>(timeField, 'config');
  const interval = config !== null && typeof config === 'object' ? reflectGet(config, 'interval') : undefined;
  const step = typeof interval === 'number' && interval > 0 && numberIsFinite(interval) ? interval : gap;
  timing.step = step < timing.step ? step : timing.step;
}

function smallestGap(times: ArrayLike<unknown>): number {
  const sorted = new Float64Array(times.length);
  let n = 0;
  for (let i = 0; i < times.length; i++) {
    const t = toMs(times[i]);
    if (!numberIsNaN(t)) {
      sorted[n++] = t;
    }
  }
  const used = sorted.subarray(0, n).sort();
  let gap = INFINITY;
  for (let i = 1; i < used.length; i++) {
    if (used[i] !== used[i - 1]) {
      gap = used[i] - used[i - 1] < gap ? used[i] - used[i - 1] : gap;
    }
  }
  return gap;
}
