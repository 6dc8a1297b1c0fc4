import type { SeriesRef } from './frames';
import { toMs, toSampleValue } from './values';

/** Module constants, not imports: see timeline.ts. */
const NAN = Number.NaN;
const numberIsNaN = Number.isNaN;
const INFINITY = Number.POSITIVE_INFINITY;

/**
 * A series' times when they are numbers in strictly ascending order (a query's samples), else
 * undefined: series that all sample at them ({@link samplesAt}) can be merged by position, one
 * position one time, instead of by time in a ByTime.
 */
export function ascendingTimes(series: SeriesRef | undefined): number[] | undefined {
  const times: number[] = [];
  for (let i = series ? series.start : 0; series && i < series.end; i++) {
    const t = series.times[i];
    if (typeof t !== 'number' || !(t > (times.length > 0 ? times[times.length - 1] : -INFINITY))) {
      return undefined;
    }
    times.push(t);
  }
  return series ? times : undefined;
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

/** `list` holds `n` entries, none undefined (no hole). */
export function isFilled<T>(list: ReadonlyArray<T | undefined>, n: number): list is T[] {
  for (let i = 0; i < n; i++) {
    if (list[i] === undefined) {
      return false;
    }
  }
  return list.length === n;
}

/** The series samples at exactly `times`, in that order. */
export function samplesAt(series: SeriesRef, times: readonly number[]): boolean {
  if (series.end - series.start !== times.length) {
    return false;
  }
  for (let i = 0; i < times.length; i++) {
    if (series.times[series.start + i] !== times[i]) {
      return false;
    }
  }
  return true;
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
