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

/** Consumer key → blocking source, from the `blockedBy` fields of FluxGrid frames. */
export function readBlockedBy(frames: readonly DataFrame[]): Map<string, ObjectIdentity> {
  const declared = new Map<string, ObjectIdentity>();
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
    const blocked = byName.get(BLOCKED_BY_FIELD);
    if (!blocked) {
      continue;
    }
    const text = (name: string, row: number) => cellText(byName.get(name)?.values[row]);
    for (let row = 0; row < blocked.values.length; row++) {
      const kind = text('kind', row);
      const name = text('name', row);
      const by = text(BLOCKED_BY_FIELD, row);
      if (kind === undefined || name === undefined || by === undefined) {
        continue;
      }
      const cluster = text('cluster', row) ?? '';
      const source = parseRef(by, cluster);
      if (source) {
        declared.set(objectKey({ cluster, kind, namespace: text('namespace', row) ?? '', name }), source);
      }
    }
  }
  return declared;
}
