/**
 * The fleet of the scale benchmarks: a simulator fleet of `total` objects (kube-state-metrics),
 * the last hour every 60 s (1% failing since 20 min) and the 23 hours before it every 20 min, or
 * `sparseStepS` (the simulator's first sample of each series, re-timed), plus one
 * gotk_reconcile_duration_seconds_count per object, +1 every 5 min. See objects-scale.bench.ts.
 *
 * clusterFleet(): the same fleet spread over several clusters (e.g. 50 × 2k), its hour only, written
 * to one OpenMetrics file part by part (see fleet-100k.bench.ts).
 */
import { closeSync, openSync, writeSync } from 'fs';

import { buildFleet, parseScenario, scenarioToOpenMetrics, type Scenario } from '../simulator';

export const SPARSE_HOURS = 23;
export const SPARSE_STEP_S = 20 * 60;

/**
 * The scenario of `total` objects, or with `clusters` of `total` objects each (the cluster label
 * set on every series); 1% of all its objects fail at 20 min.
 */
function fleetYaml(total: number, clusters?: string[]): string {
  const scale = total / 10_000;
  const all = total * (clusters?.length ?? 1);
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
  const name = clusters ? `fleet-${clusters[0]}-${clusters.length}x${total}` : `scale-${total}`;
  const clusterLine = clusters ? `\n  clusters: [${clusters.join(', ')}]` : '';
  return `name: ${name}
schemas: [kube-state-metrics]
start: 2025-01-06T00:00:00Z
step: 60s
duration: 1h
metrics:
  controllers: false
  reconcileDuration: false
fleet:
  seed: 11${clusterLine}
  namespaces: 50
  objects:
${objects}
timeline:
  - at: 20m
    action: fail
    select: {kind: HelmRelease, count: ${Math.round(all / 100)}}
expect:
  - at: 1m
`;
}

/**
 * The hours before the scenario: its first sample of every series, re-timed every `stepS` seconds,
 * with the reconcile counters of the same times. One text per 2 h block window (promtool writes
 * 2 h blocks aligned to the epoch): every block then holds all series of its window, as a running
 * Prometheus' blocks do, rather than several overlapping blocks that each query has to merge.
 */
function sparseHistory(scenario: Scenario, stepS: number, hours = SPARSE_HOURS): string[] {
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
  const startS = scenario.startMs / 1000 - hours * 3600;
  const byBlock = new Map<number, number[]>();
  for (let t = startS; t < scenario.startMs / 1000; t += stepS) {
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
    out.push(reconcileCounts(scenario, times, hours));
    return out.join('\n');
  });
}

const BLOCK_S = 2 * 3600;

/** One reconcile counter per object, +1 every 5 minutes (staggered), at `times` (s); ends the text. */
function reconcileCounts(scenario: Scenario, times: number[], hours = SPARSE_HOURS): string {
  const lines = ['# TYPE gotk_reconcile_duration_seconds_count counter'];
  // From the history's first sample on: counts are never negative.
  const base = scenario.startMs / 1000 - hours * 3600;
  buildFleet(scenario.fleet).forEach((o, i) => {
    // Several clusters: the cluster label a multi-cluster setup's scrape (or external_labels) adds.
    const cluster = o.cluster === '' ? '' : `${scenario.fleet.clusterLabel}="${o.cluster}",`;
    const labels =
      `{${cluster}kind="${o.kind}",name="${o.name}",exported_namespace="${o.namespace}",namespace="flux-system",` +
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

/** The scenario's sample times (s), every 60 s, both ends included. */
function denseTimesOf(scenario: Scenario): number[] {
  const times: number[] = [];
  for (let t = scenario.startMs / 1000; t <= scenario.startMs / 1000 + scenario.durationSeconds; t += 60) {
    times.push(t);
  }
  return times;
}

export interface ScaleFleetOptions {
  /**
   * Spacing of the 23 sparse hours' samples, in s (default SPARSE_STEP_S, 20 min). Within
   * Prometheus' 5 min lookback (e.g. 240) recording rules evaluated over them see no gaps.
   */
  sparseStepS?: number;
  /** How many sparse hours before the dense one (default SPARSE_HOURS, 23). */
  sparseHours?: number;
}

export function scaleFleet(total: number, options: ScaleFleetOptions = {}): ScaleFleet {
  const sparseStepS = options.sparseStepS ?? SPARSE_STEP_S;
  if (!(sparseStepS > 0)) {
    throw new Error(`scaleFleet: sparseStepS must be a positive number of seconds, got ${sparseStepS}`);
  }
  const scenario = parseScenario(fleetYaml(total), `scale-${total}.yaml`);
  const toMs = scenario.startMs + scenario.durationSeconds * 1000;
  const denseTimes = denseTimesOf(scenario);
  return {
    scenario,
    toMs,
    openMetrics: [
      ...sparseHistory(scenario, sparseStepS, options.sparseHours),
      // The scenario's hour (inside one 2 h block) and its counters: one text, one block.
      scenarioToOpenMetrics(scenario).replace(/# EOF\n?$/, '') +
        reconcileCounts(scenario, denseTimes, options.sparseHours),
    ],
  };
}

export interface ClusterFleet {
  /** cluster-01, cluster-02, … */
  clusters: string[];
  objects: number;
  /**
   * The simulator's scenarios, a few clusters each: one scenario holds at most 50k objects, and
   * one part's text must stay well under V8's ~512 MB string limit (2k objects' hour ≈ 75 MB).
   * Two clusters at least per part: a one-cluster scenario writes no cluster label.
   */
  parts: Scenario[];
  /** The end of the history (epoch ms): the dashboard's "now". */
  toMs: number;
}

/** Objects per part (≈ 190 MB of text for the hour). */
const PART_OBJECTS = 5000;

/** `clusters` clusters of `perCluster` objects each (the 10k fleet's kind mix), the hour only. */
export function clusterFleet(clusters: number, perCluster: number): ClusterFleet {
  if (clusters < 2) {
    throw new Error(`clusterFleet needs 2 clusters or more (one cluster has no cluster label), got ${clusters}`);
  }
  const names = Array.from({ length: clusters }, (_, i) => `cluster-${String(i + 1).padStart(2, '0')}`);
  const perPart = Math.max(2, Math.floor(PART_OBJECTS / perCluster));
  const groups: string[][] = [];
  for (let i = 0; i < names.length; i += perPart) {
    groups.push(names.slice(i, i + perPart));
  }
  if (groups.length > 1 && groups[groups.length - 1].length < 2) {
    groups[groups.length - 2].push(...groups.pop()!);
  }
  const parts = groups.map((group) => parseScenario(fleetYaml(perCluster, group), `fleet-${group[0]}.yaml`));
  const first = parts[0];
  return {
    clusters: names,
    objects: clusters * perCluster,
    parts,
    toMs: first.startMs + first.durationSeconds * 1000,
  };
}

/**
 * Writes the fleet's hour as one OpenMetrics file (one promtool backfill, one block: what a
 * running Prometheus holds), part after part so that no text is larger than one part's. A family
 * appears once per part (promtool's parser takes repeated `# TYPE` lines; each series lies in one
 * part, so its samples stay in time order). Returns the bytes written.
 */
export function writeClusterFleet(fleet: ClusterFleet, file: string): number {
  const fd = openSync(file, 'w');
  let bytes = 0;
  const write = (text: string) => {
    const buffer = Buffer.from(text);
    for (let at = 0; at < buffer.length;) {
      at += writeSync(fd, buffer, at);
    }
    bytes += buffer.length;
  };
  try {
    for (const part of fleet.parts) {
      write(scenarioToOpenMetrics(part).replace(/# EOF\n?$/, ''));
      write(reconcileCounts(part, denseTimesOf(part)).replace(/# EOF\n?$/, ''));
    }
    write('# EOF\n');
  } finally {
    closeSync(fd);
  }
  return bytes;
}
