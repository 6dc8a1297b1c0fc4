/**
 * The Reconcile duration question: per object over the range, from the controllers' histogram
 * gotk_reconcile_duration_seconds: p50, p95, max (the upper bound of the slowest non-empty bucket:
 * histogram_quantile(1, …)), count and mean, in one query told apart by a stat label; only the
 * `limit` objects with the highest p95 (plus objects tied with the last one).
 *
 * With a state filter the durations need each object's state: the state query of the Objects
 * question runs beside it (same request), every object is ranked, and only those in the wanted
 * states are kept.
 */
import { DataFrame } from '@grafana/data';

import { duration } from '../promql/escape';
import { ID_LIST, keyOf, lastSamples, normalizeIdentity, ObjectRef, refOf } from '../promql/identity';
import { fitting } from '../promql/selection';
import { FluxFilters, orAll, PromQLOptions } from '../promql/selectors';
import { asStat, statOf } from '../promql/stats';
import { objectKey } from '../labels';
import { HA_REPLICA_LABELS } from '../reconcile';
import { compareIdentity } from '../summary';
import { FLUX_METRICS, FluxState } from '../types';
import * as objectsQuestion from './objects';
import { FluxAnswers, FluxQueries, FluxWindow, windowSecondsOf } from './question';

export interface DurationRow extends ObjectRef {
  p50?: number;
  p95?: number;
  max?: number;
  count?: number;
  mean?: number;
}

/** The statistics of a row, each a stat of the one query. */
const STATS = ['p50', 'p95', 'max', 'count', 'mean'] as const;
type Stat = (typeof STATS)[number];
const isStat = (name: string): name is Stat => (STATS as readonly string[]).includes(name);

export interface DurationsParams {
  /** How many of the slowest objects (at least 1). */
  limit: number;
  /** Keep only objects in these states (undefined: every state). */
  states?: ReadonlySet<FluxState>;
}

function limitOf(params: DurationsParams): number {
  return Math.max(1, Math.floor(Number(params.limit) || 1));
}

/** The one query of the statistics of the `limit` slowest objects by p95 (ties kept). */
export function reconcileDurationQuery(
  filters: FluxFilters,
  options: PromQLOptions,
  windowSeconds: number,
  limit: number
): string {
  const mapping = options.labels ?? {};
  const range = duration(windowSeconds);
  // An HA Prometheus pair (Thanos without dedup) sends each counter twice, differing only in the
  // replica label: the same reconciles, kept once (the largest copy, as reconcile.ts does). Only
  // those labels go: a new pod or instance (a restart, a leader change) holds other reconciles of
  // the same object, which add up. A replica label a setting names is the object's, and stays.
  const named = new Set(Object.values(mapping));
  const replicas = [...HA_REPLICA_LABELS].filter((label) => !named.has(label));
  const withoutReplicas = (expr: string) =>
    replicas.length === 0 ? expr : `max without (${replicas.join(', ')}) (${expr})`;
  // The first way of selecting the objects that keeps the query within the engines' size limit
  // (selection.ts): with large filters the selectors read more objects and `exact` cuts them.
  return fitting(filters, mapping, (selection) => {
    const increase = (metric: string, by: string) =>
      `sum by (${by}) (${normalizeIdentity(
        withoutReplicas(orAll(selection.selectors(metric, 'controller', [], { range }).map((s) => `increase(${s})`))),
        'controller',
        mapping
      )})`;
    const buckets = increase(FLUX_METRICS.reconcileDurationBucket, `${ID_LIST}, le`);
    const count = increase(FLUX_METRICS.reconcileDurationCount, ID_LIST);
    const sum = increase(FLUX_METRICS.reconcileDurationSum, ID_LIST);
    const quantile = (q: number) => `histogram_quantile(${q}, ${buckets})`;
    const p95 = quantile(0.95);
    // topk() breaks ties at random (Go map order), so five topk()s could pick five different sets.
    // The limit-th highest p95 of the matching objects is a value, though: keep every object at or
    // above it (the limit plus any ties); read() sorts and cuts deterministically.
    const threshold = `scalar(min(topk(${Math.max(1, Math.floor(limit))}, ${selection.exact(p95)})))`;
    const top = `((${p95}) >= ${threshold})`;
    const values: Record<Stat, string> = {
      p50: quantile(0.5),
      p95,
      max: quantile(1),
      count,
      mean: `${sum} / (${count} > 0)`,
    };
    // One `and on(id) top` for all five statistics (they differ only by their stat label).
    const stats = STATS.map((name) => `(${asStat(values[name], name)})`).join(' or ');
    return selection.exact(`(${stats}) and on(${ID_LIST}) ${top}`);
  });
}

/** Every object is ranked when a state filter has to cut afterwards. */
const RANK_ALL = 1_000_000;

export function queries(
  filters: FluxFilters,
  options: PromQLOptions,
  window: FluxWindow,
  params: DurationsParams
): FluxQueries {
  const windowSeconds = windowSecondsOf(window);
  if (!params.states) {
    return {
      exprs: { durations: reconcileDurationQuery(filters, options, windowSeconds, limitOf(params)) },
      range: false,
    };
  }
  return {
    exprs: {
      durations: reconcileDurationQuery(filters, options, windowSeconds, RANK_ALL),
      ...objectsQuestion.queries(filters, options, window, { withTimes: false }).exprs,
    },
    range: false,
  };
}

/** Rows of the answer (one series per object and statistic), slowest first. */
export function durationRows(frames: DataFrame[], limit: number): DurationRow[] {
  const rows = new Map<string, DurationRow>();
  for (const sample of lastSamples(frames)) {
    const stat = statOf(sample.labels);
    if (!isStat(stat)) {
      continue;
    }
    const key = keyOf(sample.labels);
    let row = rows.get(key);
    if (!row) {
      row = refOf(sample.labels);
      rows.set(key, row);
    }
    row[stat] = sample.value;
  }
  return Array.from(rows.values())
    .filter((r) => r.p95 !== undefined)
    .sort((a, b) => (b.p95 ?? 0) - (a.p95 ?? 0) || (b.mean ?? 0) - (a.mean ?? 0) || compareIdentity(a, b))
    .slice(0, Math.max(1, limit));
}

export function read(
  answers: FluxAnswers,
  window: FluxWindow,
  options: PromQLOptions,
  params: DurationsParams
): DurationRow[] {
  const limit = limitOf(params);
  if (!params.states) {
    return durationRows(answers.durations ?? [], limit);
  }
  const wanted = new Set(
    objectsQuestion.read(answers, window, options, { withTimes: false, states: params.states }).map((o) => o.key)
  );
  return durationRows(answers.durations ?? [], Number.MAX_SAFE_INTEGER)
    .filter((row) => wanted.has(objectKey(row)))
    .slice(0, limit);
}
