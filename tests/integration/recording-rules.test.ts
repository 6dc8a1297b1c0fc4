/**
 * FluxGrid's recording rules (alerts/fluxgrid-recording-rules.yaml) end to end: 26 hours of known
 * history in all three schemas on a real Prometheus, the rules backfilled over it by promtool (what
 * Prometheus would have recorded had it evaluated them; with FLUXGRID_ENGINE=victoria-metrics, on
 * VictoriaMetrics with vmalert's replay), and the FluxGrid datasource's Objects
 * question through Grafana's PrometheusDatasource. Where the rules cover the range, since and last
 * reconcile come from the recorded events, exact to the rules' minute over the whole range; where
 * they do not (a range longer than their history, the setting 'off', a label setting they do not
 * keep), the raw queries answer. Either way the states are the same.
 *
 * @jest-environment node
 */
import { startGrafanaRuntime, type GrafanaRuntime } from '../harness/grafana-runtime';

import * as path from 'path';
import { lastValueFrom } from 'rxjs';
import type { DataFrame } from '@grafana/data';

import { FluxObject, readFluxFrames } from '../../src/flux';
import { createFluxDatasource } from '../../src/datasource/testing/fluxDatasource';
import { dataQueryRequest } from '../../src/datasource/testing/request';
import { FakeTemplateSrv } from '../../src/datasource/testing/templateSrv';
import type { FluxDataSourceOptions, FluxQuery } from '../../src/datasource/types';
import { startPrometheus, type PrometheusServer } from '../harness/prometheus';

jest.setTimeout(180_000);

const RULES = path.join(__dirname, '..', '..', 'alerts', 'fluxgrid-recording-rules.yaml');
const END = 1736125200; // a multiple of an hour
const H = 3600;
const SCRAPE = 60;
/** The rules' history starts here: 26 h before END, like the raw history. */
const RULES_FROM = END - 26 * H;

interface Known {
  /** The last state change (epoch s). */
  changed: number;
  /** The last reconcile (epoch s). */
  lastReconcile: number;
}

/** The objects and what is true of them; their series are written below. */
const KNOWN: Record<string, Known> = {
  'Kustomization/apps/stable': { changed: END - 26 * H, lastReconcile: END - 7 * 60 },
  'Kustomization/apps/failed5h': { changed: END - 5 * H, lastReconcile: END - 7 * H },
  'Kustomization/apps/failed30m': { changed: END - 30 * 60, lastReconcile: END - 7 * 60 },
  'Kustomization/apps/flap': { changed: END - 6 * H + 600, lastReconcile: END - 7 * 60 },
  'Kustomization/apps/appeared3h': { changed: END - 3 * H, lastReconcile: END - 7 * 60 },
  // Failed at the range's end, after the rules' last evaluation (which has not recorded it yet).
  'Kustomization/apps/justFailed': { changed: END, lastReconcile: END - 7 * 60 },
  // A new revision 2 h ago while Ready: no state change.
  'Kustomization/apps/newrev': { changed: END - 26 * H, lastReconcile: END - 7 * 60 },
  // Flux Operator: suspended 40 minutes ago.
  'HelmRelease/apps/suspended40m': { changed: END - 40 * 60, lastReconcile: END - 50 * 60 },
  // Legacy gauges: Failed 90 minutes ago; suspended 20 h ago, resumed 19 h ago.
  'GitRepository/flux-system/legacy90m': { changed: END - 90 * 60, lastReconcile: END - 7 * 60 },
  'GitRepository/flux-system/resumed19h': { changed: END - 19 * H, lastReconcile: END - 7 * 60 },
  // Ready in kube-state-metrics throughout, and in the legacy gauges too (Flux 2.1-2.4 export
  // both), which have a gap of 15 minutes 22 minutes ago (a controller restart): no state change.
  'Kustomization/apps/alsoLegacy': { changed: END - 26 * H, lastReconcile: END - 7 * 60 },
};

const times = (from: number, to: number) => {
  const out: number[] = [];
  for (let t = from; t < to; t += SCRAPE) {
    out.push(t);
  }
  return out;
};

function history(): string {
  const ksm = ['# TYPE gotk_resource_info gauge'];
  const operator = ['# TYPE flux_resource_info gauge'];
  const conditions = ['# TYPE gotk_reconcile_condition gauge'];
  const suspends = ['# TYPE gotk_suspend_status gauge'];
  const counters = ['# TYPE gotk_reconcile_duration_seconds_count counter'];
  const scrape = 'pod="exporter-0",instance="10.0.0.1:8080",job="flux"';
  const info = (name: string, ready: string, from: number, to: number, extra = '') => {
    for (const t of times(from, to)) {
      ksm.push(
        `gotk_resource_info{${scrape},customresource_kind="Kustomization",exported_namespace="apps",name="${name}",ready="${ready}"${extra}} 1 ${t}`
      );
    }
  };
  info('stable', 'True', END - 26 * H, END + 1);
  info('failed5h', 'True', END - 26 * H, END - 5 * H);
  info('failed5h', 'False', END - 5 * H, END + 1, ',ready_reason="HealthCheckFailed"');
  info('failed30m', 'True', END - 26 * H, END - 30 * 60);
  info('failed30m', 'False', END - 30 * 60, END + 1, ',ready_reason="BuildFailed"');
  info('flap', 'True', END - 26 * H, END - 6 * H);
  info('flap', 'False', END - 6 * H, END - 6 * H + 600);
  info('flap', 'True', END - 6 * H + 600, END + 1);
  info('appeared3h', 'True', END - 3 * H, END + 1);
  info('justFailed', 'True', END - 26 * H, END);
  info('justFailed', 'False', END, END + 1);
  info('newrev', 'True', END - 26 * H, END - 2 * H, ',revision="main@sha1:aaaa"');
  info('newrev', 'True', END - 2 * H, END + 1, ',revision="main@sha1:bbbb"');
  info('alsoLegacy', 'True', END - 26 * H, END + 1);
  for (const t of times(END - 26 * H, END + 1)) {
    const suspended = t >= END - 40 * 60 ? 'true' : 'false';
    operator.push(
      `flux_resource_info{${scrape},kind="HelmRelease",exported_namespace="apps",name="suspended40m",ready="True",reason="UpgradeSucceeded",suspended="${suspended}"} 1 ${t}`
    );
    const legacy = (name: string, failedFrom: number, suspendedDuring: [number, number]) => {
      const failed = t >= failedFrom;
      const labels = `${scrape},kind="GitRepository",exported_namespace="flux-system",name="${name}"`;
      conditions.push(`gotk_reconcile_condition{${labels},type="Ready",status="True"} ${failed ? 0 : 1} ${t}`);
      conditions.push(`gotk_reconcile_condition{${labels},type="Ready",status="False"} ${failed ? 1 : 0} ${t}`);
      const suspended = t >= suspendedDuring[0] && t < suspendedDuring[1];
      suspends.push(`gotk_suspend_status{${labels}} ${suspended ? 1 : 0} ${t}`);
    };
    legacy('legacy90m', END - 90 * 60, [0, 0]);
    legacy('resumed19h', END + 1, [END - 20 * H, END - 19 * H]);
    if (t < END - 37 * 60 || t >= END - 22 * 60) {
      const labels = `${scrape},kind="Kustomization",exported_namespace="apps",name="alsoLegacy"`;
      conditions.push(`gotk_reconcile_condition{${labels},type="Ready",status="True"} 1 ${t}`);
      conditions.push(`gotk_reconcile_condition{${labels},type="Ready",status="False"} 0 ${t}`);
    }
  }
  for (const [key, known] of Object.entries(KNOWN)) {
    const [kind, namespace, name] = key.split('/');
    const first = name === 'appeared3h' ? END - 3 * H : END - 26 * H;
    for (const t of times(first, END + 1)) {
      // +1 every 10 minutes up to the last reconcile, then constant.
      const count = Math.floor((Math.min(t, known.lastReconcile) - first) / 600) + (t >= known.lastReconcile ? 1 : 0);
      counters.push(
        `gotk_reconcile_duration_seconds_count{${scrape},kind="${kind}",exported_namespace="${namespace}",name="${name}"} ${count} ${t}`
      );
    }
  }
  return [...ksm, ...operator, ...conditions, ...suspends, ...counters, '# EOF', ''].join('\n');
}

const withinAMinute = (lateMs: number) => lateMs >= 0 && lateMs < 60_000;

let prometheus: PrometheusServer;
let grafana: GrafanaRuntime;
const templateSrv = new FakeTemplateSrv();

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetrics: history(),
    backfillRules: { files: [RULES], startS: RULES_FROM, endS: END },
    timeoutMs: 170_000,
  });
  grafana = await startGrafanaRuntime({ prometheusUrl: prometheus.url, templateSrv });
});
afterAll(async () => {
  await grafana?.close();
  await prometheus?.stop();
});

/** The Objects refresh over [END - seconds, END], and the PromQL it sent. */
async function objects(
  seconds: number,
  settings: Partial<FluxDataSourceOptions> = {},
  filters: Partial<FluxQuery> = {}
) {
  const ds = createFluxDatasource(
    { prometheusUid: 'prom', ...settings },
    { templateSrv, dataSourceSrv: grafana.dataSourceSrv }
  );
  grafana.backend.requestLog.reset();
  const response = await lastValueFrom(
    ds.query(
      dataQueryRequest([{ refId: 'A', queryType: 'objects', ...filters }], {
        fromMs: (END - seconds) * 1000,
        toMs: END * 1000,
      })
    )
  );
  expect(response.errors ?? []).toEqual([]);
  const byKey = new Map<string, FluxObject>();
  for (const object of readFluxFrames(response.data as DataFrame[]).objects) {
    byKey.set(`${object.kind}/${object.namespace}/${object.name}`, object);
  }
  const sent = grafana.backend.requestLog.records.map((r) => r.params.query ?? '');
  return { byKey, usedRules: sent.some((q) => q.includes('fluxgrid:object_state_change:timestamp_seconds')) };
}

// 1 h: the events alone; 6 h and 24 h: and the rules' latest of the day, counted only after the
// range's start (failed5h reconciled 7 h ago); 25 h: their hourly latest through the range.
describe.each([
  ['1h', H],
  ['6h', 6 * H],
  ['24h', 24 * H],
  ['25h', 25 * H],
])('a %s range the rules cover', (_name, seconds) => {
  it('reads since and last reconcile from the recorded events, exact to the minute, the states unchanged', async () => {
    const recorded = await objects(seconds);
    const raw = await objects(seconds, { recordingRules: 'off' });
    expect(recorded.usedRules).toBe(true);
    expect(raw.usedRules).toBe(false);
    expect([...recorded.byKey.keys()].sort()).toEqual(Object.keys(KNOWN).sort());
    const startMs = (END - seconds) * 1000;
    for (const [key, known] of Object.entries(KNOWN)) {
      const object = recorded.byKey.get(key)!;
      expect({ key, state: object.state }).toEqual({ key, state: raw.byKey.get(key)!.state });
      if (known.changed * 1000 <= startMs) {
        // In its state through the range: "at least since" its start (from the raw series, at
        // least since a time in the range: they step through its last hour only).
        expect({ key, since: object.since, lowerBound: object.sinceIsLowerBound }).toEqual({
          key,
          since: startMs,
          lowerBound: true,
        });
        expect({ key, raw: raw.byKey.get(key)!.sinceIsLowerBound }).toEqual({ key, raw: true });
      } else {
        // Recorded by the first evaluation after the change (Prometheus evaluates a group at its
        // own offset within the minute): within one interval after it.
        expect({
          key,
          late: withinAMinute(object.since! - known.changed * 1000),
          lowerBound: object.sinceIsLowerBound,
        }).toEqual({
          key,
          late: true,
          lowerBound: false,
        });
      }
      const lastReconcile = object.reconcile?.lastReconcileAt;
      if (known.lastReconcile * 1000 > startMs) {
        // In whole seconds: the rules' evaluation times carry milliseconds, the answer does not.
        expect({
          key,
          late: withinAMinute(lastReconcile! - known.lastReconcile * 1000),
          wholeSecond: lastReconcile! % 1000 === 0,
        }).toEqual({ key, late: true, wholeSecond: true });
      } else {
        expect({ key, lastReconcile }).toEqual({ key, lastReconcile: undefined });
      }
    }
  });
});

it('falls back to the raw queries for a range longer than the recorded history, a label the rules drop, or when off', async () => {
  // 7 days: the rules' heartbeat starts 26 h before the end.
  const week = await objects(7 * 24 * H);
  expect(week.usedRules).toBe(false);
  expect(week.byKey.get('Kustomization/apps/failed5h')?.state).toBe('Failed');
  // A cluster label the rules do not keep: they could not tell clusters apart.
  expect((await objects(H, { clusterLabel: 'region' })).usedRules).toBe(false);
  expect((await objects(H, { recordingRules: 'off' })).usedRules).toBe(false);
  expect((await objects(H, { clusterLabel: 'k8s_cluster' })).usedRules).toBe(true);
});

it.each([
  ['one namespace', ['apps']],
  // Long enough that the query takes the compact selections (selection.ts), which filter once on the identity.
  ['a namespace among 300', ['apps', ...Array.from({ length: 299 }, (_, i) => `team-namespace-${i}`)]],
])('filters the recorded events like the raw series: %s', async (_name, namespaces) => {
  const all = await objects(24 * H);
  const filtered = await objects(24 * H, {}, { namespace: namespaces });
  expect(filtered.usedRules).toBe(true);
  const expected = [...all.byKey.values()].filter((o) => o.namespace === 'apps');
  expect([...filtered.byKey.values()].map((o) => [o.key, o.state, o.since, o.reconcile?.lastReconcileAt])).toEqual(
    expected.map((o) => [o.key, o.state, o.since, o.reconcile?.lastReconcileAt])
  );
});

it('Save & test says whether the Objects times come from the rules', async () => {
  const health = async (settings: Partial<FluxDataSourceOptions>) => {
    const ds = createFluxDatasource(
      { prometheusUid: 'prom', ...settings },
      { templateSrv, dataSourceSrv: grafana.dataSourceSrv }
    );
    // The health check looks at "now": point it at the history's end.
    const realNow = Date.now;
    Date.now = () => END * 1000;
    try {
      return await ds.testDatasource();
    } finally {
      Date.now = realNow;
    }
  };
  expect((await health({})).message).toMatch(
    /\. Recording rules: found and current; the Objects since and last reconcile are read from them\.$/
  );
  expect((await health({ recordingRules: 'off' })).message).toMatch(
    /Recording rules: off in the FluxGrid datasource settings/
  );
  expect((await health({ clusterLabel: 'region' })).message).toMatch(
    /Recording rules: they do not keep the label region; since and last reconcile come from the raw series/
  );
});
