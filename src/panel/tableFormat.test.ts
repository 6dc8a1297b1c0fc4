/**
 * The panel on Grafana's Prometheus datasource with Format "Table": the backend still answers one
 * frame per series, and Grafana's frontend (@grafana/prometheus transformV2, run here as Grafana
 * ships it) merges them into ONE table frame per query: a string column per label, '' where a
 * series lacks one. One frame instead of 50k is what makes decode-to-paint cheap at fleet scale
 * (applyFieldOverrides walks every frame's fields; bench/browser-panel.bench.ts). The panel must
 * read that frame as the same objects, in the same states, as the per-series frames.
 */
import path from 'node:path';

import { DataFrame, DataQueryRequest, DataQueryResponse, dateTime, CoreApp } from '@grafana/data';

import { readFluxFrames } from '../flux';
import {
  instantFrames,
  ksmLabels,
  Labels,
  legacyOneHot,
  legacySuspendLabels,
  operatorLabels,
  seriesFrame,
  STEP,
  T0,
} from '../flux/testing/frames';

interface PromTarget {
  refId: string;
  expr: string;
  format?: 'time_series' | 'table';
  instant?: boolean;
  range?: boolean;
}

/** Grafana's own transform of a Prometheus response, from its Prometheus datasource package. */
function grafanaTransformV2(): (
  response: DataQueryResponse,
  request: DataQueryRequest<PromTarget>,
  options: Record<string, unknown>
) => DataQueryResponse {
  const file = path.join(
    path.dirname(require.resolve('@grafana/prometheus/package.json')),
    'dist/cjs/result_transformer.cjs'
  );
  return require(file).transformV2;
}

function request(targets: PromTarget[]): DataQueryRequest<PromTarget> {
  const to = dateTime(T0);
  const from = dateTime(T0 - 10 * STEP);
  return {
    requestId: 'A',
    interval: '1m',
    intervalMs: STEP,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: CoreApp.Dashboard,
    startTime: T0,
  };
}

/** What the panel gets from the Prometheus datasource with the targets' format. */
function throughGrafana(frames: DataFrame[], targets: PromTarget[]): DataFrame[] {
  return grafanaTransformV2()({ data: frames }, request(targets), { exemplarTraceIdDestinations: [] }).data;
}

const KINDS = ['Kustomization', 'HelmRelease', 'GitRepository', 'HelmChart'];
const READY = ['True', 'False', 'Unknown'];

/** A Flux Operator fleet over two clusters; some series lack labels others have (table cells ''). */
function operatorSeries(n: number): Array<{ labels: Labels; value: number }> {
  return Array.from({ length: n }, (_, i) => {
    const ready = READY[i % 3];
    const extra: Labels = {
      cluster: `c${i % 2}`,
      ready,
      reason: ready === 'False' ? 'BuildFailed' : ready === 'Unknown' ? 'Progressing' : 'ReconciliationSucceeded',
      suspended: i % 7 === 0 ? 'True' : 'False',
      revision: `main@sha1:${i}`,
    };
    if (i % 5 === 0) {
      delete extra.reason;
      delete extra.revision;
    }
    if (i % 11 === 0) {
      // Label names that are Object.prototype's: read as labels, never through the prototype.
      Object.assign(extra, Object.fromEntries([['constructor', 'x']]));
    }
    return { labels: operatorLabels(KINDS[i % KINDS.length], `app-${i}`, extra), value: 1 };
  });
}

function ksmSeries(n: number): Array<{ labels: Labels; value: number }> {
  return Array.from({ length: n }, (_, i) => {
    const ready = READY[i % 3];
    return {
      labels: ksmLabels('Kustomization', `ks-${i}`, { ready, suspended: i % 4 === 0 ? 'true' : 'false' }),
      value: 1,
    };
  });
}

function legacySeries(n: number): Array<{ labels: Labels; value: number }> {
  const out: Array<{ labels: Labels; value: number }> = [];
  for (let i = 0; i < n; i++) {
    out.push(...legacyOneHot('Kustomization', `legacy-${i}`, (['True', 'False', 'Unknown'] as const)[i % 3]));
    out.push({ labels: legacySuspendLabels('Kustomization', `legacy-${i}`), value: i % 3 === 0 ? 1 : 0 });
  }
  return out;
}

const table: PromTarget = { refId: 'A', expr: 'flux', format: 'table', instant: true, range: false };

describe('the panel on Grafana Prometheus "Table" format frames', () => {
  it.each([
    // [schemas, series, whether some series lack a label others have]
    ['Flux Operator', operatorSeries(60), true],
    ['kube-state-metrics', ksmSeries(30), false],
    ['legacy gauges', legacySeries(20), true],
    ['all three in one query', [...operatorSeries(12), ...ksmSeries(9), ...legacySeries(6)], true],
  ])('%s, instant: one table frame, the same objects and states as the per-series frames', (_, series, filled) => {
    const perSeries = instantFrames(series);
    const tableFrames = throughGrafana(instantFrames(series), [table]);
    // Grafana's own transform made one frame of every series, a row each.
    expect(tableFrames).toHaveLength(1);
    expect(tableFrames[0].length).toBe(series.length);
    expect(tableFrames[0].meta?.preferredVisualisationType).toBe('rawPrometheus');

    const fromSeries = readFluxFrames(perSeries);
    const fromTable = readFluxFrames(tableFrames);
    expect(fromTable.objects.length).toBeGreaterThan(0);
    expect(fromTable.unusableFrames).toEqual([]);
    expect(fromTable.schemas).toEqual(fromSeries.schemas);
    expect(fromTable.objects).toEqual(fromSeries.objects);
    // Not a vacuous match: several states, and cells Grafana filled with '' (labels a series lacks).
    expect(new Set(fromTable.objects.map((o) => o.state)).size).toBeGreaterThanOrEqual(3);
    expect(tableFrames[0].fields.some((f) => f.type === 'string' && f.values.includes(''))).toBe(filled);
  });

  it('range query: a row per sample, read as the same objects, states and times in state', () => {
    // 11 points at 1 min; objects change state within the range.
    const times = Array.from({ length: 11 }, (_, k) => T0 - (10 - k) * STEP);
    const frames = () =>
      operatorSeries(12).flatMap(({ labels }, i) => {
        const before = { ...labels, ready: 'True', reason: 'ReconciliationSucceeded' };
        const change = 3 + (i % 6);
        // The series before and after the change: two series of one object, as Flux relabels it.
        return i % 2 === 0
          ? [
              seriesFrame(
                before,
                times.slice(0, change).map((t) => [t, 1])
              ),
              seriesFrame(
                labels,
                times.slice(change).map((t) => [t, 1])
              ),
            ]
          : [
              seriesFrame(
                labels,
                times.map((t) => [t, 1])
              ),
            ];
      });
    const rangeTable: PromTarget = { refId: 'A', expr: 'flux', format: 'table', range: true, instant: false };
    const tableFrames = throughGrafana(frames(), [rangeTable]);
    expect(tableFrames).toHaveLength(1);

    const fromSeries = readFluxFrames(frames());
    const fromTable = readFluxFrames(tableFrames);
    expect(fromTable.objects.length).toBe(12);
    expect(fromTable.objects).toEqual(fromSeries.objects);
    // Objects that changed within the range are in their state since the change, not the range start.
    expect(fromTable.objects.filter((o) => o.since !== undefined && o.since > times[0]).length).toBeGreaterThan(0);
  });
});
