/**
 * The fleet of the scale benchmarks: a simulator fleet of `total` objects (kube-state-metrics),
 * the last hour every 60 s (1% failing since 20 min) and the 23 hours before it every 20 min
 * (the simulator's first sample of each series, re-timed), plus one
 * gotk_reconcile_duration_seconds_count per object, +1 every 5 min. See objects-scale.bench.ts.
 */
import { buildFleet, parseScenario, scenarioToOpenMetrics, type Scenario } from '../simulator';

export const SPARSE_HOURS = 23;
export const SPARSE_STEP_S = 20 * 60;

function fleetYaml(total: number): string {
  const scale = total / 10_000;
  const kinds: Record<string, number> = {
    Kustomization: 3000,
    HelmRelease: 3000,
    GitRepository: 1000,
    OCIRepository: 500,
    HelmRepository: 500,
    HelmChart: 1000,
    Bucket: 100,
    Alert: 200,
    Provider: 100,
    Receiver: 100,
    ImageRepository: 200,
    ImagePolicy: 200,
    ImageUpdateAutomation: 100,
  };
  const objects = Object.entries(kinds)
    .map(([kind, n]) => `    ${kind}: ${Math.round(n * scale)}`)
    .join('\n');
  return `name: scale-${total}
schemas: [kube-state-metrics]
start: 2025-01-06T00:00:00Z
step: 60s
duration: 1h
metrics:
  controllers: false
  reconcileDuration: false
fleet:
  seed: 11
  namespaces: 50
  objects:
${objects}
timeline:
  - at: 20m
    action: fail
    select: {kind: HelmRelease, count: ${Math.round(total / 100)}}
expect:
  - at: 1m
`;
}

/**
 * The hours before the scenario: its first sample of every series, re-timed every SPARSE_STEP_S,
 * with the reconcile counters of the same times. One text per 2 h block window (promtool writes
 * 2 h blocks aligned to the epoch): every block then holds all series of its window, as a running
 * Prometheus' blocks do, rather than several overlapping blocks that each query has to merge.
 */
function sparseHistory(scenario: Scenario): string[] {
  const text = scenarioToOpenMetrics(scenario);
  const firstTs = String(scenario.startMs / 1000);
  const families = new Map<string, string[]>();
  let family = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      family = line;
      families.set(family, []);
    } else if (line && !line.startsWith('#') && line.endsWith(' ' + firstTs)) {
      families.get(family)!.push(line.slice(0, -firstTs.length));
    }
  }
  const startS = scenario.startMs / 1000 - SPARSE_HOURS * 3600;
  const byBlock = new Map<number, number[]>();
  for (let t = startS; t < scenario.startMs / 1000; t += SPARSE_STEP_S) {
    const block = Math.floor(t / BLOCK_S);
    byBlock.set(block, [...(byBlock.get(block) ?? []), t]);
  }
  return Array.from(byBlock.values()).map((times) => {
    const out: string[] = [];
    for (const [type, lines] of families) {
      out.push(type);
      for (const t of times) {
        for (const l of lines) {
          out.push(l + t);
        }
      }
    }
    out.push(reconcileCounts(scenario, times));
    return out.join('\n');
  });
}

const BLOCK_S = 2 * 3600;

/** One reconcile counter per object, +1 every 5 minutes (staggered), at `times` (s); ends the text. */
function reconcileCounts(scenario: Scenario, times: number[]): string {
  const lines = ['# TYPE gotk_reconcile_duration_seconds_count counter'];
  const base = scenario.startMs / 1000 - SPARSE_HOURS * 3600;
  buildFleet(scenario.fleet).forEach((o, i) => {
    const labels =
      `{kind="${o.kind}",name="${o.name}",exported_namespace="${o.namespace}",namespace="flux-system",` +
      `job="flux-system/flux-system",pod="controller-0"}`;
    for (const t of times) {
      lines.push(`gotk_reconcile_duration_seconds_count${labels} ${Math.floor((t - base + (i % 300)) / 300)} ${t}`);
    }
  });
  lines.push('# EOF', '');
  return lines.join('\n');
}

export interface ScaleFleet {
  scenario: Scenario;
  /** OpenMetrics texts, one promtool backfill each. */
  openMetrics: string[];
  /** The end of the history (epoch ms): the dashboard's "now". */
  toMs: number;
}

export function scaleFleet(total: number): ScaleFleet {
  const scenario = parseScenario(fleetYaml(total), `scale-${total}.yaml`);
  const startS = scenario.startMs / 1000;
  const toMs = scenario.startMs + scenario.durationSeconds * 1000;
  const denseTimes: number[] = [];
  for (let t = startS; t <= toMs / 1000; t += 60) {
    denseTimes.push(t);
  }
  return {
    scenario,
    toMs,
    openMetrics: [
      ...sparseHistory(scenario),
      // The scenario's hour (inside one 2 h block) and its counters: one text, one block.
      scenarioToOpenMetrics(scenario).replace(/# EOF\n?$/, '') + reconcileCounts(scenario, denseTimes),
    ],
  };
}
