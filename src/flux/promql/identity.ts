/**
 * One identity in every aggregated query: the `fluxgrid_*` identity labels, written with
 * `label_replace` and read back from the answers.
 *
 * The three schemas name the same things differently (`customresource_kind` vs `kind`,
 * `exported_namespace` vs `namespace`, several cluster labels). Every query that aggregates first
 * copies them into `fluxgrid_cluster`, `fluxgrid_kind`, `fluxgrid_namespace`, `fluxgrid_name`, in
 * the order of preference the core reads with (`identityLabels`, labels.ts), so an object has the
 * same identity, and the same key, in every query and in the core.
 */
import { DataFrame } from '@grafana/data';

import { scanFrames, type SeriesRef, toMs, toSampleValue } from '../frames';
import { LabelReader } from '../labelReader';
import { EXPORTED_NAMESPACE_LABEL, isIdentity, objectKey, ObjectIdentity } from '../labels';
import { FluxLabelMapping } from '../types';
import { quote } from './escape';
import { familyIdentityLabels, LabelMatcher, MetricFamily } from './selectors';

/** The normalised identity labels every aggregating query groups by. */
export const ID = {
  cluster: 'fluxgrid_cluster',
  kind: 'fluxgrid_kind',
  namespace: 'fluxgrid_namespace',
  name: 'fluxgrid_name',
} as const;

/** `by (…)` / `on (…)` over the identity. */
export const ID_LIST = `${ID.cluster}, ${ID.kind}, ${ID.namespace}, ${ID.name}`;

/**
 * The whole of a non-empty label value, newlines included: RE2's `.` does not match `\n` unless
 * the `s` flag is set (Prometheus 2.x sets none; 3.x sets it for every regex), so `(.+)` would
 * leave a value with a newline uncopied on 2.x and the object without its identity.
 */
export const WHOLE_VALUE = '((?s).+)';

/**
 * label_replace's reference to the captured value. Written through {@link quote} like every
 * string (`"\x241"`): a bare `$1` is template syntax to Grafana, and its Prometheus datasource
 * would replace it by a dashboard variable named `1`.
 */
const CAPTURED = quote('$1');

/** label_replace that copies `src` into `dst` when `src` is non-empty (so later calls win). */
export function copyLabel(expr: string, dst: string, src: string): string {
  return `label_replace(${expr}, ${quote(dst)}, ${CAPTURED}, ${quote(src)}, ${quote(WHOLE_VALUE)})`;
}

/** Copies the first present of `sources` into `dst` (the most preferred is applied last and wins). */
export function copyFirstPresent(expr: string, dst: string, sources: readonly string[]): string {
  let out = expr;
  for (const src of [...sources].reverse()) {
    out = copyLabel(out, dst, src);
  }
  return out;
}

/** Rewrites identity labels into the fluxgrid_* vocabulary, most preferred label applied last. */
export function normalizeIdentity(expr: string, family: MetricFamily, mapping: FluxLabelMapping): string {
  const labels = familyIdentityLabels(family, mapping);
  let out = copyFirstPresent(expr, ID.cluster, labels.cluster);
  out = copyFirstPresent(out, ID.kind, labels.kind);
  out = copyFirstPresent(out, ID.namespace, labels.namespace);
  return copyFirstPresent(out, ID.name, labels.name);
}

/**
 * The series with (`!=`) or without (`=`) `exported_namespace`: where it is there, `namespace` is
 * the exporter's own (never read: the object's is the exported one), so a query that keeps raw
 * identity labels drops it from those series alone, selected so, without a label rewritten per series.
 */
export function exportedNamespace(op: '=' | '!='): LabelMatcher[] {
  return [{ label: EXPORTED_NAMESPACE_LABEL, op, value: '' }];
}

// ---------------------------------------------------------------------------------------------
// Reading the answers back

/** An object as the aggregated answers name it. */
export type ObjectRef = ObjectIdentity;

export interface Sample {
  labels: Record<string, string>;
  time: number;
  value: number;
}

/** The last sample of every series (instant answers have exactly one). */
export function lastSamples(frames: DataFrame[]): Sample[] {
  const out: Sample[] = [];
  for (const series of scanFrames(frames).series) {
    const i = lastIndexOf(series);
    if (i >= 0) {
      out.push({ labels: series.labels, time: toMs(series.times[i]), value: toSampleValue(series.values[i]) });
    }
  }
  return out;
}

/** Where a series' last value is, -1 when it has none. */
function lastIndexOf(series: SeriesRef): number {
  for (let i = series.end - 1; i >= series.start; i--) {
    if (!Number.isNaN(toSampleValue(series.values[i]))) {
      return i;
    }
  }
  return -1;
}

/** A series' last value, NaN when it has none. */
function lastValueOf(series: SeriesRef): number {
  const i = lastIndexOf(series);
  return i < 0 ? Number.NaN : toSampleValue(series.values[i]);
}

const own = (labels: Record<string, string>, name: string): string =>
  Object.prototype.hasOwnProperty.call(labels, name) ? (labels[name] ?? '') : '';

export function refOf(labels: Record<string, string>): ObjectRef {
  return {
    cluster: own(labels, ID.cluster),
    kind: own(labels, ID.kind),
    namespace: own(labels, ID.namespace),
    name: own(labels, ID.name),
  };
}

/** The same key as the core's FluxObject.key. */
export function keyOf(labels: Record<string, string>): string {
  return objectKey(refOf(labels));
}

/** A series that names an object (a kind and a name): the others are no object. */
export function namesObject(labels: Record<string, string>): boolean {
  return own(labels, ID.kind) !== '' && own(labels, ID.name) !== '';
}

/**
 * key → value from an instant answer that kept the raw identity labels, read with the core's own
 * identity rule and the label settings (its LabelReader: one pass over each label-name list, as
 * for the state series): the same object has the same key in both. The latest value per object
 * wins. Series are read as the scan meets them, without a list of samples (100k of them).
 */
export function valuesByIdentity(
  frames: DataFrame[],
  mapping: FluxLabelMapping
): Map<string, { ref: ObjectRef; value: number }> {
  const out = new Map<string, { ref: ObjectRef; value: number }>();
  const reader = new LabelReader(mapping);
  scanFrames(frames, (series) => {
    const value = lastValueOf(series);
    if (Number.isNaN(value)) {
      return;
    }
    reader.read(series.labels, false);
    const identity = reader.identity();
    if (!isIdentity(identity)) {
      return;
    }
    const key = objectKey(identity);
    const previous = out.get(key);
    if (!previous || value > previous.value) {
      out.set(key, { ref: identity, value });
    }
  });
  return out;
}
