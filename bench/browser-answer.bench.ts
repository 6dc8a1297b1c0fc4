/**
 * An instant answer of 10k objects into FluxGrid's objects, in Chromium, the two ways the
 * datasource gets it (src/datasource/prometheus.ts):
 * - Grafana's query path: the backend's `/api/ds/query` answer, a frame per series
 *   (tests/harness/grafana-converter.ts, as bench/fixtures/prometheusFrames.ts), JSON.parse and
 *   Grafana's own `toDataQueryResponse` (the host's shared @grafana/runtime);
 * - the Prometheus datasource's resources: Prometheus' own JSON, JSON.parse and FluxGrid's
 *   `readInstantAnswer` (src/datasource/instantAnswer.ts).
 * Then the core's reader (`readFluxFrames`) over the frames each gave. The same series either way.
 * The answer texts are fetched once (their transfer is the browser's network, not timed here; their
 * bytes are printed). Each round, both ways, a garbage collection (CDP) before each timed step;
 * medians of the rounds, and the ratio per round (one run, never across runs). Never fails on timing.
 *
 *   npx jest --selectProjects bench --runTestsByPath bench/browser-answer.bench.ts
 */
// @grafana/data touches `window` at import time: the harness' jsdom globals first.
import '../tests/harness/grafana-prometheus-env';

import type { DataFrame, DataQueryResponse } from '@grafana/data';
import type { FetchResponse } from '@grafana/runtime';
import type { CDPSession } from 'playwright-core';

import type { InstantAnswer } from '../src/datasource/instantAnswer';

import {
  ksmBackendBody,
  ksmPrometheusBody,
  legacyBackendBody,
  legacyPrometheusBody,
} from './fixtures/prometheusFrames';
import { READING_IN_PAGE, readingPage } from './page-bundle';
import type { HostPage, HostSetup } from '../tests/browser/support/host';

const SHAPES = [
  { shape: 'gotk_resource_info, 10k objects', objects: 10_000, query: ksmBackendBody, resources: ksmPrometheusBody },
  { shape: 'legacy gauges, 10k objects', objects: 10_000, query: legacyBackendBody, resources: legacyPrometheusBody },
];
const ROUNDS = 15;
const WARM_UP_ROUNDS = 3;

type Way = 'query' | 'resources';

let setup: HostSetup | undefined;
let host: HostPage;
let cdp: CDPSession;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The page's side: the readers (bundled over its shared modules), Grafana's decoder, the answers. */
declare global {
  interface Window {
    __benchAnswer: {
      readInstantAnswer(body: unknown, refId: string): InstantAnswer | undefined;
      readFluxFrames(frames: DataFrame[]): { objects: unknown[] };
      toDataQueryResponse(response: Pick<FetchResponse, 'data' | 'status' | 'ok' | 'config'>): DataQueryResponse;
      texts: Record<Way, string>;
      frames: DataFrame[];
    };
  }
}

beforeAll(async () => {
  ({ setup, cdp } = await readingPage());
  host = setup.host;
  await host.page.evaluate(async (bundle) => {
    const { readInstantAnswer, readFluxFrames } = await window.System.import(bundle);
    const { toDataQueryResponse } = await window.System.import('@grafana/runtime');
    window.__benchAnswer = {
      readInstantAnswer,
      readFluxFrames,
      toDataQueryResponse,
      texts: { query: '', resources: '' },
      frames: [],
    };
  }, READING_IN_PAGE);
}, 300_000);

afterAll(async () => {
  await setup?.close();
});

/** Fetches both answer texts into the page (untimed). */
async function load(query: string, resources: string): Promise<void> {
  await host.page.route('**/bench-data/*.json', (route) =>
    route.fulfill({ body: route.request().url().endsWith('query.json') ? query : resources })
  );
  await host.page.evaluate(async () => {
    window.__benchAnswer.texts = {
      query: await (await fetch('/bench-data/query.json')).text(),
      resources: await (await fetch('/bench-data/resources.json')).text(),
    };
  });
  await host.page.unroute('**/bench-data/*.json');
}

/** One way, timed in two steps after a garbage collection each: the text into frames, the frames into objects. */
async function timed(way: Way): Promise<{ framesMs: number; readMs: number; objects: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const framesMs = await host.page.evaluate((w: Way) => {
    const page = window.__benchAnswer;
    const start = performance.now();
    const data: unknown = JSON.parse(page.texts[w]);
    if (w === 'query') {
      page.frames = page.toDataQueryResponse({ data, status: 200, ok: true, config: { url: '/api/ds/query' } }).data;
    } else {
      const answer = page.readInstantAnswer(data, 'A');
      page.frames = answer?.status === 'success' ? answer.frames : [];
    }
    return performance.now() - start;
  }, way);
  await cdp.send('HeapProfiler.collectGarbage');
  const read = await host.page.evaluate(() => {
    const page = window.__benchAnswer;
    const start = performance.now();
    const objects = page.readFluxFrames(page.frames).objects.length;
    return { readMs: performance.now() - start, objects };
  });
  return { framesMs, ...read };
}

describe("an instant answer into objects, in Chromium: Grafana's query path against the resources", () => {
  it('10k objects, both ways', async () => {
    const rows = [];
    for (const { shape, objects, query, resources } of SHAPES) {
      const texts = { query: query(objects), resources: resources(objects) };
      await load(texts.query, texts.resources);
      const figures = {
        query: { frames: [] as number[], read: [] as number[] },
        resources: { frames: [] as number[], read: [] as number[] },
      };
      const ratios: number[] = [];
      for (let round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
        const byWay = { query: await timed('query'), resources: await timed('resources') };
        for (const way of ['query', 'resources'] as const) {
          if (byWay[way].objects !== objects) {
            throw new Error(`${shape}, ${way}: read ${byWay[way].objects} objects, expected ${objects}`);
          }
          if (round >= 0) {
            figures[way].frames.push(byWay[way].framesMs);
            figures[way].read.push(byWay[way].readMs);
          }
        }
        if (round >= 0) {
          const total = (way: Way) => byWay[way].framesMs + byWay[way].readMs;
          ratios.push(total('resources') / total('query'));
        }
      }
      for (const way of ['query', 'resources'] as const) {
        rows.push({
          shape,
          way: way === 'query' ? "Grafana's query path" : 'resources',
          'answer bytes': texts[way].length,
          'parse + frames ms': Number(median(figures[way].frames).toFixed(1)),
          'read ms': Number(median(figures[way].read).toFixed(1)),
          'total ms': Number(median(figures[way].frames.map((f, i) => f + figures[way].read[i])).toFixed(1)),
          'resources / query path (total)': way === 'resources' ? Number(median(ratios).toFixed(2)) : '',
        });
      }
    }
    console.log(`Chromium ${setup!.browser.version()}, ${ROUNDS} rounds after ${WARM_UP_ROUNDS} to warm up`);
    // eslint-disable-next-line no-console
    console.table(rows);
  }, 600_000);
});
