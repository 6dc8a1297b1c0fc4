/**
 * FluxGrid's optional recording rules (alerts/fluxgrid-recording-rules.yaml): are they evaluated,
 * over which part of the dashboard range, and may the Objects question read its times from them?
 *
 * The rules record events as they happen: one sample per object state change
 * (`fluxgrid:object_state_change:timestamp_seconds`, per schema) and per reconcile
 * (`fluxgrid:object_reconcile:timestamp_seconds`), each valued with the time of the evaluation that
 * saw it, and a heartbeat. Reading "since" and "last reconcile" is then a range function over those
 * few samples, whatever the range (recordedTimes.ts `recordedSinceQuery`), where the raw queries step
 * through every object's series. They are only an answer for a range they cover: a change before
 * the rules ran was never recorded, so the question uses them only when the heartbeat reaches back
 * to the range's start and is current at its end, and only for label settings the rules keep.
 */
import { CLUSTER_LABELS, KIND_LABELS, NAME_LABEL, NAMESPACE_LABELS, REASON_LABELS } from '../labels';
import { atTime } from '../promql/selectors';
import { lastSamples } from '../promql/identity';
import { asStat, statOf } from '../promql/stats';
import { FluxLabelMapping } from '../types';
import { FluxAnswers, FluxQueries, FluxWindow, windowSecondsOf } from './question';

/** The recorded metrics, and the rules' version the datasource reads (the heartbeat's `version`). */
export const RECORDED = {
  heartbeat: 'fluxgrid:recording_rules:info',
  stateChange: 'fluxgrid:object_state_change:timestamp_seconds',
  reconcile: 'fluxgrid:object_reconcile:timestamp_seconds',
  /** Each object's latest reconcile of the 24 h before each hourly evaluation (a range of up to a day reads one). */
  reconcile24h: 'fluxgrid:object_reconcile_24h:timestamp_seconds',
  /** Each object's latest reconcile of every hour (a longer range reads these, not every event). */
  reconcileHourly: 'fluxgrid:object_reconcile_hourly:timestamp_seconds',
  version: '2',
} as const;

/** The rules' evaluation interval (and every `offset` in them). */
export const RECORDING_INTERVAL_SECONDS = 60;

/** The interval of their second group (the 24 h and hourly latest reconciles). */
export const HOURLY_INTERVAL_SECONDS = 3600;

/** How far back `reconcile24h` looks (`[24h]` in the rules). */
export const RECONCILE_24H_SECONDS = 86_400;

/** The identity labels every recorded series keeps: each exporter's, every detected cluster label. */
export const RECORDED_IDENTITY_LABELS: readonly string[] = [
  ...CLUSTER_LABELS,
  ...KIND_LABELS,
  ...NAMESPACE_LABELS,
  NAME_LABEL,
];

/** What a state change is read from: the info schemas' signal labels, the legacy gauges' own. */
export const RECORDED_SIGNAL_LABELS = {
  info: ['ready', 'suspended', ...REASON_LABELS, 'url'],
  legacy: ['type', 'status'],
} as const;

/** How far back the recorded events reach, and the rules' last evaluation (epoch s). */
export interface RecordingCoverage {
  fromS: number;
  lastS: number;
}

const FROM_STAT = 'recordedFrom';
const LAST_STAT = 'recordedLast';

/**
 * One instant query at the range's end: the heartbeat's first sample within the range (with
 * several evaluators, e.g. one Prometheus per cluster, the latest of their first samples) and its
 * last one (the laggiest evaluator's).
 */
export function queries(window: FluxWindow): FluxQueries {
  const endS = window.toMs / 1000;
  const heartbeat = `${RECORDED.heartbeat}{version="${RECORDED.version}"}`;
  const range = `[${Math.round(windowSecondsOf(window) * 1000) - 1}ms:${RECORDING_INTERVAL_SECONDS}s]`;
  const from = `max(min_over_time(timestamp(${heartbeat})${range} @ ${atTime(endS)}))`;
  const last = `min(timestamp(${heartbeat} @ ${atTime(endS)}))`;
  return { exprs: { recorded: `${asStat(from, FROM_STAT)} or ${asStat(last, LAST_STAT)}` }, range: false };
}

/** The coverage, or undefined when the rules are not evaluated (nothing within the range). */
export function read(answers: FluxAnswers): RecordingCoverage | undefined {
  let fromS = NaN;
  let lastS = NaN;
  for (const sample of lastSamples(answers.recorded ?? [])) {
    const stat = statOf(sample.labels);
    if (stat === FROM_STAT) {
      fromS = sample.value;
    } else if (stat === LAST_STAT) {
      lastS = sample.value;
    }
  }
  return Number.isFinite(fromS) && Number.isFinite(lastS) ? { fromS, lastS } : undefined;
}

/** Why the recorded events cannot answer for this range and these settings; undefined: they can. */
export function unusable(
  coverage: RecordingCoverage | undefined,
  window: FluxWindow,
  mapping: FluxLabelMapping
): string | undefined {
  if (!coverage) {
    return 'not evaluated';
  }
  const startS = window.toMs / 1000 - windowSecondsOf(window);
  const endS = window.toMs / 1000;
  if (coverage.fromS > startS + RECORDING_INTERVAL_SECONDS) {
    return `evaluated only since ${new Date(coverage.fromS * 1000).toISOString()}, after the range's start`;
  }
  // Prometheus' lookback: a heartbeat older than that is an evaluator that stopped.
  if (coverage.lastS < endS - 5 * 60) {
    return `last evaluated at ${new Date(coverage.lastS * 1000).toISOString()}, before the range's end`;
  }
  const missing = keptLabelsMissing(mapping);
  return missing.length
    ? `they do not keep the label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`
    : undefined;
}

/** Label settings naming labels the rules aggregate away. */
function keptLabelsMissing(mapping: FluxLabelMapping): string[] {
  const kept = new Set<string>([...RECORDED_IDENTITY_LABELS, ...RECORDED_SIGNAL_LABELS.info]);
  const named = [mapping.cluster, mapping.kind, mapping.namespace, mapping.name, mapping.reason];
  return named.filter((label): label is string => Boolean(label) && !kept.has(label!));
}
