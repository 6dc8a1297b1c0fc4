/**
 * npm run preview [-- --port 3000] [--scenario simulator/scenarios/failure-recovery.yaml] [--speed 1]
 *                 [--refresh 10s] [--line 13.1]
 *
 * A preview of the FluxGrid plugin for anyone without Docker, at http://127.0.0.1:3000: the browser
 * test host page (tests/browser/host/, NOT Grafana) running the shipped "Flux reconciliation"
 * dashboard with @grafana/scenes over the built dist/ (FluxGrid panel + datasource) and Grafana's
 * own Prometheus datasource, fed live by the fleet simulator (simulator/) through a real Prometheus
 * (Debian's, from scripts/setup.sh) and the small stand-in for Grafana's backend
 * (tests/harness/grafana-backend.ts). One command; Ctrl-C stops everything it started.
 */
// Must come first: @grafana/data (used by the backend stand-in's converter) reads browser globals on import.
import '../../harness/grafana-prometheus-env';

import path from 'node:path';

import { startGrafanaBackend, type GrafanaBackend } from '../../harness/grafana-backend';
import { startPrometheus, type PrometheusServer } from '../../harness/prometheus';
import { ensureDist, ensureHost, REPO, startStaticServer, type StaticServer } from './host';
import { loadScenario, startSimulatorServer, type SimulatorServer } from '../../../simulator';

function parseArgs(argv: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].replace(/^--/, '').split('=', 2);
    args[name] = inline ?? argv[++i] ?? '';
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const port = Number(args.port ?? 3000);
  const scenarioFile = path.resolve(REPO, args.scenario ?? 'simulator/scenarios/failure-recovery.yaml');
  const speed = Number(args.speed ?? 1);
  if (args.line) {
    process.env.FLUXGRID_GRAFANA_LINE = args.line;
  }
  const started: Array<{ stop(): Promise<unknown> }> = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) {
      return;
    }
    stopping = true;
    console.log('preview: stopping');
    // Last started, first stopped: the page's server, the backend, Prometheus, the simulator.
    for (const part of started.reverse()) {
      await part.stop().catch((e: Error) => console.error(`preview: ${e.message}`));
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    ensureDist(['module.js', 'panel/module.js', 'datasource/module.js']);
    const hostDir = await ensureHost();
    const scenario = loadScenario(scenarioFile);
    const simulator: SimulatorServer = await startSimulatorServer(scenario, { port: 0, host: '127.0.0.1', speed });
    started.push({ stop: () => simulator.close() });
    console.log(
      `preview: simulator (${path.relative(REPO, scenarioFile)}, speed ${speed}) on ${simulator.url}/metrics`
    );
    const prometheus: PrometheusServer = await startPrometheus({
      scrapeTargets: [simulator.url],
      scrapeIntervalSeconds: 5,
    });
    started.push(prometheus);
    console.log(`preview: Prometheus ${prometheus.url} (pid ${prometheus.pid}) scrapes it every 5 s`);
    const backend: GrafanaBackend = await startGrafanaBackend({
      prometheusUrl: prometheus.url,
      datasourceUid: 'prometheus',
      scrapeInterval: '5s',
    });
    started.push({ stop: () => backend.close() });
    const server: StaticServer = await startStaticServer(hostDir, undefined, port);
    server.setBackend(backend.url);
    started.push({ stop: () => server.close() });
    const refresh = encodeURIComponent(args.refresh ?? '10s');
    console.log(`FluxGrid preview (not Grafana): ${server.url}/?preview&refresh=${refresh}`);
    console.log('preview: Ctrl-C stops the page, the backend stand-in, Prometheus and the simulator');
  } catch (error) {
    console.error(`preview: ${(error as Error).message}`);
    await stop(1);
  }
}

void main();
