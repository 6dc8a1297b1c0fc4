/**
 * npm run simulate -- --scenario simulator/scenarios/healthy.yaml --port 9101 [--schema all] [--speed 10]
 * npm run simulate -- --scenario FILE --openmetrics OUT.txt [--schema legacy-2.0]
 */
import { writeFileSync } from 'fs';
import { scenarioToOpenMetrics } from './openmetrics';
import { loadScenario, ScenarioError } from './scenario';
import { startSimulatorServer } from './live';
import type { SimulatedSchema } from './types';

function parseArgs(argv: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      throw new Error(`unexpected argument "${arg}"`);
    }
    const [name, inline] = arg.slice(2).split('=', 2);
    args[name] = inline ?? argv[++i] ?? '';
  }
  return args;
}

const USAGE = `usage: npm run simulate -- --scenario FILE [--port N] [--host H] [--schema S[,S]|all] [--speed X]
       npm run simulate -- --scenario FILE --openmetrics OUT [--schema S[,S]|all]`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.scenario) {
    throw new Error(USAGE);
  }
  const scenario = loadScenario(args.scenario);
  const schema = args.schema
    ? args.schema === 'all'
      ? ('all' as const)
      : (args.schema.split(',') as SimulatedSchema[])
    : undefined;
  if (args.openmetrics) {
    writeFileSync(args.openmetrics, scenarioToOpenMetrics(scenario, { schema }));
    console.log(`wrote ${args.openmetrics}`);
    return;
  }
  const server = await startSimulatorServer(scenario, {
    port: Number(args.port ?? 9101),
    host: args.host ?? '127.0.0.1',
    schema,
    speed: args.speed ? Number(args.speed) : 1,
  });
  console.log(
    `simulating ${scenario.name} (${scenario.schemas.join(', ')}) on ${server.url}/metrics; ` +
      `the ${scenario.durationSeconds}s timeline loops. Scrape with honor_labels: true.`
  );
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ScenarioError || error instanceof Error ? error.message : String(error));
  process.exit(1);
});
