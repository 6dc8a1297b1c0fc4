/**
 * The PromQL behind two columns of the Objects question: since when each object is in its state,
 * and when it last reconciled. Both are per-object answers computed over the dashboard range
 * (read back in objects.ts, which also decides what the numbers mean).
 *
 * - `sinceQuery`: inside the subquery only raw selectors run (`timestamp(sel)`: a sample's own
 *   time); relabelling and the state rules run once, outside. Info metrics: exact to the scrape for
 *   ranges up to 24 h (the time of the last sample in another state: the change happened before the
 *   next scrape). Legacy gauges: exact to one subquery step (4 min up to 24 h, then range / 360).
 *   Approximate everywhere: an object in its state for the whole range gets the range start (a
 *   lower bound); one that appeared within the range, its first sample within one step; a gap in
 *   the series is not a change; a state shorter than a step can be missed by the legacy gauges (and
 *   by info metrics past 24 h).
 * - `lastReconcileQuery`: the last sample of gotk_reconcile_duration_seconds_count, seen at a step,
 *   that still had an older count than at the end: exact to one step. Nothing when the object did
 *   not reconcile within the range.
 * Both subqueries need the `@` modifier (Prometheus >= 2.33 by default; Thanos, Mimir support it).
 */
import { FLUX_METRICS, FluxLabelMapping } from '../types';
import { duration } from '../promql/escape';
import { ID_LIST, normalizeIdentity } from '../promql/identity';
import { filteredSelectors, FluxFilters, infoSelectors, orAll, PromQLOptions, schemasOf } from '../promql/selectors';
import {
  firstPerObject,
  InfoSchema,
  infoStateLabels,
  infoStateSeries,
  legacyConditionSelectors,
  legacyStateSeries,
  legacyStatusToState,
  STATE_LABEL,
} from '../promql/stateRules';

/**
 * How often the since / last-reconcile subqueries look at the raw series: every 4 minutes,
 * growing past 24 h to keep at most 360 steps. Subquery cost is series x steps, and it dominates
 * an Objects refresh at 10k objects (see bench/datasource.bench.ts: a 1 min step made it 4x
 * slower). What a step takes is `timestamp()` of the newest sample:
 * - info metrics: a state change ENDS a series, and Prometheus looks back 5 minutes for the
 *   newest sample, so with any step under 5 minutes (ranges up to 24 h) the last sample of every
 *   series is seen, exactly;
 * - legacy gauges and the reconcile counter change their value IN PLACE: the last sample with the
 *   old value is only seen if a step falls between it and the change, so those times are exact to
 *   one step (4 min up to 24 h).
 */
export function subqueryStep(windowSeconds: number, maxSteps = 360, minStepSeconds = 240): number {
  return Math.max(minStepSeconds, Math.ceil(windowSeconds / maxSteps));
}

/**
 * `fn_over_time(timestamp(SEL)[window:step])` over each selector: per raw series, the time of a
 * sample. Only raw selectors run at every step (cheap); relabelling and state rules run once,
 * outside, on one value per series. `timestamp()` of a plain selector is the sample's own time,
 * so the answers are exact to the scrape, whatever the step. With `onlyWhen` (e.g. `== 0`), only
 * samples passing that comparison count (`and` matches the same series, names ignored).
 */
function sampleTimes(fn: 'max' | 'min', selectors: string[], window: string, onlyWhen?: string): string {
  const parts = selectors.map((sel) => (onlyWhen ? `(timestamp(${sel}) and ${sel} ${onlyWhen})` : `timestamp(${sel})`));
  return `${fn}_over_time((${parts.join(' or ')})[${window}])`;
}

const PART_LABEL = 'fluxgrid_part';

/** The max over several per-object expressions (`or` alone would keep only the first one's value). */
function maxOf(exprs: string[]): string {
  return `max by (${ID_LIST}) (${exprs.map((e, i) => `label_replace(${e}, "${PART_LABEL}", "${i}", "", "")`).join(' or ')})`;
}

/**
 * Since when each object of an info schema has been in its current state. A state change ends the
 * object's series and starts another (new label values), so per raw series the last sample time in
 * the window is all it takes:
 * - since = the last sample of any series of the object in ANOTHER state (exact: the change
 *   happened between that scrape and the next one);
 * - no other state within the window: the first sample of the object in its current state (the
 *   window start, or when the object appeared; within one subquery step).
 */
function infoSince(schema: InfoSchema, filters: FluxFilters, mapping: FluxLabelMapping, window: string): string {
  const selectors = infoSelectors(schema, filters, mapping);
  const current = infoStateSeries(schema, filters, mapping, true);
  const last = `max by (${ID_LIST}, ${STATE_LABEL}) (${infoStateLabels(sampleTimes('max', selectors, window), schema, mapping)})`;
  const other = `max by (${ID_LIST}) (${last} unless on(${ID_LIST}, ${STATE_LABEL}) ${current})`;
  // Without another state in the window, every sample of the object was in its current state: its
  // first sample will do, no state rules needed (objects gone by now are dropped by the reading,
  // which joins on the current objects).
  const first = `min by (${ID_LIST}) (${normalizeIdentity(sampleTimes('min', selectors, window), schema, mapping)})`;
  return `${other} or on(${ID_LIST}) ${first}`;
}

/**
 * The same for the legacy gauges, whose values flip in place (one series per status, 0 or 1):
 * - suspended now: since the last sample with the suspend gauge at 0;
 * - otherwise, in the state of status S: since the last sample with S's gauge at 0, or with the
 *   suspend gauge at 1, whichever is later;
 * - neither within the window: the first sample of any of its condition series.
 */
function legacySince(filters: FluxFilters, mapping: FluxLabelMapping, window: string): string {
  const norm = (expr: string) => normalizeIdentity(expr, 'legacy', mapping);
  const conditions = legacyConditionSelectors(filters, mapping);
  const suspends = filteredSelectors(FLUX_METRICS.legacySuspend, 'legacy', filters, mapping);
  const suspendsAtEnd = filteredSelectors(FLUX_METRICS.legacySuspend, 'legacy', filters, mapping, [], { atEnd: true });
  const current = legacyStateSeries(filters, mapping, true, false);
  const suspendedNow = `max by (${ID_LIST}) (${norm(orAll(suspendsAtEnd.map((s) => `${s} == 1`)))})`;
  const statusOff = legacyStatusToState(norm(sampleTimes('max', conditions, window, '== 0')));
  const unsuspended = `max by (${ID_LIST}) (${norm(sampleTimes('max', suspends, window, '== 0'))}) and on(${ID_LIST}) ${suspendedNow}`;
  const leftState = `(max by (${ID_LIST}) (max by (${ID_LIST}, ${STATE_LABEL}) (${statusOff}) and on(${ID_LIST}, ${STATE_LABEL}) ${current}) unless on(${ID_LIST}) ${suspendedNow})`;
  const wasSuspended = `((max by (${ID_LIST}) (${norm(sampleTimes('max', suspends, window, '== 1'))}) and on(${ID_LIST}) ${current}) unless on(${ID_LIST}) ${suspendedNow})`;
  const other = maxOf([unsuspended, leftState, wasSuspended]);
  const first = `(min by (${ID_LIST}) (${norm(sampleTimes('min', conditions, window))}) and on(${ID_LIST}) ${current})`;
  return `${other} or on(${ID_LIST}) ${first}`;
}

/**
 * Since when each object has been in its current state: epoch seconds, one series per object.
 * Computed per raw series inside the subquery and aggregated once outside (see infoSince,
 * legacySince); with several schemas the richest one's answer wins, as for the state. The
 * subquery step only decides how often the raw series are looked at: the times themselves are
 * sample times. A value at (or, through Prometheus' 5 min lookback, just before) the window start
 * means "at least since the window start".
 */
export function sinceQuery(
  filters: FluxFilters,
  options: PromQLOptions,
  windowSeconds: number,
  stepSeconds: number
): string {
  const mapping = options.labels ?? {};
  const window = `${duration(windowSeconds)}:${duration(stepSeconds)}`;
  return firstPerObject(
    schemasOf(options.schema).map((schema) =>
      schema === 'legacy' ? legacySince(filters, mapping, window) : infoSince(schema, filters, mapping, window)
    )
  );
}

/**
 * When each object last reconciled, from gotk_reconcile_duration_seconds_count (every Flux
 * version's controllers export it): per raw counter series, the last sample that still shows an
 * older count than today's (`X != X @ end()`); the reconcile happened between that scrape and the
 * next. No such sample in the window: it did not reconcile within the window (0). Also lists
 * objects known only from their reconciles (Flux >= 2.5 without a state metric).
 */
export function lastReconcileQuery(
  filters: FluxFilters,
  options: PromQLOptions,
  windowSeconds: number,
  stepSeconds: number
): string {
  const mapping = options.labels ?? {};
  const window = `${duration(windowSeconds)}:${duration(stepSeconds)}`;
  const selectors = filteredSelectors(FLUX_METRICS.reconcileDurationCount, 'controller', filters, mapping);
  const endValue = orAll(
    filteredSelectors(FLUX_METRICS.reconcileDurationCount, 'controller', filters, mapping, [], { atEnd: true })
  );
  const norm = (expr: string) => normalizeIdentity(expr, 'controller', mapping);
  const before = sampleTimes('max', selectors, window, `!= ${selectors.length > 1 ? `(${endValue})` : endValue}`);
  const last = `max by (${ID_LIST}) (${norm(before)})`;
  // Objects that did not reconcile within the window still exist: 0 says "not within the window".
  return `${last} or on(${ID_LIST}) (max by (${ID_LIST}) (${norm(endValue)}) * 0)`;
}
