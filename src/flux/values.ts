/**
 * Reading the cells of Grafana's frames: times, sample values and text, whatever type a
 * datasource gave them (frames.ts reads the frames themselves, isValues included).
 */

/**
 * The hot loops' builtins (and `NaN`, `Infinity`), looked up once. In a vm context (jest, node's
 * `vm`) every global lookup goes through the context's interceptor: a `Number.isNaN` per sample
 * cost more than the rest of the reading (bench/flux-normalize.bench.ts). Free in a browser.
 */
export const numberIsNaN = Number.isNaN;
export const NAN = Number.NaN;
export const INFINITY = Number.POSITIVE_INFINITY;
export const numberIsFinite = Number.isFinite;

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
    return numberIsNaN(asNumber) ? Date.parse(value) : asNumber;
  }
  return NAN;
}

/**
 * A sample's value; NaN for "no sample". Grafana writes Prometheus' NaN/±Inf as null (restoring
 * them from `entities` only sometimes), so null, NaN and infinities all mean "nothing usable here".
 */
export function toSampleValue(value: unknown): number {
  if (typeof value === 'number') {
    return numberIsFinite(value) ? value : NAN;
  }
  if (typeof value === 'string' && value !== '') {
    const parsed = Number(value);
    return numberIsFinite(parsed) ? parsed : NAN;
  }
  return NAN;
}

/**
 * A cell as text: strings, numbers and booleans; anything else (an object from a hostile or broken
 * frame, whose `toString` may be missing or throw) is no text. '' is no text either.
 */
export function cellText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value === '' ? undefined : value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${value}`;
    default:
      return undefined;
  }
}
