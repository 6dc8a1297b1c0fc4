/**
 * Why it fails: the Ready condition's message, the first thing a user reads in `flux get`. No
 * exporter carries it by default; deploy/kube-prometheus-stack-values.yaml offers an optional
 * `ready_message` label in kube-state-metrics' config (with its cardinality cost stated there).
 * Read here from the object's labels, carried through FluxGrid's Objects frame as `readyMessage`.
 */
import type { Field, FieldType } from '@grafana/data';

import { labelValue } from './labels';
import { FluxObject } from './types';

/** THE labels that hold the Ready message, in order of preference. */
export const READY_MESSAGE_LABELS = ['ready_message'] as const;

/** The Objects frame's field for it. */
export const READY_MESSAGE_FIELD = 'readyMessage';

/**
 * The message from the object's labels, or from `fromFrame` (object key → message, read with
 * readObjectColumn from FluxGrid's Objects frame, whose rows carry no labels).
 */
export function readyMessageOf(object: FluxObject, fromFrame?: ReadonlyMap<string, string>): string | undefined {
  for (const label of READY_MESSAGE_LABELS) {
    const value = labelValue(object.labels, label);
    if (value !== undefined) {
      return value;
    }
  }
  return fromFrame?.get(object.key);
}

/** The `readyMessage` field for the rows of `objects`; undefined when no object has a message (no empty column). */
export function readyMessageField(objects: readonly FluxObject[]): Field | undefined {
  const values = objects.map((o) => readyMessageOf(o) ?? '');
  if (values.every((v) => v === '')) {
    return undefined;
  }
  return { name: READY_MESSAGE_FIELD, type: 'string' as FieldType, config: { displayName: 'Message' }, values };
}
