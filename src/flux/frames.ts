/**
 * Reading Grafana DataFrames into Prometheus series, whatever shape the Prometheus datasource chose:
 *
 * - time series (range or instant): one frame per series, a time field and one number field that
 *   carries the labels (`__name__` included), named 'Value' or after the metric;
 * - table: one frame, a time field, one string field per label and one number field per query
 *   ('Value', 'Value #A'); every row is one sample of one series;
 * - FluxGrid's own objects frame (`meta.custom.fluxgrid`), handed back untouched for
 *   `fluxgridFrame.ts`.
 *
 * A series is a window onto the frame's own arrays (no copying): the hot path for 50k objects.
 */
// Types only: the core must load in node (simulator, integration tests), and @grafana/data's
// runtime needs a window.
import type { DataFrame, Field } from '@grafana/data';

import { Labels, SeriesLabels, setLabel } from './labels';
import { QueryTimings } from './queryTimings';
import { FieldWindow, QueryTiming, SeriesRef } from './series';
import { emitTableSeries, TableColumns } from './tableFrame';
import { cellText } from './values';

export { NAN, INFINITY, cellText, numberIsNaN, toMs, toSampleValue } from './values';
export type { QueryTiming, SeriesRef } from './series';

/**
 * Looked up once: see values.ts on builtins in a vm context. Not imported from values.ts: an
 * import is read through the exporting module's getter (jest's CommonJS), a call per sample.
 */
const isArray = Array.isArray;
const isView = ArrayBuffer.isView;
const keysOf = Object.keys;
const NAN = Number.NaN;
/**
 * How the hot path reads frames' and fields' properties. Grafana's decoded frames and fields each
 * have a hidden class of their own (object spread in dataFrameFromJSON): `frame.fields` misses V8's
 * inline caches and is looked up in the runtime (~0.2 µs); Reflect.get, the same [[Get]], looks
 * in the object's own descriptors (~20 ns; frames decoded by Grafana, bench/flux-normalize).
 */
const reflectGet: <T>(target: object, name: string) => T | undefined = Reflect.get;

export interface FrameScan {
  series: SeriesRef[];
  /** Frames FluxGrid's datasource produced, read by `readFluxGridFrame`, with their positions. */
  fluxgridFrames: Array<{ frame: DataFrame; index: number }>;
  unusableFrames: string[];
  /** What was skipped inside otherwise usable frames (a field without values), with where. */
  warnings: string[];
}

export function frameLabel(frame: DataFrame, index: number): string {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const name = text(frame.name) || text(frame.refId);
  return name ? `frame "${name}"` : `frame #${index + 1}`;
}

export function isFluxGridFrame(frame: DataFrame): boolean {
  return !!frame.meta?.custom?.fluxgrid;
}

/** {@link isFluxGridFrame} for a frame known to be an object, read with reflectGet. */
function isFluxGridObject(frame: DataFrame): boolean {
  // Each decoded frame's meta and custom have a hidden class of their own too.
  const meta = reflectGet<DataFrame['meta']>(frame, 'meta');
  const custom = isObject(meta) ? reflectGet<Record<string, unknown>>(meta, 'custom') : undefined;
  return isObject(custom) && !!reflectGet(custom, 'fluxgrid');
}

/** Values a reader can index: an array or a typed array (never a claimed `length` on a plain object). */
export function isValues(values: unknown): values is ArrayLike<unknown> {
  return isArray(values) || (isView(values) && !(values instanceof DataView));
}

/** Labels as an own-property record; anything else (null, a string, an array) carries none. */
function labelsOf(labels: unknown): Labels {
  return labels !== null && typeof labels === 'object' && !isArray(labels) ? (labels as Labels) : {};
}

function mergeLabels(under: Labels, over: Labels): Labels {
  const merged: Labels = {};
  for (const labels of [under, over]) {
    keysOf(labels).forEach((name) => setLabel(merged, name, labels[name]));
  }
  return merged;
}

/**
 * Every series of `frames`. At 50k objects an instant query gives 50k two-field frames, so the
 * time-series path allocates nothing per frame but the SeriesRef itself: per-frame closures and
 * field lists were garbage that made each young-generation GC copy the live objects again.
 *
 * Frames are untrusted input: a frame whose `fields` is not a list is unusable, a field without
 * `values` is skipped with a warning, and `frame.length` is never read (a frame may claim 1e7
 * rows and hold one): rows are what the fields hold.
 *
 * With `onSeries`, each series goes to it as soon as its frame is read (and `series` stays empty):
 * the reader then handles the frame's labels while they are still in the CPU's caches.
 */
export function scanFrames(frames: DataFrame[], onSeries?: (series: SeriesRef) => void): FrameScan {
  const scan: FrameScan = { series: [], fluxgridFrames: [], unusableFrames: [], warnings: [] };
  if (!isArray(frames)) {
    return scan;
  }
  const emit = onSeries ?? ((series: SeriesRef) => scan.series.push(series));
  const timings = new QueryTimings();
  for (let index = 0; index < frames.length; index++) {
    const frame = frames[index];
    if (frame === undefined || frame === null) {
      continue;
    }
    if (typeof frame !== 'object') {
      scan.unusableFrames.push(`frame #${index + 1} is not a data frame`);
      continue;
    }
    if (isFluxGridObject(frame)) {
      scan.fluxgridFrames.push({ frame, index });
      continue;
    }
    const fields = reflectGet<Field[]>(frame, 'fields');
    if (!isArray(fields) || fields.length === 0) {
      scan.unusableFrames.push(`${frameLabel(frame, index)} has no fields`);
      continue;
    }
    // The Prometheus datasource's frame of one series, Time then the value: nearly every frame
    // of a fleet, read without the general path's two passes over the fields, each property read
    // once and with reflectGet (see there).
    if (fields.length === 2) {
      const timeField = fields[0];
      const valueField = fields[1];
      if (
        isObject(timeField) &&
        isObject(valueField) &&
        reflectGet(timeField, 'type') === 'time' &&
        reflectGet(valueField, 'type') === 'number'
      ) {
        const times = reflectGet(timeField, 'values');
        const values = reflectGet(valueField, 'values');
        if (isValues(times) && isValues(values)) {
          const query = timings.add(frame, timeField, times);
          emit(new FieldSeries(valueField, frame, index, times, values, query, timings));
          continue;
        }
      }
    }
    let timeField: Field | undefined;
    let numberCount = 0;
    let stringCount = 0;
    let skipped = 0;
    for (const field of fields) {
      if (!isUsable(field)) {
        skipped++;
      } else if (field.type === 'time') {
        timeField ??= field;
      } else if (field.type === 'number') {
        numberCount++;
      } else if (field.type === 'string') {
        stringCount++;
      }
    }
    if (skipped > 0) {
      scan.warnings.push(`${frameLabel(frame, index)}: ${skippedFields(fields)} without values ignored`);
    }
    if (numberCount === 0) {
      scan.unusableFrames.push(`${frameLabel(frame, index)} has no numeric field`);
      continue;
    }
    if (!timeField) {
      scan.unusableFrames.push(`${frameLabel(frame, index)} has no time field`);
      continue;
    }
    const query = timings.add(frame, timeField, timeField.values);
    if (stringCount === 0) {
      // Time series: labels live on the number field.
      for (const field of fields) {
        if (field?.type === 'number' && isValues(field.values)) {
          emit(new FieldSeries(field, frame, index, timeField.values, field.values, query, timings));
        }
      }
      continue;
    }
    scanTable(emit, fields, index, timeField, frame, query);
  }
  return scan;
}

function isObject<T extends object>(value: T | null | undefined): value is T {
  return value !== null && typeof value === 'object';
}

function isUsable(field: Field | null | undefined): field is Field {
  return isObject(field) && isValues(field.values);
}

/**
 * The series of a frame's number field: all its rows, until a table narrows it. The field's and
 * the frame's names are read only when asked (a series without `__name__`): see the fast path.
 * A state series is its own reading (SeriesLabels, set by LabelReader.facts): not an object more
 * per series, each of which lives until the reading ends.
 */
export class FieldSeries extends FieldWindow implements SeriesLabels {
  declare labels: Labels;
  declare readonly ascending: boolean;
  declare readonly spacing: number;
  declare shown: Labels | undefined;
  declare ready: string | undefined;
  declare suspended: string | undefined;
  declare url: string | undefined;
  declare reason: string | undefined;
  declare revision: string | undefined;
  declare source: string | undefined;

  /** `timings`: what the scan of `times` found (added last), undefined for a table row's window. */
  constructor(
    field: Field,
    frame: DataFrame,
    frameIndex: number,
    times: ArrayLike<unknown>,
    values: ArrayLike<unknown>,
    query: QueryTiming,
    timings: QueryTimings | undefined
  ) {
    super(
      field,
      frame,
      frameIndex,
      times,
      values,
      query,
      0,
      times.length < values.length ? times.length : values.length
    );
    this.labels = labelsOf(reflectGet(field, 'labels'));
    // A prefix (values shorter than times) of ascending times is ascending, evenly spaced too.
    this.ascending = timings ? timings.ascending : false;
    this.spacing = timings ? timings.spacing : NAN;
    this.shown = undefined;
    this.ready = undefined;
    this.suspended = undefined;
    this.url = undefined;
    this.reason = undefined;
    this.revision = undefined;
    this.source = undefined;
  }
}

/** "field "Value"", "2 fields": what a frame's warning names. */
function skippedFields(fields: Field[]): string {
  const names = fields
    .filter((field) => field === null || typeof field !== 'object' || !isValues(field.values))
    .map((field) => (typeof field?.name === 'string' ? field.name : ''));
  return names.length === 1 && names[0] !== '' ? `field "${names[0]}"` : `${names.length} fields`;
}

/**
 * Table: every row is a sample of the series its string columns name. Rows are the time field's:
 * a shorter column reads as absent labels or no value in the rows it lacks. A number field with
 * labels of its own gets a record per row, its labels under the row's.
 */
function scanTable(
  emit: (series: SeriesRef) => void,
  fields: Field[],
  index: number,
  timeField: Field,
  frame: DataFrame,
  query: QueryTiming
): void {
  const usable = fields.filter(isUsable);
  const numberFields = usable.filter((field) => field.type === 'number');
  const stringFields = usable.filter((field) => field.type === 'string' && typeof field.name === 'string');
  if (numberFields.every((field) => keysOf(labelsOf(field.labels)).length === 0)) {
    // Grafana's table frames: labels only in columns, read by column (tableFrame.ts).
    emitTableSeries(emit, numberFields, new TableColumns(stringFields), index, timeField.values, frame, query);
    return;
  }
  const rows = timeField.values.length;
  for (let row = 0; row < rows; row++) {
    // Field labels first, the row's columns over them; a column named `__proto__` or
    // `constructor` is a label like any other (setLabel).
    const rowLabels: Labels = {};
    for (const field of stringFields) {
      const value = cellText(field.values[row]);
      if (value !== undefined) {
        setLabel(rowLabels, field.name, value);
      }
    }
    for (const field of numberFields) {
      // A time series' window narrowed to the row, with the row's labels.
      const series = new FieldSeries(field, frame, index, timeField.values, field.values, query, undefined);
      series.labels = field.labels ? mergeLabels(labelsOf(field.labels), rowLabels) : rowLabels;
      series.start = row;
      series.end = row < field.values.length ? row + 1 : row;
      emit(series);
    }
  }
}
