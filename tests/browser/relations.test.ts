/**
 * @jest-environment node
 *
 * Causes before symptoms and rollouts, in the BUILT status panel in real Chromium (see
 * panel.test.ts for the host). The data is real: the failing-source and rollout-stuck scenarios
 * backfilled into a real Prometheus, asked through Grafana's own PrometheusDatasource, and for the
 * rollout through the FluxGrid datasource's Rollout query (its frame is what the panel shows).
 * Screenshots for the README: blocked-by-source.png, rollout.png (see screenshotPath).
 */
import path from 'node:path';

// Must come before @grafana/* (it gives @grafana/data the browser globals it touches on import).
import { startGrafanaRuntime } from '../harness/grafana-runtime';
import { startPrometheus, type PrometheusServer } from '../harness/prometheus';
import { dataFrameToJSON, type DataFrameJSON } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { loadScenario, scenarioToOpenMetrics, type Scenario } from '../../simulator';
import { createFluxDatasource } from '../../src/datasource/testing/fluxDatasource';
import { dataQueryRequest } from '../../src/datasource/testing/request';
import { FakeTemplateSrv } from '../../src/datasource/testing/templateSrv';
import type { FluxQuery } from '../../src/datasource/types';
import { RELATION_TEST_IDS } from '../../src/panel/components/FluxRelations';
import { ROLLOUT_TEST_IDS } from '../../src/panel/components/RolloutView';
import { TEST_IDS } from '../../src/panel/testIds';
import { query } from './support/fleet';
import { clearProblems, problems, REPO, screenshotPath, setupHost, type HostPage, type HostSetup } from './support/host';

jest.setTimeout(60_000);

const PANEL = '/dist/panel/module.js';
const SCENARIOS = path.join(REPO, 'simulator', 'scenarios');
const MINUTE = 60_000;
const tid = (id: string) => `[data-testid="${id}"]`;

interface Loaded {
  scenario: Scenario;
  prometheus: PrometheusServer;
  range: { from: number; to: number };
}

let setup: HostSetup | undefined;
let host: HostPage;
const loaded: Loaded[] = [];
let sourceFrames: DataFrameJSON[];
let rolloutFrames: DataFrameJSON[];
let sourceRange: { from: number; to: number };
let rolloutRange: { from: number; to: number };

async function load(file: string, minutes: number): Promise<Loaded> {
  const scenario = loadScenario(path.join(SCENARIOS, file));
  const prometheus = await startPrometheus({ openMetrics: scenarioToOpenMetrics(scenario), timeoutMs: 120_000 });
  const entry = { scenario, prometheus, range: { from: scenario.startMs, to: scenario.startMs + minutes * MINUTE } };
  loaded.push(entry);
  return entry;
}

/** The FluxGrid datasource's answer to one query, as Grafana's wire format. */
async function fluxGridQuery(prometheusUrl: string, target: FluxQuery, range: { from: number; to: number }) {
  const templateSrv = new FakeTemplateSrv();
  const grafana = await startGrafanaRuntime({ prometheusUrl, templateSrv });
  try {
    const ds = createFluxDatasource(
      { prometheusUid: 'prom', schema: 'kube-state-metrics' },
      { templateSrv, dataSourceSrv: grafana.dataSourceSrv }
    );
    const request = dataQueryRequest(
      [target],
      { fromMs: range.from, toMs: range.to },
      { requestId: 'relations', intervalMs: 30_000 }
    );
    const response = await lastValueFrom(ds.query(request));
    if (response.errors?.length) {
      throw new Error(JSON.stringify(response.errors));
    }
    return response.data.map((frame) => dataFrameToJSON(frame));
  } finally {
    await grafana.close();
  }
}

beforeAll(async () => {
  setup = await setupHost();
  host = setup.host;
  const plugin = await host.page.evaluate((m) => window.fluxgrid.loadPlugin(m), PANEL);
  if (plugin.kind !== 'panel') {
    throw new Error(`dist/panel/module.js is not the status panel (stale build? run npm run build)`);
  }
  const source = await load('failing-source.yaml', 20);
  sourceRange = source.range;
  // The panel's documented query: the state metric as a range query, labels and all.
  sourceFrames = await query(
    source.prometheus.url,
    [{ refId: 'A', expr: 'gotk_resource_info', range: true }],
    sourceRange
  );
  const rollout = await load('rollout-stuck.yaml', 40);
  rolloutRange = rollout.range;
  rolloutFrames = await fluxGridQuery(
    rollout.prometheus.url,
    { refId: 'A', queryType: 'rollout', kind: 'HelmRelease', name: 'podinfo' },
    rolloutRange
  );
}, 300_000);

afterAll(async () => {
  await setup?.close();
  for (const { prometheus } of loaded) {
    await prometheus.stop();
  }
});

beforeEach(() => clearProblems(host));
afterEach(async () => {
  const seen = await problems(host);
  clearProblems(host);
  expect(seen).toEqual([]);
});

/** Centre of cell `index` of an ungrouped grid, in page coordinates (as panel.test.ts). */
async function cellCentre(index: number) {
  const grid = host.page.locator(tid(TEST_IDS.grid));
  const box = (await grid.boundingBox())!;
  const attr = async (name: string) => Number(await grid.getAttribute(name));
  const [columns, width, height, pitchX, pitchY, padding] = await Promise.all([
    attr('data-columns'),
    attr('data-cell-size'),
    attr('data-cell-height'),
    attr('data-pitch'),
    attr('data-pitch-y'),
    attr('data-padding'),
  ]);
  return {
    x: box.x + padding + (index % columns) * pitchX + width / 2,
    y: box.y + padding + Math.floor(index / columns) * pitchY + height / 2,
  };
}

/** Hovers cell `index` and reads the tooltip: its title and what it says about the source. */
async function hover(index: number, previousTitle?: string) {
  const { x, y } = await cellCentre(index);
  await host.page.mouse.move(x, y);
  const tooltip = host.page.locator(tid(TEST_IDS.tooltip));
  const deadline = Date.now() + 5000;
  for (;;) {
    await tooltip.waitFor({ state: 'visible', timeout: 5000 });
    const read = await tooltip.evaluate(
      (el, ids) => ({
        title: el.querySelector(`[data-testid="${ids.title}"]`)?.textContent ?? '',
        blockedBy: el.querySelector(`[data-testid="${ids.blockedBy}"]`)?.textContent ?? '',
        blocks: el.querySelector(`[data-testid="${ids.blocks}"]`)?.textContent ?? '',
      }),
      { title: TEST_IDS.tooltipTitle, blockedBy: RELATION_TEST_IDS.blockedBy, blocks: RELATION_TEST_IDS.blocks }
    );
    if (read.title !== previousTitle || Date.now() > deadline) {
      return read;
    }
    await host.page.evaluate(() => window.fluxgrid.afterPaint());
  }
}

describe('causes before symptoms in the built panel', () => {
  it('counts the causes in the summary, sorts them first, and marks what they block', async () => {
    await host.page.evaluate((r) => window.fluxgrid.render(r), {
      frames: sourceFrames,
      timeRange: sourceRange,
      width: 900,
      height: 500,
      title: 'Flux: a failing source',
      options: { groupBy: 'none', sortBy: 'severity', display: 'tiles' },
      waitFor: `${tid(TEST_IDS.gridCanvas)}[data-draws]`,
    });
    expect(await host.page.locator(tid(RELATION_TEST_IDS.causes)).innerText()).toMatch(
      /^3 failing sources block 7 objects · 2 other failures$/
    );
    // Causes first: the GitRepository (3 Kustomizations and 2 HelmReleases blocked), then the two chart sources (1 each).
    const seen: Array<Awaited<ReturnType<typeof hover>>> = [];
    for (let i = 0; i < 12; i++) {
      seen.push(await hover(i, seen[i - 1]?.title));
    }
    expect(seen.slice(0, 3).map((s) => [s.title, s.blocks])).toEqual([
      ['flux-system/flux-system', 'Cause: blocks 5 objects'],
      ['flux-system/charts-nginx', 'Cause: blocks 1 object'],
      ['flux-system/oci-podinfo', 'Cause: blocks 1 object'],
    ]);
    // Then the failures of their own (not blocked), then the blocked ones, each naming its source.
    expect(seen.slice(3, 5).map((s) => [s.title, s.blockedBy])).toEqual([
      ['flux-system/redis', ''],
      ['team/team-apps', ''],
    ]);
    expect(Object.fromEntries(seen.slice(5, 12).map((s) => [s.title, s.blockedBy]))).toEqual({
      'flux-system/apps': 'Blocked by GitRepository flux-system/flux-system',
      'flux-system/monitoring': 'Blocked by GitRepository flux-system/flux-system',
      'flux-system/tenants': 'Blocked by GitRepository flux-system/flux-system',
      // HelmReleases whose chart is in the GitRepository (chart_source_name).
      'flux-system/platform': 'Blocked by GitRepository flux-system/flux-system',
      'flux-system/tenant-base': 'Blocked by GitRepository flux-system/flux-system',
      'flux-system/podinfo': 'Blocked by OCIRepository flux-system/oci-podinfo',
      'flux-system/nginx': 'Blocked by HelmRepository flux-system/charts-nginx',
    });
    // The screenshot: hovering a blocked Kustomization.
    const apps = seen.findIndex((s) => s.title === 'flux-system/apps');
    await hover(apps, seen[11].title);
    await host.page.evaluate(() => window.fluxgrid.afterPaint());
    await host.page
      .locator(tid('host-panel'))
      .screenshot({ path: screenshotPath('blocked-by-source.png'), animations: 'disabled' });
    await host.page.mouse.move(2, 2);
  });
});

describe('group by source in the built panel', () => {
  it('shows each source with its consumers, and the objects without a relation apart', async () => {
    await host.page.evaluate((r) => window.fluxgrid.render(r), {
      frames: sourceFrames,
      timeRange: sourceRange,
      width: 900,
      // Tall enough for all five groups: the grid renders only the rows in its viewport.
      height: 700,
      options: { groupBy: 'source', subGroupBy: 'none' },
      waitFor: `${tid(TEST_IDS.gridCanvas)}[data-draws]`,
    });
    const headers = (await host.page.locator(tid(TEST_IDS.groupHeader)).allInnerTexts()).map((t) =>
      t.split('\n')[0].trim()
    );
    expect(headers).toEqual(
      expect.arrayContaining([
        expect.stringContaining('GitRepository flux-system/flux-system'),
        expect.stringContaining('OCIRepository flux-system/oci-podinfo'),
        expect.stringContaining('HelmRepository flux-system/charts-nginx'),
        expect.stringContaining('HelmRepository flux-system/charts-redis'),
        expect.stringContaining('(no source relation)'),
      ])
    );
    expect(headers).toHaveLength(5);
  });
});

describe('the rollout mode in the built panel', () => {
  it('shows clusters × revisions with the lagging, failing cluster first', async () => {
    await host.page.evaluate((r) => window.fluxgrid.render(r), {
      frames: rolloutFrames,
      timeRange: rolloutRange,
      width: 900,
      height: 300,
      title: 'Rollout: HelmRelease apps/podinfo',
      waitFor: tid(ROLLOUT_TEST_IDS.view),
    });
    const rows = host.page.locator(tid(ROLLOUT_TEST_IDS.row));
    expect(
      await rows.evaluateAll((els) =>
        els.map((el) => [el.getAttribute('data-cluster'), el.getAttribute('data-status')])
      )
    ).toEqual([
      ['prod-ap', 'lagging'],
      ['prod-eu', 'newest'],
      ['prod-us', 'newest'],
      ['staging', 'newest'],
    ]);
    expect(await host.page.locator(tid(ROLLOUT_TEST_IDS.summary)).innerText()).toMatch(
      /^3 of 4 on the newest 1\.\d+\.1 \(first seen 3[45]m ago\); lagging: prod-ap$/
    );
    expect(await rows.first().innerText()).toMatch(/prod-ap\s*lagging 3[45]m[\s\S]*Failed · for ≥ 40m/);
    await host.page.evaluate(() => window.fluxgrid.afterPaint());
    await host.page
      .locator(tid('host-panel'))
      .screenshot({ path: screenshotPath('rollout.png'), animations: 'disabled' });
  });
});
