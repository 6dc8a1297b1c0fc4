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
