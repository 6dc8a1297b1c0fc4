/**
 * What every Flux question has: `queries(filters, options, window, …)` says what to ask
 * Prometheus, `read(answers, window, …)` what the answers mean. The datasource runs the one and
 * hands the other what came back, by the same keys; it knows no PromQL and no `fluxgrid_*` label.
 */
import { DataFrame } from '@grafana/data';

/** The dashboard range, epoch ms. Instant queries are evaluated at `toMs`. */
export interface FluxWindow {
  fromMs: number;
  toMs: number;
}

/** What a question asks Prometheus: PromQL by answer key, all instant or all range queries. */
export interface FluxQueries {
  exprs: Record<string, string>;
  range: boolean;
}

/** Prometheus' answers by the keys of {@link FluxQueries.exprs} (every key present). */
export type FluxAnswers = Record<string, DataFrame[]>;

/** The window of a range question in seconds: at least a minute (a zero range has no rate). */
export function windowSecondsOf(window: FluxWindow): number {
  return Math.max(60, (window.toMs - window.fromMs) / 1000);
}
