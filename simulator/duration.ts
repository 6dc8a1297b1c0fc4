/**
 * Durations as scenario files write them: `90s`, `10m`, `1h30m`, `2h`, or a plain number of seconds.
 */
import { parseDuration } from '../src/flux/format';

/**
 * Seconds in a duration, or undefined when the text is not a duration. A unit-less number (or a
 * YAML number) is seconds; anything with units follows the core's grammar (`parseDuration`), the
 * same the panel's "failing longer than" accepts.
 */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Number(text);
  }
  const ms = parseDuration(text);
  return ms === undefined ? undefined : ms / 1000;
}

/** `3600` -> `1h`, `90` -> `1m30s`: for messages. */
export function formatSeconds(seconds: number): string {
  if (seconds === 0) {
    return '0s';
  }
  let rest = Math.round(seconds);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}
