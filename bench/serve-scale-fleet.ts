/**
 * Starts a Prometheus holding the scale benchmarks' fleet and keeps it running, for looking at
 * queries by hand: `npx ts-node -T bench/serve-scale-fleet.ts 10000` prints its URL; Ctrl-C stops it.
 * With a cluster count, fleet-100k.bench.ts' fleet (its hour only, clusters of total/clusters):
 * `npx ts-node -T bench/serve-scale-fleet.ts 100000 50`. `--rules`: objects-scale.bench.ts' fleet (25 h of
 * history) with FluxGrid's recording rules backfilled over its last 24 h, as that bench has it.
 */
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

import { startPrometheus, type PrometheusServer } from '../tests/harness/prometheus';
import { clusterFleet, scaleFleet, writeClusterFleet } from './scale-fleet';

async function start(
  total: number,
  clusters: number | undefined,
  rules: boolean
): Promise<{ prometheus: PrometheusServer; toMs: number }> {
  if (rules) {
    const fleet = scaleFleet(total, { sparseStepS: 240, sparseHours: 25 });
    const endS = fleet.toMs / 1000;
    const files = [path.join(__dirname, '..', 'alerts', 'fluxgrid-recording-rules.yaml')];
    return {
      prometheus: await startPrometheus({
        openMetrics: fleet.openMetrics,
        backfillRules: { files, startS: endS - 86_400 - 120, endS },
        timeoutMs: 3_000_000,
      }),
      toMs: fleet.toMs,
    };
  }
  if (clusters === undefined) {
    const fleet = scaleFleet(total);
    return {
      prometheus: await startPrometheus({ openMetrics: fleet.openMetrics, timeoutMs: 1_500_000 }),
      toMs: fleet.toMs,
    };
  }
  if (!Number.isInteger(clusters) || clusters < 2 || total % clusters !== 0) {
    throw new Error(`clusters: expected a whole number ≥ 2 that divides ${total}, got ${clusters}`);
  }
  const fleet = clusterFleet(clusters, total / clusters);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxgrid-fleet-'));
  try {
    const file = path.join(dir, 'fleet.om');
    writeClusterFleet(fleet, file);
    return { prometheus: await startPrometheus({ openMetricsFiles: [file], timeoutMs: 3_000_000 }), toMs: fleet.toMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

(async () => {
  const args = process.argv.slice(2).filter((a) => a !== '--rules');
  const clusters = args[1] === undefined ? undefined : Number(args[1]);
  const { prometheus, toMs } = await start(Number(args[0] ?? 10_000), clusters, process.argv.includes('--rules'));
  console.log(`${prometheus.url} pid ${prometheus.pid} end ${toMs / 1000}`);
  process.on('SIGINT', () => void prometheus.stop().then(() => process.exit(0)));
  process.on('SIGTERM', () => void prometheus.stop().then(() => process.exit(0)));
})();
