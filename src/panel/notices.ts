/**
 * What the datasource said about its answer besides the data: frame `meta.notices` of warning or
 * error severity (a partial answer, a Prometheus warning, a capped series count). Grafana's panel
 * header shows them as a small icon only; a status panel that looks complete while the answer was
 * not must say so in the panel itself.
 */
import type { DataFrame } from '@grafana/data';

const SHOWN = new Set(['warning', 'error']);

/** Distinct notice texts, in the order the frames carry them. */
export function frameNotices(series: DataFrame[]): string[] {
  const seen = new Set<string>();
  for (const frame of series) {
    for (const notice of frame.meta?.notices ?? []) {
      const text = typeof notice.text === 'string' ? notice.text.trim() : '';
      if (text !== '' && SHOWN.has(notice.severity)) {
        seen.add(text);
      }
    }
  }
  return [...seen];
}
