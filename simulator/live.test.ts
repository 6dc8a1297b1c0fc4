/** @jest-environment node */
import * as http from 'http';
import { LiveSimulator, startSimulatorServer } from './live';
import { scenarioToOpenMetrics } from './openmetrics';
import { parseScenario } from './scenario';

const scenario = parseScenario(
  `
schemas: [legacy-2.0, kube-state-metrics, flux-operator]
duration: 10m
fleet:
  named: [Kustomization/apps/podinfo]
  reconcileInterval: 1m
timeline:
  - {at: 2m, action: fail, object: Kustomization/apps/podinfo}
`,
  'live.yaml'
);

function get(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      })
      .on('error', reject);
  });
}

function sample(text: string, prefix: string): string | undefined {
  return text.split('\n').find((l) => l.startsWith(prefix));
}

describe('LiveSimulator', () => {
  it('follows the timeline in real time and loops, with prom-client formatting', async () => {
    let now = 0;
    const live = new LiveSimulator(scenario, { now: () => now });
    const early = await live.metrics();
    expect(early).toContain('# TYPE gotk_reconcile_condition gauge');
    expect(sample(early, 'gotk_resource_info{')).toContain('ready="True"');
    now = 3 * 60_000;
    const failing = await live.metrics();
    expect(sample(failing, 'gotk_resource_info{')).toContain('ready="False"');
    expect(failing.split('\n').filter((l) => l.startsWith('gotk_resource_info{'))).toHaveLength(1);
    now = 11 * 60_000; // 1m into the second loop
    const looped = await live.metrics();
    expect(sample(looped, 'gotk_resource_info{')).toContain('ready="True"');
    // Counters keep growing across loops (a loop is not a controller restart).
    const count = (text: string) => Number(sample(text, 'gotk_reconcile_duration_seconds_count{')!.split(' ').pop());
    expect(count(looped)).toBeGreaterThan(count(failing));
    expect(count(failing)).toBeGreaterThan(count(early));
  });

  it('exposes the same label sets as the backfilled history', async () => {
    const live = await new LiveSimulator(scenario, { now: () => 0 }).metrics();
    const history = scenarioToOpenMetrics(scenario);
    const labelSets = (text: string, metric: string) =>
      new Set(
        text
          .split('\n')
          .filter((l) => l.startsWith(metric + '{'))
          .map((l) => l.slice(0, l.indexOf('} ') + 1))
      );
    for (const metric of ['gotk_reconcile_condition', 'gotk_resource_info', 'flux_resource_info', 'go_info']) {
      const fromLive = labelSets(live, metric);
      expect(fromLive.size).toBeGreaterThan(0);
      for (const set of fromLive) {
        expect(labelSets(history, metric).has(set)).toBe(true);
      }
    }
  });

  it('serves /metrics over HTTP', async () => {
    const server = await startSimulatorServer(scenario, { port: 0 });
    try {
      const metrics = await get(`${server.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(metrics.body).toContain('flux_resource_info{');
      expect((await get(`${server.url}/nope`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
