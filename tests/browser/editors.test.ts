/**
 * @jest-environment node
 *
 * The FluxGrid datasource's three editors in real Chromium, offering what a real Prometheus holds:
 * the built plugin from dist/, the page's FluxGrid datasource over Grafana's real
 * PrometheusDatasource, a BackendSrv that really fetches, the Grafana backend stand-in
 * (tests/harness/grafana-backend.ts) and a real Prometheus holding the fixture fleet. What the
 * pickers should offer comes from the scenario (and from Prometheus' own label names API), never
 * from the code under test. Takes the catalog screenshots editor-*.png (see screenshotPath).
 *
 * FLUXGRID_GRAFANA_LINE (12.3, 13.1, 13.2) picks whose shared modules the page runs on.
 */
// Must come first: it gives @grafana/data (which the backend's converter uses) the browser globals it reads on import.
import '../harness/grafana-prometheus-env';

import type { PrometheusServer } from '../harness/prometheus';

import { expectedStates, loadScenario, scenarioToOpenMetrics, type Scenario } from '../../simulator';
import { TEST_IDS } from '../../src/datasource/components/testIds';
import { FLUX_STATES } from '../../src/flux/types';
import { isLabelName } from '../../src/flux';
import type { EditorRequest } from './host/api';
import { AT_SECONDS, FLEET_SCENARIO } from './support/fleet';
import { clearProblems, problems, screenshotPath, type HostPage } from './support/host';
import { startBrowserStack, type BrowserStack } from './support/stack';

jest.setTimeout(180_000);

const tid = (id: string) => `[data-testid="${id}"]`;
const distinct = (values: string[]) => [...new Set(values)].sort((a, b) => a.localeCompare(b));

let scenario: Scenario;
let prometheus: PrometheusServer | undefined;
let stack: BrowserStack | undefined;
let host: HostPage;
let range: { from: number; to: number };

/** The live objects at the end of the range, as the scenario declares them. */
function expectedObjects(filter: { clusters?: string[] } = {}) {
  const states = expectedStates(scenario, AT_SECONDS, { schema: 'kube-state-metrics', includeDeleted: false });
  return [...states.keys()]
    .map((key) => {
      const [cluster, kind, namespace, name] = key.split('\u001f');
      return { cluster, kind, namespace, name };
    })
    .filter((o) => !filter.clusters || filter.clusters.includes(o.cluster));
}

beforeAll(async () => {
  scenario = loadScenario(FLEET_SCENARIO);
  // The fleet placed to end two minutes ago: the config editor reads label names over Grafana's
  // default range (the last hours), as on a settings page, which has no dashboard range.
  const startMs = Math.floor(Date.now() / 30_000) * 30_000 - (AT_SECONDS + 120) * 1000;
  range = { from: startMs, to: startMs + AT_SECONDS * 1000 };
  stack = await startBrowserStack({
    modules: ['module.js', 'datasource/module.js'],
    viewport: { width: 1280, height: 900 },
    openMetrics: scenarioToOpenMetrics(scenario, { startMs }),
  });
  ({ host, prometheus } = stack);
  await host.page.evaluate(() => window.fluxgrid.loadPlugin('/dist/datasource/module.js'));
  await host.page.evaluate((jsonData) => window.fluxgrid.setupDatasources({ fluxgridJsonData: jsonData }), {
    prometheusUid: 'prometheus',
    timeoutSeconds: 120,
  });
}, 300_000);

afterAll(() => stack?.close());

beforeEach(() => clearProblems(host));
/**
 * Beside what problems() tolerates: the spinner icon Grafana's build adds to @grafana/ui's set
 * (its pickers show it while options load; not in the npm package), and the browser's
 * "ResizeObserver loop" notice, which Grafana's own error handler ignores as well (its pickers'
 * floating menus resize while they are measured).
 */
const TOLERATED = /unicons\/spinner\.svg|ResizeObserver loop completed with undelivered notifications/;

afterEach(async () => {
  await host.page.evaluate(() => window.fluxgrid.unmount());
  const seen = (await problems(host)).filter((p) => !TOLERATED.test(p));
  clearProblems(host);
  expect(seen).toEqual([]);
});

const editor = () => host.page.locator(tid('host-query-editor'));

async function renderQueryEditor(req: EditorRequest) {
  await host.page.evaluate((r) => window.fluxgrid.renderQueryEditor(r), req);
  await host.page.evaluate(() => window.fluxgrid.optionChanges());
  await host.page.evaluate(() => window.fluxgrid.editorRuns());
}

/** Opens a picker and reads what it offers, once loaded (the same list twice, 300 ms apart). */
async function offered(testId: string): Promise<string[]> {
  await host.page.locator(tid(testId)).click();
  const listbox = host.page.getByRole('listbox');
  await listbox.getByRole('option').first().waitFor();
  const read = async () =>
    (await listbox.getByRole('option').allInnerTexts()).map((text) => text.split('\n')[0].trim());
  let last = await read();
  for (;;) {
    await host.page.waitForTimeout(300);
    const now = await read();
    if (JSON.stringify(now) === JSON.stringify(last)) {
      return now;
    }
    last = now;
  }
}

/** The open menu's option whose label is `option` (its accessible name may go on with a description). */
function optionNamed(option: string) {
  const label = new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`);
  return host.page.getByRole('listbox').getByRole('option', { name: label }).first();
}

async function choose(option: string) {
  await optionNamed(option).click();
}

/**
 * Chooses options of an open multi-select one at a time, each once the one before has changed the
 * query, and returns the last change. On a busy machine a click into a menu still re-rendering for
 * the last choice can be lost: when no change came and the option's checkbox (the editor's
 * value, as Grafana's MultiCombobox shows it) is still unticked, it is clicked again, up to three times.
 */
async function chooseEach(options: string[]) {
  let change: Record<string, unknown> | undefined;
  for (const option of options) {
    for (let attempt = 0; attempt < 3; attempt++) {
      await choose(option);
      const next = await lastChange();
      change = next ?? change;
      // A click that changed nothing and left the option unticked was lost (one that changed
      // the query is never repeated: a second click would untick it).
      if (next || (await optionNamed(option).getByRole('checkbox').isChecked())) {
        break;
      }
    }
  }
  return change;
}

/** Closes a multi-select's menu (it stays open for more choices); a closed one is left alone. */
async function closeMenu() {
  if (await host.page.getByRole('listbox').isVisible()) {
    await host.page.keyboard.press('Escape');
  }
}

/**
 * The newest onChange since the last look: waits for one to come, then until none has come for
 * 400 ms (two quick choices each change the query; on a busy machine the second comes later).
 */
const lastChange = async () => {
  const seen: Array<Record<string, unknown>> = [];
  const look = async () =>
    (await host.page.evaluate(() => window.fluxgrid.optionChanges())) as Array<Record<string, unknown>>;
  for (let i = 0; i < 25 && seen.length === 0; i++) {
    seen.push(...(await look()));
    if (seen.length === 0) {
      await host.page.waitForTimeout(200);
    }
  }
  for (let i = 0; i < 10; i++) {
    await host.page.waitForTimeout(400);
    const more = await look();
    if (more.length === 0) {
      break;
    }
    seen.push(...more);
  }
  return seen.at(-1);
};

describe('the query editor, over a real Prometheus', () => {
  it('offers the clusters, then the kinds of the chosen clusters, from the datasource own variable queries', async () => {
    await renderQueryEditor({ query: { refId: 'A', queryType: 'objects' }, range, width: 1000 });
    const everything = expectedObjects();
    expect(await offered(TEST_IDS.query.cluster)).toEqual(distinct(everything.map((o) => o.cluster)));
    const clusters = await chooseEach(['prod-eu', 'staging']);
    await closeMenu();
    expect(clusters).toMatchObject({ refId: 'A', cluster: ['prod-eu', 'staging'] });
    expect(await host.page.evaluate(() => window.fluxgrid.editorRuns())).toBeGreaterThanOrEqual(1);

    const chosen = expectedObjects({ clusters: ['prod-eu', 'staging'] });
    expect(await offered(TEST_IDS.query.kind)).toEqual(distinct(chosen.map((o) => o.kind)));
    await closeMenu();
    expect(await offered(TEST_IDS.query.namespace)).toEqual(distinct(chosen.map((o) => o.namespace)));
    await closeMenu();
  });

  it("offers the core's states, and takes a value typed by hand", async () => {
    await renderQueryEditor({ query: { refId: 'A' }, range, width: 1000 });
    expect(await offered(TEST_IDS.query.state)).toEqual([...FLUX_STATES]);
    const states = await chooseEach(['Failed', 'Progressing']);
    await closeMenu();
    expect(states).toMatchObject({ state: ['Failed', 'Progressing'] });

    // A variable the dashboard does not list (yet): typed, then used as typed.
    await host.page.locator(tid(TEST_IDS.query.namespace)).click();
    // Entered once the menu is open, as input text: Grafana 12.3's MultiCombobox loses fast key presses
    // (it sets its input in a later render; 13.x sets it synchronously).
    await host.page.getByRole('listbox').getByRole('option').first().waitFor();
    await host.page.keyboard.insertText('$team');
    await choose('$team');
    await closeMenu();
    expect(await lastChange()).toMatchObject({ namespace: '$team', state: ['Failed', 'Progressing'] });
  });

  it('shows the query type as a select below 700 px and as a radio row above', async () => {
    await renderQueryEditor({ query: { refId: 'A', queryType: 'objects' }, range, width: 560 });
    const type = host.page.locator(tid(TEST_IDS.query.queryType));
    await expect(type.getAttribute('role')).resolves.toBe('combobox');
    await type.click();
    await choose('Summary');
    expect(await lastChange()).toMatchObject({ queryType: 'summary' });
    // Nothing wider than the editor.
    const overflow = await editor().evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    await host.page.evaluate(() => window.fluxgrid.unmount());
    await renderQueryEditor({ query: { refId: 'A', queryType: 'objects' }, range, width: 1000 });
    await expect(host.page.getByRole('radio', { name: 'State history' }).count()).resolves.toBe(1);
  });

  it('lines every row up on one label width', async () => {
    await renderQueryEditor({ query: { refId: 'A', queryType: 'summary' }, range, width: 1000 });
    const rows = ['Query', 'Cluster', 'Kind', 'Namespace', 'Name', 'State', 'Count by', 'PromQL'];
    const widths = await editor().evaluate((el, names) => {
      // Each row's label: the widest element holding just its name and no control (a label, or
      // what labels a radio group), not a radio button's own label (one option is called State too).
      const isRadioLabel = (e: Element) =>
        e instanceof HTMLLabelElement && Boolean(document.getElementById(e.htmlFor)?.matches('[type="radio"]'));
      const candidates = Array.from(el.querySelectorAll('*')).filter(
        (e): e is HTMLElement =>
          e instanceof HTMLElement && !isRadioLabel(e) && !e.querySelector('input, button, [role="radiogroup"]')
      );
      return names.map((name) =>
        Math.max(
          0,
          ...candidates
            .filter((e) => e.innerText.trim() === name)
            .map((e) => Math.round(e.getBoundingClientRect().width))
        )
      );
    }, rows);
    expect(Object.fromEntries(rows.map((r, i) => [r, widths[i] > 0]))).toEqual(
      Object.fromEntries(rows.map((r) => [r, true]))
    );
    expect(new Set(widths).size).toBe(1);
  });

  it('shows the PromQL it will send for the chosen values (catalog screenshot)', async () => {
    await renderQueryEditor({
      query: { refId: 'A', queryType: 'objects', cluster: ['prod-eu', 'staging'], state: ['Failed'] },
      range,
      width: 1000,
    });
    await host.page.locator(tid(TEST_IDS.query.promqlToggle)).click({ force: true });
    const promql = host.page.locator(tid(TEST_IDS.query.promql));
    await promql.waitFor();
    await host.page.waitForFunction(
      (sel) => document.querySelector(sel)?.querySelector('pre') !== null,
      tid(TEST_IDS.query.promql)
    );
    const text = await promql.innerText();
    expect(text).toContain('prod-eu|staging');
    // What it shows is what Prometheus is then asked (the backend stand-in saw no query yet).
    await host.page.evaluate(() => window.fluxgrid.afterPaint());
    await editor().screenshot({ path: screenshotPath('editor-query.png'), animations: 'disabled' });
  });
});

describe('the variable editor, over a real Prometheus', () => {
  it('uses the same pickers: the namespaces of a chosen cluster (catalog screenshot)', async () => {
    await host.page.evaluate((r) => window.fluxgrid.renderVariableEditor(r), {
      query: { refId: 'V', target: 'namespaces' },
      range,
      width: 1000,
    });
    await host.page.evaluate(() => window.fluxgrid.optionChanges());
    expect(await host.page.locator(tid(TEST_IDS.variable.namespace)).count()).toBe(0);
    // The query editor's label width (96 px there: 12 grid units), on every row.
    const labelWidths = await editor().evaluate((el) =>
      ['Values of', 'Cluster', 'Kind', 'Name'].map((text) => {
        const label = Array.from(el.querySelectorAll('*')).find(
          (e): e is HTMLElement => e instanceof HTMLElement && e.innerText.trim() === text && !e.querySelector('input')
        );
        return label ? Math.round(label.getBoundingClientRect().width) : 0;
      })
    );
    expect(labelWidths).toEqual([96, 96, 96, 96]);
    expect(await offered(TEST_IDS.variable.cluster)).toEqual(distinct(expectedObjects().map((o) => o.cluster)));
    await choose('prod-us');
    await closeMenu();
    expect(await lastChange()).toMatchObject({ target: 'namespaces', cluster: 'prod-us' });
    const inCluster = expectedObjects({ clusters: ['prod-us'] });
    expect(await offered(TEST_IDS.variable.kind)).toEqual(distinct(inCluster.map((o) => o.kind)));
    await choose('HelmRelease');
    await closeMenu();
    await host.page.evaluate(() => window.fluxgrid.afterPaint());
    await editor().screenshot({ path: screenshotPath('editor-variable.png'), animations: 'disabled' });
  });
});

describe('the config editor, over a real Prometheus', () => {
  const configEditor = () => host.page.locator(tid('host-config-editor'));

  it('says nothing is missing before Save & test', async () => {
    await host.page.evaluate((req) => window.fluxgrid.renderConfigEditor(req), {
      jsonData: {},
      waitFor: tid(TEST_IDS.config.advanced),
    });
    expect(await configEditor().innerText()).toContain('Prometheus datasource');
    expect(await configEditor().getByText('Select a Prometheus datasource').count()).toBe(0);
  });

  it("offers the chosen Prometheus' label names for the overrides, under Advanced (catalog screenshot)", async () => {
    await host.page.evaluate((req) => window.fluxgrid.renderConfigEditor(req), {
      jsonData: { prometheusUid: 'prometheus' },
      waitFor: tid(TEST_IDS.config.advanced),
    });
    expect(await host.page.locator(tid(TEST_IDS.config.clusterLabel)).count()).toBe(0);
    await host.page.locator(tid(TEST_IDS.config.advanced)).click();
    // Prometheus' own answer, asked directly: the names the pickers should offer.
    const answer = (await (await fetch(`${prometheus!.url}/api/v1/labels`)).json()) as { data: string[] };
    const names = answer.data.filter(isLabelName);
    expect(names).toEqual(expect.arrayContaining(['cluster', 'exported_namespace', 'customresource_kind']));
    // The list is long (and virtual): each name is found by typing it.
    await host.page.locator(tid(TEST_IDS.config.clusterLabel)).click();
    for (const name of ['exported_namespace', 'customresource_kind', 'cluster']) {
      await host.page.keyboard.press('ControlOrMeta+A');
      await host.page.keyboard.type(name);
      await host.page.getByRole('option', { name, exact: true }).first().waitFor();
    }
    // Every offered name is one Prometheus has (no custom entry for a name it has). The custom
    // entry follows the typed text a moment later ("cluste" while "cluster" is already offered):
    // read the list once it has caught up.
    const notPrometheus = async () => {
      const shown = (await host.page.getByRole('listbox').getByRole('option').allInnerTexts()).map((t) =>
        t.split('\n')[0].trim()
      );
      expect(shown.length).toBeGreaterThan(0);
      return shown.filter((t) => !names.includes(t));
    };
    let extra = await notPrometheus();
    for (let i = 0; i < 20 && extra.length > 0; i++) {
      await host.page.waitForTimeout(100);
      extra = await notPrometheus();
    }
    expect(extra).toEqual([]);
    await choose('cluster');
    await closeMenu();
    type Change = { jsonData: Record<string, unknown> };
    const changes = (await host.page.evaluate(() => window.fluxgrid.optionChanges())) as Change[];
    expect(changes.at(-1)?.jsonData).toMatchObject({ prometheusUid: 'prometheus', clusterLabel: 'cluster' });
    await host.page.evaluate(() => window.fluxgrid.afterPaint());
    await configEditor().screenshot({ path: screenshotPath('editor-config.png'), animations: 'disabled' });
  });
});
