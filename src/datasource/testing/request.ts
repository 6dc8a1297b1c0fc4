/**
 * A typed DataQueryRequest, as Grafana's query runner hands one to a datasource: the range built
 * with dateTime(), the interval from intervalMs, a dashboard app. For tests and benchmarks that
 * query the FluxGrid datasource (or Prometheus) the way a panel does.
 */
import { CoreApp, DataQueryRequest, dateTime, rangeUtil, RawTimeRange } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

export interface RequestOptions {
  requestId?: string;
  /** The panel's step; Grafana derives it from the range and the panel width. Default 15 s. */
  intervalMs?: number;
  maxDataPoints?: number;
  /** The range as the time picker has it (`now-5m`); default the absolute range. */
  raw?: RawTimeRange;
  app?: string;
}

export function dataQueryRequest<T extends DataQuery>(
  targets: T[],
  window: { fromMs: number; toMs: number },
  options: RequestOptions = {}
): DataQueryRequest<T> {
  const from = dateTime(window.fromMs);
  const to = dateTime(window.toMs);
  const intervalMs = options.intervalMs ?? 15_000;
  return {
    requestId: options.requestId ?? 'test',
    interval: rangeUtil.secondsToHms(intervalMs / 1000),
    intervalMs,
    maxDataPoints: options.maxDataPoints ?? 500,
    range: { from, to, raw: options.raw ?? { from, to } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: options.app ?? CoreApp.Dashboard,
    startTime: Date.now(),
  };
}
