/**
 * @jest-environment node
 *
 * Every plugin module in dist/ loads in Chromium through SystemJS the way Grafana loads it, and
 * exports the plugin class its plugin.json promises: the app (dist/module.js), the status panel
 * (dist/panel/module.js) and the FluxGrid datasource (dist/datasource/module.js), whose
 * ConfigEditor renders and edits its settings.
 */
import fs from 'node:fs';
import path from 'node:path';

import { TEST_IDS as DS_TEST_IDS } from '../../src/datasource/components/testIds';
import {
  clearProblems,
  DIST,
  problems,
  REPO,
  setupHost,
  type HostPage,
  type HostSetup,
  type StaticServer,
} from './support/host';

jest.setTimeout(60_000);

const tid = (id: string) => `[data-testid="${id}"]`;

let setup: HostSetup | undefined;
let server: StaticServer;
let host: HostPage;

beforeAll(async () => {
  setup = await setupHost({ modules: ['module.js', 'panel/module.js', 'datasource/module.js'] });
  ({ server, host } = setup);
}, 300_000);

afterAll(async () => {
  await setup?.close();
});

beforeEach(() => clearProblems(host));
afterEach(async () => {
  const seen = await problems(host);
  clearProblems(host);
  expect(seen).toEqual([]);
});

const load = (modulePath: string) => host.page.evaluate((m) => window.fluxgrid.loadPlugin(m), modulePath);
const readJson = (rel: string) => JSON.parse(fs.readFileSync(path.join(DIST, rel), 'utf8'));

/** The Grafana line the page runs (FLUXGRID_GRAFANA_LINE, default: the repository's own install). */
function lineVersions() {
  const line = process.env.FLUXGRID_GRAFANA_LINE || '13.1';
  const dir = line === '13.1' ? REPO : path.join(REPO, 'tests', 'browser', 'grafana', line);
  const version = (pkg: string) =>
    JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', pkg, 'package.json'), 'utf8')).version as string;
  return { line, grafana: version('@grafana/data'), react: version('react') };
}

describe('plugin modules in dist/, loaded like Grafana loads them', () => {
  it('runs against the shared modules of the Grafana line under test', async () => {
    const want = lineVersions();
    const page = await host.page.evaluate(() => ({
      grafana: window.fluxgrid.grafanaVersion,
      react: window.fluxgrid.reactVersion,
    }));
    expect(page).toEqual({ grafana: want.grafana, react: want.react });
    expect(want.grafana.startsWith(want.line === '13.1' ? '13.1.' : `${want.line}.`)).toBe(true);
  });

  it('dist/module.js exports the app as an AppPlugin', async () => {
    const app = await load('/dist/module.js');
    expect(app).toMatchObject({ kind: 'app', exportKeys: ['plugin'], id: 'fluxgrid-status-app', type: 'app' });
    expect(server.requests).toContain('/dist/module.js');
  });

  it('every plugin the app includes loads from dist/ and exports the class its plugin.json names', async () => {
    const appJson = readJson('plugin.json');
    const nested = (appJson.includes ?? []).filter((i: { path?: string }) => i.path?.endsWith('plugin.json'));
    expect(nested.length).toBeGreaterThan(0);
    for (const include of nested) {
      const dir = path.dirname(include.path);
      const meta = readJson(include.path);
      const loaded = await load(`/dist/${dir}/module.js`);
      expect({ path: include.path, kind: loaded.kind, id: loaded.id }).toEqual({
        path: include.path,
        kind: meta.type,
        id: meta.id,
      });
    }
  });

  it('dist/panel/module.js exports a PanelPlugin with a panel component', async () => {
    const panel = await load('/dist/panel/module.js');
    expect(panel).toMatchObject({ kind: 'panel', exportKeys: ['plugin'], hasPanelComponent: true });
  });

  describe('the FluxGrid datasource', () => {
    const DS = '/dist/datasource/module.js';

    it('exports a DataSourcePlugin with a datasource class, config and query editors', async () => {
      const ds = await load(DS);
      expect(ds).toMatchObject({
        kind: 'datasource',
        exportKeys: ['plugin'],
        id: 'fluxgrid-status-datasource',
        hasDataSourceClass: true,
      });
      expect(ds.components).toEqual(expect.arrayContaining(['ConfigEditor', 'QueryEditor']));
    });

    // The editor in depth (picking Prometheus, label names offered from it, the error after Save &
    // test) is tests/browser/editors.test.ts, with a backend; here: it renders and edits jsonData.
    it.each(['dark', 'light'] as const)('renders its ConfigEditor (%s theme), which edits jsonData', async (theme) => {
      await load(DS);
      const page = host.page;
      const editor = page.locator(tid('host-config-editor'));
      await page.evaluate((req) => window.fluxgrid.renderConfigEditor(req), {
        modulePath: DS,
        theme,
        jsonData: {},
        waitFor: tid(DS_TEST_IDS.config.advanced),
      });
      for (const label of ['Prometheus datasource', 'Metric schema', 'Advanced']) {
        expect(await editor.innerText()).toContain(label);
      }
      // Nothing is wrong before a person tried Save & test.
      expect(await editor.getByText('Select a Prometheus datasource').count()).toBe(0);
      await page.evaluate(() => window.fluxgrid.optionChanges());

      // A person opens Advanced and sets the query timeout.
      await page.locator(tid(DS_TEST_IDS.config.advanced)).click();
      await page.locator(tid(DS_TEST_IDS.config.timeout)).fill('45');
      await page.waitForFunction(
        (sel) => document.querySelector<HTMLInputElement>(sel)?.value === '45',
        tid(DS_TEST_IDS.config.timeout)
      );
      type Change = { jsonData: Record<string, unknown> };
      const changes = (await page.evaluate(() => window.fluxgrid.optionChanges())) as Change[];
      expect(changes.at(-1)?.jsonData).toEqual({ timeoutSeconds: 45 });
      expect(await editor.innerText()).toContain('Cluster label');
    });
  });
});
