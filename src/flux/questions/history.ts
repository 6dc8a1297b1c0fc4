/**
 * The State history and State changes questions: each object's state at every step of the range,
 * and the changes between those steps. One range query: the PromQL state rules (stateRules.ts),
 * one series per object and state.
 */
import { DataFrame } from '@grafana/data';

import { scanFrames, toMs, toSampleValue } from '../frames';
import { keyOf, namesObject, ObjectRef, refOf } from '../promql/identity';
import { FluxFilters, PromQLOptions } from '../promql/selectors';
import { STATE_LABEL, stateSeries } from '../promql/stateRules';
import { isFluxState, severityOf } from '../state';
import { compareIdentity } from '../summary';
import { FLUX_STATES, FluxState } from '../types';
import { FluxAnswers, FluxQueries, FluxWindow, minStepSecondsOf } from './question';

export interface StateTimeline extends ObjectRef {
  /** Epoch ms, ascending. */
  times: number[];
  /** The state at each time; null where the object did not exist. */
  states: Array<FluxState | null>;
}

export interface StateChange extends ObjectRef {
  /** Epoch ms of the first step in the new state. */
  time: number;
  from: FluxState | null;
  to: FluxState;
}

export interface HistoryParams {
  /** Keep only objects (timelines) or changes that touch these states (undefined: every state). */
  states?: ReadonlySet<FluxState>;
}

/** One range query of the states; its step no finer than the scrape interval ({@link minStepSecondsOf}). */
export function queries(filters: FluxFilters, options: PromQLOptions, window?: FluxWindow): FluxQueries {
  return { exprs: { states: stateSeries(filters, options) }, range: true, minStepSeconds: minStepSecondsOf(window) };
}

/**
 * Per-object state timelines from the range answer (one series per object and state). All
 * timelines share one time grid; a step where several states are present (duplicates that
 * disagree, or an old series still within Prometheus' lookback) takes the most severe.
 */
export function stateTimelines(frames: DataFrame[]): StateTimeline[] {
  const grid = new Set<number>();
  const objects = new Map<string, { ref: ObjectRef; at: Map<number, FluxState> }>();
  for (const series of scanFrames(frames).series) {
    const state = Object.prototype.hasOwnProperty.call(series.labels, STATE_LABEL)
      ? series.labels[STATE_LABEL]
      : undefined;
    if (!isFluxState(state) || !namesObject(series.labels)) {
      continue;
    }
    const key = keyOf(series.labels);
    let object = objects.get(key);
    if (!object) {
      object = { ref: refOf(series.labels), at: new Map() };
      objects.set(key, object);
    }
    for (let i = series.start; i < series.end; i++) {
      const value = toSampleValue(series.values[i]);
      const t = toMs(series.times[i]);
      if (Number.isNaN(value) || Number.isNaN(t) || value <= 0) {
        continue;
      }
      grid.add(t);
      const current = object.at.get(t);
      if (!current || severityOf(state) < severityOf(current)) {
        object.at.set(t, state);
      }
    }
  }
  const times = Array.from(grid).sort((a, b) => a - b);
  return Array.from(objects.values()).map(({ ref, at }) => ({
    ...ref,
    times,
    states: times.map((t) => at.get(t) ?? null),
  }));
}

/** The state of a timeline at its last non-empty step. */
export function currentState(timeline: StateTimeline): FluxState | null {
  for (let i = timeline.states.length - 1; i >= 0; i--) {
    if (timeline.states[i] !== null) {
      return timeline.states[i];
    }
  }
  return null;
}

/**
 * State history: the timelines of the objects that were in one of the wanted states at some step,
 * most severe current state first, then in the identity order every object list uses.
 */
export function read(answers: FluxAnswers, _window?: FluxWindow, params: HistoryParams = {}): StateTimeline[] {
  const timelines = stateTimelines(answers.states ?? []);
  const states = params.states;
  const kept = states ? timelines.filter((t) => t.states.some((s) => s !== null && states.has(s))) : timelines;
  const rank = (s: FluxState | null) => (s === null ? FLUX_STATES.length : severityOf(s));
  return kept.sort((a, b) => rank(currentState(a)) - rank(currentState(b)) || compareIdentity(a, b));
}

/**
 * What counts as a state change. The first step of the range is the starting point, not a change;
 * an object that appears later counts as a change only when it does not appear Ready (a new
 * healthy object is not news); disappearing is not a change (no metric says why).
 */
export function stateChanges(timelines: StateTimeline[]): StateChange[] {
  const changes: StateChange[] = [];
  for (const t of timelines) {
    const ref: ObjectRef = { cluster: t.cluster, kind: t.kind, namespace: t.namespace, name: t.name };
    let previous: FluxState | null = null;
    let seen = false;
    t.states.forEach((state, i) => {
      if (state === null) {
        return;
      }
      if (!seen) {
        seen = true;
        if (i > 0 && state !== 'Ready') {
          changes.push({ ...ref, time: t.times[i], from: null, to: state });
        }
      } else if (state !== previous) {
        changes.push({ ...ref, time: t.times[i], from: previous, to: state });
      }
      previous = state;
    });
  }
  // In time; changes at the same step in the identity order.
  return changes.sort((a, b) => a.time - b.time || compareIdentity(a, b));
}

/** State changes: those into or out of one of the wanted states. */
export function readChanges(answers: FluxAnswers, _window?: FluxWindow, params: HistoryParams = {}): StateChange[] {
  const changes = stateChanges(stateTimelines(answers.states ?? []));
  const states = params.states;
  return states ? changes.filter((c) => states.has(c.to) || (c.from !== null && states.has(c.from))) : changes;
}
