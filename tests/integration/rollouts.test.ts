/**
 * Causes before symptoms and rollouts across clusters, end to end: the FluxGrid datasource through
 * Grafana's real PrometheusDatasource (over real HTTP to the Go-backend stand-in) against a real
 * Prometheus holding the failing-source and rollout-stuck scenarios' backfilled history.
 *
 * @jest-environment node
 */
import { startGrafanaRuntime, type GrafanaRuntime } from '../harness/grafana-runtime';

import * as path from 'path';
import { lastValueFrom } from 'rxjs';
import type { DataFrame } from '@grafana/data';

import { readBlockedBy, readFluxFrames, readRolloutFrames, relate, summarizeCauses } from '../../src/flux';
import { createFluxDatasource } from '../../src/datasource/testing/fluxDatasource';
import { dataQueryRequest } from '../../src/datasource/testing/request';
import { FakeTemplateSrv } from '../../src/datasource/testing/templateSrv';
import type { FluxDataSourceOptions, FluxQuery } from '../../src/datasource/types';
import { loadScenario, scenarioToOpenMetrics, type Scenario } from '../../simulator';
import { startPrometheus, type PrometheusServer } from '../harness/prometheus';

jest.setTimeout(120_000);

const SCENARIOS = path.join(__dirname, '..', '..', 'simulator', 'scenarios');
const MINUTE = 60_000;
const templateSrv = new FakeTemplateSrv();

const request = (targets: FluxQuery[], fromMs: number, toMs: number) =>
  dataQueryRequest(targets, { fromMs, toMs }, { requestId: 'rollouts', intervalMs: 30_000 });

function withScenario(file: string) {
  const ctx = {} as { scenario: Scenario; prometheus: PrometheusServer; grafana: GrafanaRuntime };
  ctx.scenario = loadScenario(path.join(SCENARIOS, file));
  beforeAll(async () => {
    ctx.prometheus = await startPrometheus({ openMetrics: scenarioToOpenMetrics(ctx.scenario) });
    ctx.grafana = await startGrafanaRuntime({ prometheusUrl: ctx.prometheus.url, templateSrv });
  });
  afterAll(async () => {
    await ctx.grafana?.close();
    await ctx.prometheus?.stop();
  });
  const query = async (jsonData: FluxDataSourceOptions, target: FluxQuery, fromMin: number, toMin: number) => {
    const ds = createFluxDatasource(jsonData, { templateSrv, dataSourceSrv: ctx.grafana.dataSourceSrv });
    const start = ctx.scenario.startMs;
    const response = await lastValueFrom(ds.query(request([target], start + fromMin * MINUTE, start + toMin * MINUTE)));
    expect(response.errors ?? []).toEqual([]);
    return response.data as DataFrame[];
  };
  return { ctx, query };
}

describe('Rollout on scenario rollout-stuck', () => {
  const { ctx, query } = withScenario('rollout-stuck.yaml');
  const podinfo: FluxQuery = { refId: 'A', queryType: 'rollout', kind: 'HelmRelease', name: 'podinfo' };

  it.each(['kube-state-metrics', 'flux-operator'] as const)(
    '%s: at 40m three clusters run the newest chart version, prod-ap lags since staging took it',
    async (schema) => {
      const frames = await query({ prometheusUid: 'prom', schema }, podinfo, 0, 40);
      const [rollout] = readRolloutFrames(frames);
      expect(readRolloutFrames(frames)).toHaveLength(1);
      expect(rollout).toMatchObject({
        kind: 'HelmRelease',
        namespace: 'apps',
        name: 'podinfo',
        onNewest: 3,
        lagging: 1,
      });
      const start = ctx.scenario.startMs;
      // staging took it at 5m: the first sample of its new series is at most one scrape later.
      expect(rollout.newestSince).toBeGreaterThanOrEqual(start + 5 * MINUTE);
      expect(rollout.newestSince).toBeLessThanOrEqual(start + 5.5 * MINUTE);
      const byCluster = Object.fromEntries(rollout.members.map((m) => [m.cluster, m]));
      expect(byCluster['prod-ap']).toMatchObject({ status: 'lagging', state: 'Failed', sinceIsLowerBound: true });
      expect(byCluster['prod-eu'].status).toBe('newest');
      expect(byCluster['prod-eu'].since).toBeGreaterThanOrEqual(start + 15 * MINUTE);
      expect(byCluster['prod-eu'].since).toBeLessThanOrEqual(start + 15.5 * MINUTE);
      expect(byCluster['prod-us'].since).toBeGreaterThanOrEqual(start + 25 * MINUTE);
      expect(byCluster['prod-ap'].revision).not.toBe(rollout.newest);
      // Lagging first.
      expect(rollout.members[0].cluster).toBe('prod-ap');
    }
  );

  it('at 10m only staging has it', async () => {
    const frames = await query({ prometheusUid: 'prom', schema: 'kube-state-metrics' }, podinfo, 0, 10);
    const [rollout] = readRolloutFrames(frames);
    expect(rollout.members.filter((m) => m.status === 'newest').map((m) => m.cluster)).toEqual(['staging']);
    expect(rollout.lagging).toBe(3);
  });
});

describe('Rollout on legacy gauges (scenario two-clusters)', () => {
  const { query } = withScenario('two-clusters.yaml');

  it('says the legacy gauges carry no revision, instead of nothing', async () => {
    const target: FluxQuery = { refId: 'A', queryType: 'rollout', kind: 'Kustomization', name: 'podinfo' };
    const frames = await query({ prometheusUid: 'prom', schema: 'legacy' }, target, 0, 15);
    const [rollout] = readRolloutFrames(frames);
    expect(rollout.members.map((m) => m.status)).toEqual(['no revision', 'no revision']);
    expect(frames[0].meta?.notices?.[0].text).toContain(
      'the legacy gauges (gotk_reconcile_condition, Flux <= 2.4) carry no revision'
    );
  });
});

describe('Blocked by on scenario failing-source', () => {
  const { query } = withScenario('failing-source.yaml');

  it.each(['kube-state-metrics', 'flux-operator'] as const)(
    '%s: the Objects frame says who is blocked by which source; 3 causes, 7 blocked, 2 failures of their own',
    async (schema) => {
      const frames = await query({ prometheusUid: 'prom', schema }, { refId: 'A', queryType: 'objects' }, 0, 20);
      const objects = readFluxFrames(frames).objects;
      const declared = readBlockedBy(frames);
      const blocked = Object.fromEntries(
        [...declared].map(([key, source]) => [
          key.split('\u001f').slice(1).join('/'),
          `${source.kind} ${source.namespace}/${source.name}`,
        ])
      );
      expect(blocked).toEqual({
        'Kustomization/flux-system/apps': 'GitRepository flux-system/flux-system',
        'Kustomization/flux-system/tenants': 'GitRepository flux-system/flux-system',
        'Kustomization/flux-system/monitoring': 'GitRepository flux-system/flux-system',
        // Charts at a path in the GitRepository (spec.chart.spec.sourceRef kind GitRepository).
        'HelmRelease/flux-system/platform': 'GitRepository flux-system/flux-system',
        'HelmRelease/flux-system/tenant-base': 'GitRepository flux-system/flux-system',
        'HelmRelease/flux-system/podinfo': 'OCIRepository flux-system/oci-podinfo',
        'HelmRelease/flux-system/nginx': 'HelmRepository flux-system/charts-nginx',
      });
      const relations = relate(objects, { declared });
      expect(summarizeCauses(objects, relations)).toEqual({ causes: 3, blocked: 7, otherFailures: 2 });
    }
  );
});

/** A label value as OpenMetrics text writes it (backslash, quote and newline escaped). */
const openMetricsValue = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

describe('The Ready message through the datasource (optional ready_message label)', () => {
  const start = Date.UTC(2025, 0, 6) / 1000;
  const message = 'kustomize build failed: accumulating resources: "./apps" <missing>\nsecond line';
  // gotk_resource_info as deploy/'s kube-state-metrics config writes it with ready_message turned on.
  const openMetrics = [
    '# TYPE gotk_resource_info gauge',
    ...Array.from({ length: 20 }, (_, i) => {
      const t = start + i * 30;
      const labels = (name: string, ready: string, extra: string) =>
        `customresource_kind="Kustomization",name="${name}",exported_namespace="apps",ready="${ready}"${extra}`;
      return [
        `gotk_resource_info{${labels('apps', 'False', `,ready_message="${openMetricsValue(message)}"`)}} 1 ${t}`,
        `gotk_resource_info{${labels('infra', 'True', '')}} 1 ${t}`,
      ].join('\n');
    }),
    '# EOF',
    '',
  ].join('\n');
  const ctx = {} as { prometheus: PrometheusServer; grafana: GrafanaRuntime };
  beforeAll(async () => {
    ctx.prometheus = await startPrometheus({ openMetrics });
    ctx.grafana = await startGrafanaRuntime({ prometheusUrl: ctx.prometheus.url, templateSrv });
  });
  afterAll(async () => {
    await ctx.grafana?.close();
    await ctx.prometheus?.stop();
  });

  it('arrives verbatim in the Objects frame’s readyMessage column', async () => {
    const ds = createFluxDatasource(
      { prometheusUid: 'prom', schema: 'kube-state-metrics' },
      { templateSrv, dataSourceSrv: ctx.grafana.dataSourceSrv }
    );
    const toMs = (start + 19 * 30) * 1000;
    const response = await lastValueFrom(
      ds.query(request([{ refId: 'A', queryType: 'objects' }], toMs - 10 * MINUTE, toMs))
    );
    expect(response.errors ?? []).toEqual([]);
    const frame = (response.data as DataFrame[])[0];
    const column = (name: string) => frame.fields.find((f) => f.name === name)!.values;
    const byName = Object.fromEntries(column('name').map((n, i) => [n, column('readyMessage')[i]]));
    expect(byName).toEqual({ apps: message, infra: '' });
  });
});
