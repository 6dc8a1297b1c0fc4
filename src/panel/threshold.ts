import { parseDuration } from '../flux';

export interface ParsedThreshold {
  /** Milliseconds; undefined when the threshold is off or invalid. */
  ms?: number;
  /** A message the user can act on when the input cannot be read. */
  error?: string;
}

/**
 * Parses "failing longer than". The raw text may hold dashboard variables, so it is interpolated
 * first; an empty result turns sustained-failure marking off.
 */
export function parseThreshold(
  raw: string | undefined,
  interpolate: (text: string) => string = (t) => t
): ParsedThreshold {
  const text = interpolate(raw ?? '').trim();
  if (text === '') {
    return {};
  }
  const invalid = {
    error: `Invalid "Failing longer than" value '${text}': use a duration such as 10m, 1h30m or 2d (units ms, s, m, h, d, w).`,
  };
  // The core's strict grammar (the simulator's too): '10mfoo' or '-5m' is reported, not half-read.
  const ms = parseDuration(text);
  return ms !== undefined && ms > 0 ? { ms } : invalid;
}
