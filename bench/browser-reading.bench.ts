/**
 * Reading 10k objects against a bare single pass over the same frames, in Chromium: where the
 * panel and the datasource read them. flux-normalize.bench.ts measures the same in jest, whose vm
 * context makes every global lookup dearer and whose ratios move with the Node release (on one
 * machine: 1.6-2.0 on Node 20, 2.9-6.5 on Node 24); here there is no vm, and V8 is the browser's.
 *
 * The frames: the backend's `/api/ds/query` answer (tests/harness/grafana-converter.ts, as
 * bench/fixtures/prometheusFrames.ts), fetched by the page and decoded there by Grafana's own
 * `toDataQueryResponse` (the host's shared @grafana/runtime). The reader and the bare passes:
 * bench/fixtures/readingInPage.ts, bundled over the page's shared modules. Each round: a
 * garbage collection (CDP) before each of the bare pass, the Reflect.get bare pass, the reader
 * and the objects floor (barePass.ts `objectsFloor`: the objects alone, keyed and mapped, with
 * no Flux rule; "labels kept" keeps each field's record instead of copying it); ratios per
 * round, then their median (one run, never across runs). The floor says how near 2x any reader
 * of these objects can come.
 *
 *   npx jest --selectProjects bench --runTestsByPath bench/browser-reading.bench.ts
 *
 * BENCH_SHAPES (comma-separated parts of the shapes' names) runs only those. BENCH_PROFILE=1: after
 * each shape's rounds, 10 more reads under Chromium's CPU profiler (bench/cpu-profile.ts), written to
 * bench-results/browser-reading-<n>.cpuprofile. Never fails on timing.
 */
// @grafana/data touches `window` at import time: the harness' jsdom globals first.
import '../tests/harness/grafana-prometheus-env';

import type { DataFrame } from '@grafana/data';
import type { CDPSession } from 'playwright-core';

import { profiled } from './cpu-profile';
import { ksmBackendBody, legacyBackendBody } from './fixtures/prometheusFrames';
import { READING_IN_PAGE, readingPage } from './page-bundle';
import type { HostPage, HostSetup } from '../tests/browser/support/host';

const SHAPES: Array<{ shape: string; objects: number; body: () => string }> = [
  { shape: 'gotk_resource_info instant, 10k objects', objects: 10_000, body: () => ksmBackendBody(10_000) },
  { shape: 'gotk_resource_info range 60 steps, 10k objects', objects: 10_000, body: () => ksmBackendBody(10_000, 60) },
  { shape: 'legacy gauges instant, 10k objects', objects: 10_000, body: () => legacyBackendBody(10_000) },
  { shape: 'legacy gauges range 60 steps, 2k objects', objects: 2_000, body: () => legacyBackendBody(2_000, 60) },
];
const ROUNDS = 15;
const PROFILED_READS = 10;
const PROFILE = Boolean(process.env.BENCH_PROFILE);
const WARM_UP_ROUNDS = 3;

const wanted = (process.env.BENCH_SHAPES ?? '').split(',').filter((part) => part !== '');
const shapes = SHAPES.filter(({ shape }) => wanted.length === 0 || wanted.some((part) => shape.includes(part)));

let setup: HostSetup | undefined;
let host: HostPage;
let cdp: CDPSession;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The page's side: what the bundle exports, and the frames of the current shape. */
declare global {
  interface Window {
    __benchReading: {
      readFluxFrames(frames: DataFrame[]): { objects: unknown[] };
      barePass(frames: DataFrame[]): number;
      barePassReflect(frames: DataFrame[]): number;
      objectsFloor(frames: DataFrame[], copyLabels: boolean): number;
    };
    __benchFrames: DataFrame[];
    System: { import(name: string): Promise<any> };
  }
}

beforeAll(async () => {
  ({ setup, cdp } = await readingPage());
  host = setup.host;
  await host.page.evaluate(async (bundle) => {
    const w = window;
    w.__benchReading = await w.System.import(bundle);
    if (typeof w.__benchReading.readFluxFrames !== 'function') {
      throw new Error(`the reader did not load: ${Object.keys(w.__benchReading)}`);
    }
  }, READING_IN_PAGE);
}, 300_000);

afterAll(async () => {
  await setup?.close();
});

/** Fetches and decodes `body` in the page as Grafana does; resolves to the frame count. */
async function loadFrames(body: string): Promise<number> {
  await host.page.route('**/bench-data/answer.json', (route) =>
    route.fulfill({ body, contentType: 'application/json' })
  );
  const frames = await host.page.evaluate(async () => {
    const w = window;
    const runtime = await w.System.import('@grafana/runtime');
    const response = await fetch('/bench-data/answer.json');
    const data = await response.json();
    w.__benchFrames = runtime.toDataQueryResponse({
      data,
      status: 200,
      statusText: 'OK',
      ok: true,
      headers: response.headers,
      redirected: false,
      type: 'basic',
      url: '/api/ds/query',
      config: { url: '/api/ds/query' },
    }).data;
    return w.__benchFrames.length;
  });
  await host.page.unroute('**/bench-data/answer.json');
  return frames;
}

type Pass = 'barePass' | 'barePassReflect' | 'objectsFloor' | 'objectsFloorShared' | 'readFluxFrames';

/** One pass over the page's frames after a garbage collection: its wall ms and what it returned. */
async function timed(pass: Pass): Promise<{ ms: number; result: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  return host.page.evaluate((name) => {
    const w = window;
    const reading = w.__benchReading;
    const start = performance.now();
    const frames = w.__benchFrames;
    const result =
      name === 'readFluxFrames'
        ? reading.readFluxFrames(frames).objects.length
        : name === 'objectsFloor' || name === 'objectsFloorShared'
          ? reading.objectsFloor(frames, name === 'objectsFloor')
          : reading[name](frames);
    return { ms: performance.now() - start, result };
  }, pass);
}

describe('reading 10k objects against a bare single pass, in Chromium (target: read / bare <= 2)', () => {
  it('frames as Grafana decodes them from /api/ds/query', async () => {
    const rows = [];
    for (const [n, { shape, objects, body }] of shapes.entries()) {
      const frames = await loadFrames(body());
      const bare: number[] = [];
      const bareReflect: number[] = [];
      const read: number[] = [];
      const ratios: number[] = [];
      const reflectRatios: number[] = [];
      const floor: number[] = [];
      const floorRatios: number[] = [];
      const floorSharedRatios: number[] = [];
      for (let round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
        const passes = {
          bare: await timed('barePass'),
          reflect: await timed('barePassReflect'),
          read: await timed('readFluxFrames'),
          floor: await timed('objectsFloor'),
          floorShared: await timed('objectsFloorShared'),
        };
        for (const [pass, { result }] of Object.entries(passes)) {
          if ((pass === 'read' || pass.startsWith('floor')) && result !== objects) {
            throw new Error(`${shape}: ${pass} gave ${result} objects, expected ${objects}`);
          }
        }
        if (round >= 0) {
          bare.push(passes.bare.ms);
          bareReflect.push(passes.reflect.ms);
          read.push(passes.read.ms);
          ratios.push(passes.read.ms / passes.bare.ms);
          reflectRatios.push(passes.read.ms / passes.reflect.ms);
          floor.push(passes.floor.ms);
          floorRatios.push(passes.floor.ms / passes.bare.ms);
          floorSharedRatios.push(passes.floorShared.ms / passes.bare.ms);
        }
      }
      if (PROFILE) {
        process.stdout.write(`\n${shape}: ${PROFILED_READS} reads\n`);
        await profiled(
          cdp,
          `browser-reading-${n}`,
          (url) => url.endsWith('reading-in-page.js'),
          async () => {
            for (let i = 0; i < PROFILED_READS; i++) {
              await timed('readFluxFrames');
            }
          }
        );
      }
      rows.push({
        shape,
        frames,
        objects,
        'bare ms': Number(median(bare).toFixed(1)),
        'bare Reflect.get ms': Number(median(bareReflect).toFixed(1)),
        'read ms': Number(median(read).toFixed(1)),
        'read / bare (wall)': Number(median(ratios).toFixed(2)),
        'read / bare (min wall)': Number((Math.min(...read) / Math.min(...bare)).toFixed(2)),
        'read / bare Reflect.get (wall)': Number(median(reflectRatios).toFixed(2)),
        'objects floor ms': Number(median(floor).toFixed(1)),
        'objects floor / bare (wall)': Number(median(floorRatios).toFixed(2)),
        'objects floor, labels kept / bare (wall)': Number(median(floorSharedRatios).toFixed(2)),
      });
    }
    console.log(`Chromium ${setup!.browser.version()}, ${ROUNDS} rounds after ${WARM_UP_ROUNDS} to warm up`);
    // eslint-disable-next-line no-console
    console.table(rows);
  }, 600_000);
});
