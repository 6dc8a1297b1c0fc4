/**
 * What the datasource said about its answer besides the data: frame `meta.notices` of warning or
 * error severity (a partial answer, a Prometheus warning, a capped series count), and the queries
 * that failed (`data.errors`). Grafana's panel header shows them as a small icon only; a status
 * panel that looks complete while the answer was not must say so in the panel itself.
 */
import type { DataFrame, PanelData } from '@grafana/data';

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

/** A query Grafana reports as failed: its refId when the error names one, and Grafana's message. */
export interface QueryFailure {
  refId?: string;
  message: string;
}

/** The failed queries (`data.errors`, or the older single `data.error`), once each, in order. */
export function queryFailures(data: Pick<PanelData, 'errors' | 'error'>): QueryFailure[] {
  // Read only without `errors`: what a datasource older than it set.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const errors = data.errors?.length ? data.errors : data.error ? [data.error] : [];
  const seen = new Map<string, QueryFailure>();
  for (const error of errors) {
    const message =
      (error.message || error.data?.message || error.statusText || '').trim() || 'the datasource gave no error message';
    const refId = error.refId?.trim() || undefined;
    seen.set(`${refId ?? ''}\u0000${message}`, { refId, message });
  }
  return [...seen.values()];
}
