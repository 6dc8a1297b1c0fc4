/**
 * The Reconcile duration question's count on a real Prometheus (and, with
 * FLUXGRID_ENGINE=victoria-metrics, on VictoriaMetrics): an HA Prometheus pair (or Thanos without
 * dedup) sends each controller counter twice, differing only in the replica label. Those copies
 * are the same reconciles, counted once; a controller restart (a new pod, the counter from 0) and
 * a leader change (two pods reconciling the same object one after the other) are different
 * reconciles of the same object, and add up.
 *
 * @jest-environment node
 */
import { MAX_QUERY_BYTES, queryBytes } from '../../src/flux/promql/selection';
import type { FluxFilters } from '../../src/flux/promql/selectors';
import { reconcileDurationQuery } from '../../src/flux/questions/durations';
import { formatLabels } from '../../simulator/openmetrics';
import { queryPrometheus, startPrometheus, type PrometheusServer } from '../harness/prometheus';

jest.setTimeout(120_000);

const END = 1736125200;
const START = END - 2 * 3600;
const SCRAPE = 30;
const WINDOW = 3600;

/** A counter's series over [from, to] (epoch s). */
type Counter = { pod: string; from: number; to?: number; count: (t: number) => number };

const perMinute = (since: number) => (t: number) => Math.max(0, Math.floor((t - since) / 60));

/** name → the counters of its controller pods (each scraped by both replicas of the HA pair). */
const OBJECTS: Record<string, Counter[]> = {
  // One pod all along.
  ha: [{ pod: 'kustomize-controller-1', from: START, count: perMinute(START) }],
  // The controller restarted 30 minutes ago: a new pod, its counter from 0.
  restart: [
    { pod: 'kustomize-controller-1', from: START, to: END - 1800, count: perMinute(START) },
    { pod: 'kustomize-controller-2', from: END - 1800, count: perMinute(END - 1800) },
  ],
  // The container restarted 20 minutes ago in the same pod: the counter reset, same series.
  reset: [
    {
      pod: 'kustomize-controller-1',
      from: START,
      count: (t) => (t < END - 1200 ? perMinute(START)(t) : perMinute(END - 1200)(t)),
    },
  ],
  // A leader change 30 minutes ago: the old leader's pod stays, its counter held; the new one counts.
  leader: [
    { pod: 'kustomize-controller-a', from: START, count: (t) => perMinute(START)(Math.min(t, END - 1800)) },
    { pod: 'kustomize-controller-b', from: START, count: (t) => perMinute(END - 1800)(t) },
  ],
};

function history(): string {
  const lines = ['# TYPE gotk_reconcile_duration_seconds histogram'];
  for (const [name, counters] of Object.entries(OBJECTS)) {
    for (const { pod, from, to = END, count } of counters) {
      for (const replica of ['a', 'b']) {
        const labels = {
          kind: 'Kustomization',
          name,
          exported_namespace: 'apps',
          namespace: 'flux-system',
          pod,
          instance: `${pod}:8080`,
          job: 'flux-system/kustomize-controller',
          container: 'manager',
          endpoint: 'http-prom',
          replica,
        };
        for (let t = from; t <= to; t += SCRAPE) {
          const n = count(t);
          for (const le of ['0.1', '1', '+Inf']) {
            lines.push(
              `gotk_reconcile_duration_seconds_bucket${formatLabels({ ...labels, le })} ${le === '0.1' ? 0 : n} ${t}`
            );
          }
          lines.push(`gotk_reconcile_duration_seconds_sum${formatLabels(labels)} ${n * 0.5} ${t}`);
          lines.push(`gotk_reconcile_duration_seconds_count${formatLabels(labels)} ${n} ${t}`);
        }
      }
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

let prometheus: PrometheusServer;
beforeAll(async () => {
  prometheus = await startPrometheus({ openMetrics: history() });
});
afterAll(async () => {
  await prometheus?.stop();
});

async function stat(name: string, which: string, filters: FluxFilters = {}): Promise<number | undefined> {
  const expr = reconcileDurationQuery({ name: { type: 'equals', value: name }, ...filters }, {}, WINDOW, 10);
  const answer = await queryPrometheus(prometheus.url, expr, END);
  const found = answer.filter((r) => r.metric.fluxgrid_stat === which);
  expect(found.length).toBeLessThanOrEqual(1);
  return found.length === 0 ? undefined : Number(found[0].value[1]);
}

describe('the reconcile count of an hour, with every counter scraped by both Prometheus of an HA pair', () => {
  it.each(Object.keys(OBJECTS))('%s: one reconcile a minute counts ~60, not twice that', async (name) => {
    const count = await stat(name, 'count');
    // increase() extrapolates (Prometheus) or reads the sample before the window (VictoriaMetrics).
    expect({ name, count, ok: count !== undefined && count >= 55 && count <= 65 }).toEqual({
      name,
      count,
      ok: true,
    });
  });

  it('the same with filters too large for the selectors (filtered on the identity instead)', async () => {
    const namespace: FluxFilters['namespace'] = {
      type: 'oneOf',
      values: ['apps', ...Array.from({ length: 100 }, (_, i) => `team-namespace-decoy-${i}`)],
    };
    const expr = reconcileDurationQuery({ name: { type: 'equals', value: 'ha' }, namespace }, {}, WINDOW, 10);
    expect(expr).toContain('fluxgrid_match_namespace');
    expect(queryBytes(expr)).toBeLessThanOrEqual(MAX_QUERY_BYTES);
    const count = await stat('ha', 'count', { namespace });
    expect({ count, ok: count !== undefined && count >= 55 && count <= 65 }).toEqual({ count, ok: true });
  });

  it('the mean and the quantiles are those of one copy', async () => {
    expect(await stat('ha', 'mean')).toBeCloseTo(0.5, 6);
    expect(await stat('ha', 'max')).toBe(1);
  });
});
