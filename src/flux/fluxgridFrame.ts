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
import { FluxObject } from './types';

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

function text(field: Field | undefined, row: number): string | undefined {
  return cellText(field?.values[row]);
}

function time(field: Field | undefined, row: number): number | undefined {
  const value = field?.values[row];
  if (value === undefined || value === null) {
    return undefined;
  }
  const ms = toMs(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function flag(field: Field | undefined, row: number): boolean | undefined {
  const value = field?.values[row];
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

function number(field: Field | undefined, row: number): number | undefined {
  if (!field) {
    return undefined;
  }
  const value = toSampleValue(field.values[row]);
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
  const fields = {} as Record<FluxGridFieldName, Field | undefined>;
  for (const name of [...FLUXGRID_FIELDS, ...FLUXGRID_OPTIONAL_FIELDS]) {
    fields[name] = byName.get(name);
  }
  const { kind: kindF, namespace: nsF, name: nameF, cluster: clusterF, state: stateF } = fields;
  const { reason: reasonF, revision: revisionF, source: sourceF, suspended: suspendedF, since: sinceF } = fields;
  const { lastReconcile: lastF, ready: readyF, observedAt: observedF, sinceIsLowerBound: lowerBoundF } = fields;
  const { reconcileCount: countF, reconcileMeanSeconds: meanF } = fields;
  const rows = kindF!.values.length;
  const objects: FluxObject[] = [];
  for (let row = 0; row < rows; row++) {
    const kind = text(kindF, row);
    const name = text(nameF, row);
    if (kind === undefined || name === undefined) {
      continue;
    }
    const identity = { cluster: text(clusterF, row) ?? '', kind, namespace: text(nsF, row) ?? '', name };
    const rawState = stateF!.values[row];
    const suspended = flag(suspendedF, row) ?? false;
    const object: FluxObject = {
      key: objectKey(identity),
      ...identity,
      state: isFluxState(rawState) ? rawState : 'Unknown',
      suspended,
      schema: 'fluxgrid',
      observedAt: time(observedF, row) ?? 0,
      labels: {},
    };
    const ready = parseReady(text(readyF, row));
    if (ready) {
      object.ready = ready;
    }
    const reason = text(reasonF, row);
    if (reason !== undefined) {
      object.reason = reason;
    }
    const revision = text(revisionF, row);
    if (revision !== undefined) {
      object.revision = revision;
    }
    const source = text(sourceF, row);
    if (source !== undefined) {
      object.source = source;
    }
    const since = time(sinceF, row);
    if (since !== undefined) {
      object.since = since;
      const lowerBound = flag(lowerBoundF, row);
      if (lowerBound !== undefined) {
        object.sinceIsLowerBound = lowerBound;
      }
    }
    const lastReconcileAt = time(lastF, row);
    const count = number(countF, row);
    if (lastReconcileAt !== undefined || count !== undefined) {
      // The frame may carry only the time of the last reconcile; count 0 then means "not given".
      object.reconcile = { count: count ?? 0 };
      const mean = number(meanF, row);
      if (mean !== undefined) {
        object.reconcile.meanSeconds = mean;
      }
      if (lastReconcileAt !== undefined) {
        object.reconcile.lastReconcileAt = lastReconcileAt;
      }
    }
    for (const [label, value] of Object.entries(identity)) {
      if (value !== '') {
        object.labels[label] = value;
      }
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
