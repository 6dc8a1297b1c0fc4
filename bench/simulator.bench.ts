/**
 * Simulator and Prometheus harness figures (printed, never asserted on timing):
 * - Prometheus start-to-ready, empty;
 * - the 10k-object fleet: OpenMetrics generation time and size, promtool backfill time,
 *   start-to-ready with the backfilled blocks, a first query;
 * - the live simulator's /metrics for the 10k fleet.
 * Run: npx jest --selectProjects bench bench/simulator
 */
import * as path from 'path';
import { LiveSimulator, loadScenario, scenarioToOpenMetrics } from '../simulator';
import { queryPrometheus, startPrometheus } from '../tests/harness/prometheus';

jest.setTimeout(300_000);

const figures: string[] = [];
function report(line: string): void {
  figures.push(line);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

afterAll(() => {
  console.log(['simulator bench:', ...figures.map((f) => `  ${f}`)].join('\n'));
});

it('Prometheus start to ready (empty TSDB)', async () => {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const server = await startPrometheus();
    times.push(server.timings.startToReadyMs);
    await server.stop();
  }
  report(`prometheus start->ready (empty): median ${median(times)} ms of ${times.map((t) => `${t}`).join(', ')} ms`);
  expect(times).toHaveLength(3);
});

it('10k fleet: OpenMetrics size, promtool backfill, start to ready, first query', async () => {
  const scenario = loadScenario(path.join(__dirname, '..', 'simulator', 'scenarios', 'fleet-10k.yaml'));
  let started = performance.now();
  const text = scenarioToOpenMetrics(scenario);
  const generateMs = performance.now() - started;
  const samples = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
  report(
    `10k fleet (${scenario.schemas.join(', ')}, ${scenario.durationSeconds / 60}m at ${scenario.stepSeconds}s + controller metrics): ` +
      `OpenMetrics ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB, ${samples} samples, generated in ${generateMs.toFixed(0)} ms`
  );
  const server = await startPrometheus({ openMetrics: text, timeoutMs: 240_000 });
  try {
    report(
      `10k fleet: promtool backfill ${server.timings.backfillMs} ms, prometheus start->ready ${server.timings.startToReadyMs} ms`
    );
    started = performance.now();
    const at = scenario.startMs / 1000 + scenario.durationSeconds;
    const result = await queryPrometheus(server.url, 'count(gotk_resource_info)', at);
    report(
      `10k fleet: first query count(gotk_resource_info) = ${result[0]?.value[1]} in ${(performance.now() - started).toFixed(0)} ms`
    );
    expect(result[0]?.value[1]).toBe('10000');
  } finally {
    await server.stop();
  }
});

it('10k fleet: live /metrics render', async () => {
  const scenario = loadScenario(path.join(__dirname, '..', 'simulator', 'scenarios', 'fleet-10k.yaml'));
  let now = 0;
  const live = new LiveSimulator(scenario, { now: () => now, schema: 'all' });
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 3; i++) {
    now = i * 30_000;
    const started = performance.now();
    const body = await live.metrics();
    times.push(performance.now() - started);
    bytes = Buffer.byteLength(body);
  }
  report(
    `10k fleet live /metrics (legacy-2.4 + kube-state-metrics + flux-operator): ${(bytes / 1e6).toFixed(1)} MB, ` +
      `render median ${median(times).toFixed(0)} ms`
  );
  expect(bytes).toBeGreaterThan(0);
});
