/**
 * The Objects question (also Summary's): every matching object's current state, since when it is
 * in it, and when it last reconciled. At most three instant queries, one row per object each:
 * 1. `state`: the raw state series at the end of the range, decoded by the core (`readFluxFrames`)
 *    with the same label rule as every query. Legacy gauges only where they are 1.
 * 2. `since`: since when each object is in its state (objectTimes.ts).
 * 3. `lastReconcile`: when it last reconciled (objectTimes.ts), with the count of state series
 *    folded in, which decides whether reconcile counters alone may stand for objects.
 * From the recording rules, a fourth, `unrecorded`: the changes after their last evaluation, with
 * the count folded in there instead (both look at the window's end only; see objectTimes.ts).
 */
import { readFluxFrames } from '../normalize';
import { copyLabel, lastSamples, valuesByObject, WHOLE_VALUE } from '../promql/identity';
import { EXPORTED_NAMESPACE_LABEL } from '../labels';
import { HA_REPLICA_LABELS } from '../reconcile';
import { escapeRegex, quote } from '../promql/escape';
import { filterRawSeries, fitting } from '../promql/selection';
import { FluxFilters, orAll, PromQLOptions, schemasOf } from '../promql/selectors';
import { legacyConditionSelectors } from '../promql/stateRules';
import { asStat, statOf } from '../promql/stats';
import { stateMetricsOf } from '../schemas';
import { sortObjects } from '../summary';
import { FLUX_METRICS, FluxLabelMapping, FluxObject, FluxState } from '../types';
import {
  lastReconcileQuery,
  readSince,
  recordedLastReconcileQuery,
  recordedSinceQuery,
  recordedTimesPlan,
  sinceQuery,
  timesPlan,
  TimesPlan,
  unrecordedChangesQuery,
} from './objectTimes';
import { RecordingCoverage } from './recordingRules';
import { FluxAnswers, FluxQueries, FluxWindow, windowSecondsOf } from './question';

export interface ObjectsParams {
  /** Since and last reconcile too (Objects); false for the state alone (Summary, filters). */
  withTimes: boolean;
  /** Keep only objects in these states (undefined: every state). */
  states?: ReadonlySet<FluxState>;
  /**
   * Read the times from FluxGrid's recording rules, which cover the window (recordingRules.ts
   * `unusable` says when they do); undefined: the raw queries.
   */
  recorded?: RecordingCoverage;
}

/** The raw state series for the core to decode (`readFluxFrames`), names kept, without the labels it never reads. */
export function objectsStateQuery(filters: FluxFilters, options: PromQLOptions = {}): string {
  return withoutUnreadLabels(stateSeriesUnion(filters, options), options.labels ?? {});
}

/** Every state series of the matching objects, as they are (legacy gauges only where they are 1). */
export function stateSeriesUnion(filters: FluxFilters, options: PromQLOptions = {}): string {
  const mapping = options.labels ?? {};
  return fitting(filters, mapping, (selection) => {
    const parts: string[] = [];
    for (const schema of schemasOf(options.schema)) {
      if (schema === 'legacy') {
        // Only the one-hot series that are 1 (a quarter of them), and only suspended objects' gauge.
        parts.push(
          ...legacyConditionSelectors(selection).map((s) => `${s} == 1`),
          ...selection.selectors(FLUX_METRICS.legacySuspend, 'legacy').map((s) => `${s} == 1`)
        );
      } else {
        parts.push(...selection.info(schema));
      }
    }
    const union = orAll(parts);
    // Raw series for the core: filtered on the identity, which is then removed again.
    return selection.mode === 'inline' ? union : filterRawSeries(union, filters, mapping);
  });
}

/**
 * Labels the core never reads from a state series: which exporter pod scraped it and how
 * (`pod`, `instance`, `container`, `service`, `job`), kube-state-metrics' API group and version, the
 * Flux Operator's object `uid`, an HA pair's replica labels. Half of a kube-state-metrics series'
 * bytes; aggregated away before the wire, which also folds an HA pair's copies into one series.
 */
export const UNREAD_STATE_LABELS: readonly string[] = [
  'pod',
  'instance',
  'container',
  'service',
  'job',
  'uid',
  'customresource_group',
  'customresource_version',
  ...HA_REPLICA_LABELS,
];

/** The metric's name, carried through the aggregation (which drops it) in this label. */
const METRIC_LABEL = 'fluxgrid_metric';

/**
 * `expr` without {@link UNREAD_STATE_LABELS} (bar any a label setting names), names kept; and
 * without `namespace` where `exported_namespace` names the object's (the exporter's own namespace
 * then, never read: identityLabels prefers the exported one) unless a setting orders them.
 */
function withoutUnreadLabels(expr: string, mapping: FluxLabelMapping): string {
  const named = new Set(Object.values(mapping));
  const unread = UNREAD_STATE_LABELS.filter((label) => !named.has(label));
  const kept = `max without (${unread.join(', ')}) (${copyLabel(expr, METRIC_LABEL, '__name__')})`;
  let out = `label_replace(${copyLabel(kept, '__name__', METRIC_LABEL)}, "${METRIC_LABEL}", "", "", "")`;
  if (!mapping.namespace) {
    out = `label_replace(${out}, "namespace", "", "${EXPORTED_NAMESPACE_LABEL}", ${quote(WHOLE_VALUE)})`;
  }
  return out;
}

const STATE_SERIES_STAT = 'stateSeries';

/**
 * How many state series the configured schema(s) have at all, unfiltered, as one series labelled
 * `fluxgrid_stat="stateSeries"` (nothing when there are none). Cheap (a count of an instant
 * selector): OR-ed into another query, it tells "no state metric at all" (Flux >= 2.5 with only
 * reconcile counters) from "the filters match no object".
 */
export function stateSeriesCountQuery(options: PromQLOptions = {}): string {
  const names = schemasOf(options.schema).flatMap(stateMetricsOf);
  return asStat(`count({__name__=~${quote(names.map(escapeRegex).join('|'))}})`, STATE_SERIES_STAT);
}

/** Where the times look: the window, ending at the instant queries' time. */
function timesPlanOf(window: FluxWindow, params: ObjectsParams): TimesPlan {
  const plan = params.recorded ? recordedTimesPlan : timesPlan;
  return plan(windowSecondsOf(window), window.toMs / 1000);
}

export function queries(
  filters: FluxFilters,
  options: PromQLOptions,
  window: FluxWindow,
  params: ObjectsParams
): FluxQueries {
  const exprs: Record<string, string> = { state: objectsStateQuery(filters, options) };
  if (params.withTimes) {
    const plan = timesPlanOf(window, params);
    const windowSeconds = plan.endS - plan.startS;
    const { recorded } = params;
    const stateSeries = stateSeriesCountQuery(options);
    if (recorded) {
      exprs.since = recordedSinceQuery(filters, options, plan);
      exprs.unrecorded = `${unrecordedChangesQuery(filters, options, plan, recorded)} or ${stateSeries}`;
      exprs.lastReconcile = recordedLastReconcileQuery(filters, options, plan);
    } else {
      exprs.since = sinceQuery(filters, options, windowSeconds, plan.fineStepS, plan.endS);
      // Folded in: whether any state series exists at all, unfiltered (see `stateless` in read()).
      exprs.lastReconcile = `${lastReconcileQuery(filters, options, windowSeconds, plan.fineStepS, plan.endS)} or ${stateSeries}`;
    }
  }
  return { exprs, range: false };
}

/** The objects, most severe first (the core's severity order). */
export function read(
  answers: FluxAnswers,
  window: FluxWindow,
  options: PromQLOptions,
  params: ObjectsParams
): FluxObject[] {
  // The same label rule as the PromQL (identityLabels): the core reads with the whole mapping.
  let objects = readFluxFrames(answers.state ?? [], { labels: options.labels ?? {} }).objects;
  if (params.withTimes) {
    objects = withTimes(objects, answers, window, timesPlanOf(window, params));
  }
  if (params.states) {
    objects = objects.filter((o) => params.states!.has(o.state));
  }
  return sortObjects(objects, 'severity');
}

function withTimes(objects: FluxObject[], answers: FluxAnswers, window: FluxWindow, plan: TimesPlan): FluxObject[] {
  const since = valuesByObject(answers.since ?? []);
  // Changes the recording rules have not seen yet: since the window's end, whatever they recorded.
  const unrecorded = valuesByObject(answers.unrecorded ?? []);
  const lastReconcile = valuesByObject(answers.lastReconcile ?? []);
  // Epoch seconds; 0: not within the window.
  const lastReconcileOf = (key: string) => {
    const value = lastReconcile.get(key)?.value ?? 0;
    return value > 0 ? Math.min(value * 1000, window.toMs) : undefined;
  };
  const known = new Set<string>();
  for (const object of objects) {
    known.add(object.key);
    const reading = readSince((unrecorded.get(object.key) ?? since.get(object.key))?.value, plan);
    object.sinceIsLowerBound = reading.lowerBound;
    object.since = reading.sinceMs;
    const lastReconcileAt = lastReconcileOf(object.key);
    if (lastReconcileAt !== undefined) {
      object.reconcile = { ...(object.reconcile ?? { count: 0 }), lastReconcileAt };
    }
  }
  // No state metric at all (Flux >= 2.5 without kube-state-metrics or the operator), yet the
  // controllers report reconciles: show the objects that reconciled within the range as Unknown
  // (as the core does) rather than nothing. Decided from whether the configured schemas have any
  // state series at all, not from the filtered answer: when state metrics exist, the reconcile
  // counters of deleted (or filtered-out) objects live on until the controller restarts, and
  // Alert/Provider have counters that some schemas have no state series for.
  const stateless = !lastSamples([...(answers.lastReconcile ?? []), ...(answers.unrecorded ?? [])]).some(
    (sample) => statOf(sample.labels) === STATE_SERIES_STAT && sample.value > 0
  );
  if (!stateless) {
    return objects;
  }
  const out = [...objects];
  for (const [key, { ref }] of lastReconcile) {
    const lastReconcileAt = lastReconcileOf(key);
    if (lastReconcileAt !== undefined && !known.has(key)) {
      out.push({
        key,
        ...ref,
        state: 'Unknown',
        suspended: false,
        // As the core's reading of the same counters (normalize.ts): the controllers' own metrics.
        schema: 'legacy',
        observedAt: window.toMs,
        labels: Object.fromEntries(Object.entries(ref).filter(([, v]) => v !== '')),
        reconcile: { count: 0, lastReconcileAt },
      });
    }
  }
  return out;
}
