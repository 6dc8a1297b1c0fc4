/**
 * Durations as scenario files write them: `90s`, `10m`, `1h30m`, `2h`, or a plain number of seconds.
 */

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)/;

/** Seconds in a duration, or undefined when the text is not a duration. */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  let rest = value.trim();
  if (rest === '') {
    return undefined;
  }
  if (/^\d+(\.\d+)?$/.test(rest)) {
    return Number(rest);
  }
  let total = 0;
  while (rest.length > 0) {
    const match = DURATION_RE.exec(rest);
    if (!match) {
      return undefined;
    }
    total += Number(match[1]) * UNIT_SECONDS[match[2]];
    rest = rest.slice(match[0].length);
  }
  return total;
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
