/**
 * The state rules: how each metric schema's raw signals become one {@link FluxState}.
 *
 * They follow what Flux's own UIs agree on (Flux Operator UI, Weave GitOps, Headlamp, Capacitor):
 * - Suspended wins over everything: a suspended object is not reconciled, so its last Ready status
 *   is history, and nobody wants to be paged for an object they paused on purpose.
 * - Ready=False is Failed, except reason DependencyNotReady: the object is waiting for another one
 *   and will go ahead once that is ready (the classic false alarm, kustomize-controller#1453).
 * - Ready=Unknown means a reconcile or health check is running: Progressing, not Failed. But the
 *   Flux Operator writes ready="Unknown" with no reason for an object without a Ready condition
 *   (one its controller never reconciled): no status information, Unknown, as kube-state-metrics
 *   (no `ready` label) says of the same object. A real Ready=Unknown condition always has a reason.
 * - Alert and Provider have no Ready condition at all; existing means their configuration is valid.
 * - Deleted (legacy Flux <= 2.0 only) is never failing: the object is gone.
 */
import type { LegacyStatus } from './schemas';
import { FLUX_SCHEMAS, FluxSchema, FluxState, FLUX_STATES, ReadyStatus } from './types';

/** Kinds without a Ready condition: their existence is their readiness. */
export const CONFIGURATION_KINDS: ReadonlySet<string> = new Set(['Alert', 'Provider']);

/** The URL scheme of an OCI HelmRepository (`spec.type: oci` requires `spec.url` to start with it). */
export const OCI_URL_PREFIX = 'oci://';

/**
 * An OCI HelmRepository is static since Flux 2.2: source-controller stops reconciling it and
 * removes its status (source-controller internal/controller/helmrepository_controller.go,
 * migrationToStatic), so kube-state-metrics has no `ready` for it, while the Flux Operator reports
 * it `ready="True"` (flux-operator internal/reporter/metrics.go). The official kube-state-metrics
 * config exports `url` but not `spec.type`; the API requires an OCI HelmRepository's URL to start
 * with oci:// (source-controller api/v1/helmrepository_types.go), so the URL tells.
 */
export function isOciHelmRepository(kind: string, url: string | undefined): boolean {
  return kind === 'HelmRepository' && url !== undefined && url.startsWith(OCI_URL_PREFIX);
}

/** The reason Flux gives while an object waits for the objects it depends on. */
export const DEPENDENCY_NOT_READY = 'DependencyNotReady';

const SEVERITY: Record<FluxState, number> = Object.fromEntries(FLUX_STATES.map((state, i) => [state, i])) as Record<
  FluxState,
  number
>;

/** 0 for the most severe state (Failed); compare with `<` for "more severe". */
export function severityOf(state: FluxState): number {
  return SEVERITY[state] ?? FLUX_STATES.length;
}

/**
 * When two schemas describe the same object at the same moment, the richer one wins: Flux Operator
 * has reason and revision, kube-state-metrics has revision, the legacy gauges only the status.
 */
const SCHEMA_RICHNESS = new Map<FluxSchema, number>(FLUX_SCHEMAS.map((schema, i) => [schema, FLUX_SCHEMAS.length - i]));

export function schemaRichness(schema: FluxSchema): number {
  // FLUX_SCHEMAS lists the schemas richest first.
  return SCHEMA_RICHNESS.get(schema) ?? 0;
}

/** The Ready status from a `ready` label ("True"/"False"/"Unknown", any case); undefined otherwise. */
export function parseReady(value: string | undefined): ReadyStatus | undefined {
  // The exporters' own spelling first: toLowerCase makes a new string, once per object.
  if (value === 'True' || value === 'False' || value === 'Unknown') {
    return value;
  }
  switch (value?.toLowerCase()) {
    case 'true':
      return 'True';
    case 'false':
      return 'False';
    case 'unknown':
      return 'Unknown';
    default:
      return undefined;
  }
}

/**
 * kube-state-metrics writes `suspended` as "true"/"false" and leaves it out when spec.suspend is
 * unset; Flux Operator writes "True"/"False". Absent means not suspended.
 */
export function parseSuspended(value: string | undefined): boolean {
  // The exporters' own spellings first, as in parseReady.
  if (value === 'false' || value === 'False') {
    return false;
  }
  return value === 'true' || value === 'True' || (value !== undefined && value.toLowerCase() === 'true');
}

export interface InfoSignals {
  kind: string;
  /** The raw `ready` label; undefined when absent. */
  readyLabel: string | undefined;
  reason: string | undefined;
  suspended: boolean;
  /** The `url` label: an OCI HelmRepository without a Ready condition is Ready (see {@link isOciHelmRepository}). */
  url?: string;
  /**
   * The series' schema: the Flux Operator's ready="Unknown" without a reason is no Ready condition
   * (its default, flux-operator internal/reporter/metrics.go commonLabelsToValues). kube-state-metrics
   * writes `ready` only from a Ready condition, so its ready="Unknown" is one, reason or not.
   */
  schema?: FluxSchema;
}

/**
 * State from an info metric (kube-state-metrics' gotk_resource_info, Flux Operator's
 * flux_resource_info): one series per object whose labels carry the Ready condition.
 */
export function infoState(signals: InfoSignals): FluxState {
  if (signals.suspended) {
    return 'Suspended';
  }
  if (signals.readyLabel === undefined) {
    // No Ready condition recorded: for Alert/Provider and an OCI HelmRepository (static objects)
    // that is normal, for anything else we know nothing.
    return CONFIGURATION_KINDS.has(signals.kind) || isOciHelmRepository(signals.kind, signals.url)
      ? 'Ready'
      : 'Unknown';
  }
  switch (parseReady(signals.readyLabel)) {
    case 'False':
      return signals.reason === DEPENDENCY_NOT_READY ? 'Progressing' : 'Failed';
    case 'Unknown':
      // The Flux Operator's default without a Ready condition (no reason): no status information.
      return signals.schema === 'flux-operator' && signals.reason === undefined ? 'Unknown' : 'Progressing';
    case 'True':
      return 'Ready';
    default:
      // A ready label we cannot read is no status information.
      return 'Unknown';
  }
}

/**
 * The legacy one-hot gauges of one object at one timestamp, each already the max over duplicate
 * series (HA Prometheus pairs, several scrape jobs): 1 when any copy says 1.
 */
export interface LegacySignals {
  readyTrue: number;
  readyFalse: number;
  readyUnknown: number;
  deleted: number;
  suspended: number;
}

/**
 * {@link legacyState}'s precedence, strongest first, by the gauge at 1 that decides: a `status` of
 * gotk_reconcile_condition{type="Ready"}, or gotk_suspend_status (`Suspended`). One list for the
 * PromQL copy of the rule (promql/stateRules.ts) to rank by; state.test.ts holds legacyState to it.
 */
export const LEGACY_PRECEDENCE: ReadonlyArray<{ gauge: LegacyStatus | 'Suspended'; state: FluxState }> = [
  { gauge: 'Deleted', state: 'Deleted' },
  { gauge: 'Suspended', state: 'Suspended' },
  { gauge: 'False', state: 'Failed' },
  { gauge: 'Unknown', state: 'Progressing' },
  { gauge: 'True', state: 'Ready' },
];

/**
 * State from gotk_reconcile_condition{type="Ready"} + gotk_suspend_status.
 *
 * Order matters and mirrors the monitoring guide's ReconciliationFailure alert
 * (`False + Deleted * 2 == 1`): Flux 2.0 never removes an object's series, so a deleted object
 * keeps a stale False=1 forever and Deleted must mask it. Suspension comes next (the alert ignores
 * it; every UI puts it first). Then False before Unknown before True, so that if duplicates
 * disagree (one replica scraped before the change, one after) the more severe status shows.
 */
export function legacyState(signals: LegacySignals): FluxState {
  if (signals.deleted > 0) {
    return 'Deleted';
  }
  if (signals.suspended > 0) {
    return 'Suspended';
  }
  if (signals.readyFalse > 0) {
    return 'Failed';
  }
  if (signals.readyUnknown > 0) {
    // Ready=Unknown is recorded while reconciling, and for objects that have no Ready condition yet.
    return 'Progressing';
  }
  if (signals.readyTrue > 0) {
    return 'Ready';
  }
  return 'Unknown';
}

/** The Ready status the legacy gauges recorded, with the same precedence as {@link legacyState}. */
export function legacyReady(signals: LegacySignals): ReadyStatus | undefined {
  if (signals.deleted > 0) {
    return undefined;
  }
  if (signals.readyFalse > 0) {
    return 'False';
  }
  if (signals.readyUnknown > 0) {
    return 'Unknown';
  }
  if (signals.readyTrue > 0) {
    return 'True';
  }
  return undefined;
}

/** A fixed order of the legacy gauges, their signal ranks: the bit of each in a mask (below {@link SIGNAL_MASKS}). */
export const SIGNAL_RANK: Record<LegacyStatus | 'Suspended', number> = {
  True: 0,
  False: 1,
  Unknown: 2,
  Deleted: 3,
  Suspended: 4,
};

/** The gauge of each signal rank, and a store per gauge (not one keyed by its name per sample). */
export const SET_SIGNAL: ReadonlyArray<(point: LegacySignals) => void> = [
  (point) => (point.readyTrue = 1),
  (point) => (point.readyFalse = 1),
  (point) => (point.readyUnknown = 1),
  (point) => (point.deleted = 1),
  (point) => (point.suspended = 1),
];

/** The signal rank of the gauge that decides each state ({@link LEGACY_PRECEDENCE}). */
export const DECIDING_RANK: ReadonlyMap<FluxState, number> = new Map(
  LEGACY_PRECEDENCE.map(({ gauge, state }) => [state, SIGNAL_RANK[gauge]])
);

/**
 * The legacy signals as bits, bit {@link SIGNAL_RANK} of each gauge at 1: a range of points kept as
 * one byte each (legacyPoints.ts) rather than an object per sample. Masks run from 0 to SIGNAL_MASKS - 1.
 */
export const SIGNAL_MASKS = 1 << SET_SIGNAL.length;

function signalsOfMask(mask: number): LegacySignals {
  const signals: LegacySignals = { readyTrue: 0, readyFalse: 0, readyUnknown: 0, deleted: 0, suspended: 0 };
  SET_SIGNAL.forEach((set, rank) => (mask & (1 << rank) ? set(signals) : undefined));
  return signals;
}

/** {@link legacyState} and {@link legacyReady} of every mask, made once: a lookup per point, not a rule. */
export const STATE_OF_MASK: readonly FluxState[] = Array.from({ length: SIGNAL_MASKS }, (_, mask) =>
  legacyState(signalsOfMask(mask))
);
export const READY_OF_MASK: ReadonlyArray<ReadyStatus | undefined> = Array.from({ length: SIGNAL_MASKS }, (_, mask) =>
  legacyReady(signalsOfMask(mask))
);

export function isFluxState(value: unknown): value is FluxState {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SEVERITY, value);
}
