/**
 * @jest-environment node
 *
 * `npm run preview`, as a person runs it: the command started in a process group of its own (a
 * terminal's foreground job) on a free port, its page opened in real Chromium, and Ctrl-C (SIGINT
 * to the whole group, as a terminal sends it). The page must say it is not Grafana, draw the grid
 * with the simulated fleet, and show the data change from one refresh to the next; after Ctrl-C
 * nothing it started may be left: no process of the group, not its Prometheus, no open port.
 *
 * The simulator runs at 60x, so the failure-recovery timeline (a failure at 10m, another at 12m
 * for 15m, a recovery at 40m) passes in a minute of wall time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { buildFleet, loadScenario } from '../../simulator';
import { TEST_IDS } from '../../src/panel/testIds';
import { freePort } from '../harness/prometheus';
import { launchChromium, REPO } from './support/host';

jest.setTimeout(300_000);

const SCENARIO = 'simulator/scenarios/failure-recovery.yaml';
const tid = (id: string) => `[data-testid="${id}"]`;

let preview: ChildProcess | undefined;
let output = '';
let browser: Browser | undefined;

/** Resolves with the first match of `pattern` in the preview's output (or fails with the output). */
function printed(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(output);
      if (match) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(match);
      } else if (preview?.exitCode !== null || preview?.signalCode !== null) {
        clearInterval(poll);
        clearTimeout(timer);
        reject(new Error(`npm run preview exited (${preview?.exitCode ?? preview?.signalCode}):\n${output}`));
      }
    };
    const poll = setInterval(check, 100);
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`npm run preview did not print ${pattern} within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
  });
}

/** True while any process of the process group `pgid` exists. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** How a fetch to `url` ends: 'answered' or the network error's code (ECONNREFUSED once closed). */
async function reach(url: string): Promise<string> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(3000) });
    return 'answered';
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as Error).name;
  }
}

/** The summary buttons, one per state a person can filter on. */
const SUMMARY = (['Failed', 'Progressing', 'Unknown', 'Suspended', 'Ready'] as const).map((s) =>
  tid(TEST_IDS.summaryButton(s))
);

/** What a person reads on the summary buttons, e.g. "Failed 1 | Progressing 0 | …". */
function readSummary(selectors: string[]): string {
  return selectors.map((s) => (document.querySelector(s)?.textContent ?? '').replace(/\s+/g, ' ').trim()).join(' | ');
}
const summaryOf = (page: Page) => page.evaluate(readSummary, SUMMARY);

/** Polls `check` until it holds (or `timeoutMs` passed); resolves to its last answer. */
async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

afterAll(async () => {
  await browser?.close();
  // Only if a test failed before its own Ctrl-C: end what the preview started.
  if (preview?.pid && groupAlive(preview.pid)) {
    process.kill(-preview.pid, 'SIGKILL');
  }
});

it('npm run preview serves the dashboard with live data, and Ctrl-C stops everything it started', async () => {
  const port = await freePort();
  preview = spawn(
    'npm',
    ['run', '--silent', 'preview', '--', '--port', String(port), '--speed', '60', '--refresh', '5s'],
    { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env }
  );
  preview.stdout!.on('data', (d) => (output += d));
  preview.stderr!.on('data', (d) => (output += d));
  const pgid = preview.pid!;
  const exited = new Promise<number | null>((resolve) => preview!.once('exit', (code) => resolve(code)));

  const [, pageUrl] = await printed(/FluxGrid preview \(not Grafana\): (http:\/\/127\.0\.0\.1:\d+\/\S*)/, 240_000);
  expect(new URL(pageUrl).port).toBe(String(port));
  const [, simulatorUrl] = await printed(/simulator \(.*\) on (http:\/\/\S+)\/metrics/, 1000);
  const [, prometheusUrl, prometheusPid] = await printed(/Prometheus (http:\/\/\S+) \(pid (\d+)\)/, 1000);

  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(pageUrl);

  // Says what it is.
  const banner = page.getByTestId('preview-banner');
  await banner.waitFor({ timeout: 60_000 });
  expect(await banner.innerText()).toContain('FluxGrid preview — not Grafana.');
  expect(await page.title()).toBe('FluxGrid preview (not Grafana)');

  // The grid draws the simulated fleet, every object of it.
  const fleetSize = buildFleet(loadScenario(path.join(REPO, SCENARIO)).fleet).length;
  await page.waitForFunction(
    ([grid, n]) => document.querySelector(grid)?.getAttribute('data-cells') === String(n),
    [tid(TEST_IDS.grid), fleetSize] as const,
    { timeout: 90_000 }
  );
  expect(await page.locator(`${tid(TEST_IDS.gridCanvas)}[data-draws]`).count()).toBe(1);

  // Live: a later refresh shows other states than an earlier one (at 60x, a failure and a recovery
  // pass within a minute). Waited for on what the summary shows, not on time.
  const first = await summaryOf(page);
  const requestOf = () =>
    page.evaluate(
      () => window.fluxgrid.dashboardState().panels.find((p) => p.type === 'fluxgrid-status-panel')!.requestId
    );
  const firstRequest = await requestOf();
  await page
    .waitForFunction(
      ([selectors, before]) =>
        selectors.map((s) => (document.querySelector(s)?.textContent ?? '').replace(/\s+/g, ' ').trim()).join(' | ') !==
        before,
      [SUMMARY, first] as const,
      { timeout: 120_000, polling: 500 }
    )
    .catch(async (error: Error) => {
      throw new Error(`${error.message}: the summary stayed "${first}"\n${output}`);
    });
  expect(await summaryOf(page)).not.toBe(first);
  expect(await requestOf()).not.toBe(firstRequest);

  // Save & test of the FluxGrid datasource, shown on the page, passes once Prometheus has scrapes.
  await page.waitForFunction(
    (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.includes('✔'),
    'preview-health',
    { timeout: 60_000 }
  );
  expect(pageErrors).toEqual([]);
  await page.close();

  // Ctrl-C: SIGINT to the whole foreground group.
  process.kill(-pgid, 'SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([exited, new Promise((r) => (timer = setTimeout(() => r('still running'), 30_000)))]);
  clearTimeout(timer);
  expect(code).not.toBe('still running');
  expect(output).toContain('preview: stopping');
  // Nothing left: no process of its group, not Prometheus, and every port it opened is closed.
  await until(() => !groupAlive(pgid) && !processAlive(Number(prometheusPid)), 10_000);
  expect({ group: groupAlive(pgid), prometheus: processAlive(Number(prometheusPid)) }).toEqual({
    group: false,
    prometheus: false,
  });
  expect({
    page: await reach(pageUrl),
    simulator: await reach(`${simulatorUrl}/metrics`),
    prometheus: await reach(`${prometheusUrl}/-/ready`),
  }).toEqual({ page: 'ECONNREFUSED', simulator: 'ECONNREFUSED', prometheus: 'ECONNREFUSED' });
});
