/**
 * One object's timeline: from the series of one object (an accumulator) to what it shows, its
 * newest state and since when, and whether it still exists at the end of the data.
 *
 * - At each timestamp the best observation among all its series: the richer schema wins
 *   (flux-operator > kube-state-metrics > legacy), within a schema the more severe state, so a
 *   lagging duplicate cannot hide a failure; the newest timestamp decides ("latest wins").
 * - `since` is the start of the last run of the current state.
 * - Each series is judged against its own query (its frames' refId): a series that ends well
 *   before its query does belongs to a deleted object ({@link reportsAtEnd}).
 */
import { ByTime, firstPresent, lastPresent, reportsAtEnd } from './byTime';
import { SeriesRef } from './frames';
import { ObjectIdentity, SeriesLabels } from './labels';
import { LegacyPoint, LegacySeries, legacyPointsByTime, newestSharedPoint, sharedSeries } from './legacyPoints';
import {
  DECIDING_RANK,
  infoState,
  legacyReady,
  legacyState,
  parseReady,
  parseSuspended,
  READY_OF_MASK,
  schemaRichness,
  severityOf,
  SIGNAL_RANK,
} from './state';
import { FluxSchema, FluxState, ReadyStatus } from './types';
import { toMs, toSampleValue } from './values';

// Looked up once (values.ts: builtins in a vm context), and not imported: an import is read
// through the exporting module's getter, a call per sample when the compiler does not inline it.
const numberIsNaN = Number.isNaN;
const isArray = Array.isArray;
const NAN = Number.NaN;
const INFINITY = Number.POSITIVE_INFINITY;

/** What one observation says about an object. */
export interface Decision {
  state: FluxState;
  schema: FluxSchema;
  ready?: ReadyStatus;
  suspended: boolean;
  /** The labels of the series that decided (shown, reason, revision, source). */
  read: SeriesLabels;
}

/**
 * Every field set by newAccumulator: one shape for all 50k, no property store to grow when a list
 * is added. The object's identity is its own fields, not an object more per object.
 */
export interface ObjectAccumulator extends LegacySeries, ObjectIdentity {
  key: string;
  /**
   * Info series (their `schema` set); decisions are made once all series are in. One series as it
   * is (nearly every object: no list kept per object until the reading ends), a list from two on.
   */
  info: SeriesRef | SeriesRef[] | undefined;
  counts: SeriesRef[] | undefined;
  sums: SeriesRef[] | undefined;
}

/** `identity` is copied: the reading reuses one record for every series' identity. */
export function newAccumulator(identity: ObjectIdentity, key: string): ObjectAccumulator {
  return {
    cluster: identity.cluster,
    kind: identity.kind,
    namespace: identity.namespace,
    name: identity.name,
    key,
    info: undefined,
    conditions: undefined,
    suspends: undefined,
    counts: undefined,
    sums: undefined,
  };
}

/**
 * The first timestamp of the queries of an object's state series when any spans time (range data:
 * `since` means something, a lower bound when it is that timestamp); NaN for instant data.
 */
export function rangeStartOf(acc: ObjectAccumulator): number {
  let isRange = false;
  let start = INFINITY;
  // No list of the lists: an array per object was a tenth of the garbage at 10k objects.
  for (let l = 0; l < 2; l++) {
    const list = l === 0 ? acc.info : acc.suspends;
    const count = list === undefined ? 0 : isArray(list) ? list.length : 1;
    for (let i = 0; i < count; i++) {
      const query = (isArray(list) ? list[i] : list!).query;
      isRange ||= query.end > query.start;
      start = query.start < start ? query.start : start;
    }
  }
  for (let i = 0; acc.conditions && i < acc.conditions.length; i++) {
    const query = acc.conditions[i].series.query;
    isRange ||= query.end > query.start;
    start = query.start < start ? query.start : start;
  }
  return isRange ? start : NAN;
}

/** Info metrics are 1 while the object exists; 0, null and NaN are "no sample at this time". */
function isPresent(value: unknown): boolean {
  // > 0 rather than === 1: `sum`/`count` over HA duplicates gives 2, and that object exists too.
  // A number without a call (see widen in frames.ts: a double passed to a call is boxed).
  return typeof value === 'number' ? value > 0 && value !== INFINITY : toSampleValue(value) > 0;
}

function betterThan(a: Decision, b: Decision): boolean {
  const richness = schemaRichness(a.schema) - schemaRichness(b.schema);
  return richness > 0 || (richness === 0 && severityOf(a.state) < severityOf(b.state));
}

function infoDecision(series: SeriesRef, identity: ObjectIdentity): Decision {
  const read = series.read!;
  const readyLabel = read.ready;
  const suspended = parseSuspended(read.suspended);
  // The raw `url` label, as the PromQL state rules read it (an OCI HelmRepository has no ready label).
  const state = infoState({
    kind: identity.kind,
    readyLabel,
    reason: read.reason,
    suspended,
    url: read.url,
    schema: series.schema,
  });
  return { state, schema: series.schema!, ready: parseReady(readyLabel), suspended, read };
}

function legacyDecision(point: LegacyPoint, state = legacyState(point)): Decision {
  const rank = DECIDING_RANK.get(state);
  return {
    state,
    schema: 'legacy',
    ready: legacyReady(point),
    suspended: point.suspended > 0,
    read: (rank === undefined ? undefined : point.deciders[rank]) ?? point.anyLabels,
  };
}

/**
 * Legacy gauges only (Flux <= 2.4 without kube-state-metrics): each point's state is final, so
 * the run is found on the points themselves, and only the newest point becomes a Decision.
 */
function decideLegacy(acc: ObjectAccumulator): Verdict | undefined {
  const first = sharedSeries(acc);
  if (first) {
    const point = newestSharedPoint(acc, first);
    if (!point) {
      return undefined;
    }
    const { signals, state, read, observedAt, runStart, present } = point;
    const suspended = (signals & (1 << SIGNAL_RANK.Suspended)) !== 0;
    const decision: Decision = { state, schema: 'legacy', ready: READY_OF_MASK[signals], suspended, read };
    return { decision, observedAt, runStart, present };
  }
  const { times, points, present } = legacyPointsByTime(acc);
  if (points.length === 0) {
    return undefined;
  }
  const observedAt = times[times.length - 1];
  const newest = points[points.length - 1];
  const state = legacyState(newest);
  let runStart = observedAt;
  for (let i = times.length - 2; i >= 0 && legacyState(points[i]) === state; i--) {
    runStart = times[i];
  }
  return { decision: legacyDecision(newest, state), observedAt, runStart, present };
}

export interface Verdict {
  decision: Decision;
  observedAt: number;
  /** Start of the last run of the decided state. */
  runStart: number;
  /** Some series of the object still reports at the end of its own query ({@link reportsAtEnd}). */
  present: boolean;
}

/** Keeps the better of two decisions at one time. */
function consider(best: ByTime<Decision>, t: number, decision: Decision): void {
  const current = best.get(t);
  if (!current || betterThan(decision, current)) {
    best.set(t, decision);
  }
}

/** The object's state timeline, reduced to what the object shows: its newest state and since when. */
export function decide(acc: ObjectAccumulator): Verdict | undefined {
  // Fast path, by far the most common: one info series, so one constant decision.
  if (acc.info && !isArray(acc.info) && !acc.conditions && !acc.suspends) {
    const series = acc.info;
    let first = NAN;
    let last = NAN;
    if (series.ascending) {
      // Ascending times: the oldest and newest present samples are the first from each end; else
      // the loop reads every row, in whatever order they come.
      const i = firstPresent(series, isPresent);
      if (i < series.end) {
        first = series.times[i] as number;
        last = series.times[lastPresent(series, isPresent)] as number;
      }
    }
    for (let i = series.ascending ? series.end : series.start; i < series.end; i++) {
      if (isPresent(series.values[i])) {
        const raw = series.times[i];
        // Numbers without a call (see widen in frames.ts: a double passed to a call is boxed).
        const t = typeof raw === 'number' ? raw : toMs(raw);
        if (!numberIsNaN(t)) {
          if (numberIsNaN(first) || t < first) {
            first = t;
          }
          if (numberIsNaN(last) || t > last) {
            last = t;
          }
        }
      }
    }
    return numberIsNaN(last)
      ? undefined
      : {
          decision: infoDecision(series, acc),
          observedAt: last,
          runStart: first,
          present: reportsAtEnd(series, last),
        };
  }

  if (!acc.info) {
    return acc.conditions || acc.suspends ? decideLegacy(acc) : undefined;
  }
  const best = new ByTime<Decision>();
  let present = false;
  for (const series of isArray(acc.info) ? acc.info : [acc.info]) {
    const decision = infoDecision(series, acc);
    let lastSeen = NAN;
    for (let i = series.start; i < series.end; i++) {
      if (isPresent(series.values[i])) {
        const raw = series.times[i];
        const t = typeof raw === 'number' ? raw : toMs(raw);
        if (!numberIsNaN(t)) {
          consider(best, t, decision);
          if (!(t <= lastSeen)) {
            lastSeen = t;
          }
        }
      }
    }
    present ||= reportsAtEnd(series, lastSeen);
  }
  if (acc.conditions || acc.suspends) {
    // With the info series: a suspend gauge at 0 makes no point to hide their state with.
    const legacy = legacyPointsByTime(acc, true);
    legacy.points.forEach((point, i) => consider(best, legacy.times[i], legacyDecision(point)));
    present ||= legacy.present;
  }
  if (best.size === 0) {
    return undefined;
  }
  const times = best.times();
  const observedAt = times[times.length - 1];
  const decision = best.get(observedAt)!;
  let runStart = observedAt;
  for (let i = times.length - 2; i >= 0 && best.get(times[i])!.state === decision.state; i--) {
    runStart = times[i];
  }
  return { decision, observedAt, runStart, present };
}
