/**
 * The Objects question (also Summary's): every matching object's current state, since when it is
 * in it, and when it last reconciled. At most three instant queries, one row per object each:
 * 1. `state`: the raw state series at the end of the range, decoded by the core (`readFluxFrames`)
 *    with the same label rule as every query. Legacy gauges only where they are 1.
 * 2. `since`: since when each object is in its state (objectTimes.ts).
 * 3. `lastReconcile`: when it last reconciled (objectTimes.ts; from the rules, recordedTimes.ts).
 * From the recording rules, a fourth, `unrecorded`: the changes after their last evaluation.
 * Only when no state series matched yet objects reconciled, a follow-up ({@link followUp}): are
 * there state series at all, which decides whether reconcile counters alone may stand for objects.
 */
import { KIND_SOURCE_LABELS } from '../labels';
import { readFluxFrames } from '../normalize';
import { exportedNamespace, lastSamples, valuesByIdentity } from '../promql/identity';
import { HA_REPLICA_LABELS } from '../reconcile';
import { alternation, escapeRegex, quote } from '../promql/escape';
import { filterRawSeries, fitting, Selection } from '../promql/selection';
import { FluxFilters, infoMetrics, LabelMatcher, orAll, PromQLOptions, schemasOf } from '../promql/selectors';
import { legacyConditionSelectors } from '../promql/stateRules';
import { asStat, statOf } from '../promql/stats';
import { stateMetricsOf } from '../schemas';
import { sortObjects } from '../summary';
import { FLUX_METRICS, FluxLabelMapping, FluxObject, FluxSchema, FluxState } from '../types';
import { lastReconcileQuery, readSince, sinceBySchema, sinceQuery, timesPlan, TimesPlan } from './objectTimes';
import {
  recordedLastReconcileQuery,
  recordedSinceQuery,
  recordedTimesPlan,
  unrecordedChangesQuery,
} from './recordedTimes';
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

/**
 * The state series of one metric (OR-ed), with `extra` matchers on each selector (legacy gauges
 * only where they are 1): each metric apart, so that its name can be set again once aggregated.
 */
interface StatePart {
  metric: string;
  /** Whether the core tells the metric's series apart by their labels alone (roleFromLabels). */
  knownByLabels: boolean;
  schema: FluxSchema;
  series(extra: LabelMatcher[]): string[];
}

function stateParts(selection: Selection, options: PromQLOptions): StatePart[] {
  const parts: StatePart[] = [];
  for (const schema of schemasOf(options.schema)) {
    if (schema === 'legacy') {
      // The legacy gauges keep their names: gotk_suspend_status has no label of its own.
      parts.push(
        {
          metric: FLUX_METRICS.legacyCondition,
          knownByLabels: false,
          schema,
          series: (extra) => legacyConditionSelectors(selection, undefined, {}, extra).map((s) => `${s} == 1`),
        },
        {
          metric: FLUX_METRICS.legacySuspend,
          knownByLabels: false,
          schema,
          series: (extra) => selection.selectors(FLUX_METRICS.legacySuspend, 'legacy', extra).map((s) => `${s} == 1`),
        }
      );
    } else {
      // kube-state-metrics' own kind label, customresource_kind, unless a setting names another
      // (a custom config's series may lack it); every Flux Operator series has `kind` and `ready`
      // (flux-operator internal/reporter/metrics.go, commonLabels).
      const knownByLabels = schema === 'flux-operator' || !selection.mapping.kind;
      const metrics = infoMetrics(schema);
      if (knownByLabels && metrics.length > 1) {
        // No name to set back: the families aggregated together (at schema auto, a sixth of the query).
        const names: LabelMatcher = { label: '__name__', op: '=~', value: alternation(metrics) };
        parts.push({
          metric: '',
          knownByLabels,
          schema,
          series: (extra) => selection.selectors('', schema, [names, ...extra]),
        });
      } else {
        for (const metric of metrics) {
          parts.push({ metric, knownByLabels, schema, series: (extra) => selection.selectors(metric, schema, extra) });
        }
      }
    }
  }
  return parts;
}

/** Every state series of the matching objects, as they are (legacy gauges only where they are 1). */
export function stateSeriesUnion(filters: FluxFilters, options: PromQLOptions = {}): string {
  const mapping = options.labels ?? {};
  return fitting(filters, mapping, (selection) => {
    const union = orAll(stateParts(selection, options).flatMap((part) => part.series([])));
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

/**
 * The port name prometheus-operator adds to every series it scrapes, never read from a state
 * series: bar on the kinds whose own label it is (labels.ts KIND_SOURCE_LABELS: kube-state-metrics'
 * Bucket, spec.endpoint): 7% of a kube-state-metrics state answer (18 bytes a series).
 */
export const SCRAPE_ENDPOINT_LABEL = 'endpoint';

/** The kinds whose series carry their own {@link SCRAPE_ENDPOINT_LABEL}, by the label that says so. */
const OWN_ENDPOINT_KINDS = KIND_SOURCE_LABELS.filter(({ labels }) => labels.includes(SCRAPE_ENDPOINT_LABEL));

/**
 * What a state part does with the scrape's endpoint: drops it; keeps it (a label setting names
 * it); or drops it but on the kinds whose own it is ({@link OWN_ENDPOINT_KINDS}, selected apart:
 * no label is rewritten per series).
 */
type EndpointRule = 'drop' | 'keep' | 'byKind';

/** One metric's state series (with `extra` matchers) aggregated without the `unread` labels. */
function withoutUnread(
  series: StatePart['series'],
  extra: LabelMatcher[],
  unread: string[],
  endpoint: EndpointRule
): string[] {
  const aggregated = (labels: string[], matchers: LabelMatcher[] = []) =>
    `max without (${labels.join(', ')}) (${orAll(series([...extra, ...matchers]))})`;
  const withoutEndpoint = [...unread, SCRAPE_ENDPOINT_LABEL];
  if (endpoint !== 'byKind') {
    return [aggregated(endpoint === 'keep' ? unread : withoutEndpoint)];
  }
  // Each rule names one kind label (the core reads the first of them).
  const kindIs = (op: '=' | '!=', { kind, kindLabel }: (typeof OWN_ENDPOINT_KINDS)[number]): LabelMatcher => ({
    label: kindLabel[0],
    op,
    value: kind,
  });
  return [
    aggregated(
      withoutEndpoint,
      OWN_ENDPOINT_KINDS.map((rule) => kindIs('!=', rule))
    ),
    ...OWN_ENDPOINT_KINDS.map((rule) => aggregated(unread, [kindIs('=', rule)])),
  ];
}

/**
 * The raw state series for the core to decode (`readFluxFrames`), names kept, without
 * {@link UNREAD_STATE_LABELS} (bar any a label setting names) and without `namespace` where
 * `exported_namespace` names the object's (the exporter's own namespace then, never read:
 * identityLabels prefers the exported one) unless a setting orders them. Aggregated per metric,
 * the series with and without `exported_namespace` apart (selected so, no label rewritten per
 * series): the same object from two exporters, in two namespaces too, arrives as one series, and
 * its name is set back once per metric. Filtered (compact selections) after that, on fewer series.
 * Except the info series whose labels tell the core what they are (roleFromLabels; see
 * stateParts): the name set back cost a tenth of the answer's bytes and a third of its time (at
 * 10k objects, 32 bytes and ~7 µs of label_replace per series). The scrape's `endpoint` goes too,
 * but on a kube-state-metrics Bucket ({@link SCRAPE_ENDPOINT_LABEL}).
 */
export function objectsStateQuery(filters: FluxFilters, options: PromQLOptions = {}): string {
  const mapping = options.labels ?? {};
  const named = new Set(Object.values(mapping));
  const unread = UNREAD_STATE_LABELS.filter((label) => !named.has(label));
  return fitting(filters, mapping, (selection) => {
    const parts = stateParts(selection, options).map(({ metric, knownByLabels, series, schema }) => {
      // Only kube-state-metrics' Bucket has an endpoint of its own; a setting that names it keeps it.
      const endpoint: EndpointRule = named.has(SCRAPE_ENDPOINT_LABEL)
        ? 'keep'
        : schema === 'kube-state-metrics'
          ? 'byKind'
          : 'drop';
      const aggregated = orAll(
        mapping.namespace
          ? withoutUnread(series, [], unread, endpoint)
          : [
              ...withoutUnread(series, exportedNamespace('!='), [...unread, 'namespace'], endpoint),
              ...withoutUnread(series, exportedNamespace('='), unread, endpoint),
            ]
      );
      return knownByLabels ? aggregated : `label_replace(${aggregated}, "__name__", ${quote(metric)}, "", "")`;
    });
    const union = orAll(parts);
    return selection.mode === 'inline' ? union : filterRawSeries(union, filters, mapping);
  });
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
    if (recorded) {
      exprs.since = recordedSinceQuery(filters, options, plan);
      exprs.unrecorded = unrecordedChangesQuery(filters, options, plan, recorded);
      exprs.lastReconcile = recordedLastReconcileQuery(filters, options, plan);
    } else {
      exprs.since = sinceQuery(filters, options, windowSeconds, plan.fineStepS, plan.endS);
      exprs.lastReconcile = lastReconcileQuery(filters, options, windowSeconds, plan.fineStepS, plan.endS);
    }
  }
  return { exprs, range: false };
}

/** Whether the state query matched any series (frames of instant answers have a row each). */
const matchedStateSeries = (answers: FluxAnswers) => (answers.state ?? []).some((frame) => frame.length > 0);

/**
 * What read() still needs after the answers to {@link queries}: whether any state series exists
 * at all, unfiltered, when none matched yet reconcile counters did (see `stateless` in withTimes).
 * Asked only then: every other refresh would pay a pass over every state series for it (and,
 * next to the range's selectors of since or last reconcile, several times that).
 */
export function followUp(answers: FluxAnswers, options: PromQLOptions, params: ObjectsParams): FluxQueries | undefined {
  const reconciled = (answers.lastReconcile ?? []).some((frame) => frame.length > 0);
  return params.withTimes && !matchedStateSeries(answers) && reconciled
    ? { exprs: { stateSeries: stateSeriesCountQuery(options) }, range: false }
    : undefined;
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
    objects = withTimes(objects, answers, window, timesPlanOf(window, params), options.labels ?? {});
  }
  if (params.states) {
    objects = objects.filter((o) => params.states!.has(o.state));
  }
  return sortObjects(objects, 'severity');
}

function withTimes(
  objects: FluxObject[],
  answers: FluxAnswers,
  window: FluxWindow,
  plan: TimesPlan,
  mapping: FluxLabelMapping
): FluxObject[] {
  // Per schema: an object's own is that of the schema its state was read from.
  const since = sinceBySchema(answers.since ?? []);
  // Changes the recording rules have not seen yet: since the window's end, whatever they recorded.
  const unrecorded = sinceBySchema(answers.unrecorded ?? []);
  // Raw identity labels, read with the same rule as the state series.
  const lastReconcile = valuesByIdentity(answers.lastReconcile ?? [], mapping);
  // Epoch seconds; 0: not within the window.
  const lastReconcileOf = (key: string) => {
    const value = lastReconcile.get(key)?.value ?? 0;
    return value > 0 ? Math.min(value * 1000, window.toMs) : undefined;
  };
  for (const object of objects) {
    const of = (answer: typeof since) => answer.get(object.schema)?.get(object.key);
    const reading = readSince(of(unrecorded) ?? of(since), plan);
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
  // state series at all (the follow-up's count, when none matched), not from the filtered answer
  // alone: when state metrics exist, the reconcile
  // counters of deleted (or filtered-out) objects live on until the controller restarts, and
  // Alert/Provider have counters that some schemas have no state series for.
  const stateless =
    !matchedStateSeries(answers) &&
    !lastSamples(answers.stateSeries ?? []).some(
      (sample) => statOf(sample.labels) === STATE_SERIES_STAT && sample.value > 0
    );
  if (!stateless) {
    return objects;
  }
  const known = new Set(objects.map((object) => object.key));
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
