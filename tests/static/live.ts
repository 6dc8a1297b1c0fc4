/**
 * The docker compose environment minus Docker and Grafana: the Flux fleet simulator as a child
 * process (what `npm run simulate` runs) and a real Prometheus scraping it with the committed
 * provisioning/prometheus/prometheus.yml (target and interval adjusted for a test).
 */
import { spawn, type ChildProcess } from 'child_process';
import path from 'path';
import { parse as parseYaml, stringify } from 'yaml';

import { startPrometheus, type PrometheusServer } from '../harness/prometheus';
import { freePort, readText, repoPath, ROOT, waitFor } from './lib';

export interface LiveFleet {
  prometheus: PrometheusServer;
  simulatorUrl: string;
  /** Prometheus HTTP API (GET), `data` of a successful answer; throws with Prometheus' error. */
  api(pathAndQuery: string): Promise<any>;
  stop(): Promise<void>;
}

export interface LiveFleetOptions {
  scenario: string;
  /** Simulated seconds per wall-clock second. */
  speed: number;
  scrapeIntervalSeconds: number;
}

/** The committed scrape config, pointed at the simulator child process. */
export function livePrometheusConfig(simulatorPort: number, scrapeIntervalSeconds: number): string {
  const config = parseYaml(readText('provisioning/prometheus/prometheus.yml'));
  config.global.scrape_interval = `${scrapeIntervalSeconds}s`;
  config.global.evaluation_interval = `${scrapeIntervalSeconds}s`;
  // The rule files docker-compose mounts at /etc/prometheus/rules, from the repository's alerts/.
  config.rule_files = (config.rule_files ?? []).map((file: string) =>
    file.replace('/etc/prometheus/rules/', repoPath('alerts') + '/')
  );
  for (const job of config.scrape_configs) {
    delete job.scrape_interval;
    job.static_configs = job.static_configs.map((s: any) => ({
      ...s,
      targets: s.targets.map((t: string) => (t === 'simulator:9101' ? `127.0.0.1:${simulatorPort}` : t)),
    }));
  }
  return stringify(config);
}

export async function startLiveFleet(options: LiveFleetOptions): Promise<LiveFleet> {
  const port = await freePort();
  let log = '';
  // `npm run simulate` is `ts-node simulator/cli.ts`; call ts-node directly so the PID is the simulator's.
  const simulator: ChildProcess = spawn(
    path.join(ROOT, 'node_modules', '.bin', 'ts-node'),
    [
      'simulator/cli.ts',
      '--scenario',
      options.scenario,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--speed',
      String(options.speed),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }
  );
  simulator.stdout!.on('data', (d) => (log += d));
  simulator.stderr!.on('data', (d) => (log += d));
  const stopSimulator = async () => {
    if (simulator.exitCode === null && simulator.signalCode === null) {
      const exited = new Promise((resolve) => simulator.once('exit', resolve));
      simulator.kill('SIGTERM');
      await exited;
    }
  };

  let prometheus: PrometheusServer | undefined;
  try {
    const simulatorUrl = `http://127.0.0.1:${port}`;
    await waitFor(
      'the simulator to serve /metrics',
      async () => {
        if (simulator.exitCode !== null) {
          throw new Error(`simulator exited with ${simulator.exitCode}: ${log}`);
        }
        const response = await fetch(`${simulatorUrl}/metrics`, { signal: AbortSignal.timeout(2000) });
        return response.ok ? true : undefined;
      },
      90_000
    );
    prometheus = await startPrometheus({ config: livePrometheusConfig(port, options.scrapeIntervalSeconds) });
    const server = prometheus;
    const api = async (pathAndQuery: string) => {
      const response = await fetch(`${server.url}${pathAndQuery}`, { signal: AbortSignal.timeout(10_000) });
      const body = await response.json();
      if (body.status !== 'success') {
        throw new Error(`${pathAndQuery}: ${body.errorType}: ${body.error}`);
      }
      return body.data;
    };
    // Three scrapes: rate() over a few scrape intervals has two samples to work with.
    await waitFor(
      'three scrapes of the simulator',
      async () => {
        const data = await api(`/api/v1/query?query=${encodeURIComponent('count_over_time(up[1m])')}`);
        return data.result.length > 0 && Number(data.result[0].value[1]) >= 3 ? true : undefined;
      },
      60_000
    );
    return {
      prometheus: server,
      simulatorUrl,
      api,
      async stop() {
        await server.stop();
        await stopSimulator();
      },
    };
  } catch (error) {
    await prometheus?.stop();
    await stopSimulator();
    throw error;
  }
}
