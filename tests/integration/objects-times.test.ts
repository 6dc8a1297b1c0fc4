/**
 * Since and last reconcile over long ranges, on a real Prometheus (and, with
 * FLUXGRID_ENGINE=victoria-metrics, on VictoriaMetrics): 26 hours of kube-state-metrics history,
 * asked over 1 h, 24 h and 7 d. Within the stepped last hour a time is exact to a step; before it,
 * a since is a lower bound ("in this state at least since"), never later than the truth, and never
 * claims a state held through a change (an excursion to another state, an object that appeared).
 *
 * @jest-environment node
 */
import { readSince, lastReconcileQuery, sinceQuery, timesPlan } from '../../src/flux/questions/objectTimes';
import { objectsStateQuery } from '../../src/flux/questions/objects';
import { MAX_QUERY_BYTES, objectSelection, queryBytes } from '../../src/flux/promql/selection';
import type { FluxFilters } from '../../src/flux/promql/selectors';
import { stateSeries } from '../../src/flux/promql/stateRules';
import { queryPrometheus, startPrometheus, type PrometheusServer } from '../harness/prometheus';

jest.setTimeout(120_000);

const END = 1736125200; // a multiple of an hour (and of the 240 s step)
const H = 3600;
const SCRAPE = 60;
const STEP = 240;

/** name → [from, to) intervals of each ready value (epoch s), and when the counter last increased. */
const OBJECTS: Record<string, { ready: Array<[string, number, number]>; changed: number; lastReconcile: number }> = {
  stable: { ready: [['True', END - 26 * H, END + 1]], changed: END - 26 * H, lastReconcile: END - 7 * 60 },
  failed5h: {
    ready: [
      ['True', END - 26 * H, END - 5 * H],
      ['False', END - 5 * H, END + 1],
    ],
    changed: END - 5 * H,
    lastReconcile: END - 7 * H,
  },
  failed30m: {
    ready: [
      ['True', END - 26 * H, END - 30 * 60],
      ['False', END - 30 * 60, END + 1],
    ],
    changed: END - 30 * 60,
    lastReconcile: END - 7 * 60,
  },
  flap: {
    ready: [
      ['True', END - 26 * H, END - 6 * H],
      ['False', END - 6 * H, END - 6 * H + 600],
      ['True', END - 6 * H + 600, END + 1],
    ],
    changed: END - 6 * H + 600,
    lastReconcile: END - 7 * 60,
  },
  appeared3h: { ready: [['True', END - 3 * H, END + 1]], changed: END - 3 * H, lastReconcile: END - 7 * 60 },
};

function history(): string {
  const lines = ['# TYPE gotk_resource_info gauge'];
  const counters = ['# TYPE gotk_reconcile_duration_seconds_count counter'];
  for (const [name, o] of Object.entries(OBJECTS)) {
    const labels = `customresource_kind="Kustomization",name="${name}",exported_namespace="apps"`;
    for (const [ready, from, to] of o.ready) {
      for (let t = from; t < to; t += SCRAPE) {
        lines.push(`gotk_resource_info{${labels},ready="${ready}"} 1 ${t}`);
      }
    }
    const first = o.ready[0][1];
    for (let t = first; t <= END; t += SCRAPE) {
      // +1 every 10 minutes up to the last reconcile, then constant.
      const count = Math.floor((Math.min(t, o.lastReconcile) - first) / 600) + (t >= o.lastReconcile ? 1 : 0);
      counters.push(
        `gotk_reconcile_duration_seconds_count{kind="Kustomization",name="${name}",exported_namespace="apps"} ${count} ${t}`
      );
    }
  }
  // Another namespace and cluster, for the filters below.
  for (let t = END - 2 * H; t <= END; t += SCRAPE) {
    lines.push(
      `gotk_resource_info{customresource_kind="Kustomization",name="elsewhere",exported_namespace="infra",cluster="b",ready="True"} 1 ${t}`
    );
    counters.push(
      `gotk_reconcile_duration_seconds_count{kind="Kustomization",name="elsewhere",exported_namespace="infra",cluster="b"} ${t} ${t}`
    );
  }
  return [...lines, ...counters, '# EOF', ''].join('\n');
}

let prometheus: PrometheusServer;
beforeAll(async () => {
  prometheus = await startPrometheus({ openMetrics: history() });
});
afterAll(async () => {
  await prometheus?.stop();
});

const byName = (result: Array<{ metric: Record<string, string>; value: [number, string] }>) =>
  Object.fromEntries(result.map((r) => [r.metric.fluxgrid_name ?? r.metric.name, Number(r.value[1])]));

describe.each([
  ['1h', H],
  ['24h', 24 * H],
  ['7d', 7 * 24 * H],
] as const)('over %s', (_name, range) => {
  const plan = timesPlan(range, END);

  it('since is exact within the last hour, else a lower bound that never claims more than the truth', async () => {
    const answers = byName(
      await queryPrometheus(prometheus.url, sinceQuery({}, { schema: 'kube-state-metrics' }, range, STEP, END), END)
    );
    for (const [name, o] of Object.entries(OBJECTS)) {
      const reading = readSince(answers[name], plan);
      const truthMs = o.changed * 1000;
      const what = { name, ...reading, truthMs };
      if (o.changed > plan.fineFromS) {
        // Changed within the stepped hour: exact to a step (and a scrape).
        expect({ ...what, close: Math.abs(reading.sinceMs - truthMs) <= (STEP + SCRAPE) * 1000 }).toEqual({
          ...what,
          close: true,
          lowerBound: false,
        });
      } else {
        // "In this state at least since": the truth is no later than that, and no earlier than the window allows.
        expect({ ...what, ok: truthMs <= reading.sinceMs }).toEqual({ ...what, ok: true, lowerBound: true });
        expect(reading.sinceMs).toBeGreaterThanOrEqual(plan.startS * 1000);
      }
    }
    // What each reads as, so the bound is also as tight as it can be.
    const shown = (name: string) => readSince(answers[name], plan).sinceMs / 1000;
    expect(shown('stable')).toBe(range <= 24 * H ? plan.startS : plan.fineFromS);
    if (range > H) {
      // The excursion and the new object are not taken for a state held since the range start.
      expect(shown('flap')).toBe(range > 6 * H ? plan.fineFromS : plan.startS);
      expect(shown('appeared3h')).toBe(plan.fineFromS);
      expect(shown('failed5h')).toBe(plan.fineFromS);
    }
  });

  it('last reconcile: to a step within the last hour, to a coarse step before, nothing outside the window', async () => {
    const answers = byName(await queryPrometheus(prometheus.url, lastReconcileQuery({}, {}, range, STEP, END), END));
    for (const [name, o] of Object.entries(OBJECTS)) {
      const value = answers[name] ?? 0;
      if (o.lastReconcile > plan.fineFromS) {
        expect({ name, off: Math.abs(value - o.lastReconcile) <= STEP + SCRAPE }).toEqual({ name, off: true });
      } else if (o.lastReconcile > plan.startS) {
        expect({ name, off: Math.abs(value - o.lastReconcile) <= plan.coarseStepS + SCRAPE }).toEqual({
          name,
          off: true,
        });
        expect(value).toBeLessThanOrEqual(plan.fineFromS);
      } else {
        expect({ name, value }).toEqual({ name, value: 0 });
      }
    }
  });
});

describe('filters with many values select the same objects as the same filter written short', () => {
  const decoys = (prefix: string) => Array.from({ length: 150 }, (_, i) => `${prefix}-decoy-${i}`);
  const large: FluxFilters = {
    namespace: { type: 'oneOf', values: ['apps', ...decoys('namespace')] },
    cluster: { type: 'oneOf', values: ['', 'a', ...decoys('cluster')] },
    name: { type: 'regex', pattern: 'f.*|stable' },
  };
  const small: FluxFilters = {
    namespace: { type: 'equals', value: 'apps' },
    cluster: { type: 'oneOf', values: ['', 'a'] },
    name: { type: 'regex', pattern: 'f.*|stable' },
  };
  const names = async (expr: string) =>
    (await queryPrometheus(prometheus.url, expr, END)).map((r) => r.metric.fluxgrid_name ?? r.metric.name).sort();
  const options = { schema: 'kube-state-metrics' as const };

  it('the large filter does not fit as selector alternatives, its queries do', () => {
    const inline = objectSelection(large, {}, 'inline').selectors('gotk_resource_info', 'kube-state-metrics');
    expect(queryBytes(inline.join(' or '))).toBeGreaterThan(MAX_QUERY_BYTES);
    for (const expr of [
      stateSeries(large, options),
      objectsStateQuery(large, options),
      sinceQuery(large, options, 24 * H, STEP, END),
    ]) {
      expect(queryBytes(expr)).toBeLessThanOrEqual(MAX_QUERY_BYTES);
    }
  });

  it('state series, raw state series, since and last reconcile', async () => {
    const expected = ['failed30m', 'failed5h', 'flap', 'stable'];
    expect(await names(stateSeries(large, options))).toEqual(expected);
    expect(await names(stateSeries(small, options))).toEqual(expected);
    // The raw series come back raw (no fluxgrid_* labels left), as the core reads them.
    const raw = await queryPrometheus(prometheus.url, objectsStateQuery(large, options), END);
    expect(raw.map((r) => r.metric.name).sort()).toEqual(expected);
    expect(
      raw.every(
        (r) =>
          r.metric.customresource_kind !== undefined && !Object.keys(r.metric).some((l) => l.startsWith('fluxgrid_'))
      )
    ).toBe(true);
    expect(await names(sinceQuery(large, options, 24 * H, STEP, END))).toEqual(
      await names(sinceQuery(small, options, 24 * H, STEP, END))
    );
    expect(await names(lastReconcileQuery(large, {}, 24 * H, STEP, END))).toEqual(expected);
  });
});
