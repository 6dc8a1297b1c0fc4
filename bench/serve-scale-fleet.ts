/**
 * Starts a Prometheus holding the scale benchmarks' fleet and keeps it running, for looking at
 * queries by hand: `npx ts-node -T bench/serve-scale-fleet.ts 10000` prints its URL; Ctrl-C stops it.
 */
import { startPrometheus } from '../tests/harness/prometheus';
import { scaleFleet } from './scale-fleet';

(async () => {
  const fleet = scaleFleet(Number(process.argv[2] ?? 10_000));
  const prometheus = await startPrometheus({ openMetrics: fleet.openMetrics, timeoutMs: 1_500_000 });
  console.log(`${prometheus.url} pid ${prometheus.pid} end ${fleet.toMs / 1000}`);
  process.on('SIGINT', () => void prometheus.stop().then(() => process.exit(0)));
  process.on('SIGTERM', () => void prometheus.stop().then(() => process.exit(0)));
})();
