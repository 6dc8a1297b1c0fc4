/**
 * The live simulator: a prom-client registry whose exposition follows the scenario's timeline in
 * real time (looping), served on `/metrics`.
 *
 * Every family is a small prom-client metric object (registered with `registerMetric`) that hands
 * the registry the current snapshot; prom-client does all formatting and escaping. Series carry
 * their final labels (exported_namespace, namespace, pod, instance, job, …): scrape the simulator
 * with `honor_labels: true` so Prometheus keeps them, exactly like the backfilled history.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { Registry } from 'prom-client';
import { ReconcileLedger, emitAll, type FamilyInfo, type SeriesSink } from './series';
import { playScenario, type PlayedScenario } from './timeline';
import type { Labels } from './targets';
import type { Scenario, SimulatedSchema } from './types';
import { resolveSchemas } from './openmetrics';

interface SnapshotValue {
  value: number;
  labels: Labels;
  metricName?: string;
}

/** A prom-client metric whose values are replaced wholesale at every scrape. */
class SnapshotFamily {
  values: SnapshotValue[] = [];
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator = 'sum';
  constructor(info: FamilyInfo) {
    this.name = info.name;
    this.help = info.help;
    this.type = info.type;
  }
  get() {
    return { name: this.name, help: this.help, type: this.type, values: this.values, aggregator: this.aggregator };
  }
  reset(): void {
    this.values = [];
  }
}

export interface LiveSimulatorOptions {
  /** Schemas to expose (default: the scenario's). */
  schema?: SimulatedSchema | SimulatedSchema[] | 'all';
  /** Timeline seconds per wall-clock second (default 1). */
  speed?: number;
  /** Wall clock in ms (tests). */
  now?: () => number;
}

export class LiveSimulator implements SeriesSink {
  readonly registry = new Registry();
  private readonly played: PlayedScenario;
  private readonly schemas: SimulatedSchema[];
  private readonly ledger: ReconcileLedger;
  private readonly families = new Map<string, SnapshotFamily>();
  private readonly startedAt: number;
  private readonly speed: number;
  private readonly now: () => number;

  constructor(scenario: Scenario, options: LiveSimulatorOptions = {}) {
    this.played = playScenario(scenario);
    this.schemas = resolveSchemas(scenario, options.schema);
    this.ledger = new ReconcileLedger(this.played, true);
    this.now = options.now ?? Date.now;
    this.speed = options.speed ?? 1;
    this.startedAt = this.now();
  }

  /** Seconds of simulated time since start (keeps growing; the timeline loops). */
  elapsedSeconds(): number {
    return ((this.now() - this.startedAt) / 1000) * this.speed;
  }

  /** Where the looping timeline is now. */
  offsetSeconds(): number {
    return this.elapsedSeconds() % this.played.scenario.durationSeconds;
  }

  private family(info: FamilyInfo): SnapshotFamily {
    let family = this.families.get(info.name);
    if (!family) {
      family = new SnapshotFamily(info);
      this.families.set(info.name, family);
      this.registry.registerMetric(family as never);
    }
    return family;
  }

  gauge(info: FamilyInfo, labels: Labels, value: number): void {
    this.family(info).values.push({ labels: dropEmpty(labels), value });
  }

  counter(info: FamilyInfo, labels: Labels, value: number): void {
    this.family(info).values.push({ labels: dropEmpty(labels), value });
  }

  histogram(info: FamilyInfo, labels: Labels, bucketCounts: ArrayLike<number>, sum: number, count: number): void {
    const family = this.family(info);
    const base = dropEmpty(labels);
    (info.buckets ?? []).forEach((le, i) => {
      family.values.push({
        metricName: `${info.name}_bucket`,
        labels: { ...base, le: String(le) },
        value: bucketCounts[i],
      });
    });
    family.values.push({ metricName: `${info.name}_bucket`, labels: { ...base, le: '+Inf' }, value: count });
    family.values.push({ metricName: `${info.name}_sum`, labels: base, value: sum });
    family.values.push({ metricName: `${info.name}_count`, labels: base, value: count });
  }

  /** Updates every family to the current instant and returns the exposition text. */
  async metrics(): Promise<string> {
    const elapsed = this.elapsedSeconds();
    this.ledger.advanceTo(elapsed);
    for (const family of this.families.values()) {
      family.reset();
    }
    emitAll(this.played, this.schemas, this.ledger, elapsed % this.played.scenario.durationSeconds, this);
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

function dropEmpty(labels: Labels): Labels {
  const out: Labels = {};
  for (const [name, value] of Object.entries(labels)) {
    if (value !== '') {
      out[name] = value;
    }
  }
  return out;
}

export interface SimulatorServer {
  url: string;
  port: number;
  simulator: LiveSimulator;
  close(): Promise<void>;
}

/** Serves `/metrics` for a scenario on 127.0.0.1 (port 0: any free port). */
export async function startSimulatorServer(
  scenario: Scenario,
  options: LiveSimulatorOptions & { port?: number; host?: string } = {}
): Promise<SimulatorServer> {
  const simulator = new LiveSimulator(scenario, options);
  const server = http.createServer((req, res) => {
    if (req.url === '/metrics' || req.url?.startsWith('/metrics?')) {
      simulator.metrics().then(
        (body) => {
          res.writeHead(200, { 'Content-Type': simulator.contentType });
          res.end(body);
        },
        (error: unknown) => {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(String(error));
        }
      );
      return;
    }
    res.writeHead(req.url === '/' ? 200 : 404, { 'Content-Type': 'text/plain' });
    res.end(
      `FluxGrid simulator: scenario ${scenario.name} at ${Math.round(simulator.offsetSeconds())}s of ${scenario.durationSeconds}s. Metrics on /metrics\n`
    );
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    simulator,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
