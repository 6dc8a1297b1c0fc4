/**
 * FluxGrid's own "Objects" frame: one row per object, produced by the FluxGrid datasource (which
 * computes `since` in PromQL) and read back here as schema 'fluxgrid'. Writing and reading live
 * together so the two can never drift apart.
 *
 * Fields: kind, namespace, name, cluster, state, reason, revision, source, suspended (boolean),
 * since (time, may be null), lastReconcile (time, may be null); `meta.custom.fluxgrid = { version: 1 }`.
 * Optional extras read when present: ready, observedAt (time), sinceIsLowerBound (boolean),
 * reconcileCount, reconcileMeanSeconds (numbers).
 */
// Types only: the core must load in node, and @grafana/data's runtime needs a window.
import type { DataFrame, Field, FieldType } from '@grafana/data';

import { cellText, frameLabel, isValues, toMs, toSampleValue } from './frames';
import { objectKey } from './labels';
import { isFluxState, parseReady } from './state';
import { FluxObject, ReconcileStats } from './types';

export const FLUXGRID_FRAME_VERSION = 1;

export const FLUXGRID_FIELDS = [
  'kind',
  'namespace',
  'name',
  'cluster',
  'state',
  'reason',
  'revision',
  'source',
  'suspended',
  'since',
  'lastReconcile',
] as const;

/** Optional extras, read when present; the datasource writes `sinceIsLowerBound` when it knows it. */
export const FLUXGRID_OPTIONAL_FIELDS = [
  'ready',
  'observedAt',
  'sinceIsLowerBound',
  'reconcileCount',
  'reconcileMeanSeconds',
] as const;

type FluxGridFieldName = (typeof FLUXGRID_FIELDS)[number] | (typeof FLUXGRID_OPTIONAL_FIELDS)[number];

/** A column's values, or none when the frame lacks the field. */
type Column = ArrayLike<unknown> | undefined;

function text(column: Column, row: number): string | undefined {
  return column ? cellText(column[row]) : undefined;
}

function time(column: Column, row: number): number | undefined {
  const value = column?.[row];
  if (value === undefined || value === null) {
    return undefined;
  }
  const ms = toMs(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function flag(column: Column, row: number): boolean | undefined {
  const value = column?.[row];
  if (typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'string') {
    return value.toLowerCase() === 'true';
  }
  if (typeof value === 'number') {
    return value > 0;
  }
  return undefined;
}

function number(column: Column, row: number): number | undefined {
  if (!column) {
    return undefined;
  }
  const value = toSampleValue(column[row]);
  return Number.isNaN(value) ? undefined : value;
}

export interface FluxGridFrameRead {
  objects: FluxObject[];
  /** Why the frame could not be read, when it could not. */
  unusable?: string;
  /** What was skipped in a frame that could be read (fields without values). */
  warning?: string;
}

/**
 * Objects from a FluxGrid frame. A state FluxGrid does not know becomes 'Unknown' (a newer
 * datasource talking to an older panel must not break it). `observedAt` is 0 unless the frame
 * carries it: the datasource's PromQL knows when it evaluated, the frame need not say.
 */
export function readFluxGridFrame(frame: DataFrame, index = 0): FluxGridFrameRead {
  const byName = new Map<string, Field>();
  const skipped: string[] = [];
  // Untrusted like any frame: `fields` may not be a list, a field may have no values.
  for (const field of Array.isArray(frame.fields) ? frame.fields : []) {
    if (field !== null && typeof field === 'object' && typeof field.name === 'string') {
      if (isValues(field.values)) {
        byName.set(field.name, field);
      } else {
        skipped.push(field.name);
      }
    }
  }
  for (const required of ['kind', 'name', 'state'] as const) {
    if (!byName.has(required)) {
      const why = skipped.includes(required) ? `a "${required}" field without values` : `no "${required}" field`;
      return { objects: [], unusable: `${frameLabel(frame, index)} (FluxGrid objects) has ${why}` };
    }
  }
  const columns = {} as Record<FluxGridFieldName, Column>;
  for (const name of [...FLUXGRID_FIELDS, ...FLUXGRID_OPTIONAL_FIELDS]) {
    columns[name] = byName.get(name)?.values;
  }
  const { kind: kinds, namespace: namespaces, name: names, cluster: clusters, state: states } = columns;
  const { reason: reasons, revision: revisions, source: sources, suspended: suspendeds, since: sinces } = columns;
  const { lastReconcile: lastReconciles, ready: readies, observedAt: observedAts } = columns;
  const { sinceIsLowerBound: lowerBounds, reconcileCount: counts, reconcileMeanSeconds: means } = columns;
  const rows = kinds!.length;
  const objects: FluxObject[] = [];
  // One pass, one object literal per row and no spread: the bundle targets ES2015, where a spread
  // is a helper call per object, and this loop runs once per object on every refresh (100k rows).
  for (let row = 0; row < rows; row++) {
    const kind = text(kinds, row);
    const name = text(names, row);
    if (kind === undefined || name === undefined) {
      continue;
    }
    const cluster = text(clusters, row) ?? '';
    const namespace = text(namespaces, row) ?? '';
    // The identity as labels, for data links; kind and name are never empty here.
    const labels: Record<string, string> = {};
    if (cluster !== '') {
      labels.cluster = cluster;
    }
    labels.kind = kind;
    if (namespace !== '') {
      labels.namespace = namespace;
    }
    labels.name = name;
    const rawState = states![row];
    const object: FluxObject = {
      key: objectKey({ cluster, kind, namespace, name }),
      cluster,
      kind,
      namespace,
      name,
      state: isFluxState(rawState) ? rawState : 'Unknown',
      suspended: flag(suspendeds, row) ?? false,
      schema: 'fluxgrid',
      observedAt: time(observedAts, row) ?? 0,
      labels,
    };
    const ready = readies ? parseReady(text(readies, row)) : undefined;
    if (ready) {
      object.ready = ready;
    }
    const reason = text(reasons, row);
    if (reason !== undefined) {
      object.reason = reason;
    }
    const revision = text(revisions, row);
    if (revision !== undefined) {
      object.revision = revision;
    }
    const source = text(sources, row);
    if (source !== undefined) {
      object.source = source;
    }
    const since = time(sinces, row);
    if (since !== undefined) {
      object.since = since;
      const lowerBound = flag(lowerBounds, row);
      if (lowerBound !== undefined) {
        object.sinceIsLowerBound = lowerBound;
      }
    }
    const lastReconcileAt = time(lastReconciles, row);
    const count = number(counts, row);
    if (lastReconcileAt !== undefined || count !== undefined) {
      // The frame may carry only the time of the last reconcile; count 0 then means "not given".
      const reconcile: ReconcileStats = { count: count ?? 0 };
      const mean = number(means, row);
      if (mean !== undefined) {
        reconcile.meanSeconds = mean;
      }
      if (lastReconcileAt !== undefined) {
        reconcile.lastReconcileAt = lastReconcileAt;
      }
      object.reconcile = reconcile;
    }
    objects.push(object);
  }
  if (skipped.length > 0) {
    const names = skipped.map((name) => `"${name}"`).join(', ');
    return { objects, warning: `${frameLabel(frame, index)}: FluxGrid fields without values ignored: ${names}` };
  }
  return { objects };
}

/**
 * The FluxGrid objects frame for `objects`: the contract's fields in the contract's order, then
 * `sinceIsLowerBound` when any object says (the datasource does: "in this state at least since").
 */
export function toFluxGridFrame(objects: FluxObject[], refId?: string): DataFrame {
  const column = <T>(pick: (o: FluxObject) => T): T[] => objects.map(pick);
  const fields: Field[] = [
    { name: 'kind', type: 'string' as FieldType, config: {}, values: column((o) => o.kind) },
    { name: 'namespace', type: 'string' as FieldType, config: {}, values: column((o) => o.namespace) },
    { name: 'name', type: 'string' as FieldType, config: {}, values: column((o) => o.name) },
    { name: 'cluster', type: 'string' as FieldType, config: {}, values: column((o) => o.cluster) },
    { name: 'state', type: 'string' as FieldType, config: {}, values: column((o) => o.state) },
    { name: 'reason', type: 'string' as FieldType, config: {}, values: column((o) => o.reason ?? '') },
    { name: 'revision', type: 'string' as FieldType, config: {}, values: column((o) => o.revision ?? '') },
    { name: 'source', type: 'string' as FieldType, config: {}, values: column((o) => o.source ?? '') },
    { name: 'suspended', type: 'boolean' as FieldType, config: {}, values: column((o) => o.suspended) },
    { name: 'since', type: 'time' as FieldType, config: {}, values: column((o) => o.since ?? null) },
    {
      name: 'lastReconcile',
      type: 'time' as FieldType,
      config: {},
      values: column((o) => o.reconcile?.lastReconcileAt ?? null),
    },
  ];
  if (objects.some((o) => o.sinceIsLowerBound !== undefined)) {
    fields.push({
      name: 'sinceIsLowerBound',
      type: 'boolean' as FieldType,
      config: {},
      values: column((o) => (o.since === undefined ? null : (o.sinceIsLowerBound ?? false))),
    });
  }
  return {
    name: 'Objects',
    refId,
    meta: { custom: { fluxgrid: { version: FLUXGRID_FRAME_VERSION } } },
    fields,
    length: objects.length,
  };
}
