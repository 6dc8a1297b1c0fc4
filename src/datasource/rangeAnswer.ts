import { DataFrame, FieldType } from '@grafana/data';

/**
 * A range answer holding only the samples of the asked range. With incremental querying on,
 * Grafana's Prometheus datasource answers from its cache, which keeps one sample before the
 * range start (and merges older answers): FluxGrid's answer must not depend on it. A range query
 * starts at the step-aligned range start, after `fromMs - step`; it ends at `toMs`.
 */
export function withinRange(frame: DataFrame, fromMs: number, toMs: number): DataFrame {
  const time = frame.fields.find((f) => f.type === FieldType.time);
  const step = time?.config.interval;
  if (!time || !step) {
    return frame;
  }
  const values: unknown[] = Array.from(time.values);
  const keep = values.map((t) => typeof t === 'number' && t > fromMs - step && t <= toMs);
  if (keep.every(Boolean)) {
    return frame;
  }
  const pick = <T>(all: ArrayLike<T>): T[] => Array.from(all).filter((_, i) => keep[i]);
  const fields = frame.fields.map((f) => ({ ...f, values: pick(f.values) }));
  return { ...frame, fields, length: fields[0]?.values.length ?? 0 };
}
