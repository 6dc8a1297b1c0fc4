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

import { Labels } from './labels';
import { FluxSchema } from './types';

export interface SeriesRef {
  /** Labels as delivered, `__name__` included when present. */
  labels: Labels;
  /** The number field's name ('Value', 'Value #A' or a metric name). */
  fieldName: string;
  /** The frame's name, '' when none. */
  frameName: string;
  /** Position of the frame in the input (name it in a message with {@link frameLabel}). */
  frameIndex: number;
  times: ArrayLike<unknown>;
  values: ArrayLike<unknown>;
  /** Rows [start, end) of times/values belong to this series. */
  start: number;
  end: number;
  /** Set once the series is known to be a state metric (see normalize.ts). */
  schema: FluxSchema | undefined;
}

export interface FrameScan {
  series: SeriesRef[];
  /** Frames FluxGrid's datasource produced, read by `readFluxGridFrame`, with their positions. */
  fluxgridFrames: Array<{ frame: DataFrame; index: number }>;
  unusableFrames: string[];
}

export function frameLabel(frame: DataFrame, index: number): string {
  const name = frame.name || frame.refId;
  return name ? `frame "${name}"` : `frame #${index + 1}`;
}

export function isFluxGridFrame(frame: DataFrame): boolean {
  return Boolean(frame.meta?.custom?.fluxgrid);
}

/** Epoch ms of a time value; NaN when it is not one. */
export function toMs(value: unknown): number {
  if (typeof value === 'number') {
    return value;
  }
  if (value instanceof Date) {
    return value.getTime();
  }
  if (typeof value === 'string' && value !== '') {
    const asNumber = Number(value);
    return Number.isNaN(asNumber) ? Date.parse(value) : asNumber;
  }
  return NaN;
}

/**
 * A sample's value; NaN for "no sample". Grafana writes Prometheus' NaN/±Inf as null (restoring
 * them from `entities` only sometimes), so null, NaN and infinities all mean "nothing usable here".
 */
export function toSampleValue(value: unknown): number {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : NaN;
  }
  if (typeof value === 'string' && value !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : NaN;
  }
  return NaN;
}

function fieldLength(frame: DataFrame): number {
  if (typeof frame.length === 'number' && frame.length > 0) {
    return frame.length;
  }
  let length = 0;
  for (const field of frame.fields) {
    length = Math.max(length, field.values?.length ?? 0);
  }
  return length;
}

/**
 * Every series of `frames`. At 50k objects an instant query gives 50k two-field frames, so the
 * time-series path allocates nothing per frame but the SeriesRef itself: per-frame closures and
 * field lists were garbage that made each young-generation GC copy the live objects again.
 */
export function scanFrames(frames: DataFrame[]): FrameScan {
  const scan: FrameScan = { series: [], fluxgridFrames: [], unusableFrames: [] };
  for (let index = 0; index < frames.length; index++) {
    const frame = frames[index];
    if (!frame) {
      continue;
    }
    if (isFluxGridFrame(frame)) {
      scan.fluxgridFrames.push({ frame, index });
      continue;
    }
    const fields = frame.fields;
    if (!fields || fields.length === 0) {
      scan.unusableFrames.push(`${frameLabel(frame, index)} has no fields`);
      continue;
    }
    let timeField: Field | undefined;
    let numberCount = 0;
    let stringCount = 0;
    for (const field of fields) {
      if (field.type === 'time') {
        timeField ??= field;
      } else if (field.type === 'number') {
        numberCount++;
      } else if (field.type === 'string') {
        stringCount++;
      }
    }
    if (numberCount === 0) {
      scan.unusableFrames.push(`${frameLabel(frame, index)} has no numeric field`);
      continue;
    }
    if (!timeField) {
      scan.unusableFrames.push(`${frameLabel(frame, index)} has no time field`);
      continue;
    }
    const frameName = frame.name ?? '';
    if (stringCount === 0) {
      // Time series: labels live on the number field.
      for (const field of fields) {
        if (field.type === 'number') {
          scan.series.push({
            labels: field.labels ?? {},
            fieldName: field.name,
            frameName,
            frameIndex: index,
            times: timeField.values,
            values: field.values,
            start: 0,
            end: Math.min(timeField.values.length, field.values.length),
            schema: undefined,
          });
        }
      }
      continue;
    }
    scanTable(scan, frame, index, timeField, frameName);
  }
  return scan;
}

/** Table: every row is a sample of the series its string columns name. */
function scanTable(scan: FrameScan, frame: DataFrame, index: number, timeField: Field, frameName: string): void {
  const numberFields = frame.fields.filter((field) => field.type === 'number');
  const stringFields = frame.fields.filter((field) => field.type === 'string');
  const rows = fieldLength(frame);
  for (let row = 0; row < rows; row++) {
    const rowLabels: Labels = {};
    for (const field of stringFields) {
      const value = field.values[row];
      if (value !== undefined && value !== null && value !== '') {
        rowLabels[field.name] = String(value);
      }
    }
    for (const field of numberFields) {
      scan.series.push({
        labels: field.labels ? { ...field.labels, ...rowLabels } : rowLabels,
        fieldName: field.name,
        frameName,
        frameIndex: index,
        times: timeField.values,
        values: field.values,
        start: row,
        end: row + 1,
        schema: undefined,
      });
    }
  }
}
