/**
 * How long normalising a large fleet takes, from the frames Grafana's Prometheus datasource gives
 * for an instant query (one frame per series), and what the panel then does with the objects on
 * every refresh and keystroke (sort, filter, group, count). Prints figures; never fails on timing.
 *
 * Wall and CPU time (process.cpuUsage) are both printed: on a shared machine wall time includes
 * waiting for a core, CPU time does not. Compare figures from one run, not across runs.
 */
// Before any @grafana/* import: the frames of the ratio table are decoded by Grafana's own code.
import '../tests/harness/grafana-prometheus-env';

import type { DataFrame } from '@grafana/data';

import { countByState, filterObjects, FluxObject, groupObjects, readFluxFrames, sortObjects } from '../src/flux';
import { ksmFleet, legacyFleet, legacyRangeFleet, rangeFrame } from './fixtures/handFrames';
import { ksmFrames, ksmTableFrames, legacyFrames } from './fixtures/prometheusFrames';
import { barePass, barePassReflect } from './fixtures/barePass';
import { readFluxFrames as readFluxFramesBefore } from './fixtures/reader-before/normalize';

const OBJECTS = 50_000;

function measure(label: string, frames: DataFrame[]) {
  const runs: number[] = [];
  const cpu: number[] = [];
  let objects = 0;
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    objects = readFluxFrames(frames).objects.length;
    runs.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  const heapAfter = process.memoryUsage().heapUsed;
  runs.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(
    `${label}: ${objects} objects from ${frames.length} frames: median ${runs[2].toFixed(0)} ms, ` +
      `min ${runs[0].toFixed(0)} ms, max ${runs[4].toFixed(0)} ms (cpu median ${cpu[2].toFixed(0)} ms); heap growth over the 5 runs, garbage included ${((heapAfter - heapBefore) / 1e6).toFixed(0)} MB`
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** CPU ms of this process so far: unlike wall time, not stretched while other processes hold the cores. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

type Reader = (frames: DataFrame[]) => number;

/** Before (8362c99: reads a table frame row by row, a labels record per row) and now. */
const readers: Array<{ name: string; read: Reader }> = [
  { name: 'before', read: (frames) => readFluxFramesBefore(frames).objects.length },
  { name: 'now', read: (frames) => readFluxFrames(frames).objects.length },
];
const NOW = readers.length - 1;

/**
 * readFluxFrames, today's and the frozen copy of the reader before (bench/fixtures/reader-before:
 * before the reading was planned per label-name set and table frames were read by column), against the bare passes over the same frames, each round running
 * all four in turn so they see the same machine load; each ratio is the median of the rounds'
 * ratios (one run, never across runs), by wall time and by CPU time (which GC and compiler
 * threads count in, and waiting does not). Every reader must read the same objects, to the letter.
 */
function ratioRow(shape: string, frames: DataFrame[], rounds = 15) {
  const reading = JSON.stringify(readFluxFrames(frames));
  if (JSON.stringify(readFluxFramesBefore(frames)) !== reading) {
    throw new Error(`${shape}: today's reader reads these frames differently from the reader before`);
  }
  const bare: number[] = [];
  const bareReflect: number[] = [];
  const bareCpus: number[][] = [[], []];
  const ms: number[][] = readers.map(() => []);
  const cpus: number[][] = readers.map(() => []);
  const wallRatios: number[][] = readers.map(() => []);
  const cpuRatios: number[][] = readers.map(() => []);
  const objects: number[] = readers.map(() => 0);
  let sink = 0;
  for (let round = -3; round < rounds; round++) {
    global.gc?.();
    const start = performance.now();
    const cpu = cpuMs();
    sink += barePass(frames);
    const bareMs = performance.now() - start;
    const bareCpu = cpuMs() - cpu;
    global.gc?.();
    const reflectStart = performance.now();
    const reflectCpuStart = cpuMs();
    sink += barePassReflect(frames);
    const reflectMs = performance.now() - reflectStart;
    const reflectCpu = cpuMs() - reflectCpuStart;
    // Each round in another order: no reader always runs first or after the same one.
    readers.forEach((_, k) => {
      const r = (((k + round) % readers.length) + readers.length) % readers.length;
      const { read } = readers[r];
      global.gc?.();
      const readStart = performance.now();
      const readCpuStart = cpuMs();
      objects[r] = read(frames);
      const readMs = performance.now() - readStart;
      const readCpu = cpuMs() - readCpuStart;
      if (round >= 0) {
        // The first rounds warm the JIT up.
        ms[r].push(readMs);
        cpus[r].push(readCpu);
        wallRatios[r].push(readMs / bareMs);
        cpuRatios[r].push(readCpu / bareCpu);
      }
    });
    if (round >= 0) {
      bare.push(bareMs);
      bareReflect.push(reflectMs);
      bareCpus[0].push(bareCpu);
      bareCpus[1].push(reflectCpu);
    }
  }
  return {
    shape,
    frames: frames.length,
    objects: objects[NOW],
    'bare ms': Number(median(bare).toFixed(1)),
    'before ms': Number(median(ms[0]).toFixed(1)),
    'now ms': Number(median(ms[NOW]).toFixed(1)),
    'before / bare (wall)': Number(median(wallRatios[0]).toFixed(2)),
    'now / bare (wall)': Number(median(wallRatios[NOW]).toFixed(2)),
    'before / bare (cpu)': Number(median(cpuRatios[0]).toFixed(2)),
    'now / bare (cpu)': Number(median(cpuRatios[NOW]).toFixed(2)),
    // Today's reader against the one before, round by round (the same load in both).
    'now / before (wall)': Number(median(ms[NOW].map((m, i) => m / ms[0][i])).toFixed(2)),
    // Fastest round over fastest round: other processes only ever add time, so the least
    // disturbed figures on a shared machine.
    'before / bare (min wall)': Number((Math.min(...ms[0]) / Math.min(...bare)).toFixed(2)),
    'now / bare (min wall)': Number((Math.min(...ms[NOW]) / Math.min(...bare)).toFixed(2)),
    'bare Reflect.get ms': Number(median(bareReflect).toFixed(1)),
    'now / bare Reflect.get (wall)': Number(median(ms[NOW].map((m, i) => m / bareReflect[i])).toFixed(2)),
    'now / bare Reflect.get (cpu)': Number(median(cpus[NOW].map((c, i) => c / bareCpus[1][i])).toFixed(2)),
    touched: sink > 0 ? 'yes' : 'no',
  };
}

/**
 * The shapes of the ratio table. BENCH_SHAPES (comma-separated parts of their names, e.g.
 * "legacy,Table") runs only those: a shape's frames are built only when it runs.
 */
const RATIO_SHAPES: Array<[string, () => DataFrame[]]> = [
  ['gotk_resource_info instant, 10k objects', () => ksmFrames(10_000)],
  ['gotk_resource_info range 60 steps, 10k objects', () => ksmFrames(10_000, 60)],
  ['legacy gauges instant, 10k objects', () => legacyFrames(10_000)],
  ['legacy gauges range 60 steps, 2k objects', () => legacyFrames(2_000, 60)],
  // Raw Prometheus with Format "Table": Grafana's transformV2 merges the series into one frame.
  ['gotk_resource_info instant, Format Table, 10k rows', () => ksmTableFrames(10_000)],
  ['gotk_resource_info instant, Format Table, 50k rows', () => ksmTableFrames(50_000)],
];

function selectedShapes(): Array<[string, () => DataFrame[]]> {
  const wanted = (process.env.BENCH_SHAPES ?? '').split(',').filter((part) => part !== '');
  return RATIO_SHAPES.filter(([shape]) => wanted.length === 0 || wanted.some((part) => shape.includes(part)));
}

describe('reading 10k objects against a bare single pass (target: read / bare <= 2)', () => {
  it('frames as Grafana decodes them from /api/ds/query', () => {
    const rows = selectedShapes().map(([shape, frames]) => ratioRow(shape, frames()));
    // eslint-disable-next-line no-console
    console.table(rows);
  });
});

describe('normalize 50k objects', () => {
  it('kube-state-metrics instant frames', () => {
    measure('gotk_resource_info instant', ksmFleet(OBJECTS));
  });

  it('legacy instant frames (4 series per object)', () => {
    measure('gotk_reconcile_condition instant', legacyFleet(OBJECTS));
  });
});

describe('normalize range data', () => {
  it('kube-state-metrics, 10k objects x 60 steps', () => {
    const frames = ksmFleet(10_000).map((f) => rangeFrame(f.fields[1].labels!, 60, () => 1));
    measure('gotk_resource_info range 60 steps', frames);
  });

  it('legacy, 2k objects x 60 steps (flapping)', () => {
    measure('gotk_reconcile_condition range 60 steps', legacyRangeFleet(2_000, 60));
  });
});

/** Median/min wall, median CPU and heap growth of `runs` calls of `op`. */
function measureOp(label: string, op: () => unknown, runs = 7) {
  const wall: number[] = [];
  const cpu: number[] = [];
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let result: unknown;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    result = op();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  const heapAfter = process.memoryUsage().heapUsed;
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const mid = runs >> 1;
  const size = Array.isArray(result) ? ` -> ${result.length}` : '';
  console.log(
    `${label}${size}: median ${wall[mid].toFixed(1)} ms, min ${wall[0].toFixed(1)} ms ` +
      `(cpu median ${cpu[mid].toFixed(1)} ms); heap growth over ${runs} runs ${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB`
  );
}

/** Once, timed: the first call does work later calls reuse (the search texts). */
function measureOnce(label: string, op: () => unknown) {
  measureOp(label, op, 1);
}

describe.each([10_000, 50_000])('panel operations on %d objects', (size) => {
  let objects: FluxObject[];
  let sorted: FluxObject[];

  beforeAll(() => {
    // Shuffled, as a reading's order has nothing to do with any sort order.
    objects = readFluxFrames(ksmFleet(size)).objects;
    for (let i = objects.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [objects[i], objects[j]] = [objects[j], objects[i]];
    }
    sorted = sortObjects(objects, 'severity');
  });

  it('sortObjects', () => {
    measureOp(`${size} sortObjects severity`, () => sortObjects(objects, 'severity'));
    measureOp(`${size} sortObjects name`, () => sortObjects(objects, 'name'));
    measureOp(`${size} sortObjects timeInState`, () => sortObjects(objects, 'timeInState'));
  });

  it('filterObjects (search, as typed, on the sorted objects)', () => {
    // The first search of a reading builds the lower-cased search texts; keystrokes after reuse them.
    measureOnce(`${size} filterObjects first search "o"`, () => filterObjects(sorted, { search: 'o' }));
    for (const search of ['ob', 'object-1', 'object-12', 'SHA1:AB', 'nothing']) {
      measureOp(`${size} filterObjects search "${search}"`, () => filterObjects(sorted, { search }));
    }
    measureOp(`${size} filterObjects problems only`, () => filterObjects(sorted, { problemsOnly: true }));
  });

  it('groupObjects and countByState', () => {
    measureOp(`${size} groupObjects cluster, kind`, () => groupObjects(sorted, ['cluster', 'kind']));
    measureOp(`${size} groupObjects namespace`, () => groupObjects(sorted, ['namespace']));
    measureOp(`${size} countByState`, () => countByState(sorted));
  });
});
