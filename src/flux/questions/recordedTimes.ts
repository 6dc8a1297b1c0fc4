/**
 * The two Objects columns of objectTimes.ts (since, last reconcile) from FluxGrid's recording
 * rules (recordingRules.ts, alerts/fluxgrid-recording-rules.yaml): a few recorded samples per
 * object, whatever the range, instead of stepping through every raw series; and the state
 * changes the rules have not recorded yet, in their own query. Read back in objects.ts as the raw
 * queries' answers are (readSince, the raw identity of last reconcile).
 */
import { ID_LIST, normalizeIdentity } from '../promql/identity';
import { fitting, Selection } from '../promql/selection';
import { atTime, FluxFilters, LabelMatcher, PromQLOptions, schemasOf } from '../promql/selectors';
import { legacyConditionSelectors } from '../promql/stateRules';
import { FLUX_METRICS, FluxSchema } from '../types';
import { eachSchema, latestByIdentity, or, signalLabels, timesPlan, TimesPlan } from './objectTimes';
import {
  HOURLY_INTERVAL_SECONDS,
  RECONCILE_24H_SECONDS,
  RECORDED,
  RECORDING_INTERVAL_SECONDS,
  RecordingCoverage,
} from './recordingRules';

/** Where the times look when the recorded events cover the range: all of it is exact. */
export function recordedTimesPlan(windowSeconds: number, endSeconds: number): TimesPlan {
  const plan = timesPlan(windowSeconds, endSeconds);
  return { ...plan, fineFromS: plan.startS };
}

/** The latest recorded event per raw series within the last `seconds`: `max_over_time(m{…}[r] @ end)`. */
function lastEvent(
  s: Selection,
  metric: string,
  plan: TimesPlan,
  extra: LabelMatcher[] = [],
  seconds?: number
): string {
  // One family for every schema's events: the rules keep every exporter's identity labels.
  const range = `${Math.round((seconds ?? plan.endS - plan.startS) * 1000) - 1}ms`;
  return or(
    s.selectors(metric, 'kube-state-metrics', extra, { range, at: plan.endS }).map((sel) => `max_over_time(${sel})`)
  );
}

/** Since, per schema, from the recorded state changes: the latest within the window. */
function recordedSinceOf(schema: FluxSchema, s: Selection, plan: TimesPlan): string {
  const events = lastEvent(s, RECORDED.stateChange, plan, [{ label: 'schema', op: '=', value: schema }]);
  return `max by (${ID_LIST}) (${normalizeIdentity(events, 'kube-state-metrics', s.mapping)})`;
}

/**
 * {@link sinceQuery} from the recorded events (read the same way, with {@link recordedTimesPlan}),
 * with {@link unrecordedChangesQuery} for the changes after the rules' last evaluation.
 */
export function recordedSinceQuery(filters: FluxFilters, options: PromQLOptions, plan: TimesPlan): string {
  return fitting(filters, options.labels ?? {}, (s) =>
    s.exact(eachSchema(schemasOf(options.schema), (schema) => recordedSinceOf(schema, s, plan)))
  );
}

/** Per schema, the objects out of their state of the rules' last evaluation, valued with the window's end. */
function unrecordedChangesOf(schema: FluxSchema, s: Selection, plan: TimesPlan, coverage: RecordingCoverage): string {
  let changed: string;
  if (schema === 'legacy') {
    const gauges = (at: number) => [
      ...legacyConditionSelectors(s, undefined, { at }),
      ...s.selectors(FLUX_METRICS.legacySuspend, 'legacy', [], { at }),
    ];
    const on = `on(${signalLabels(s, ['type', 'status'])})`;
    const [atEnd, atLast] = [or(gauges(plan.endS)), or(gauges(coverage.lastS))];
    changed = `(${atEnd} != ${atLast}) or (${atEnd} unless ${on} ${atLast})`;
  } else {
    const on = `on(${signalLabels(s, ['suspended', 'ready', 'url'])})`;
    changed = `${or(s.info(schema, { at: plan.endS }))} unless ${on} ${or(s.info(schema, { at: coverage.lastS }))}`;
  }
  return `max by (${ID_LIST}) (${normalizeIdentity(`(${changed}) * 0 + ${atTime(plan.endS)}`, schema, s.mapping)})`;
}

/**
 * The state changes the rules have not recorded yet: objects out of their state of the rules'
 * last evaluation, valued with the window's end (the change came after that evaluation, less
 * than an interval ago), so that since is never silently the change before. Its own query: its
 * selectors look at the window's end only, and Prometheus reads every selector of a query over
 * the whole span of all of them (here, at 10k objects, a 24 h range made this part 3-4x dearer
 * next to the events' range selectors).
 */
export function unrecordedChangesQuery(
  filters: FluxFilters,
  options: PromQLOptions,
  plan: TimesPlan,
  coverage: RecordingCoverage
): string {
  return fitting(filters, options.labels ?? {}, (s) =>
    s.exact(eachSchema(schemasOf(options.schema), (schema) => unrecordedChangesOf(schema, s, plan, coverage)))
  );
}

/**
 * {@link lastReconcileQuery} from the recorded reconciles: the latest within the window. The
 * events of the last hour (and an evaluation) and, before them, the rules' latest of the 24 h
 * before their last hourly evaluation, which covers any window of up to a day (a longer one reads
 * their hourly latest through it); either may reach before the window: only those after its start
 * count. Either way a few samples per object, however long the window. A reconcile after the
 * rules' last evaluation shows at the next one, a minute later at most: unlike a state change, it
 * changes nothing else shown, and checking every counter for it cost more than the rest of the
 * query. No answer: no reconcile within the window. In whole seconds.
 */
export function recordedLastReconcileQuery(filters: FluxFilters, options: PromQLOptions, plan: TimesPlan): string {
  return fitting(filters, options.labels ?? {}, (s) =>
    latestByIdentity(s, filters, 'kube-state-metrics', (extra) => {
      const windowS = plan.endS - plan.startS;
      // The hourly evaluation is at most an hour (and an evaluation) old: the events cover the time since.
      const recentS = HOURLY_INTERVAL_SECONDS + RECORDING_INTERVAL_SECONDS;
      const parts = [lastEvent(s, RECORDED.reconcile, plan, extra, Math.min(windowS, recentS))];
      if (windowS > recentS) {
        const before =
          windowS <= RECONCILE_24H_SECONDS
            ? lastEvent(s, RECORDED.reconcile24h, plan, extra, recentS)
            : lastEvent(s, RECORDED.reconcileHourly, plan, extra);
        parts.push(`${before} > ${atTime(plan.startS)}`);
      }
      // Whole seconds: the rules' evaluation times carry milliseconds (`1736125141.376`), 4 bytes
      // an object of the answer, finer than the interval that bounds when the reconcile was.
      return `floor(${or(parts)})`;
    })
  );
}
