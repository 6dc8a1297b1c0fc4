/**
 * One order of an object's series whatever the order of the frames (normalize.ts puts every
 * accumulator in it before timeline.ts decides): ties between duplicates then show the same labels.
 */
import { SeriesRef } from './frames';
import { Labels } from './labels';
import type { LegacyStatus } from './schemas';
import { SIGNAL_RANK } from './state';
import { ObjectAccumulator } from './timeline';

/** Looked up once: see values.ts on builtins in a vm context. */
const keysOf = Object.keys;
const isArray = Array.isArray;

/** Every label, sorted by name: a total order on series that no frame order can change. */
function signatureOf(labels: Labels): string {
  let out = '';
  for (const name of keysOf(labels).sort()) {
    const value = labels[name];
    out += name + '\u001f' + (typeof value === 'string' ? value : '') + '\u001e';
  }
  return out;
}

function sortBySignature<T>(list: T[] | undefined, seriesOf: (item: T) => SeriesRef): void {
  if (list && list.length > 1) {
    const keyed = list.map((item) => ({ item, signature: signatureOf(seriesOf(item).labels) }));
    keyed.sort((a, b) => (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0));
    keyed.forEach(({ item }, i) => (list[i] = item));
  }
}

const self = (series: SeriesRef) => series;

/**
 * Puts an object's series in one order whatever the order of the frames: where two series tie
 * (HA duplicates in the same state at the same time, one with an older revision or another
 * instance), the first one's labels are shown, so "first" must not depend on the frames' order.
 * Signatures are built only for lists that hold duplicates: one series, or legacy gauges with one
 * series per status, cost (next to) nothing (the 50k-object case).
 */
function hasDuplicateStatus(conditions: Array<{ status: LegacyStatus }>): boolean {
  let seen = 0;
  for (const { status } of conditions) {
    const bit = 1 << SIGNAL_RANK[status];
    if (seen & bit) {
      return true;
    }
    seen |= bit;
  }
  return false;
}

export function inCanonicalOrder(acc: ObjectAccumulator): void {
  if (isArray(acc.info)) {
    // One info series as it is needs no order.
    sortBySignature(acc.info, self);
  }
  if (acc.conditions && acc.conditions.length > 1 && hasDuplicateStatus(acc.conditions)) {
    // One series per status needs no order: each status decides its own signal.
    sortBySignature(acc.conditions, ({ series }) => series);
  }
  sortBySignature(acc.suspends, self);
  sortBySignature(acc.counts, self);
  sortBySignature(acc.sums, self);
}
