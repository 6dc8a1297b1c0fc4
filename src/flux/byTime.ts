import type { SeriesRef } from './frames';
import { toMs, toSampleValue } from './values';

/** Module constants, not imports: see timeline.ts. */
const NAN = Number.NaN;
const numberIsNaN = Number.isNaN;
const INFINITY = Number.POSITIVE_INFINITY;

/**
 * How many of its query's steps a series may end before its query does and still describe an
 * object that exists. One and a half: an instant query at the range's end sits up to one step
 * after the range's last aligned sample; an object missing two steps or more is gone.
 */
export const STALE_AFTER_STEPS = 1.5;

/**
 * The series still reports at the end of its own query: its newest sample (`lastSeen`, NaN when
 * none) is within {@link STALE_AFTER_STEPS} of that query's steps of that query's end. Flux >= 2.1
 * removes a deleted object's series (kube-state-metrics and Flux Operator stop reporting it), so
 * in range data a deleted object's series simply ends early. Judged against the series' own query
 * only: another query's step or end (a 15 s query beside a 60 s one, an instant query at now)
 * says nothing about whether this object still exists. Instant data has no step: always reports.
 */
export function reportsAtEnd(series: SeriesRef, lastSeen: number): boolean {
  const { end, step } = series.query;
  return !numberIsNaN(lastSeen) && !(end - lastSeen > STALE_AFTER_STEPS * step);
}

/**
 * The series' times are numbers in strictly ascending order (a query's samples): series that all
 * sample at them ({@link sameSamples}) can be merged by position, one position one time, instead
 * of by time in a ByTime.
 */
export function isAscending(series: SeriesRef): boolean {
  let previous = -INFINITY;
  for (let i = series.start; i < series.end; i++) {
    const t = series.times[i];
    if (typeof t !== 'number' || !(t > previous)) {
      return false;
    }
    previous = t;
  }
  return true;
}

/** Both series have the same times, in the same order (compared one by one). */
export function sameSamples(a: SeriesRef, b: SeriesRef): boolean {
  const n = a.end - a.start;
  if (b.end - b.start !== n) {
    return false;
  }
  for (let i = 0; i < n; i++) {
    if (a.times[a.start + i] !== b.times[b.start + i]) {
      return false;
    }
  }
  return true;
}

/**
 * Both series sample at the same times, known without reading them: evenly spaced integer times
 * ({@link SeriesRef.spacing}) with the same first time, count and spacing. False: not known.
 */
export function sameTimes(a: SeriesRef, b: SeriesRef): boolean {
  const n = a.end - a.start;
  return (
    a.spacing !== undefined &&
    a.spacing === b.spacing &&
    n === b.end - b.start &&
    (n === 0 || a.times[a.start] === b.times[b.start])
  );
}

/** The first row of the series whose value is `present`, from its start; its end when none. */
export function firstPresent(series: SeriesRef, present: (value: unknown) => boolean): number {
  let i = series.start;
  while (i < series.end && !present(series.values[i])) {
    i++;
  }
  return i;
}

/** The last row of the series whose value is `present`, from its end; its start when none. */
export function lastPresent(series: SeriesRef, present: (value: unknown) => boolean): number {
  let i = series.end - 1;
  while (i > series.start && !present(series.values[i])) {
    i--;
  }
  return i;
}

/** The newest time with a usable sample among `series`; NaN when none. */
export function lastSampleTime(series: SeriesRef[]): number {
  let last = NAN;
  for (const ref of series) {
    for (let i = ref.start; i < ref.end; i++) {
      const t = toMs(ref.times[i]);
      if (!numberIsNaN(toSampleValue(ref.values[i])) && !numberIsNaN(t) && !(t <= last)) {
        last = t;
      }
    }
  }
  return last;
}

/**
 * A map from timestamp to value that allocates nothing extra while there is only one timestamp:
 * instant data (one timestamp for everything) is the 50k-object case, and a Map per object there
 * costs more than the rest of the work.
 */
export class ByTime<T> {
  // Declared, then set in the constructor: field initialisers compile to a defineProperty helper
  // per field (swc, define semantics), which showed in profiles with one ByTime per object.
  declare private firstTime: number;
  declare private firstValue: T | undefined;
  declare private map: Map<number, T> | undefined;

  constructor() {
    this.firstTime = NAN;
    this.firstValue = undefined;
    this.map = undefined;
  }

  get(t: number): T | undefined {
    if (this.map) {
      return this.map.get(t);
    }
    return t === this.firstTime ? this.firstValue : undefined;
  }

  set(t: number, value: T): void {
    if (this.map) {
      this.map.set(t, value);
    } else if (numberIsNaN(this.firstTime) || t === this.firstTime) {
      this.firstTime = t;
      this.firstValue = value;
    } else {
      this.map = new Map([[this.firstTime, this.firstValue as T]]);
      this.map.set(t, value);
    }
  }

  get size(): number {
    return this.map ? this.map.size : numberIsNaN(this.firstTime) ? 0 : 1;
  }

  /** Timestamps in ascending order. */
  times(): number[] {
    if (this.map) {
      // Samples come in time order, so the keys usually are already: sort only when they are not.
      const times = Array.from(this.map.keys());
      for (let i = 1; i < times.length; i++) {
        if (!(times[i - 1] < times[i])) {
          return times.sort((a, b) => a - b);
        }
      }
      return times;
    }
    return numberIsNaN(this.firstTime) ? [] : [this.firstTime];
  }

  forEach(callback: (value: T, t: number) => void): void {
    if (this.map) {
      this.map.forEach(callback);
    } else if (!numberIsNaN(this.firstTime)) {
      callback(this.firstValue as T, this.firstTime);
    }
  }
}
