/**
 * The frames the FluxGrid datasource answers with, shaped so that Grafana's own panels show them
 * with no transformations: Table (Objects, Reconcile duration, State changes), State timeline
 * (State history), Stat / Bar chart (Summary), and annotations (State changes).
 */
import { DataFrame, Field, FieldConfig, FieldType, MappingType, ValueMapping } from '@grafana/data';

import {
  compareText,
  countByState,
  DurationRow,
  FLUX_STATES,
  FluxObject,
  FluxState,
  ObjectRef,
  PROBLEM_STATES,
  STATE_COLOR_NAMES,
  StateChange,
  StateTimeline,
  toFluxGridFrame,
  blockedByField,
  readyMessageField,
  relate,
  sourceRefField,
} from '../flux';

/** Shown states in summaries (Deleted objects are hidden). */
export const SUMMARY_STATES: readonly FluxState[] = FLUX_STATES.filter((s) => s !== 'Deleted');

export function stateValueMappings(): ValueMapping[] {
  const options: Record<string, { text: string; color: string; index: number }> = {};
  FLUX_STATES.forEach((state, index) => {
    options[state] = { text: state, color: STATE_COLOR_NAMES[state], index };
  });
  return [{ type: MappingType.ValueToText, options }];
}

function withConfig(field: Field, config: FieldConfig): Field {
  return { ...field, config: { ...field.config, ...config } };
}

/** FluxGrid's Objects frame (the core writes it) with display settings for the Table panel. */
export function objectsFrame(objects: FluxObject[], refId?: string): DataFrame {
  const frame = toFluxGridFrame(objects, refId);
  // Decided here, with the labels the frame's rows do not carry (src/flux/relations.ts).
  const relations = relate(objects);
  frame.fields.push(blockedByField(objects, relations), sourceRefField(objects, relations));
  // The Ready message, when the optional ready_message label is exported (deploy/).
  const readyMessage = readyMessageField(objects);
  if (readyMessage) {
    frame.fields.push(readyMessage);
  }
  const singleCluster = objects.every((o) => o.cluster === '');
  const config: Record<string, FieldConfig> = {
    kind: { displayName: 'Kind' },
    namespace: { displayName: 'Namespace' },
    name: { displayName: 'Name' },
    cluster: { displayName: 'Cluster', custom: singleCluster ? { hidden: true } : {} },
    state: {
      displayName: 'State',
      mappings: stateValueMappings(),
      custom: { cellOptions: { type: 'color-background', mode: 'basic' } },
    },
    reason: { displayName: 'Reason' },
    revision: { displayName: 'Revision' },
    source: { displayName: 'Source' },
    blockedBy: { displayName: 'Blocked by' },
    // For the status panel's "group by source"; the Table shows Source and Blocked by.
    sourceRef: { displayName: 'Source object', custom: { hidden: true } },
    suspended: { displayName: 'Suspended' },
    since: { displayName: 'In state since', unit: 'dateTimeFromNow' },
    lastReconcile: { displayName: 'Last reconcile', unit: 'dateTimeFromNow' },
    // For the status panel ("at least 6h"); a Table has no use for it.
    sinceIsLowerBound: { displayName: 'Since is a lower bound', custom: { hidden: true } },
  };
  return {
    ...frame,
    meta: { ...frame.meta, preferredVisualisationType: 'table' },
    fields: frame.fields.map((field) => withConfig(field, config[field.name] ?? {})),
  };
}

/** Counts per state, one row; or per kind, one row per kind. Each state a coloured number field. */
export function summaryFrame(objects: FluxObject[], by: 'state' | 'kind', refId?: string): DataFrame {
  const groups = new Map<string, Record<FluxState, number>>();
  if (by === 'state') {
    groups.set('All', countByState(objects));
  } else {
    const byKind = new Map<string, FluxObject[]>();
    for (const object of objects) {
      const list = byKind.get(object.kind);
      if (list) {
        list.push(object);
      } else {
        byKind.set(object.kind, [object]);
      }
    }
    for (const [kind, list] of byKind) {
      groups.set(kind, countByState(list));
    }
  }
  // Kinds in the core's text order, as the panel and the Objects query order them.
  const names = Array.from(groups.keys()).sort(compareText);
  const fields: Field[] = [
    {
      name: by === 'kind' ? 'kind' : 'objects',
      type: FieldType.string,
      config: { displayName: by === 'kind' ? 'Kind' : 'Objects' },
      values: names,
    },
    ...SUMMARY_STATES.map((state): Field => ({
      name: state,
      type: FieldType.number,
      config: {
        displayName: state,
        color: { mode: 'fixed', fixedColor: STATE_COLOR_NAMES[state] },
        unit: 'none',
        decimals: 0,
      },
      values: names.map((n) => groups.get(n)![state]),
    })),
    {
      name: 'Total',
      type: FieldType.number,
      config: { displayName: 'Total', unit: 'none', decimals: 0, color: { mode: 'fixed', fixedColor: 'text' } },
      values: names.map((n) => SUMMARY_STATES.reduce((sum, s) => sum + groups.get(n)![s], 0)),
    },
  ];
  return { name: 'Summary', refId, fields, length: names.length, meta: { custom: { fluxgrid: { summary: by } } } };
}

export function displayNameOf(o: ObjectRef, multiCluster: boolean): string {
  const path = o.namespace ? `${o.namespace}/${o.name}` : o.name;
  return `${o.kind} ${path}${multiCluster && o.cluster ? ` (${o.cluster})` : ''}`;
}

/** One frame per object, a time field and a string state field: what the State timeline wants. */
export function stateHistoryFrames(timelines: StateTimeline[], refId?: string): DataFrame[] {
  const multiCluster = new Set(timelines.map((t) => t.cluster)).size > 1;
  return timelines.map((t) => {
    const display = displayNameOf(t, multiCluster);
    return {
      name: display,
      refId,
      length: t.times.length,
      fields: [
        { name: 'time', type: FieldType.time, config: {}, values: t.times },
        {
          name: 'state',
          type: FieldType.string,
          config: { displayName: display, mappings: stateValueMappings() },
          labels: { cluster: t.cluster, kind: t.kind, namespace: t.namespace, name: t.name },
          values: t.states,
        },
      ],
    };
  });
}

export function reconcileDurationFrame(rows: DurationRow[], refId?: string): DataFrame {
  const text = (name: keyof ObjectRef, displayName: string, hidden = false): Field => ({
    name,
    type: FieldType.string,
    config: { displayName, custom: hidden ? { hidden: true } : {} },
    values: rows.map((r) => r[name]),
  });
  const seconds = (name: 'p50' | 'p95' | 'max' | 'mean', displayName: string): Field => ({
    name,
    type: FieldType.number,
    config: { displayName, unit: 's' },
    values: rows.map((r) => r[name] ?? null),
  });
  return {
    name: 'Reconcile duration',
    refId,
    length: rows.length,
    meta: { preferredVisualisationType: 'table' },
    fields: [
      text('kind', 'Kind'),
      text('namespace', 'Namespace'),
      text('name', 'Name'),
      text(
        'cluster',
        'Cluster',
        rows.every((r) => r.cluster === '')
      ),
      seconds('p50', 'p50'),
      seconds('p95', 'p95'),
      seconds('max', 'Max (bucket bound)'),
      seconds('mean', 'Mean'),
      {
        name: 'count',
        type: FieldType.number,
        config: { displayName: 'Reconciles', unit: 'none', decimals: 0 },
        values: rows.map((r) => (r.count === undefined ? null : Math.round(r.count))),
      },
    ],
  };
}

const PROBLEMS: ReadonlySet<FluxState> = new Set(PROBLEM_STATES);

/** "Kustomization flux-system/apps became Failed", "… recovered". */
export function describeChange(change: StateChange, multiCluster = false): string {
  const who = displayNameOf(change, multiCluster);
  if (change.to === 'Ready' && change.from !== null && PROBLEMS.has(change.from)) {
    return `${who} recovered`;
  }
  return `${who} became ${change.to}`;
}

/**
 * State changes as annotation-ready rows: Grafana maps the fields time, title, text, tags and
 * color to annotation events; the other fields make the same frame a useful table.
 */
export function stateChangesFrame(changes: StateChange[], refId?: string): DataFrame {
  const multiCluster = new Set(changes.map((c) => c.cluster)).size > 1;
  return {
    name: 'State changes',
    refId,
    length: changes.length,
    fields: [
      { name: 'time', type: FieldType.time, config: { displayName: 'Time' }, values: changes.map((c) => c.time) },
      {
        name: 'title',
        type: FieldType.string,
        config: { displayName: 'Change' },
        values: changes.map((c) => describeChange(c, multiCluster)),
      },
      {
        name: 'text',
        type: FieldType.string,
        config: { custom: { hidden: true } },
        values: changes.map((c) => `${describeChange(c, multiCluster)}${c.from ? ` (was ${c.from})` : ''}`),
      },
      {
        name: 'tags',
        type: FieldType.other,
        config: { custom: { hidden: true } },
        values: changes.map((c) => ['flux', c.kind, c.to, ...(c.cluster ? [c.cluster] : [])]),
      },
      {
        name: 'color',
        type: FieldType.string,
        config: { custom: { hidden: true } },
        values: changes.map((c) => STATE_COLOR_NAMES[c.to]),
      },
      { name: 'kind', type: FieldType.string, config: { displayName: 'Kind' }, values: changes.map((c) => c.kind) },
      {
        name: 'namespace',
        type: FieldType.string,
        config: { displayName: 'Namespace' },
        values: changes.map((c) => c.namespace),
      },
      { name: 'name', type: FieldType.string, config: { displayName: 'Name' }, values: changes.map((c) => c.name) },
      {
        name: 'cluster',
        type: FieldType.string,
        config: { displayName: 'Cluster', custom: multiCluster ? {} : { hidden: true } },
        values: changes.map((c) => c.cluster),
      },
      {
        name: 'from',
        type: FieldType.string,
        config: { displayName: 'From', mappings: stateValueMappings() },
        values: changes.map((c) => c.from ?? ''),
      },
      {
        name: 'to',
        type: FieldType.string,
        config: { displayName: 'To', mappings: stateValueMappings(), custom: { cellOptions: { type: 'color-text' } } },
        values: changes.map((c) => c.to),
      },
    ],
  };
}
