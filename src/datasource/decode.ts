/**
 * Reading the answers of FluxGrid's own aggregated queries (labels `fluxgrid_*`, see promql.ts).
 * The raw state series go to the core (`readFluxFrames`); these are the rest.
 */
import { DataFrame } from '@grafana/data';

import { scanFrames, toMs, toSampleValue } from '../flux/frames';
import { objectKey } from '../flux/labels';
import { ID, STAT_LABEL, STATE_LABEL } from '../flux/promql';
import { isFluxState, severityOf } from '../flux/state';
import { FluxState } from '../flux/types';
import { DurationRow, ObjectRef, StateChange, StateTimeline } from './output';

export interface Sample {
  labels: Record<string, string>;
  time: number;
  value: number;
}

/** The last sample of every series (instant answers have exactly one). */
export function lastSamples(frames: DataFrame[]): Sample[] {
  const out: Sample[] = [];
  for (const series of scanFrames(frames).series) {
    for (let i = series.end - 1; i >= series.start; i--) {
      const value = toSampleValue(series.values[i]);
      if (!Number.isNaN(value)) {
        out.push({ labels: series.labels, time: toMs(series.times[i]), value });
        break;
      }
    }
  }
  return out;
}

export function refOf(labels: Record<string, string>): ObjectRef {
  return {
    cluster: labels[ID.cluster] ?? '',
    kind: labels[ID.kind] ?? '',
    namespace: labels[ID.namespace] ?? '',
    name: labels[ID.name] ?? '',
  };
}

/** The same key as the core's FluxObject.key. */
export function keyOf(labels: Record<string, string>): string {
  return objectKey(refOf(labels));
}

/** key → value (epoch seconds etc.) from an instant answer with fluxgrid_* labels. */
export function valuesByObject(frames: DataFrame[]): Map<string, { ref: ObjectRef; value: number }> {
  const out = new Map<string, { ref: ObjectRef; value: number }>();
  for (const sample of lastSamples(frames)) {
    if (!sample.labels[ID.kind] || !sample.labels[ID.name]) {
      continue;
    }
    const key = keyOf(sample.labels);
    const previous = out.get(key);
    if (!previous || sample.value > previous.value) {
      out.set(key, { ref: refOf(sample.labels), value: sample.value });
    }
  }
  return out;
}

/** Rows of the reconcile duration answer (one series per object and statistic), slowest first. */
export function durationRows(frames: DataFrame[], limit: number): DurationRow[] {
  const rows = new Map<string, DurationRow>();
  for (const sample of lastSamples(frames)) {
    const stat = sample.labels[STAT_LABEL];
    if (stat !== 'p50' && stat !== 'p95' && stat !== 'max' && stat !== 'count' && stat !== 'mean') {
      continue;
    }
    const key = keyOf(sample.labels);
    let row = rows.get(key);
    if (!row) {
      row = refOf(sample.labels);
      rows.set(key, row);
    }
    row[stat] = sample.value;
  }
  const byName = (a: DurationRow, b: DurationRow) =>
    a.cluster.localeCompare(b.cluster) ||
    a.kind.localeCompare(b.kind) ||
    a.namespace.localeCompare(b.namespace) ||
    a.name.localeCompare(b.name);
  return Array.from(rows.values())
    .filter((r) => r.p95 !== undefined)
    .sort((a, b) => (b.p95 ?? 0) - (a.p95 ?? 0) || (b.mean ?? 0) - (a.mean ?? 0) || byName(a, b))
    .slice(0, Math.max(1, limit));
}

/**
 * Per-object state timelines from the range answer of `stateSeries` (one series per object and
 * state). All timelines share one time grid; a step where several states are present (duplicates
 * that disagree, or an old series still within Prometheus' lookback) takes the most severe.
 */
export function stateTimelines(frames: DataFrame[]): StateTimeline[] {
  const grid = new Set<number>();
  const objects = new Map<string, { ref: ObjectRef; at: Map<number, FluxState> }>();
  for (const series of scanFrames(frames).series) {
    const state = series.labels[STATE_LABEL];
    if (!isFluxState(state) || !series.labels[ID.name]) {
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
 * Changes within the timelines. The first step of the range is the starting point, not a change;
 * an object that appears later counts as a change only when it does not appear Ready (a new
 * healthy object is not news); disappearing is not a change (no metric says why).
 */
export function stateChanges(timelines: StateTimeline[]): StateChange[] {
  const changes: StateChange[] = [];
  for (const t of timelines) {
    let previous: FluxState | null = null;
    let seen = false;
    t.states.forEach((state, i) => {
      if (state === null) {
        return;
      }
      if (!seen) {
        seen = true;
        if (i > 0 && state !== 'Ready') {
          changes.push({
            cluster: t.cluster,
            kind: t.kind,
            namespace: t.namespace,
            name: t.name,
            time: t.times[i],
            from: null,
            to: state,
          });
        }
      } else if (state !== previous) {
        changes.push({
          cluster: t.cluster,
          kind: t.kind,
          namespace: t.namespace,
          name: t.name,
          time: t.times[i],
          from: previous,
          to: state,
        });
      }
      previous = state;
    });
  }
  return changes.sort((a, b) => a.time - b.time || a.name.localeCompare(b.name));
}
