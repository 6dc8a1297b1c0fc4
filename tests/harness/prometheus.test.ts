/** @jest-environment node */
import { existsSync } from 'fs';
import { parseScenario, scenarioToOpenMetrics, startSimulatorServer } from '../../simulator';
import { freePort, queryPrometheus, startPrometheus, type PrometheusServer } from './prometheus';

jest.setTimeout(60_000);

const T0 = Date.parse('2025-01-06T00:00:00Z') / 1000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const SCENARIO = `
name: harness
schemas: [legacy-2.0, kube-state-metrics, flux-operator]
start: 2025-01-06T00:00:00Z
step: 30s
duration: 10m
fleet:
  named: [Kustomization/apps/podinfo]
metrics: {reconcileDuration: false, controllers: false}
timeline:
  - {at: 2m, action: fail, object: Kustomization/apps/podinfo}
`;

describe('startPrometheus', () => {
  let server: PrometheusServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('finds a free loopback port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
  });

  it('backfills OpenMetrics history that is queryable at explicit past times, and stop() cleans up', async () => {
    const scenario = parseScenario(SCENARIO, 'harness.yaml');
    server = await startPrometheus({ openMetrics: scenarioToOpenMetrics(scenario) });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(isAlive(server.pid)).toBe(true);

    const before = await queryPrometheus(server.url, 'gotk_reconcile_condition{status="False"}', T0 + 60);
    expect(before.map((r) => r.value[1])).toEqual(['0']);
    const after = await queryPrometheus(server.url, 'gotk_reconcile_condition{status="False"}', T0 + 300);
    expect(after.map((r) => r.value[1])).toEqual(['1']);
    expect(after[0].metric).toMatchObject({
      exported_namespace: 'apps',
      namespace: 'flux-system',
      job: 'flux-system/flux-system',
      kind: 'Kustomization',
      name: 'podinfo',
    });
    const ksm = await queryPrometheus(server.url, 'gotk_resource_info', T0 + 600);
    expect(ksm).toHaveLength(1);
    expect(ksm[0].metric.ready).toBe('False');

    const { pid, workDir } = server;
    await server.stop();
    server = undefined;
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(workDir)).toBe(false);
  });

  // "exited … before it was ready" proves the harness noticed the exit instead of waiting out its timeout.
  it('reports a Prometheus that fails to start with its log tail, without hanging', async () => {
    await expect(
      startPrometheus({
        config: 'scrape_configs:\n  - job_name: broken\n    scrape_interval: notaduration\n',
        timeoutMs: 20_000,
      })
    ).rejects.toThrow(
      /exited with code \d+ before it was ready[\s\S]*Log tail:[\s\S]*(notaduration|error loading config)/i
    );
  });

  it('reports a promtool backfill failure', async () => {
    await expect(startPrometheus({ openMetrics: 'this is not openmetrics\n' })).rejects.toThrow(
      /promtool tsdb create-blocks-from/
    );
  });

  it('scrapes the live simulator with honor_labels, ending in the same labels as the backfill', async () => {
    const scenario = parseScenario(SCENARIO, 'harness.yaml');
    const simulator = await startSimulatorServer(scenario, { port: 0 });
    try {
      server = await startPrometheus({ scrapeTargets: [simulator.url], scrapeIntervalSeconds: 1 });
      const live = await until('a scrape', async () => {
        const result = await queryPrometheus(server!.url, 'gotk_resource_info');
        return result.length > 0 ? result : undefined;
      });
      const expected = scenarioToOpenMetrics(scenario, { schema: 'kube-state-metrics' })
        .split('\n')
        .find((line) => line.startsWith('gotk_resource_info{'))!;
      const labels = Object.fromEntries([...expected.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      expect(live[0].metric).toEqual({ __name__: 'gotk_resource_info', ...labels });
    } finally {
      await simulator.close();
    }
  });
});
