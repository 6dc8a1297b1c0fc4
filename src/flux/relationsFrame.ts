/**
 * "Blocked by" in FluxGrid's Objects frame: the datasource decides with the labels (relations.ts)
 * and writes one `blockedBy` text per row ("GitRepository flux-system/fleet", '' when not
 * blocked); a panel reading the frame, whose rows carry no labels, takes those decisions back as
 * {@link RelateOptions.declared}. Writing and reading together, beside the Objects frame.
 */
import type { DataFrame, Field, FieldType } from '@grafana/data';

import { cellText, isFluxGridFrame, isValues } from './frames';
import { ObjectIdentity, objectKey } from './labels';
import { describeRef, FluxRelations, parseRef } from './relations';
import { FluxObject } from './types';

export const BLOCKED_BY_FIELD = 'blockedBy';
/** The source of every related object, blocked or not ("group by source" on the frame). */
export const SOURCE_REF_FIELD = 'sourceRef';

/** The `blockedBy` field for the rows of `objects` (in their order). */
export function blockedByField(objects: readonly FluxObject[], relations: FluxRelations): Field {
  return {
    name: BLOCKED_BY_FIELD,
    type: 'string' as FieldType,
    config: { displayName: 'Blocked by' },
    values: objects.map((o) => {
      const source = relations.blockedBy.get(o.key);
      return source ? describeRef(source) : '';
    }),
  };
}

/**
 * Object key → the text of one per-row field of FluxGrid frames (rows without it left out): for
 * the fields the datasource adds beside the Objects contract (blockedBy, readyMessage).
 */
export function readObjectColumn(frames: readonly DataFrame[], fieldName: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const frame of frames) {
    if (!isFluxGridFrame(frame) || !Array.isArray(frame.fields)) {
      continue;
    }
    const byName = new Map<string, Field>();
    for (const field of frame.fields) {
      if (field && typeof field.name === 'string' && isValues(field.values)) {
        byName.set(field.name, field);
      }
    }
    const column = byName.get(fieldName)?.values;
    if (!column) {
      continue;
    }
    // Columns looked up once, and a row's identity read only when it has a value: most rows of
    // blockedBy are '' (not blocked), and this runs on every refresh over every row.
    const kinds = byName.get('kind')?.values;
    const names = byName.get('name')?.values;
    const clusters = byName.get('cluster')?.values;
    const namespaces = byName.get('namespace')?.values;
    for (let row = 0; row < column.length; row++) {
      const value = cellText(column[row]);
      if (value === undefined) {
        continue;
      }
      const kind = cellText(kinds?.[row]);
      const name = cellText(names?.[row]);
      if (kind !== undefined && name !== undefined) {
        const cluster = cellText(clusters?.[row]) ?? '';
        const namespace = cellText(namespaces?.[row]) ?? '';
        out.set(objectKey({ cluster, kind, namespace, name }), value);
      }
    }
  }
  return out;
}

/** The `sourceRef` field for the rows of `objects`: each one's resolved source, '' for none. */
export function sourceRefField(objects: readonly FluxObject[], relations: FluxRelations): Field {
  return {
    name: SOURCE_REF_FIELD,
    type: 'string' as FieldType,
    config: { displayName: 'Source object' },
    values: objects.map((o) => {
      const source = relations.sourceOf.get(o.key);
      return source ? describeRef(source) : '';
    }),
  };
}

/** Consumer key → its source, from the `sourceRef` fields of FluxGrid frames. */
export function readSourceRefs(frames: readonly DataFrame[]): Map<string, ObjectIdentity> {
  return readRefs(frames, SOURCE_REF_FIELD);
}

/** Consumer key → blocking source, from the `blockedBy` fields of FluxGrid frames. */
export function readBlockedBy(frames: readonly DataFrame[]): Map<string, ObjectIdentity> {
  return readRefs(frames, BLOCKED_BY_FIELD);
}

function readRefs(frames: readonly DataFrame[], fieldName: string): Map<string, ObjectIdentity> {
  const declared = new Map<string, ObjectIdentity>();
  for (const [key, by] of readObjectColumn(frames, fieldName)) {
    const source = parseRef(by, key.split('\u001f')[0]);
    if (source) {
      declared.set(key, source);
    }
  }
  return declared;
}
