/**
 * Human durations for "failing for 3h 4m": two units at most, rounded down (an object failing for
 * 59 minutes has not been failing for an hour), a zero second unit left out.
 */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** '45s', '12m', '3h 4m', '3h', '2d 5h'. Negative durations (clock skew) are '0s'; non-finite ones '-'. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) {
    return '-';
  }
  const value = Math.max(0, ms);
  if (value < MINUTE) {
    return `${Math.floor(value / SECOND)}s`;
  }
  if (value < HOUR) {
    return `${Math.floor(value / MINUTE)}m`;
  }
  if (value < DAY) {
    const hours = Math.floor(value / HOUR);
    const minutes = Math.floor((value % HOUR) / MINUTE);
    return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  }
  const days = Math.floor(value / DAY);
  const hours = Math.floor((value % DAY) / HOUR);
  return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };

/**
 * Milliseconds in a duration such as `10m`, `1h30m`, `90s`, `1.5h`, `500ms`, `2d` or `1w`: one or
 * more number+unit parts (units ms, s, m, h, d, w; decimals allowed), surrounding spaces ignored.
 * Anything else (`''`, `-5m`, `10mfoo`, a bare number) is undefined. The one grammar of FluxGrid:
 * the panel's "failing longer than" and the simulator's scenario files both use it.
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (value === '') {
    return undefined;
  }
  // Sticky: every part must start where the previous one ended, so no junk can sit in between.
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;
  let total = 0;
  while (part.lastIndex < value.length) {
    const match = part.exec(value);
    if (!match) {
      return undefined;
    }
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}
