/** Module constants, not imports: see timeline.ts. */
const NAN = Number.NaN;
const numberIsNaN = Number.isNaN;

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
