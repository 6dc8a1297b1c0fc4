/**
 * @jest-environment node
 *
 * Data links in the status panel's tooltip, clicked in real Chromium the way a person does (hover
 * a cell, click to pin, click the link): `//host/x` and `/\host/x` lead to another host, so
 * src/panel/links.ts hands them to the browser instead of Grafana's router (pushing them into
 * the history throws SecurityError in a browser), an in-app path goes through the router without
 * reloading the page, and a `javascript:` link is dropped. Each case opens a page of its own: an
 * external link leaves the page.
 */
import { TEST_IDS } from '../../src/panel/testIds';
import { type FleetData, loadFleet } from './support/fleet';
import { openHost, problems, setupHost, type HostPage, type HostSetup } from './support/host';

jest.setTimeout(60_000);

const tid = (id: string) => `[data-testid="${id}"]`;
const GRID = tid(TEST_IDS.grid);
/** Where the external links lead; answered by the test (no network), so the page really goes there. */
const EXTERNAL = 'http://host/x';

const LINKS = [
  { title: 'In this Grafana', url: '/d/flux-object?var-name=${__flux.name}' },
  { title: 'Protocol-relative', url: '//host/x' },
  { title: 'Backslash', url: '/\\host/x' },
  { title: 'Script', url: 'javascript:window.__fluxgridLinkRan=1' },
];

let fleet: FleetData;
let setup: HostSetup | undefined;

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
}, 300_000);

afterAll(async () => {
  await setup?.close();
  await fleet?.prometheus.stop();
});

/** A page of its own with the panel drawn, the first cell's tooltip pinned; resolves to it. */
async function pinnedTooltip(): Promise<HostPage> {
  const host = await openHost(setup!.browser, setup!.server.url);
  await host.page.route(`${EXTERNAL}*`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<title>external</title>external' })
  );
  await host.page.evaluate(() => window.fluxgrid.loadPlugin('/dist/panel/module.js'));
  await host.page.evaluate((r) => window.fluxgrid.render(r), {
    frames: fleet.frames['kube-state-metrics']!,
    timeRange: fleet.range,
    options: { groupBy: 'none', sortBy: 'severity' },
    fieldConfig: { defaults: { links: LINKS } },
    width: 1000,
    height: 600,
    waitFor: `${tid(TEST_IDS.gridCanvas)}[data-draws]`,
  });
  const grid = host.page.locator(GRID);
  const box = (await grid.boundingBox())!;
  const [padding, width, height] = await Promise.all(
    ['data-padding', 'data-cell-size', 'data-cell-height'].map(async (a) => Number(await grid.getAttribute(a)))
  );
  await host.page.mouse.click(box.x + padding + width / 2, box.y + padding + height / 2);
  await host.page.locator(tid(TEST_IDS.tooltipClose)).waitFor({ state: 'visible', timeout: 5000 });
  return host;
}

const linkTitled = (host: HostPage, title: string) =>
  host.page.locator(tid(TEST_IDS.tooltipLink)).filter({ hasText: title });

describe('tooltip data links in Chromium', () => {
  it('shows the in-app and external links and drops the javascript: one', async () => {
    const host = await pinnedTooltip();
    try {
      const links = host.page.locator(tid(TEST_IDS.tooltipLink));
      // The panel's own links (the built-in object dashboard link may follow them).
      const texts = await links.allInnerTexts();
      expect(texts.slice(0, 3)).toEqual(['In this Grafana', 'Protocol-relative', 'Backslash']);
      expect(texts).not.toContain('Script');
      // As the browser resolves them: both go to another host.
      const resolved = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(resolved.slice(1, 3)).toEqual([EXTERNAL, EXTERNAL]);
      expect(await problems(host)).toEqual([]);
    } finally {
      await host.page.context().close();
    }
  });

  it.each(['Protocol-relative', 'Backslash'])(
    '%s: a click leaves for the other host, without a SecurityError',
    async (title) => {
      const host = await pinnedTooltip();
      try {
        const left = host.page.waitForURL(EXTERNAL, { timeout: 10_000 }).then(
          () => 'navigated',
          () => 'stayed'
        );
        await linkTitled(host, title).click();
        // A router push of `//host/x` throws SecurityError in the click handler, after it has
        // prevented the browser's own navigation: the page would stay, with an uncaught error.
        expect({ outcome: await left, errors: host.pageErrors }).toEqual({ outcome: 'navigated', errors: [] });
        expect(host.page.url()).toBe(EXTERNAL);
        expect(host.consoleErrors.filter((e) => /SecurityError/.test(e))).toEqual([]);
      } finally {
        await host.page.context().close();
      }
    }
  );

  it("an in-app path goes through Grafana's router: the URL changes, the page stays", async () => {
    const host = await pinnedTooltip();
    try {
      const name = await host.page.locator(tid(TEST_IDS.tooltip)).getAttribute('data-key');
      await linkTitled(host, 'In this Grafana').click();
      await host.page.waitForURL((url) => url.pathname === '/d/flux-object', { timeout: 10_000 });
      const url = new URL(host.page.url());
      expect(url.origin).toBe(setup!.server.url);
      expect(url.searchParams.get('var-name')).toBe(name!.split('\u001f')[3]);
      // The same document: the host's API is still there (no reload).
      expect(await host.page.evaluate(() => window.fluxgrid?.ready)).toBe(true);
      expect(await host.page.evaluate(() => (window as { __fluxgridLinkRan?: number }).__fluxgridLinkRan)).toBe(
        undefined
      );
      expect(await problems(host)).toEqual([]);
    } finally {
      await host.page.context().close();
    }
  });
});
