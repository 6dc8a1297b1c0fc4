/**
 * From Prometheus frames to Flux objects: who each series is about, which series decides each
 * object's state at each moment, since when that state holds, and how often the object reconciled.
 *
 * - One object per (cluster, kind, namespace, name). Duplicates from HA Prometheus pairs or
 *   several kube-state-metrics instances (differing only in replica/instance/pod) collapse into it.
 * - Every object gets a timeline (timeline.ts): at each timestamp the best observation among all its series.
 *   The newest timestamp decides the state ("latest wins": when kube-state-metrics sees ready go
 *   True -> False it ends one series and starts another, and both are in a range result).
 * - At one timestamp, the richer schema wins (flux-operator > kube-state-metrics > legacy: the
 *   operator has reason and revision, KSM revision, the legacy gauges neither); within a schema the
 *   more severe state wins, so a lagging duplicate cannot hide a failure.
 * - `since` is the start of the last run of the current state in that timeline; it is a lower
 *   bound when the run starts at the first timestamp of its queries' data.
 * - Each series is judged by its own query (the frames of its refId): its step and end say
 *   whether the object still exists; another query's timing never hides an object.
 */
import type { DataFrame } from '@grafana/data';

import { readFluxGridFrame } from './fluxgridFrame';
import { FieldSeries, frameLabel, scanFrames, SeriesRef } from './frames';
import { LabelReader } from './labelReader';
import { cleanLabels, objectKey, ObjectIdentity, SeriesLabels } from './labels';
import { reconcileStats } from './reconcile';
import { inCanonicalOrder } from './seriesOrder';
import { TableSeries } from './tableFrame';
import { classifySeries, isLegacyStatus, LegacyStatus, METRIC_OF_ROLE, SCHEMA_OF_ROLE } from './schemas';
import { lastSampleTime, reportsAtEnd } from './byTime';
import { decide, newAccumulator, ObjectAccumulator, rangeStartOf } from './timeline';
import { FluxObject, FluxReading, FluxSource, NormalizeOptions } from './types';

export { STALE_AFTER_STEPS } from './byTime';

/** Looked up once: see values.ts on builtins in a vm context, and timeline.ts on why not imported. */
const isArray = Array.isArray;
const numberIsNaN = Number.isNaN;

/**
 * Appends to a list that may not exist yet. A new list is `[item]`, sized for the one item most
 * objects have, where `[]` + push reserves room for 17.
 */
function append<T>(list: T[] | undefined, item: T): T[] {
  if (list) {
    list.push(item);
    return list;
  }
  return [item];
}

/**
 * A legacy gauge's labels reading, made only for the gauge an object shows (one of its four): the
 * series is its own reading (FieldSeries, TableSeries), its facts read again from its labels here.
 */
function readShownGauge(read: SeriesLabels, reader: LabelReader): void {
  if (read instanceof TableSeries) {
    reader.startRow(read);
    reader.pass(false);
    reader.facts(undefined);
  } else if (read instanceof FieldSeries) {
    reader.read(read.labels, false);
    reader.facts(undefined, read);
  }
}

function toObject(acc: ObjectAccumulator, reader: LabelReader): FluxObject | undefined {
  inCanonicalOrder(acc);
  const verdict = decide(acc);
  let object: FluxObject;
  let present: boolean;
  if (verdict) {
    const { decision, observedAt, runStart } = verdict;
    present = verdict.present;
    if (decision.schema === 'legacy') {
      readShownGauge(decision.read, reader);
    }
    object = {
      key: acc.key,
      cluster: acc.cluster,
      kind: acc.kind,
      namespace: acc.namespace,
      name: acc.name,
      state: decision.state,
      suspended: decision.suspended,
      schema: decision.schema,
      observedAt,
      labels: decision.read.shown ?? cleanLabels(decision.read.labels),
    };
    if (decision.ready) {
      object.ready = decision.ready;
    }
    const { reason, revision, source } = decision.read;
    if (reason !== undefined) {
      object.reason = reason;
    }
    if (revision !== undefined) {
      object.revision = revision;
    }
    if (source !== undefined) {
      object.source = source;
    }
    const rangeStart = rangeStartOf(acc);
    if (!numberIsNaN(rangeStart)) {
      object.since = runStart;
      object.sinceIsLowerBound = runStart <= rangeStart;
    }
  } else if (acc.counts) {
    // The controllers still report reconciles but no state metric covers the object (Flux >= 2.5
    // without kube-state-metrics, or a query for durations only): show it, state unknown.
    const observedAt = lastSampleTime(acc.counts);
    if (numberIsNaN(observedAt)) {
      return undefined;
    }
    present = acc.counts.some((series) => reportsAtEnd(series, lastSampleTime([series])));
    object = {
      key: acc.key,
      cluster: acc.cluster,
      kind: acc.kind,
      namespace: acc.namespace,
      name: acc.name,
      state: 'Unknown',
      suspended: false,
      schema: 'legacy',
      observedAt,
      labels: cleanLabels(acc.counts[0].labels),
    };
  } else {
    return undefined;
  }
  if (acc.counts) {
    const isRange = acc.counts.some((series) => series.query.end > series.query.start);
    const stats = reconcileStats(acc.counts, acc.sums ?? [], isRange);
    if (stats) {
      object.reconcile = stats;
    }
  }
  if (!present) {
    // Every series of the object ended before its query did (Flux >= 2.1 deletes them): it is
    // gone. Deleted, hidden by default like the legacy Deleted status, never Failed.
    object.state = 'Deleted';
    object.since = object.observedAt;
    object.sinceIsLowerBound = false;
  }
  return object;
}

/** Flux series of one frame that could not be placed on an object, by missing label. */
interface FrameMisses {
  metric: string;
  missing: Map<string, number>;
}

export function readFluxFrames(frames: DataFrame[], options: NormalizeOptions = {}): FluxReading {
  const mapping = options.labels ?? {};
  const otherMetrics = new Set<string>();
  const schemaFirstFrame = new Map<FluxSource, number>();
  let lastSchema: FluxSource | undefined;
  // Kept lean: one frame per series means 50k frames for 50k objects.
  const placedInFrame = new Uint8Array(isArray(frames) ? frames.length : 0);
  const misses = new Map<number, FrameMisses>();
  const miss = (series: SeriesRef, metric: string, label: string) => {
    let frameMisses = misses.get(series.frameIndex);
    if (!frameMisses) {
      frameMisses = { metric, missing: new Map() };
      misses.set(series.frameIndex, frameMisses);
    }
    // A table series stands for its rows, each counted as a series before rows were merged.
    const count = series instanceof TableSeries ? series.rows : 1;
    frameMisses.missing.set(label, (frameMisses.missing.get(label) ?? 0) + count);
  };
  const accumulators = new Map<string, ObjectAccumulator>();
  let last: ObjectAccumulator | undefined;
  const reader = new LabelReader(mapping);
  // The series' identity, read into one record (newAccumulator copies it): not an object per series.
  const identity: ObjectIdentity = { cluster: '', kind: '', namespace: '', name: '' };

  // Each series is placed as soon as its frame is read, while the frame's objects are still in
  // the CPU's caches: a second pass over 10k series found them evicted.
  const place = (series: SeriesRef) => {
    // The metric name first, from the series' label-name plan: only a state series' labels are copied.
    // A table's rows by column, without a labels record (tableFrame.ts).
    const byName = series instanceof TableSeries ? reader.startRow(series) : reader.start(series.labels);
    const { role, metric } = classifySeries(series, byName);
    if (role === 'ignored') {
      return;
    }
    if (role === 'other') {
      if (metric) {
        otherMetrics.add(metric);
      }
      return;
    }
    // An info series' shown labels are copied as its labels are read; a legacy gauge's only once
    // it is the one shown (cleanLabels in toObject): one of an object's four.
    const schema = SCHEMA_OF_ROLE[role];
    const shown = reader.pass(role === 'kubeStateMetricsInfo' || role === 'fluxOperatorInfo');
    let status: LegacyStatus | undefined;
    if (role === 'legacyCondition') {
      // Only the Ready condition describes the object; controllers never recorded others in practice.
      const type = reader.value('type');
      if (type !== undefined && type !== 'Ready') {
        return;
      }
      const raw = reader.value('status');
      if (!isLegacyStatus(raw)) {
        miss(series, metric ?? METRIC_OF_ROLE[role] ?? role, 'status');
        return;
      }
      status = raw;
    }
    // An object's series come in a row (a legacy object's four gauges): the last series' identity
    // is checked against the labels first, without building one, its key, or asking the map.
    let acc = last;
    if (!acc || !reader.isIdentityOf(acc)) {
      const missing = reader.identityInto(identity);
      if (missing !== undefined) {
        miss(series, metric ?? METRIC_OF_ROLE[role] ?? role, missing);
        return;
      }
      const key = objectKey(identity);
      acc = accumulators.get(key);
      if (!acc) {
        acc = newAccumulator(identity, key);
        accumulators.set(key, acc);
      }
      last = acc;
    }
    placedInFrame[series.frameIndex] = 1;
    if (schema) {
      // A legacy gauge's facts only once it is the one shown (toObject): one of an object's four.
      const gauge = role === 'legacyCondition' || role === 'legacySuspend';
      series.read =
        gauge && (series instanceof FieldSeries || series instanceof TableSeries)
          ? series
          : reader.facts(shown, series instanceof FieldSeries ? series : undefined);
    }
    // Series of one schema come in a row: ask the map only when the schema changes.
    if (schema && schema !== lastSchema) {
      lastSchema = schema;
      if (!schemaFirstFrame.has(schema)) {
        schemaFirstFrame.set(schema, series.frameIndex);
      }
    }
    switch (role) {
      case 'kubeStateMetricsInfo':
      case 'fluxOperatorInfo':
        series.schema = schema;
        // One series as it is, a list from the second on (ObjectAccumulator.info).
        acc.info = acc.info === undefined ? series : isArray(acc.info) ? append(acc.info, series) : [acc.info, series];
        break;
      case 'legacyCondition':
        acc.conditions = append(acc.conditions, { series, status: status! });
        break;
      case 'legacySuspend':
        acc.suspends = append(acc.suspends, series);
        break;
      case 'reconcileCount':
        acc.counts = append(acc.counts, series);
        break;
      case 'reconcileSum':
        acc.sums = append(acc.sums, series);
        break;
    }
  };
  const scan = scanFrames(frames, place);
  const unusableFrames = [...scan.unusableFrames];
  const warnings: string[] = [...scan.warnings];

  for (const [frameIndex, { metric, missing }] of misses) {
    const label = frameLabel(frames[frameIndex], frameIndex);
    for (const [name, count] of missing) {
      if (!placedInFrame[frameIndex]) {
        unusableFrames.push(`${label} (${metric}) has no "${name}" label`);
      } else {
        warnings.push(`${label}: ${count} ${metric} series without a "${name}" label were ignored`);
      }
    }
  }

  const objects: FluxObject[] = [];
  for (const acc of accumulators.values()) {
    const object = toObject(acc, reader);
    if (!object || (object.state === 'Deleted' && !options.includeDeleted)) {
      continue;
    }
    objects.push(object);
  }

  // Keys are unique among the objects above (one accumulator per key), so a set of them is only
  // needed to merge FluxGrid frames in: not building it saves 50k insertions on Prometheus data.
  const seen = scan.fluxgridFrames.length > 0 ? new Set(objects.map((object) => object.key)) : undefined;
  for (const { frame, index } of scan.fluxgridFrames) {
    const read = readFluxGridFrame(frame, index);
    if (read.unusable) {
      unusableFrames.push(read.unusable);
      continue;
    }
    if (read.warning) {
      warnings.push(read.warning);
    }
    if (!schemaFirstFrame.has('fluxgrid')) {
      schemaFirstFrame.set('fluxgrid', index);
    }
    for (const object of read.objects) {
      // Prometheus data and a FluxGrid frame describing the same object: keep the first reading.
      if (seen!.has(object.key) || (object.state === 'Deleted' && !options.includeDeleted)) {
        continue;
      }
      objects.push(object);
      seen!.add(object.key);
    }
  }

  const schemas = Array.from(schemaFirstFrame.entries())
    .sort((a, b) => a[1] - b[1])
    .map(([schema]) => schema);
  return { objects, schemas, otherMetrics: Array.from(otherMetrics), unusableFrames, warnings };
}

export function normalizeFluxFrames(frames: DataFrame[], options?: NormalizeOptions): FluxObject[] {
  return readFluxFrames(frames, options).objects;
}
