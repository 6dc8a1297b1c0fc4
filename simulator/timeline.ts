/**
 * Plays a scenario's timeline: what each object's metrics say at any offset, and when it reconciles.
 */
import type { FluxState } from '../src/flux/types';
import { buildFleet, selectObjects } from './fleet';
import { isOciHelmRepository, isOperatorKind, KIND_INFO, type FluxKind } from './kinds';
import { hashString, unitHash } from './random';
import type { ObjectCondition, Scenario, SimObject, SimulatedSchema, TimelineEvent } from './types';

/** Prometheus' default lookback: a series without samples stays visible this long. */
export const LOOKBACK_SECONDS = 300;

export const INITIAL_CONDITION: ObjectCondition = Object.freeze({
  ready: 'True',
  reason: 'ReconciliationSucceeded',
  suspend: undefined,
  deleted: false,
  staleFalse: false,
  revisionNumber: 0,
}) as ObjectCondition;

type Patch = Partial<ObjectCondition> | 'nextRevision' | 'delete';

interface TimedPatch {
  at: number;
  /** Order within the same instant: timeline order. */
  order: number;
  patch: Patch;
  keepStaleFalse?: boolean;
}

const READY: Partial<ObjectCondition> = { ready: 'True', reason: 'ReconciliationSucceeded' };
/** Actions that set the Ready condition (they end a flap or a `for` window early). */
const READY_ACTIONS = new Set(['fail', 'recover', 'progress', 'wait', 'delete', 'flap']);

function defaultFailureReason(kind: FluxKind): string {
  switch (kind) {
    case 'Kustomization':
      return 'BuildFailed';
    case 'HelmRelease':
      return 'InstallFailed';
    case 'GitRepository':
    case 'OCIRepository':
    case 'Bucket':
    case 'HelmRepository':
    case 'HelmChart':
      return 'FetchFailed';
    default:
      return 'ReconciliationFailed';
  }
}

/** The simulated life of one object. */
export class ObjectHistory {
  /** Change points, sorted; `conditions[i]` holds from `times[i]` until the next. */
  readonly times: number[] = [0];
  readonly conditions: ObjectCondition[] = [INITIAL_CONDITION];

  constructor(readonly object: SimObject) {}

  at(offsetSeconds: number): ObjectCondition {
    // Binary search: the last change at or before the offset.
    let lo = 0;
    let hi = this.times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.times[mid] <= offsetSeconds) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return this.conditions[lo];
  }

  /** Offsets at which anything about the object changes. */
  changeTimes(): readonly number[] {
    return this.times;
  }
}

export interface PlayedScenario {
  scenario: Scenario;
  objects: SimObject[];
  histories: ObjectHistory[];
  byKey: Map<string, ObjectHistory>;
}

/** Expands the timeline into per-object condition histories. */
export function playScenario(scenario: Scenario): PlayedScenario {
  const objects = buildFleet(scenario.fleet);
  const patches = new Map<SimObject, TimedPatch[]>();
  const eventsByObject = new Map<SimObject, TimelineEvent[]>();
  for (const event of scenario.timeline) {
    for (const object of selectObjects(objects, event.select)) {
      let list = eventsByObject.get(object);
      if (!list) {
        list = [];
        eventsByObject.set(object, list);
      }
      list.push(event);
    }
  }
  for (const [object, events] of eventsByObject) {
    const list: TimedPatch[] = [];
    let order = 0;
    const push = (at: number, patch: Patch, keepStaleFalse?: boolean) => {
      if (at <= scenario.durationSeconds) {
        list.push({ at, order: order++, patch, keepStaleFalse });
      }
    };
    events.forEach((event, i) => {
      // A later event setting Ready ends this one's `for` window or flapping.
      const next = events.slice(i + 1).find((e) => READY_ACTIONS.has(e.action) && e.at >= event.at);
      const until = Math.min(
        event.forSeconds !== undefined ? event.at + event.forSeconds : Infinity,
        next ? next.at : Infinity,
        scenario.durationSeconds
      );
      const revertAt = event.forSeconds !== undefined ? event.at + event.forSeconds : undefined;
      const revertReady = () => {
        if (revertAt !== undefined && (!next || next.at > revertAt)) {
          push(revertAt, READY);
        }
      };
      switch (event.action) {
        case 'fail':
          push(event.at, { ready: 'False', reason: event.reason ?? defaultFailureReason(object.kind) });
          revertReady();
          break;
        case 'recover':
          push(event.at, READY);
          break;
        case 'progress':
          push(event.at, { ready: 'Unknown', reason: event.reason ?? 'Progressing' });
          revertReady();
          break;
        case 'wait':
          push(event.at, { ready: 'False', reason: event.reason ?? 'DependencyNotReady' });
          revertReady();
          break;
        case 'suspend':
          push(event.at, { suspend: true });
          if (revertAt !== undefined) {
            push(revertAt, { suspend: false });
          }
          break;
        case 'resume':
          push(event.at, { suspend: false });
          break;
        case 'delete':
          push(event.at, 'delete', event.keepStaleFalse);
          break;
        case 'revision':
          push(event.at, 'nextRevision');
          break;
        case 'flap': {
          const half = (event.periodSeconds ?? 600) / 2;
          const failure = { ready: 'False' as const, reason: event.reason ?? defaultFailureReason(object.kind) };
          let failing = true;
          let t = event.at;
          for (; t < until; t += half, failing = !failing) {
            push(t, failing ? failure : READY);
          }
          if (revertAt !== undefined && revertAt <= until && (!next || next.at > revertAt)) {
            push(revertAt, READY);
          }
          break;
        }
      }
    });
    list.sort((a, b) => a.at - b.at || a.order - b.order);
    patches.set(object, list);
  }

  const histories = objects.map((object) => {
    const history = new ObjectHistory(object);
    let current = INITIAL_CONDITION;
    for (const { at, patch, keepStaleFalse } of patches.get(object) ?? []) {
      if (current.deleted) {
        break; // Deleted objects stay deleted.
      }
      let next: ObjectCondition;
      if (patch === 'nextRevision') {
        next = { ...current, revisionNumber: current.revisionNumber + 1 };
      } else if (patch === 'delete') {
        next = { ...current, deleted: true, staleFalse: keepStaleFalse ?? current.ready === 'False' };
      } else {
        next = { ...current, ...patch };
      }
      const last = history.times.length - 1;
      if (history.times[last] === at) {
        history.conditions[last] = next;
      } else {
        history.times.push(at);
        history.conditions.push(next);
      }
      current = next;
    }
    return history;
  });
  return { scenario, objects, histories, byKey: new Map(histories.map((h) => [h.object.key, h])) };
}

/** A kind, or an object when its name matters (an OCI HelmRepository is a HelmRepository named `oci-…`). */
export type KindOf = FluxKind | Pick<SimObject, 'kind' | 'name'>;

function kindAndName(of: KindOf): [FluxKind, string] {
  return typeof of === 'string' ? [of, ''] : [of.kind, of.name];
}

/**
 * Static objects have no Ready condition and are not reconciled: Alert and Provider since
 * notification v1beta3, an OCI HelmRepository since Flux 2.2 (source-controller migrationToStatic).
 */
export function isStaticObject(of: KindOf): boolean {
  const [kind, name] = kindAndName(of);
  return !KIND_INFO[kind].hasReadyCondition || isOciHelmRepository(kind, name);
}

/** Whether a schema reports objects of this kind (and name) at all. */
export function schemaReportsKind(schema: SimulatedSchema, of: KindOf): boolean {
  const [kind] = kindAndName(of);
  if (isOperatorKind(kind)) {
    // The Flux Operator's own objects: only its flux_instance_info, flux_resourceset_info, ….
    return schema === 'flux-operator';
  }
  if (schema === 'legacy-2.0' || schema === 'legacy-2.4') {
    if (KIND_INFO[kind].sinceFlux > 2.4) {
      return false; // the controllers stopped exporting the gauges in Flux 2.5
    }
    // Static objects (Flux >= 2.2) get no controller gauges; Flux 2.0 still reconciled them.
    return schema === 'legacy-2.0' || !isStaticObject(of);
  }
  // kube-state-metrics lists static objects without `ready`; the Flux Operator reports every Flux
  // kind, static ones with ready="True" (flux-operator internal/reporter/metrics.go).
  return true;
}

/** Whether the schema carries the Ready reason (needed to tell DependencyNotReady from a failure). */
export function schemaHasReason(schema: SimulatedSchema, scenario: Scenario): boolean {
  return schema === 'flux-operator' || (schema === 'kube-state-metrics' && scenario.kubeStateMetricsReadyReason);
}

/** Whether the schema shows spec.suspend (or the operator's reconcile annotation) as `suspended`. */
export function schemaShowsSuspend(schema: SimulatedSchema, kind: FluxKind): boolean {
  return schema !== 'kube-state-metrics' || KIND_INFO[kind].hasSuspend;
}

/**
 * The state a reader of `schema` can know from the metrics, following the project's state rules;
 * undefined when the object is not in the data at all.
 */
export function simulatedState(
  condition: ObjectCondition,
  of: KindOf,
  schema: SimulatedSchema,
  scenario: Scenario
): FluxState | undefined {
  const [kind] = kindAndName(of);
  if (!schemaReportsKind(schema, of)) {
    return undefined;
  }
  if (condition.deleted) {
    return schema === 'legacy-2.0' ? 'Deleted' : undefined;
  }
  if (condition.suspend && schemaShowsSuspend(schema, kind)) {
    return 'Suspended';
  }
  if (isStaticObject(of) && (schema === 'kube-state-metrics' || schema === 'flux-operator')) {
    return 'Ready';
  }
  switch (condition.ready) {
    case 'True':
      return 'Ready';
    case 'Unknown':
      return 'Progressing';
    case 'False':
      return condition.reason === 'DependencyNotReady' && schemaHasReason(schema, scenario) ? 'Progressing' : 'Failed';
  }
}

/** One reconcile of one object. */
export interface Reconcile {
  at: number;
  durationSeconds: number;
  result: 'success' | 'error' | 'requeue';
}

/**
 * The reconciles of an object in (fromSeconds, toSeconds]: every reconcile interval from a
 * per-object phase, none while suspended or deleted. Durations are deterministic per reconcile.
 */
export function reconcilesBetween(
  history: ObjectHistory,
  intervalSeconds: number,
  fromSeconds: number,
  toSeconds: number
): Reconcile[] {
  const out: Reconcile[] = [];
  const phase = hashString(history.object.key) % Math.max(1, Math.round(intervalSeconds));
  // k-th reconcile at phase + k * interval (k may be negative for looping live playback).
  let k = Math.floor((fromSeconds - phase) / intervalSeconds) + 1;
  for (let at = phase + k * intervalSeconds; at <= toSeconds; k++, at = phase + k * intervalSeconds) {
    if (at <= fromSeconds) {
      continue;
    }
    const condition = history.at(at);
    if (condition.deleted || condition.suspend) {
      continue;
    }
    const r = unitHash(`${history.object.key}#${k}`);
    let durationSeconds: number;
    let result: Reconcile['result'];
    if (condition.ready === 'Unknown') {
      durationSeconds = 30 + r * 270; // waiting for health checks
      result = 'success';
    } else if (condition.ready === 'False' && condition.reason === 'DependencyNotReady') {
      durationSeconds = 0.005 + r * 0.03;
      result = 'requeue';
    } else if (condition.ready === 'False') {
      durationSeconds = 0.5 + r * r * 20;
      result = 'error';
    } else {
      durationSeconds = 0.05 * Math.pow(60, r); // 50 ms .. 3 s, log-uniform
      result = 'success';
    }
    out.push({ at, durationSeconds, result });
  }
  return out;
}

/** Revision text of an object at a revision number, in its kind's style. */
export function revisionText(object: SimObject, revisionNumber: number): string | undefined {
  const style = KIND_INFO[object.kind].revision;
  const seed = `${object.key}@${revisionNumber}`;
  switch (style) {
    case 'git':
      return `main@sha1:${hexFor(seed, 40)}`;
    case 'oci':
      return `latest@sha256:${hexFor(seed, 64)}`;
    case 'distribution':
      // A FluxInstance's lastAppliedRevision: the Flux version and its manifests' digest.
      return `v2.9.${revisionNumber}@sha256:${hexFor(seed, 64)}`;
    case 'digest':
      return `sha256:${hexFor(seed, 64)}`;
    case 'chart':
      return `1.${hashString(object.name) % 20}.${revisionNumber}`;
    default:
      return undefined;
  }
}

function hexFor(seed: string, length: number): string {
  let out = '';
  let n = 0;
  while (out.length < length) {
    out += hashString(`${n++}:${seed}`).toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}
