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
  /** The step the panel would like (Grafana's request `intervalMs`); range questions step no finer. */
  intervalMs?: number;
  /** How often Prometheus scrapes the Flux metrics, seconds (its datasource's "Scrape interval"). */
  scrapeIntervalSeconds?: number;
}

/** What a question asks Prometheus: PromQL by answer key, all instant or all range queries. */
export interface FluxQueries {
  exprs: Record<string, string>;
  range: boolean;
  /** Range queries: the smallest step worth asking for, seconds (Grafana's "Min step" of the targets). */
  minStepSeconds?: number;
}

/** Prometheus' answers by the keys of {@link FluxQueries.exprs} (every key present). */
export type FluxAnswers = Record<string, DataFrame[]>;

/** Prometheus' default scrape interval, and what Grafana assumes when a Prometheus datasource sets none. */
export const DEFAULT_SCRAPE_INTERVAL_SECONDS = 15;

/**
 * The finest step a question that shows states over time should ask for: the scrape interval (a
 * finer step only repeats the last scrape's sample), or the panel's interval when coarser. Grafana
 * hands a 2 s interval for a short range in a dashboard run by scenes, and asking 50k objects' states
 * at 2 s steps took 20-30 s. Grafana's backend still coarsens it for the range and maxDataPoints.
 */
export function minStepSecondsOf(window: FluxWindow | undefined): number {
  const scrape = window?.scrapeIntervalSeconds;
  const floor = scrape !== undefined && scrape > 0 ? scrape : DEFAULT_SCRAPE_INTERVAL_SECONDS;
  const panel = window?.intervalMs !== undefined && window.intervalMs > 0 ? Math.ceil(window.intervalMs / 1000) : 0;
  return Math.max(floor, panel);
}

/** The window of a range question in seconds: at least a minute (a zero range has no rate). */
export function windowSecondsOf(window: FluxWindow): number {
  return Math.max(60, (window.toMs - window.fromMs) / 1000);
}
