/**
 * Starts a Prometheus holding the scale benchmarks' fleet and keeps it running, for looking at
 * queries by hand: `npx ts-node -T bench/serve-scale-fleet.ts 10000` prints its URL; Ctrl-C stops it.
 * With a cluster count, fleet-100k.bench.ts' fleet (its hour only, clusters of total/clusters):
 * `npx ts-node -T bench/serve-scale-fleet.ts 100000 50`.
 */
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

import { startPrometheus, type PrometheusServer } from '../tests/harness/prometheus';
import { clusterFleet, scaleFleet, writeClusterFleet } from './scale-fleet';

async function start(
  total: number,
  clusters: number | undefined
): Promise<{ prometheus: PrometheusServer; toMs: number }> {
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
  const clusters = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
  const { prometheus, toMs } = await start(Number(process.argv[2] ?? 10_000), clusters);
  console.log(`${prometheus.url} pid ${prometheus.pid} end ${toMs / 1000}`);
  process.on('SIGINT', () => void prometheus.stop().then(() => process.exit(0)));
  process.on('SIGTERM', () => void prometheus.stop().then(() => process.exit(0)));
})();
