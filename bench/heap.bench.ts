/**
 * Does the heap creep over refreshes? 200 refreshes of fresh frames (new objects every time, as a
 * dashboard refresh delivers them) at 10k objects, each read by the core (readFluxFrames) and
 * turned into the panel's view model (sort, group, counts) and layout, the previous refresh's
 * results dropped as the panel drops them. Prints the live heap after a full GC at refreshes 1, 50,
 * 100 and 200, and the growth per refresh between them. Never fails on the figures.
 *
 * Live heap, not heap used: a full GC before each reading, so garbage does not count. Jest runs
 * without --expose-gc; V8's flag is switched on here and `gc` taken from a fresh context.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { DataFrame, FieldType } from '@grafana/data';

import { readFluxFrames, sortObjects } from '../src/flux';
import { computeLayout } from '../src/panel/layout';
import { buildViewModel } from '../src/panel/model';

const OBJECTS = 10_000;
const REFRESHES = 200;
const MARKS = [1, 50, 100, 200];
const STEP = 60_000;
const T = Date.UTC(2026, 0, 1);
const KINDS = ['Kustomization', 'HelmRelease', 'GitRepository', 'OCIRepository', 'HelmChart'];
const READY = ['True', 'True', 'True', 'False', 'Unknown'];

setFlagsFromString('--expose-gc');
const gc: () => void = runInNewContext('gc');

function liveHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function frame(labels: Record<string, string>, times: number[], value: (i: number) => number): DataFrame {
  return {
    refId: 'A',
    length: times.length,
    fields: [
      { name: 'Time', type: 'time' as FieldType, config: {}, values: times },
      { name: 'Value', type: 'number' as FieldType, config: {}, values: times.map((_, i) => value(i)), labels },
    ],
  };
}

/** Refresh `r`: the same fleet, sampled later, states and revisions moving on. */
function ksmFleet(r: number, steps: number): DataFrame[] {
  const times = Array.from({ length: steps }, (_, i) => T + (r + i) * STEP);
  return Array.from({ length: OBJECTS }, (_, i) =>
    frame(
      {
        __name__: 'gotk_resource_info',
        customresource_kind: KINDS[i % KINDS.length],
        name: `object-${i}`,
        exported_namespace: `ns-${i % 200}`,
        namespace: 'monitoring',
        cluster: `cluster-${i % 7}`,
        ready: READY[(i + r) % READY.length],
        revision: `main@sha1:${(i * 2654435761 + r).toString(16)}`,
        instance: '10.0.0.1:8080',
      },
      times,
      () => 1
    )
  );
}

const FILTERS = { states: [], problemsOnly: false, search: '', sortBy: 'severity' as const };

/** One refresh as the panel does it; returns what the panel keeps until the next one. */
function refresh(frames: DataFrame[], r: number): unknown {
  const reading = readFluxFrames(frames);
  const sorted = sortObjects(reading.objects, 'severity');
  const view = buildViewModel({
    reading,
    hasData: true,
    filters: FILTERS,
    levels: ['cluster', 'kind'],
    threshold: { ms: 10 * STEP },
    nowMs: T + r * STEP,
    sorted,
  });
  return {
    reading,
    view,
    layout: computeLayout({ objects: view.objects, groups: view.groups, width: 1200, cellSize: 16 }),
  };
}

interface Row {
  shape: string;
  heap: number[];
}

function run(shape: string, framesAt: (r: number) => DataFrame[]): Row {
  let kept: unknown;
  const heap: number[] = [];
  for (let r = 1; r <= REFRESHES; r++) {
    const frames = framesAt(r);
    kept = undefined;
    kept = refresh(frames, r);
    if (MARKS.includes(r)) {
      heap.push(liveHeap());
    }
  }
  expect(kept).toBeDefined();
  return { shape, heap };
}

const MB = (bytes: number) => (bytes / 1e6).toFixed(2).padStart(8);
const KB = (bytes: number) => (bytes / 1e3).toFixed(2).padStart(10);

function table(rows: Row[]): string {
  const head = `${'shape'.padEnd(26)}${MARKS.map((m) => `  heap @${String(m).padStart(3)}`).join('')}  KB/refresh 1→50  KB/refresh 50→200`;
  const lines = rows.map(({ shape, heap }) => {
    const early = (heap[1] - heap[0]) / (MARKS[1] - MARKS[0]);
    const late = (heap[3] - heap[1]) / (MARKS[3] - MARKS[1]);
    return `${shape.padEnd(26)}${heap.map((h) => `  ${MB(h)} MB`).join('')}  ${KB(early)}      ${KB(late)}`;
  });
  return [
    `Live heap over ${REFRESHES} refreshes at ${OBJECTS / 1000}k objects (read + view model + layout)`,
    head,
    ...lines,
  ].join('\n');
}

describe('heap over refreshes', () => {
  it(`${REFRESHES} refreshes at ${OBJECTS} objects`, () => {
    const rows = [
      run('kube-state-metrics instant', (r) => ksmFleet(r, 1)),
      run('kube-state-metrics 10 steps', (r) => ksmFleet(r, 10)),
    ];
    console.log(table(rows));
  });
});
