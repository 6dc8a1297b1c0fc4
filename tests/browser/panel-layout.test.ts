/**
 * @jest-environment node
 *
 * The BUILT status panel in real Chromium at the sizes people give it, with fleets of 25, 300
 * and 10,000 objects the simulator writes into a REAL Prometheus (queried through Grafana's own
 * PrometheusDatasource, support/fleet.ts, as tests/browser/panel.test.ts does): names readable at a normal size, the grid
 * visible in a small panel, problems in view in a big fleet, folding, the pinned tooltip.
 * Takes the catalog screenshots of those sizes (see screenshotPath).
 */

// Must come before @grafana/* (it gives @grafana/data the browser globals it touches on import).
import { query } from './support/fleet';
import { startPrometheus, type PrometheusServer } from '../harness/prometheus';

import {
  expectedStates,
  parseScenario,
  scenarioToOpenMetrics,
  verifyExpectations,
  type Scenario,
} from '../../simulator';
import { TEST_IDS } from '../../src/panel/testIds';
import { clearProblems, problems, screenshotPath, setupHost, type HostPage, type HostSetup } from './support/host';

jest.setTimeout(60_000);

const tid = (id: string) => `[data-testid="${id}"]`;
const GRID = tid(TEST_IDS.grid);
/** The scenarios' instant the panel looks at (the range ends there). */
const AT = '55m';
const AT_MS = 55 * 60 * 1000;

interface FleetEvent {
  at: string;
  action: 'fail' | 'progress';
  /** YAML flow mapping of the simulator's select, e.g. "{ kind: HelmRelease, count: 2 }". */
  select: string;
  reason?: string;
  /** What the object shows at AT (declared, and checked by verifyExpectations). */
  state: 'Failed' | 'Progressing';
}

/**
 * The fleet's own namespaces (a one-cluster fleet carries no cluster label), so the three fleets
 * live side by side in one Prometheus and each query selects one.
 */
function namespacesOf(fleet: string, total: number): string[] {
  if (fleet === 'teams') {
    // Many small teams: the fleet that flows into columns in a wide panel.
    return Array.from({ length: 30 }, (_, i) => `${fleet}-ns-${i}`);
  }
  return total > 1000
    ? Array.from({ length: 40 }, (_, i) => `${fleet}-team-${i}`)
    : ['system', 'apps', 'infra'].map((ns) => `${fleet}-${ns}`);
}

/** One fleet per scenario, told apart by namespace. */
function fleetYaml(fleet: string, objects: Record<string, number>, events: FleetEvent[]): string {
  const total = Object.values(objects).reduce((a, b) => a + b, 0);
  return `name: ${fleet}
schemas: [flux-operator]
start: 2025-01-06T00:00:00Z
step: 60s
duration: 1h
metrics:
  reconcileDuration: false
  controllers: false
fleet:
  seed: 7
  namespaces: [${namespacesOf(fleet, total).join(', ')}]
  objects:
${Object.entries(objects)
  .map(([kind, n]) => `    ${kind}: ${n}`)
  .join('\n')}
timeline:
${events
  .map(
    (e) =>
      `  - at: ${e.at}\n    action: ${e.action}\n    select: ${e.select}` +
      (e.reason ? `\n    reason: ${e.reason}` : '')
  )
  .join('\n')}
expect:
  - at: ${AT}
    default: Ready
    objects:
${events.map((e) => `      - select: ${e.select}\n        state: ${e.state}`).join('\n')}
`;
}

/** ~25 objects: what most teams run. */
const SMALL = fleetYaml(
  'edge',
  { Kustomization: 8, HelmRelease: 8, GitRepository: 4, HelmRepository: 3, OCIRepository: 2 },
  [
    { at: '30m', action: 'fail', select: '{ kind: HelmRelease, count: 2 }', reason: 'UpgradeFailed', state: 'Failed' },
    { at: '50m', action: 'progress', select: '{ kind: Kustomization, count: 1 }', state: 'Progressing' },
  ]
);

const MEDIUM = fleetYaml(
  'shop',
  { Kustomization: 100, HelmRelease: 100, GitRepository: 40, HelmRepository: 30, OCIRepository: 30 },
  [
    {
      at: '20m',
      action: 'fail',
      select: '{ kind: Kustomization, count: 4 }',
      reason: 'HealthCheckFailed',
      state: 'Failed',
    },
  ]
);

/** 300 objects in 30 namespaces: many small groups. */
const MANY = fleetYaml(
  'teams',
  { Kustomization: 100, HelmRelease: 100, GitRepository: 40, HelmRepository: 30, OCIRepository: 30 },
  [{ at: '20m', action: 'fail', select: '{ kind: HelmRelease, count: 3 }', reason: 'UpgradeFailed', state: 'Failed' }]
);

/** 10,000 objects, 40 failing Kustomizations among 3,000 Ready HelmReleases and the rest. */
const LARGE = fleetYaml(
  'fleet',
  {
    Kustomization: 3000,
    HelmRelease: 3000,
    GitRepository: 1500,
    OCIRepository: 500,
    HelmRepository: 500,
    HelmChart: 1500,
  },
  [{ at: '20m', action: 'fail', select: '{ kind: Kustomization, count: 40 }', reason: 'BuildFailed', state: 'Failed' }]
);

interface Fleet {
  scenario: Scenario;
  /** Frames as JSON text, served to the page like /api/ds/query. */
  url: string;
  names: string[];
  failed: number;
}

let setup: HostSetup | undefined;
let host: HostPage;
let prometheus: PrometheusServer | undefined;
const loaded = new Map<string, Fleet>();
const fleets = {
  get small() {
    return fleetOf('small');
  },
  get medium() {
    return fleetOf('medium');
  },
  get large() {
    return fleetOf('large');
  },
  get many() {
    return fleetOf('many');
  },
};

function fleetOf(key: string): Fleet {
  const fleet = loaded.get(key);
  if (!fleet) {
    throw new Error(`fleet ${key} was not loaded (see beforeAll)`);
  }
  return fleet;
}

beforeAll(async () => {
  const scenarios = { small: SMALL, medium: MEDIUM, large: LARGE, many: MANY };
  const parsed = Object.fromEntries(
    Object.entries(scenarios).map(([key, yaml]) => [key, parseScenario(yaml, `${key}.yaml`)])
  ) as Record<keyof typeof scenarios, Scenario>;
  for (const scenario of Object.values(parsed)) {
    const inconsistent = verifyExpectations(scenario);
    if (inconsistent.length > 0) {
      throw new Error(`scenario ${scenario.name}: ${inconsistent.join('; ')}`);
    }
  }
  const [started, prom] = await Promise.allSettled([
    setupHost({ viewport: { width: 1700, height: 900 } }),
    startPrometheus({ openMetrics: Object.values(parsed).map((s) => scenarioToOpenMetrics(s)), timeoutMs: 240_000 }),
  ]);
  if (started.status === 'fulfilled') {
    setup = started.value;
  }
  if (prom.status === 'fulfilled') {
    prometheus = prom.value;
  }
  for (const result of [started, prom]) {
    if (result.status === 'rejected') {
      throw result.reason;
    }
  }
  host = setup!.host;
  const start = parsed.small.startMs;
  const range = { from: start, to: start + AT_MS };
  for (const [key, scenario] of Object.entries(parsed) as Array<[keyof typeof scenarios, Scenario]>) {
    const prefix = scenario.name;
    const frames = await query(
      prometheus!.url,
      [{ refId: 'A', expr: `flux_resource_info{exported_namespace=~"${prefix}-.+"}`, range: true }],
      range
    );
    if (!frames.some((frame) => frame.schema?.fields?.length)) {
      const clusters = await query(
        prometheus!.url,
        [{ refId: 'A', expr: 'count by (exported_namespace) (flux_resource_info)', range: false }],
        range
      );
      throw new Error(
        `no flux_resource_info in namespaces ${prefix}-*; Prometheus has ${JSON.stringify(clusters).slice(0, 500)}`
      );
    }
    const states = expectedStates(scenario, AT_MS / 1000, { schema: 'flux-operator', includeDeleted: false });
    const url = `/test/frames-${key}.json`;
    // Field values may be typed arrays: written as JSON arrays, as Grafana's wire format has them.
    setup!.server.put(
      url,
      JSON.stringify(frames, (_key, value: unknown) =>
        ArrayBuffer.isView(value) ? Array.from(value as Float64Array) : value
      )
    );
    loaded.set(key, {
      scenario,
      url,
      names: [...states.keys()].map((k) => k.split('\u001f')[3]),
      failed: [...states.values()].filter((s) => s === 'Failed').length,
    });
  }
  await host.page.evaluate(() => window.fluxgrid.loadPlugin('/dist/panel/module.js'));
}, 300_000);

afterAll(async () => {
  await setup?.close();
  await prometheus?.stop();
});

beforeEach(() => clearProblems(host));
afterEach(async () => {
  const seen = await problems(host);
  clearProblems(host);
  expect(seen).toEqual([]);
});

/** Renders a fleet at a size; the page fetches the frames itself (10k frames are ~20 MB of JSON). */
async function render(
  fleet: Fleet,
  size: { width: number; height: number },
  extra: { options?: Record<string, unknown>; theme?: 'dark' | 'light'; title?: string } = {}
) {
  const range = { from: fleet.scenario.startMs, to: fleet.scenario.startMs + AT_MS };
  await host.page.evaluate(
    async ([url, req]) => {
      const frames = await (await fetch(url)).text();
      await window.fluxgrid.render({ ...req, frames });
      await window.fluxgrid.afterPaint();
    },
    [
      fleet.url,
      {
        ...size,
        timeRange: range,
        options: extra.options,
        theme: extra.theme ?? 'dark',
        title: extra.title ?? 'Flux objects',
        waitFor: `${tid(TEST_IDS.gridCanvas)}[data-draws], ${tid(TEST_IDS.message)}`,
        timeoutMs: 30_000,
      },
    ] as const
  );
  if ((await host.page.locator(GRID).count()) === 0) {
    const fetched = await host.page.evaluate(async (u) => {
      const t = await (await fetch(u)).text();
      const j = JSON.parse(t);
      return `${j.length} frames; first data ${JSON.stringify(j[0].data).slice(0, 300)}; fields ${JSON.stringify(j[0].schema.fields).slice(0, 300)}`;
    }, fleet.url);
    throw new Error(`no grid: the panel says ${await host.page.locator(tid(TEST_IDS.panel)).innerText()} (${fetched})`);
  }
}

async function screenshot(name: string) {
  await host.page.evaluate(() => window.fluxgrid.afterPaint());
  await host.page.locator(tid('host-panel')).screenshot({ path: screenshotPath(name), animations: 'disabled' });
}

/** Boxes of the tiles fully inside the grid's viewport, with the name each writes. */
async function tilesInView() {
  return host.page.evaluate(
    ([gridSel, tileSel, nameSel]) => {
      const grid = document.querySelector(gridSel)!.getBoundingClientRect();
      return Array.from(document.querySelectorAll<HTMLElement>(tileSel))
        .map((tile) => {
          const box = tile.getBoundingClientRect();
          const name = tile.querySelector<HTMLElement>(nameSel)!;
          const style = getComputedStyle(name);
          return {
            name: name.textContent ?? '',
            inView:
              box.top >= grid.top && box.bottom <= grid.bottom && box.left >= grid.left && box.right <= grid.right,
            fontPx: parseFloat(style.fontSize),
            // Written out whole, not cut with an ellipsis.
            whole: name.scrollWidth <= name.clientWidth,
            color: style.color,
          };
        })
        .filter((tile) => tile.inView);
    },
    [GRID, tid(TEST_IDS.tile), tid(TEST_IDS.tileName)] as const
  );
}

const attr = async (name: string) => Number(await host.page.locator(GRID).getAttribute(name));

/**
 * Scrolls the grid to its end, where the folded groups of the large fleet are, and waits for at
 * least `headers` of their headers: the rows the scroll brings into view render a frame after it,
 * so the first header can be there before the others.
 */
async function scrollToFoldedGroups(headers = 1) {
  await host.page.locator(GRID).evaluate((grid) => {
    grid.scrollTop = grid.scrollHeight;
  });
  await host.page.waitForFunction(
    ([selector, count]) => document.querySelectorAll(selector).length >= count,
    [`${tid(TEST_IDS.groupHeader)}[data-folded="true"]`, headers] as const,
    { timeout: 5000 }
  );
}

describe('the status panel at the sizes people use', () => {
  it('writes every name of a 25-object fleet at 1000×500, readable without hovering', async () => {
    const fleet = fleets.small;
    expect(fleet.names).toHaveLength(25);
    // Grouped by namespace: three groups. (By kind, five groups need a short scroll for the last.)
    await render(
      fleet,
      { width: 1000, height: 500 },
      { title: 'Flux objects (25)', options: { groupBy: 'namespace' } }
    );
    expect(await host.page.locator(GRID).getAttribute('data-mode')).toBe('tiles');
    const tiles = await tilesInView();
    expect(tiles.map((t) => t.name).sort()).toEqual([...fleet.names].sort());
    for (const tile of tiles) {
      expect(tile.fontPx).toBeGreaterThanOrEqual(11);
      expect(tile.whole).toBe(true);
    }
    // Without hovering: no tooltip is open.
    expect(await host.page.locator(tid(TEST_IDS.tooltip)).count()).toBe(0);
    await screenshot('status-grid-names.png');
  });

  it('shows several rows of cells for 300 objects at 400×250, and "Clear filters" stays reachable', async () => {
    const fleet = fleets.medium;
    await render(fleet, { width: 400, height: 250 }, { title: 'Flux (300)' });
    expect(await host.page.locator(tid(TEST_IDS.controls)).getAttribute('data-compact')).toBe('true');
    const panel = (await host.page.locator(tid(TEST_IDS.panel)).boundingBox())!;
    const grid = (await host.page.locator(GRID).boundingBox())!;
    // The grid gets most of the panel, and its first rows are drawn.
    expect(grid.height).toBeGreaterThan(panel.height * 0.6);
    const columns = await attr('data-columns');
    const drawn = Number(await host.page.locator(tid(TEST_IDS.gridCanvas)).getAttribute('data-drawn-cells'));
    expect(drawn).toBeGreaterThanOrEqual(4 * columns);
    await screenshot('status-grid-small.png');

    // Search behind its icon; a search that matches nothing offers "Clear filters" inside the panel.
    await host.page.locator(tid(TEST_IDS.searchToggle)).click();
    await host.page.locator(tid(TEST_IDS.searchInput)).fill('no-such-object');
    const clear = host.page.locator(tid(TEST_IDS.clearFilters));
    await clear.waitFor({ timeout: 5000 });
    const box = (await clear.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(panel.y + panel.height);
    await clear.click();
    await host.page.waitForFunction(
      ([sel, n]) => document.querySelector(sel)?.getAttribute('data-cells') === String(n),
      [GRID, fleet.names.length] as const
    );

    // The other controls are icons: problems only, and the sort order in a menu.
    const problemsOnly = host.page.locator(tid(TEST_IDS.problemsToggle));
    await problemsOnly.click();
    await host.page.waitForFunction(
      ([sel, n]) => document.querySelector(sel)?.getAttribute('data-cells') === String(n),
      [GRID, fleet.failed] as const
    );
    expect(await problemsOnly.getAttribute('aria-pressed')).toBe('true');
    await problemsOnly.click();
    const sort = host.page.locator(tid(TEST_IDS.sortSelect));
    expect(await sort.getAttribute('aria-label')).toBe('Sort objects: Severity');
    await sort.click();
    await host.page.getByRole('menuitem', { name: /^Name/ }).click();
    await host.page.waitForFunction(
      (sel) => document.querySelector(sel)?.getAttribute('aria-label') === 'Sort objects: Name',
      tid(TEST_IDS.sortSelect)
    );
  });

  it('shows failing objects in view at 10,000 objects at 1600×800, folds the all-Ready groups and says what is below', async () => {
    const fleet = fleets.large;
    expect(fleet.names).toHaveLength(10_000);
    await render(fleet, { width: 1600, height: 800 }, { title: 'Flux objects (10,000)' });
    expect(await attr('data-cells')).toBe(10_000);
    expect(await attr('data-folded')).toBeGreaterThan(0);
    const grid = host.page.locator(GRID);
    expect(await grid.evaluate((el) => el.scrollTop)).toBe(0);
    // Hover the first cell under the first header: the worst group comes first, its worst object first.
    const headers = host.page.locator(tid(TEST_IDS.groupHeader));
    const first = (await headers.first().boundingBox())!;
    const size = await attr('data-cell-size');
    await host.page.mouse.move(first.x + 8 + size / 2, first.y + first.height + size / 2);
    const tooltip = host.page.locator(tid(TEST_IDS.tooltip));
    await tooltip.waitFor({ timeout: 5000 });
    expect(await tooltip.innerText()).toMatch(/Kustomization[\s\S]*Failed/);
    await host.page.mouse.move(1, 1);
    await tooltip.waitFor({ state: 'detached', timeout: 5000 });
    // What is below the failing Kustomizations: the five all-Ready kinds, folded. Their headers
    // may start just past the bottom (3,000 cells fill the view), so they are scrolled to.
    const cue = host.page.locator(tid(TEST_IDS.moreBelow));
    expect(await cue.innerText()).toMatch(/^5 more groups below/);
    await screenshot('status-grid-10k.png');
    await scrollToFoldedGroups(5);
    const folded = host.page.locator(`${tid(TEST_IDS.groupHeader)}[data-folded="true"]`);
    expect(await folded.count()).toBe(5);
    expect(await folded.first().innerText()).toMatch(/\d/);
  });

  it('opens a folded group on click and with the keyboard, and folds it again', async () => {
    await render(fleets.large, { width: 1600, height: 800 });
    const foldedBefore = await attr('data-folded');
    await scrollToFoldedGroups();
    const header = host.page.locator(`${tid(TEST_IDS.groupHeader)}[data-folded="true"]`).first();
    const label = (await header.innerText()).split('\n')[0];
    const toggle = header.locator(tid(TEST_IDS.groupToggle));
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    await host.page.waitForFunction(
      ([sel, before]) => Number(document.querySelector(sel)?.getAttribute('data-folded')) < before,
      [GRID, foldedBefore] as const
    );
    const opened = host.page.locator(tid(TEST_IDS.groupHeader)).filter({ hasText: label }).first();
    expect(await opened.getAttribute('data-folded')).toBe('false');
    // The same button folds it again: keyboard this time.
    const again = opened.locator(tid(TEST_IDS.groupToggle));
    expect(await again.getAttribute('aria-expanded')).toBe('true');
    await again.focus();
    await host.page.keyboard.press('Enter');
    await host.page.waitForFunction(
      ([sel, before]) => Number(document.querySelector(sel)?.getAttribute('data-folded')) === before,
      [GRID, foldedBefore] as const
    );
    const refolded = host.page.locator(tid(TEST_IDS.groupHeader)).filter({ hasText: label }).first();
    await refolded.locator(tid(TEST_IDS.groupToggle)).focus();
    await host.page.keyboard.press(' ');
    await host.page.waitForFunction(
      ([sel, before]) => Number(document.querySelector(sel)?.getAttribute('data-folded')) < before,
      [GRID, foldedBefore] as const
    );
  });

  it('says how many groups are below and scrolls to the next one with problems', async () => {
    // 300 objects in a short panel, Ready groups forced open: groups run past the bottom.
    await render(
      fleets.medium,
      { width: 1000, height: 300 },
      { options: { display: 'cells', groupBy: 'namespace', subGroupBy: 'kind' } }
    );
    const cue = host.page.locator(tid(TEST_IDS.moreBelow));
    await cue.waitFor({ timeout: 5000 });
    expect(await cue.innerText()).toMatch(/^\d+ more groups? below/);
    await cue.click();
    await host.page.waitForFunction((sel) => document.querySelector(sel)!.scrollTop > 0, GRID);
  });

  it('flows 300 objects in many namespace groups into columns at 1600×800, and hit-tests the second column', async () => {
    const fleet = fleets.many;
    await render(fleet, { width: 1600, height: 800 }, { options: { groupBy: 'namespace' } });
    expect(await attr('data-lanes')).toBeGreaterThanOrEqual(2);
    const grid = (await host.page.locator(GRID).boundingBox())!;
    const headers = host.page.locator(tid(TEST_IDS.groupHeader));
    const boxes = await headers.evaluateAll((els) =>
      els.map((el) => {
        const box = el.getBoundingClientRect();
        return { x: box.x, bottom: box.bottom, width: box.width, label: el.textContent ?? '' };
      })
    );
    // Group headers right of the middle: the width is used, not left empty.
    const right = boxes.filter((box) => box.x > grid.x + grid.width / 2);
    expect(right.length).toBeGreaterThan(0);
    expect(boxes.every((box) => box.width < grid.width / 2)).toBe(true);

    // The first cell of a group in a right-hand column sits just under its header.
    const index = await headers.evaluateAll(
      (els, half) => els.findIndex((el) => el.getBoundingClientRect().x > half),
      grid.x + grid.width / 2
    );
    const header = headers.nth(index);
    const label = (await header.innerText()).split('\n')[0];
    const [padding, cellWidth, cellHeight] = await Promise.all([
      attr('data-padding'),
      attr('data-cell-size'),
      attr('data-cell-height'),
    ]);
    const box = boxes[index];
    await host.page.mouse.move(box.x + padding + cellWidth / 2, box.bottom + cellHeight / 2);
    const tooltip = host.page.locator(tid(TEST_IDS.tooltip));
    await tooltip.waitFor({ state: 'visible', timeout: 5000 });
    expect(await tooltip.locator(tid(TEST_IDS.tooltipTitle)).innerText()).toMatch(new RegExp(`^${label}/`));
    await host.page.mouse.move(1, 1);
  });

  it('closes the pinned tooltip with its close button and with Escape', async () => {
    await render(fleets.small, { width: 1000, height: 500 });
    const tile = host.page.locator(tid(TEST_IDS.tile)).first();
    const tooltip = host.page.locator(tid(TEST_IDS.tooltip));
    await tile.click({ force: true });
    await host.page.waitForFunction(
      (sel) => document.querySelector(sel)?.getAttribute('data-pinned') === 'true',
      tid(TEST_IDS.tooltip)
    );
    const title = await tooltip.locator(tid(TEST_IDS.tooltipTitle)).innerText();
    expect(title).toContain(await tile.locator(tid(TEST_IDS.tileName)).innerText());
    await tooltip.locator(tid(TEST_IDS.tooltipClose)).click();
    await tooltip.waitFor({ state: 'detached', timeout: 5000 });

    await tile.click({ force: true });
    await host.page.waitForFunction(
      (sel) => document.querySelector(sel)?.getAttribute('data-pinned') === 'true',
      tid(TEST_IDS.tooltip)
    );
    await host.page.mouse.move(1, 1);
    await host.page.keyboard.press('Escape');
    await tooltip.waitFor({ state: 'detached', timeout: 5000 });
    // The keyboard still works from there, and names the object for screen readers.
    await host.page.keyboard.press('ArrowRight');
    const active = host.page.locator(tid(TEST_IDS.activeCell));
    await active.waitFor({ state: 'attached', timeout: 5000 });
    expect(await active.innerText()).toMatch(/^\w+ [^:]+: (Failed|Progressing|Ready)/);
    expect(await host.page.locator(GRID).getAttribute('aria-activedescendant')).toBe(await active.getAttribute('id'));
  });
});
