/**
 * The PromQL behind two columns of the Objects question: since when each object is in its state,
 * and when it last reconciled (read back in objects.ts, which also decides what the numbers mean).
 *
 * Cost is what shaped these (bench/objects-scale.bench.ts): per raw series and subquery step,
 * anything that writes a new label set (`timestamp(sel)`, arithmetic, label_replace) costs far
 * more than a selector or a comparison; `timestamp()` of every series in a 24 h subquery took
 * Prometheus 2.42 8-15 s at 10k objects. So:
 * - inside subqueries only selectors, comparisons and set operations run; `timestamp()` only sees
 *   the few series that are out of their end state at a step (its value is then the step's time);
 * - subqueries step only through the last {@link FINE_WINDOW_SECONDS} of the range; the rest of
 *   a longer range is read with plain range functions (`last_over_time(sel[r] @ t)`,
 *   `changes()`), whose cost is the samples, and only says "before that hour" (a lower bound,
 *   shown with "≥", never a made-up time) — see {@link readSince};
 * - last reconcile counts steps (`count_over_time(X == X @ end)`): a counter keeps its end value
 *   from its last increase on, so the count of such steps says when, to one step (to a coarser
 *   step, range / COARSE_STEPS, when it was before the last hour).
 * Every "end" is a literal `@ <seconds>` (the instant query's own time): VictoriaMetrics reads
 * `@ end()` inside a subquery as the step's time; Thanos and Mimir take literals too. Subquery
 * ranges end 1 ms short so that 2.x (closed ranges) and 3.x (left-open) see the same steps.
 * The same two answers from FluxGrid's recording rules: recordedTimes.ts.
 */
import { DataFrame } from '@grafana/data';

import { reasonLabels } from '../labels';
import { quote } from '../promql/escape';
import { exportedNamespace, ID_LIST, keyOf, lastSamples, namesObject, normalizeIdentity } from '../promql/identity';
import { filterRawSeries, fitting, Selection } from '../promql/selection';
import {
  atTime,
  familyIdentityLabels,
  FluxFilters,
  LabelMatcher,
  MetricFamily,
  PromQLOptions,
  schemasOf,
} from '../promql/selectors';
import { legacyConditionSelectors } from '../promql/stateRules';
import { FLUX_METRICS, FluxSchema } from '../types';

/** The last stretch of the range that the since / last-reconcile subqueries step through. */
export const FINE_WINDOW_SECONDS = 3600;

/** Steps of the last-reconcile count over the whole of a longer range. */
export const COARSE_STEPS = 24;

/**
 * How often the subqueries look at the raw series: every 4 minutes, growing past 24 h to keep at
 * most 360 steps (subquery cost is series x steps).
 */
export function subqueryStep(windowSeconds: number, maxSteps = 360, minStepSeconds = 240): number {
  return Math.max(minStepSeconds, Math.ceil(windowSeconds / maxSteps));
}

/** Where the times look: the window [start, end], its fine tail (E, end], steps (epoch seconds). */
export interface TimesPlan {
  startS: number;
  endS: number;
  /** E: where the fine tail starts (= start when the range is at most the fine window). */
  fineFromS: number;
  fineStepS: number;
  /** Whole-range step of the last-reconcile count (only when the range is longer than the tail). */
  coarseStepS: number;
}

export function timesPlan(windowSeconds: number, endSeconds: number, fineStepSeconds?: number): TimesPlan {
  const fine = Math.min(windowSeconds, FINE_WINDOW_SECONDS);
  return {
    startS: endSeconds - windowSeconds,
    endS: endSeconds,
    fineFromS: endSeconds - fine,
    fineStepS: fineStepSeconds ?? subqueryStep(fine),
    coarseStepS: Math.max(subqueryStep(fine), Math.ceil(windowSeconds / COARSE_STEPS)),
  };
}

const hasCoarse = (plan: TimesPlan) => plan.fineFromS > plan.startS;

/** `[r - 1ms:step]`: the steps in (end - r, end] on Prometheus 2.x and 3.x alike. */
function subqueryRange(seconds: number, stepSeconds: number): string {
  return `[${Math.round(seconds * 1000) - 1}ms:${Math.round(stepSeconds)}s]`;
}

/** `[r]` in milliseconds (a range function's window). */
function rangeOf(seconds: number): string {
  return `[${Math.round(seconds * 1000)}ms]`;
}

/** The aligned subquery steps in (fromS, toS]: Prometheus steps at multiples of the step. */
export function stepsIn(fromS: number, toS: number, stepS: number): { count: number; lastS: number } {
  const last = Math.floor(toS / stepS);
  return { count: last - Math.floor(fromS / stepS), lastS: last * stepS };
}

/** A union, parenthesised whole: `unless`, `and` and comparisons bind tighter than `or`. */
export const or = (parts: string[]) => (parts.length === 1 ? parts[0] : `(${parts.map((p) => `(${p})`).join(' or ')})`);

/**
 * The raw labels that tell one object's states apart: its identity candidates and the signals the
 * state rules read. `on(…)` these, a series of another exporter pod (a new `pod`, `instance`) is the
 * same object in the same state; a change of reason counts as a change (it can change the state).
 */
export function signalLabels(selection: Selection, extra: string[]): string {
  const ids = familyIdentityLabels('kube-state-metrics', selection.mapping);
  const labels = [
    ...ids.cluster,
    ...ids.kind,
    ...ids.namespace,
    ...ids.name,
    ...reasonLabels(selection.mapping),
    ...extra,
  ];
  return Array.from(new Set(labels)).join(', ');
}

/**
 * Since, per raw series of an info schema, as values the reading tells apart (readSince); only
 * objects that changed answer (the others, in their state through the window, are most of a
 * fleet: no answer is the cheap one):
 * - the last fine step at which the object was out of its end state: its end-state series absent,
 *   or a series of it in another state present (a state change ends a series and starts another);
 * - E: a series in another state within [start, E] (before the tail), or not in its end state at
 *   the start.
 */
function infoSinceRaw(schema: 'flux-operator' | 'kube-state-metrics', s: Selection, plan: TimesPlan): string {
  const on = `on(${signalLabels(s, ['suspended', 'ready', 'url'])})`;
  const now = or(s.info(schema));
  const atEnd = or(s.info(schema, { at: plan.endS }));
  // Another state's series seen at a step only if it has a sample since the step before (no
  // 5 min lookback: it would make the change look minutes later); the end state's series is
  // absent at a step before it first appears, lookback or not.
  const seen = or(s.info(schema).map((sel) => `last_over_time(${sel}[${Math.round(plan.fineStepS)}s])`));
  const out = `(${atEnd} unless ${on} ${now}) or (${seen} unless ${on} ${atEnd})`;
  const parts = [`max_over_time(timestamp(${out})${subqueryRange(plan.endS - plan.fineFromS, plan.fineStepS)})`];
  if (hasCoarse(plan)) {
    const before = or(
      s
        .info(schema)
        .map((sel) => `last_over_time(${sel}${rangeOf(plan.fineFromS - plan.startS)} @ ${atTime(plan.fineFromS)})`)
    );
    parts.push(`(${before} unless ${on} ${atEnd}) * 0 + ${atTime(plan.fineFromS)}`);
    // Not there at the start in its end state: it got there within [start, E].
    parts.push(`(${atEnd} unless ${on} ${or(s.info(schema, { at: plan.startS }))}) * 0 + ${atTime(plan.fineFromS)}`);
  }
  return or(parts);
}

/**
 * The same for the legacy gauges, whose values flip in place: the last fine step at which any
 * gauge of the object differed from its end value (or was absent); E for a change within
 * [start, E], or a gauge not at its end value (or absent) at the start.
 */
function legacySinceRaw(s: Selection, plan: TimesPlan): string {
  const gauges = (at?: number) => {
    const modifiers = at === undefined ? {} : { at };
    return [
      ...legacyConditionSelectors(s, undefined, modifiers),
      ...s.selectors(FLUX_METRICS.legacySuspend, 'legacy', [], modifiers),
    ];
  };
  const on = `on(${signalLabels(s, ['type', 'status'])})`;
  const now = or(gauges());
  const atEnd = or(gauges(plan.endS));
  const out = `(${now} != ${atEnd}) or (${atEnd} unless ${on} ${now})`; // unions come parenthesised
  const parts = [`max_over_time(timestamp(${out})${subqueryRange(plan.endS - plan.fineFromS, plan.fineStepS)})`];
  if (hasCoarse(plan)) {
    const changed = or(
      gauges().map((sel) => `changes(${sel}${rangeOf(plan.fineFromS - plan.startS)} @ ${atTime(plan.fineFromS)}) > 0`)
    );
    const atStart = or(gauges(plan.startS));
    parts.push(
      `((${changed}) or (${atStart} != ${atEnd}) or (${atEnd} unless ${on} ${atStart})) * 0 + ${atTime(plan.fineFromS)}`
    );
  }
  return or(parts);
}

function sinceOf(schema: FluxSchema, s: Selection, plan: TimesPlan): string {
  const raw = schema === 'legacy' ? legacySinceRaw(s, plan) : infoSinceRaw(schema, s, plan);
  // The latest wins per object: a fine step beats E beats start.
  return `max by (${ID_LIST}) (${normalizeIdentity(raw, schema, s.mapping)})`;
}

/** The label that says which schema's series a since (or unrecorded change) was read from. */
export const SINCE_SCHEMA_LABEL = 'fluxgrid_schema';

/**
 * Each schema's answer, labelled with its schema, together: an object's since is the one of the
 * schema its state is read from ({@link sinceBySchema}), not whichever schema saw a change. An
 * object in kube-state-metrics and the legacy gauges (Flux 2.1-2.4 export both) is Ready from
 * kube-state-metrics; a gap in its gauges is no change of that state.
 */
export function eachSchema(schemas: readonly FluxSchema[], answer: (schema: FluxSchema) => string): string {
  return schemas
    .map((schema) => `label_replace(${answer(schema)}, ${quote(SINCE_SCHEMA_LABEL)}, ${quote(schema)}, "", "")`)
    .join(' or ');
}

/** An answer of {@link eachSchema}: per schema, object key → its latest value. */
export function sinceBySchema(frames: DataFrame[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const { labels, value } of lastSamples(frames)) {
    const schema = Object.hasOwn(labels, SINCE_SCHEMA_LABEL) ? labels[SINCE_SCHEMA_LABEL] : undefined;
    if (schema === undefined || !namesObject(labels)) {
      continue;
    }
    let bySchema = out.get(schema);
    if (!bySchema) {
      bySchema = new Map();
      out.set(schema, bySchema);
    }
    const key = keyOf(labels);
    bySchema.set(key, Math.max(value, bySchema.get(key) ?? value));
  }
  return out;
}

/** Since when each object is in its state, one series per object and schema (epoch seconds, see readSince). */
export function sinceQuery(
  filters: FluxFilters,
  options: PromQLOptions,
  windowSeconds: number,
  stepSeconds: number,
  /** The instant query's time, pinned as `@ <seconds>` (objects.ts passes the window end). */
  endSeconds = 0
): string {
  const plan = timesPlan(windowSeconds, endSeconds, stepSeconds);
  return fitting(filters, options.labels ?? {}, (s) =>
    s.exact(eachSchema(schemasOf(options.schema), (schema) => sinceOf(schema, s, plan)))
  );
}

export interface SinceReading {
  /** Epoch ms. */
  sinceMs: number;
  /** "In this state at least since": the change is earlier (or the object older) than the window says. */
  lowerBound: boolean;
}

/** What a since value means (`value` undefined: the object had no answer). */
export function readSince(value: number | undefined, plan: TimesPlan): SinceReading {
  const bound = (s: number) => ({ sinceMs: s * 1000, lowerBound: true });
  if (value === undefined) {
    // No change within the window: in its state at least since its start.
    return bound(plan.startS);
  }
  if (value <= plan.fineFromS) {
    // No change at any fine step, one before: in its state through the whole tail (within a step of E).
    return bound(plan.fineFromS);
  }
  // The last step out of the state: the change came within a step of it.
  return { sinceMs: Math.min(value, plan.endS) * 1000, lowerBound: false };
}

/**
 * The latest value per object of one family's series (`series(extra)`, the selectors with those
 * matchers), grouped by the raw identity labels and read back with the core's identity rule
 * (`valuesByIdentity`): no label is rewritten per series (copying the four identity labels into
 * `fluxgrid_*` ones was half of the last-reconcile query's time at 10k objects, and their names
 * 18 bytes an object). One family: the same object is one label set. The series with
 * `exported_namespace` apart, without `namespace` (as the state query has them). Filtered
 * (compact selections) after that.
 */
export function latestByIdentity(
  s: Selection,
  filters: FluxFilters,
  family: MetricFamily,
  series: (extra: LabelMatcher[]) => string
): string {
  const ids = familyIdentityLabels(family, s.mapping);
  const by = (namespaces: string[]) =>
    Array.from(new Set([...ids.cluster, ...ids.kind, ...namespaces, ...ids.name])).join(', ');
  const latest = s.mapping.namespace
    ? `max by (${by(ids.namespace)}) (${series([])})`
    : or([
        `max by (${by(ids.namespace.filter((label) => label !== 'namespace'))}) (${series(exportedNamespace('!='))})`,
        `max by (${by(ids.namespace)}) (${series(exportedNamespace('='))})`,
      ]);
  return s.mode === 'inline' ? latest : filterRawSeries(latest, filters, s.mapping);
}

/**
 * When each object last reconciled (epoch seconds), from gotk_reconcile_duration_seconds_count
 * (every Flux version's controllers export it). A counter keeps its end value from its last
 * increase on, so per raw series the count of trailing steps at the end value says when: n of N
 * steps means the last step that still saw an older count is the (n+1)th from the end. Over the
 * fine tail at its step, else (longer ranges) over the whole range at a coarser one, placed at
 * most at E. 0: it did not reconcile within the window. Also lists objects known only from their
 * reconciles (Flux >= 2.5 without a state metric). Raw identity labels ({@link latestByIdentity}).
 */
export function lastReconcileQuery(
  filters: FluxFilters,
  options: PromQLOptions,
  windowSeconds: number,
  stepSeconds: number,
  endSeconds = 0
): string {
  const plan = timesPlan(windowSeconds, endSeconds, stepSeconds);
  return fitting(filters, options.labels ?? {}, (s) =>
    latestByIdentity(s, filters, 'controller', (extra) => {
      const counter = (at?: number) =>
        or(s.selectors(FLUX_METRICS.reconcileDurationCount, 'controller', extra, at === undefined ? {} : { at }));
      const unchanged = `(${counter()} == ${counter(plan.endS)})`;
      // Before `or`: no step at the end value yet (it increased after the last step) is 0 steps.
      const lastOlderStep = (fromS: number, stepS: number) => {
        const steps = stepsIn(fromS, plan.endS, stepS);
        const count = `count_over_time(${unchanged}${subqueryRange(plan.endS - fromS, stepS)}) or (${counter(plan.endS)} * 0)`;
        return `${steps.lastS} - ${stepS} * ((${count}) < ${steps.count})`;
      };
      const parts = [lastOlderStep(plan.fineFromS, plan.fineStepS)];
      if (hasCoarse(plan)) {
        parts.push(`clamp_max(${lastOlderStep(plan.startS, plan.coarseStepS)}, ${atTime(plan.fineFromS)})`);
      }
      parts.push(`${counter(plan.endS)} * 0`);
      // Per raw series the finest answer (`or` keeps the left one), per object the latest.
      return or(parts);
    })
  );
}
