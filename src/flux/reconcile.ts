/**
 * Reconcile statistics from the controllers' gotk_reconcile_duration_seconds histogram
 * (`_count` and `_sum`; the buckets are not needed for a count and a mean).
 *
 * Range data: how many reconciles happened inside the range (the increase of the counter, with
 * counter resets handled like Prometheus' increase(): a drop means the controller restarted from
 * 0), their mean duration (Δsum / Δcount) and when the count last grew. Instant data: the counters
 * themselves (reconciles since the controller started).
 *
 * Copies of one counter (HA Prometheus replicas: same labels but `replica`/`prometheus`) are the
 * same reconciles counted twice, so the largest copy wins; distinct series (a controller restart
 * gives a new `pod`/`instance`) are different reconciles and add up.
 */
import { SeriesRef } from './frames';
import { Labels } from './labels';
import { ReconcileStats } from './types';
import { toMs, toSampleValue } from './values';

/** Module constants, not imports: see timeline.ts. */
const numberIsNaN = Number.isNaN;

/** Looked up once: see frames.ts on builtins in a vm context. */
const keysOf = Object.keys;

/** Labels that only say which Prometheus of an HA pair scraped the sample. */
export const HA_REPLICA_LABELS: ReadonlySet<string> = new Set([
  'replica',
  'prometheus_replica',
  '__replica__',
  'prometheus',
]);

interface CounterWindow {
  increase: number;
  last: number;
  lastIncreaseAt?: number;
  hasSamples: boolean;
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function signature(labels: Labels, skip: ReadonlySet<string> | undefined): string {
  // Own names, text values only: a label value that is not text (a broken frame) is no value.
  const names = keysOf(labels)
    .filter((name) => name !== '__name__' && name !== 'le' && !skip?.has(name) && textOf(labels[name]) !== '')
    .sort();
  let out = '';
  for (const name of names) {
    out += name + '\u001f' + textOf(labels[name]) + '\u001e';
  }
  return out;
}

/** All samples of the parts of one series (table frames split a series into one row per sample). */
function samplesOf(parts: SeriesRef[]): Array<[number, number]> {
  const samples: Array<[number, number]> = [];
  for (const part of parts) {
    for (let i = part.start; i < part.end; i++) {
      const value = toSampleValue(part.values[i]);
      const t = toMs(part.times[i]);
      if (!numberIsNaN(value) && !numberIsNaN(t)) {
        samples.push([t, value]);
      }
    }
  }
  samples.sort((a, b) => a[0] - b[0]);
  return samples;
}

function counterWindow(samples: Array<[number, number]>, isRange: boolean): CounterWindow {
  if (samples.length === 0) {
    return { increase: 0, last: 0, hasSamples: false };
  }
  const last = samples[samples.length - 1][1];
  if (!isRange) {
    return { increase: last, last, hasSamples: true };
  }
  let increase = 0;
  let lastIncreaseAt: number | undefined;
  for (let i = 1; i < samples.length; i++) {
    const previous = samples[i - 1][1];
    const current = samples[i][1];
    const delta = current >= previous ? current - previous : current;
    if (delta > 0) {
      increase += delta;
      lastIncreaseAt = samples[i][0];
    }
  }
  return { increase, last, lastIncreaseAt, hasSamples: true };
}

function groupParts(series: SeriesRef[]): Map<string, SeriesRef[]> {
  const parts = new Map<string, SeriesRef[]>();
  for (const ref of series) {
    const key = signature(ref.labels, undefined);
    const list = parts.get(key);
    if (list) {
      list.push(ref);
    } else {
      parts.set(key, [ref]);
    }
  }
  return parts;
}

/**
 * The stats of one object from its `_count` and `_sum` series; undefined without count series.
 * `isRange` says whether the data is a range (increase) or an instant (counter values).
 */
export function reconcileStats(
  countSeries: SeriesRef[],
  sumSeries: SeriesRef[],
  isRange: boolean
): ReconcileStats | undefined {
  if (countSeries.length === 0) {
    return undefined;
  }
  const sums = groupParts(sumSeries);
  // Per HA group: the copy that counted the most reconciles, with its own sum.
  const best = new Map<string, { count: CounterWindow; sum?: CounterWindow }>();
  for (const [key, parts] of groupParts(countSeries)) {
    const count = counterWindow(samplesOf(parts), isRange);
    if (!count.hasSamples) {
      continue;
    }
    const sumParts = sums.get(key);
    const sum = sumParts ? counterWindow(samplesOf(sumParts), isRange) : undefined;
    const group = signature(parts[0].labels, HA_REPLICA_LABELS);
    const current = best.get(group);
    if (!current || count.increase > current.count.increase) {
      best.set(group, { count, sum });
    }
  }
  if (best.size === 0) {
    return undefined;
  }
  let count = 0;
  let sum = 0;
  let sumKnown = true;
  let lastReconcileAt: number | undefined;
  for (const { count: c, sum: s } of best.values()) {
    count += c.increase;
    if (s && s.hasSamples) {
      sum += s.increase;
    } else {
      sumKnown = false;
    }
    if (c.lastIncreaseAt !== undefined && (lastReconcileAt === undefined || c.lastIncreaseAt > lastReconcileAt)) {
      lastReconcileAt = c.lastIncreaseAt;
    }
  }
  const stats: ReconcileStats = { count };
  if (count > 0 && sumKnown) {
    stats.meanSeconds = sum / count;
  }
  if (lastReconcileAt !== undefined) {
    stats.lastReconcileAt = lastReconcileAt;
  }
  return stats;
}
