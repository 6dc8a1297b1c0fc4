/**
 * @jest-environment node
 *
 * The BUILT status panel (dist/panel/module.js) in real Chromium, loaded by SystemJS the way
 * Grafana loads plugins (see tests/browser/host/index.tsx for what is real and what is mocked),
 * fed with frames a real Prometheus answered through Grafana's own PrometheusDatasource (over the
 * backend stand-in, support/fleet.ts).
 *
 * Assertions are about what a person sees and does: summary counts, clicking, typing, hovering,
 * the keyboard, messages, themes; and that the page logs no errors.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { FluxState } from '../../src/flux/types';
import { TEST_IDS } from '../../src/panel/testIds';
import { DEFAULT_OPTIONS } from '../../src/panel/types';
import type { RenderRequest } from './host/api';
import { type FleetData, loadFleet, query } from './support/fleet';
import {
  clearProblems,
  DIST,
  problems,
  screenshotPath,
  setupHost,
  type HostPage,
  type HostSetup,
  type StaticServer,
} from './support/host';

jest.setTimeout(60_000);

const PANEL = '/dist/panel/module.js';
const PROBLEM_STATES: FluxState[] = ['Failed', 'Progressing', 'Unknown'];
const VISIBLE_STATES: FluxState[] = ['Failed', 'Progressing', 'Unknown', 'Suspended', 'Ready'];

const tid = (id: string) => `[data-testid="${id}"]`;
const GRID = tid(TEST_IDS.grid);

let fleet: FleetData;
let setup: HostSetup | undefined;
let server: StaticServer;
let host: HostPage;

beforeAll(async () => {
  const [started, data] = await Promise.allSettled([setupHost(), loadFleet()]);
  if (started.status === 'fulfilled') {
    setup = started.value;
  }
  if (data.status === 'fulfilled') {
    fleet = data.value;
  }
  for (const result of [started, data]) {
    if (result.status === 'rejected') {
      throw result.reason;
    }
  }
  ({ server, host } = setup!);
  const loaded = await host.page.evaluate((m) => window.fluxgrid.loadPlugin(m), PANEL);
  if (loaded.kind !== 'panel' || !loaded.optionPaths?.includes('groupBy')) {
    throw new Error(
      `${DIST}/panel/module.js is not the status panel (stale build? run npm run build): ${JSON.stringify(loaded)}`
    );
  }
}, 300_000);

afterAll(async () => {
  await setup?.close();
  await fleet?.prometheus.stop();
});

beforeEach(() => clearProblems(host));
afterEach(async () => {
  // Every test ends with a page that logged no error (console, uncaught, render, HTTP).
  const seen = await problems(host);
  clearProblems(host);
  expect(seen).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// Helpers

function framesFor(schema: 'kube-state-metrics' | 'flux-operator') {
  const frames = fleet.frames[schema];
  if (!frames) {
    throw new Error(`no frames for ${schema}`);
  }
  return frames;
}

function expectedFor(schema: 'kube-state-metrics' | 'flux-operator') {
  return fleet.expected[schema]!;
}

/** Renders the panel and waits until `waitFor` (default: the grid, drawn at least once) is there. */
async function render(req: RenderRequest) {
  return host.page.evaluate((r) => window.fluxgrid.render(r), {
    timeRange: fleet.range,
    width: 1000,
    height: 600,
    waitFor: `${tid(TEST_IDS.gridCanvas)}[data-draws]`,
    ...req,
  });
}

/** The number a person reads on each summary button. */
async function summaryCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const state of VISIBLE_STATES) {
    const text = await host.page.locator(tid(TEST_IDS.summaryButton(state))).innerText();
    const match = new RegExp(`${state}\\s*(\\d+)`).exec(text.replace(/\s+/g, ' '));
    if (!match) {
      throw new Error(`summary button ${state} reads "${text}"`);
    }
    counts[state] = Number(match[1]);
  }
  return counts;
}

async function gridCells(): Promise<number> {
  return Number(await host.page.locator(GRID).getAttribute('data-cells'));
}

/** Polls until the grid shows `n` cells (state updates and redraws are asynchronous). */
async function expectGridCells(n: number) {
  await host.page
    .waitForFunction(
      ([sel, want]) => document.querySelector(sel)?.getAttribute('data-cells') === String(want),
      [GRID, n] as const,
      { timeout: 10_000 }
    )
    .catch(async () => {
      throw new Error(`grid shows ${await gridCells().catch(() => 'no grid')} cells, expected ${n}`);
    });
}

/** Centre of cell `index` of an ungrouped grid, in page coordinates. */
async function cellCentre(index: number) {
  const grid = host.page.locator(GRID);
  const box = (await grid.boundingBox())!;
  const attr = async (name: string) => Number(await grid.getAttribute(name));
  // Square cells or labelled tiles: the same geometry with a wider box.
  const [columns, width, height, pitchX, pitchY, padding] = await Promise.all([
    attr('data-columns'),
    attr('data-cell-size'),
    attr('data-cell-height'),
    attr('data-pitch'),
    attr('data-pitch-y'),
    attr('data-padding'),
  ]);
  const col = index % columns;
  const row = Math.floor(index / columns);
  return { x: box.x + padding + col * pitchX + width / 2, y: box.y + padding + row * pitchY + height / 2 };
}

/** Tooltip rows as label -> value, plus the object's key (data-key) and header title. */
async function tooltipRows(): Promise<Record<string, string>> {
  const tooltip = host.page.locator(tid(TEST_IDS.tooltip));
  await tooltip.waitFor({ state: 'visible', timeout: 5000 });
  return tooltip.evaluate((el, titleId) => {
    const rows: Record<string, string> = {};
    const dts = Array.from(el.querySelectorAll('dt'));
    for (const dt of dts) {
      rows[dt.textContent ?? ''] = dt.nextElementSibling?.textContent ?? '';
    }
    rows.key = el.getAttribute('data-key') ?? '';
    rows.title = el.querySelector(`[data-testid="${titleId}"]`)?.textContent ?? '';
    return rows;
  }, TEST_IDS.tooltipTitle);
}

/** The object's identity (the core's objectKey), as the tooltip carries it. */
function keyOf(rows: Record<string, string>): string {
  return rows.key;
}

const nameOf = (key: string) => key.split('\u001f')[3];

/** Moves the mouse over cell `index` and reads the tooltip once it names another object than `previousKey`. */
async function hoverCell(index: number, previousKey?: string): Promise<Record<string, string>> {
  const { x, y } = await cellCentre(index);
  await host.page.mouse.move(x, y);
  const deadline = Date.now() + 5000;
  for (;;) {
    const rows = await tooltipRows();
    if (keyOf(rows) !== previousKey) {
      return rows;
    }
    if (Date.now() > deadline) {
      throw new Error(`hovering cell ${index}: the tooltip still shows ${previousKey}`);
    }
    await host.page.evaluate(() => window.fluxgrid.afterPaint());
  }
}

function keysInState(schema: 'kube-state-metrics' | 'flux-operator', state: FluxState): string[] {
  return [...expectedFor(schema).states].filter(([, s]) => s === state).map(([key]) => key);
}

// ---------------------------------------------------------------------------------------------

describe('the built panel in Chromium', () => {
  it('is fetched over HTTP and evaluated by SystemJS as an AMD module, like Grafana does', async () => {
    expect(server.requests).toContain(PANEL);
    expect(fs.readFileSync(path.join(DIST, 'panel', 'module.js'), 'utf8')).toMatch(/define\(\[/);
    const loaded = await host.page.evaluate((m) => window.fluxgrid.loadPlugin(m), PANEL);
    expect(loaded).toMatchObject({
      kind: 'panel',
      exportKeys: ['plugin'],
      id: 'fluxgrid-status-panel',
      hasPanelComponent: true,
    });
    // Grafana computes option defaults from the options builder: they must be the panel's own.
    expect(loaded.defaults).toMatchObject({
      groupBy: DEFAULT_OPTIONS.groupBy,
      sortBy: DEFAULT_OPTIONS.sortBy,
      cellSize: DEFAULT_OPTIONS.cellSize,
      showSummary: true,
      showToolbar: true,
      failingThreshold: DEFAULT_OPTIONS.failingThreshold,
    });
  });

  it.each(['kube-state-metrics', 'flux-operator'] as const)(
    'shows the summary counts the scenario expects (%s metrics from a real Prometheus)',
    async (schema) => {
      await render({ frames: framesFor(schema) });
      const { counts, states } = expectedFor(schema);
      expect(await summaryCounts()).toEqual(Object.fromEntries(VISIBLE_STATES.map((s) => [s, counts[s]])));
      expect(await gridCells()).toBe(states.size);
      // The fixture is meant to show failures: guard against a scenario edit that removes them.
      expect(counts.Failed).toBeGreaterThan(0);
    }
  );

  it('shows only the state whose summary count is clicked, and everything when clicked again', async () => {
    const schema = 'flux-operator';
    await render({ frames: framesFor(schema) });
    const { counts, states } = expectedFor(schema);
    const failed = host.page.locator(tid(TEST_IDS.summaryButton('Failed')));
    const suspended = host.page.locator(tid(TEST_IDS.summaryButton('Suspended')));
    expect(await failed.getAttribute('aria-pressed')).toBe('false');
    await failed.click();
    await expectGridCells(counts.Failed);
    expect(await failed.getAttribute('aria-pressed')).toBe('true');
    // The summary keeps counting everything: it is the filter, not the result.
    expect((await summaryCounts()).Ready).toBe(counts.Ready);

    // Another state replaces the filter (one state at a time).
    await suspended.click();
    await expectGridCells(counts.Suspended);
    expect(await failed.getAttribute('aria-pressed')).toBe('false');
    expect(await suspended.getAttribute('aria-pressed')).toBe('true');

    await suspended.click();
    await expectGridCells(states.size);
    expect(await suspended.getAttribute('aria-pressed')).toBe('false');
  });

  it('searches by name, by reason, and says when nothing matches', async () => {
    const schema = 'flux-operator';
    await render({ frames: framesFor(schema) });
    const search = host.page.locator(tid(TEST_IDS.searchInput));

    const [oneKey] = keysInState(schema, 'Suspended');
    const name = nameOf(oneKey);
    // Search matches substrings of kind, namespace, name, cluster and reason: count what contains it.
    const sameName = [...expectedFor(schema).states.keys()].filter((k) =>
      k.split('\u001f').some((part) => part.includes(name))
    );
    await search.fill(name);
    await expectGridCells(sameName.length);

    // The two prod-eu HelmReleases fail with UpgradeFailed (flux_resource_info carries the reason).
    await search.fill('UpgradeFailed');
    await expectGridCells(2);

    await search.fill('no-such-object-anywhere');
    const message = host.page.locator(tid(TEST_IDS.message));
    await message.waitFor({ timeout: 5000 });
    expect(await message.getAttribute('data-kind')).toBe('filteredOut');
    expect(await message.innerText()).toContain('no-such-object-anywhere');
    await host.page.locator(tid(TEST_IDS.clearFilters)).click();
    await expectGridCells(expectedFor(schema).states.size);
    expect(await search.inputValue()).toBe('');
  });

  it('shows only Failed, Progressing and Unknown objects with "Problems only"', async () => {
    const schema = 'flux-operator';
    await render({ frames: framesFor(schema) });
    const { counts, states } = expectedFor(schema);
    const toggle = host.page.locator(tid(TEST_IDS.problemsToggle));
    await toggle.click();
    await expectGridCells(PROBLEM_STATES.reduce((sum, s) => sum + counts[s], 0));
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await toggle.click();
    await expectGridCells(states.size);

    // The saved option starts the panel with the toggle on.
    await render({ frames: framesFor(schema), options: { problemsOnly: true } });
    await expectGridCells(PROBLEM_STATES.reduce((sum, s) => sum + counts[s], 0));
  });

  it('shows a tooltip naming the object, its state and reason when hovering each failing cell', async () => {
    const schema = 'flux-operator';
    // Ungrouped, most severe first: the first cells are exactly the failing objects.
    await render({ frames: framesFor(schema), options: { groupBy: 'none', sortBy: 'severity' } });
    const failedKeys = keysInState(schema, 'Failed');
    const seen: string[] = [];
    for (let i = 0; i < failedKeys.length; i++) {
      const rows = await hoverCell(i, seen[seen.length - 1]);
      expect(rows.State).toMatch(/^Failed/);
      expect(rows.Reason).toBeTruthy();
      seen.push(keyOf(rows));
    }
    expect(seen.sort()).toEqual([...failedKeys].sort());

    // The prod-eu HelmReleases have failed for 50 minutes: past the default 10m threshold.
    const rows = await hoverCell(0, seen[seen.length - 1]);
    if (rows.Cluster === 'prod-eu') {
      expect(rows.State).toMatch(/^Failed for .*\(sustained\)$/);
      expect(await host.page.locator(tid(TEST_IDS.tooltip)).getAttribute('data-sustained')).toBe('true');
    }

    // Leaving the grid hides it.
    await host.page.mouse.move(5, 5);
    await host.page.locator(tid(TEST_IDS.tooltip)).waitFor({ state: 'detached', timeout: 5000 });
  });

  it('moves between objects with the keyboard and shows the focused object', async () => {
    const schema = 'flux-operator';
    await render({ frames: framesFor(schema), options: { groupBy: 'none', sortBy: 'severity' } });
    await host.page.locator(GRID).focus();
    const active = host.page.locator(tid(TEST_IDS.activeCell));
    await active.waitFor({ state: 'attached', timeout: 5000 });
    const failedKeys = keysInState(schema, 'Failed');
    const first = await active.getAttribute('data-key');
    expect(failedKeys).toContain(first);
    expect(keyOf(await tooltipRows())).toBe(first);

    await host.page.keyboard.press('ArrowRight');
    await host.page.waitForFunction(([sel, prev]) => document.querySelector(sel)?.getAttribute('data-key') !== prev, [
      tid(TEST_IDS.activeCell),
      first,
    ] as const);
    const second = await active.getAttribute('data-key');
    expect(failedKeys).toContain(second);
    expect(await active.innerText()).toContain('Failed');

    await host.page.keyboard.press('End');
    await host.page.waitForFunction(([sel, prev]) => document.querySelector(sel)?.getAttribute('data-key') !== prev, [
      tid(TEST_IDS.activeCell),
      second,
    ] as const);
    // Ready objects sort last.
    expect(await active.innerText()).toMatch(/: Ready/);
    await host.page.keyboard.press('Escape');
  });

  it('renders label values containing HTML as text', async () => {
    const schema = 'flux-operator';
    const evil = '<img src=x onerror=window.__fluxgridXss=1>';
    await render({ frames: framesFor(schema), options: { groupBy: 'none' } });
    await host.page.locator(tid(TEST_IDS.searchInput)).fill('<img');
    await expectGridCells(1);
    const rows = await hoverCell(0);
    expect(rows.title).toBe(`apps/${evil}`);
    expect(await host.page.locator(tid(TEST_IDS.tooltip)).innerText()).toContain(evil);
    // One object: a labelled tile that writes the name as text.
    expect(await host.page.locator(tid(TEST_IDS.tileName)).allInnerTexts()).toEqual([evil]);
    expect(await host.page.locator('img[src="x"]').count()).toBe(0);
    expect(await host.page.evaluate(() => (window as any).__fluxgridXss)).toBeUndefined();
    await host.page.mouse.move(5, 5);
  });

  it('explains data that is not Flux metrics', async () => {
    const frames = await query(fleet.prometheus.url, [{ refId: 'A', expr: 'node_load1', range: true }], fleet.range);
    expect(frames.length).toBe(2);
    await render({ frames, waitFor: tid(TEST_IDS.message) });
    const message = host.page.locator(tid(TEST_IDS.message));
    expect(await message.getAttribute('data-kind')).toBe('notFlux');
    const text = await message.innerText();
    expect(text).toContain('No Flux metrics');
    expect(text).toContain('node_load1');
    expect(text).toContain('gotk_resource_info');
    expect(await host.page.locator(GRID).count()).toBe(0);
  });

  it('says "No data" when the query returns nothing, and when there is no query', async () => {
    const frames = await query(
      fleet.prometheus.url,
      [{ refId: 'A', expr: 'flux_resource_info{cluster="no-such-cluster"}', range: true }],
      fleet.range
    );
    for (const input of [frames, []]) {
      await render({ frames: input, waitFor: tid(TEST_IDS.message) });
      const message = host.page.locator(tid(TEST_IDS.message));
      expect(await message.getAttribute('data-kind')).toBe('noData');
      expect(await message.innerText()).toMatch(/flux_resource_info|gotk_resource_info/);
      expect(await host.page.locator(GRID).count()).toBe(0);
    }
  });

  it('renders in the dark and the light theme (catalog screenshots)', async () => {
    const backgrounds: string[] = [];
    for (const theme of ['dark', 'light'] as const) {
      const result = await render({
        frames: framesFor('flux-operator'),
        theme,
        width: 1100,
        height: 440,
        title: 'Flux reconciliation status',
        options: { groupBy: 'cluster', subGroupBy: 'none', cellSize: 22 },
      });
      expect(result.theme).toBe(theme);
      const panel = host.page.locator(tid(TEST_IDS.panel));
      backgrounds.push(
        await panel.evaluate((el) => getComputedStyle(el.closest('section') ?? document.body).backgroundColor)
      );
      // Three clusters, each a group header a person can read.
      const headers = await host.page.locator(tid(TEST_IDS.groupHeader)).allInnerTexts();
      expect(headers.join(' ')).toMatch(/prod-eu[\s\S]*prod-us[\s\S]*staging|prod-eu/);
      // Draw at least one frame after the render settled, then capture the whole panel.
      await host.page.evaluate(() => window.fluxgrid.afterPaint());
      await host.page
        .locator(tid('host-panel'))
        .screenshot({ path: screenshotPath(`status-grid-${theme}.png`), animations: 'disabled' });
    }
    expect(backgrounds[0]).not.toBe(backgrounds[1]);
  });
});
