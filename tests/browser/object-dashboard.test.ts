/**
 * @jest-environment node
 *
 * The shipped Flux object dashboard (src/dashboards/flux-object.json) in real Chromium, run by
 * @grafana/scenes, opened on one object as a grid cell's link opens it (its variables set, a
 * dashboard load of its own): the FluxGrid panels through the built datasource from dist/, the
 * Prometheus panels and the revision annotation through Grafana's real PrometheusDatasource, the
 * Grafana backend stand-in (tests/harness/grafana-backend.ts) and a real Prometheus holding the
 * browser fixture fleet. The object is the fixture's one whose name is HTML: every panel must
 * answer, and the name must stay text.
 *
 * FLUXGRID_GRAFANA_LINE (12.3, 13.1, 13.2) picks whose shared modules the page runs on.
 */
// Must come first: it gives @grafana/data (which the backend's converter uses) the browser globals it reads on import.
import '../harness/grafana-prometheus-env';

import fs from 'fs';
import path from 'path';

import { loadScenario, scenarioToOpenMetrics, type Scenario } from '../../simulator';
import type { DashboardState } from './host/api';
import { AT_SECONDS, FLEET_SCENARIO } from './support/fleet';
import { clearProblems, problems, type HostPage } from './support/host';
import { startBrowserStack, type BrowserStack } from './support/stack';

jest.setTimeout(240_000);

/** The fixture's object whose name is HTML (tests/browser/fixtures/fleet.yaml): it fails at 10m. */
const OBJECT = {
  cluster: 'staging',
  kind: 'Kustomization',
  namespace: 'apps',
  name: '<img src=x onerror=window.__fluxgridXss=1>',
};

let scenario: Scenario;
let stack: BrowserStack | undefined;
let host: HostPage;

/** The shipped dashboard with the object's variables selected, as `?var-…` in the link selects them. */
function objectDashboard(): Record<string, unknown> {
  const json = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'dashboards', 'flux-object.json'), 'utf8')
  );
  for (const variable of json.templating.list) {
    const value = OBJECT[variable.name as keyof typeof OBJECT];
    if (value !== undefined) {
      variable.current = { selected: true, text: value, value };
    }
  }
  // Flux events are annotations in Grafana's own store (its built-in datasource, Grafana's Go
  // backend), which this page has no stand-in for: that layer is checked statically
  // (tests/static/dashboard-object.test.ts).
  json.annotations.list = json.annotations.list.filter((a: { name: string }) => a.name !== 'Flux events');
  return json;
}

const state = () => host.page.evaluate(() => window.fluxgrid.dashboardState());

async function settledDashboard(): Promise<DashboardState> {
  await host.page
    .waitForFunction(
      () => {
        const s = window.fluxgrid.dashboardState();
        const answered = (state: string) => state === 'Done' || state === 'Error';
        return (
          s.variables.every((v) => !v.loading) &&
          s.panels.length > 0 &&
          s.panels.every((p) => answered(p.state)) &&
          s.annotations.every((a) => answered(a.state))
        );
      },
      undefined,
      { timeout: 200_000, polling: 250 }
    )
    .catch(async (error: Error) => {
      throw new Error(`${error.message}\n${JSON.stringify(await state(), null, 1).slice(0, 6000)}`);
    });
  return state();
}

beforeAll(async () => {
  scenario = loadScenario(FLEET_SCENARIO);
  stack = await startBrowserStack({
    modules: ['module.js', 'panel/module.js', 'datasource/module.js'],
    viewport: { width: 1280, height: 1600 },
    openMetrics: scenarioToOpenMetrics(scenario),
  });
  ({ host } = stack);
  await host.page.evaluate((jsonData) => window.fluxgrid.setupDatasources({ fluxgridJsonData: jsonData }), {
    prometheusUid: 'prometheus',
    timeoutSeconds: 180,
  });
  await host.page.evaluate((req) => window.fluxgrid.openDashboard(req), {
    dashboard: objectDashboard(),
    timeRange: {
      from: new Date(scenario.startMs).toISOString(),
      to: new Date(scenario.startMs + AT_SECONDS * 1000).toISOString(),
    },
    refresh: '',
    timeoutMs: 60_000,
  });
}, 300_000);

afterAll(() => stack?.close());

beforeEach(() => clearProblems(host));
afterEach(async () => {
  const seen = await problems(host);
  clearProblems(host);
  expect(seen).toEqual([]);
});

describe('the Flux object dashboard, run by @grafana/scenes, on one object', () => {
  it('keeps the linked object in its chained variables', async () => {
    const s = await settledDashboard();
    const byName = Object.fromEntries(s.variables.map((v) => [v.name, v]));
    for (const [name, value] of Object.entries(OBJECT)) {
      expect({ name, value: byName[name].value, offered: byName[name].options.includes(value) }).toEqual({
        name,
        value,
        offered: true,
      });
    }
    expect(byName.prometheus.options).toEqual(['prometheus']);
  });

  it("answers every panel and annotation layer without an error, each FluxGrid panel and the object's Prometheus series with data", async () => {
    const s = await settledDashboard();
    const byTitle = Object.fromEntries(s.panels.map((p) => [p.title, p]));
    for (const panel of s.panels) {
      expect({ panel: panel.title, state: panel.state, errors: panel.errors }).toEqual({
        panel: panel.title,
        state: 'Done',
        errors: [],
      });
    }
    for (const layer of s.annotations) {
      expect({ layer: layer.name, state: layer.state, errors: layer.errors }).toEqual({
        layer: layer.name,
        state: 'Done',
        errors: [],
      });
    }
    // The object: its state now and over the range, its state change (Failed at 10m), its reason
    // (the Flux Operator's), its revision and its labels. The fixture records no reconcile durations.
    for (const title of [
      'Now',
      'State over the range',
      'State changes',
      'Reason over the range',
      'Revision over the range',
      'Labels',
    ]) {
      expect({ title, rows: byTitle[title].rows > 0 }).toEqual({ title, rows: true });
    }
    expect(byTitle['Now'].rows).toBe(1);
    const changes = s.annotations.find((a) => a.name === 'Flux state changes')!;
    // One change in the range: Ready to Failed at 10m (scenes keeps the event's text, not its title).
    expect(changes.items.map((i) => i.text)).toEqual([expect.stringContaining('became Failed (was Ready)')]);
    expect(changes.items[0].tags).toEqual(expect.arrayContaining(['Kustomization', 'Failed', 'staging']));
  });

  it('shows the HTML name as text: nothing of it runs', async () => {
    await settledDashboard();
    expect(
      await host.page.evaluate(() => (window as unknown as Record<string, unknown>).__fluxgridXss)
    ).toBeUndefined();
    expect(await host.page.locator('img[src="x"]').count()).toBe(0);
    await expect(host.page.getByText(OBJECT.name).first().isVisible()).resolves.toBe(true);
  });
});
