/**
 * Node side of the browser tests: build what is missing, serve dist/ and the host page over HTTP,
 * launch the Debian Chromium with playwright-core, and open pages that fail loudly on errors.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

import type { FluxgridHostApi } from '../host/api';

const execFileAsync = promisify(execFile);

export const REPO = path.resolve(__dirname, '..', '..', '..');
/** The plugin build under test: dist/, or FLUXGRID_DIST (e.g. a build made elsewhere). */
export const DIST = process.env.FLUXGRID_DIST ? path.resolve(process.env.FLUXGRID_DIST) : path.join(REPO, 'dist');

/**
 * Where a test writes a catalog screenshot (the app's plugin.json and the README show them):
 * src/img/screenshots/ with FLUXGRID_UPDATE_SCREENSHOTS=1, to refresh them; otherwise a temporary
 * directory, so that a test run leaves the checkout as it was (the pictures change with each run's
 * times). The directory is created on the way.
 */
export function screenshotPath(name: string): string {
  const dir =
    process.env.FLUXGRID_UPDATE_SCREENSHOTS === '1'
      ? path.join(REPO, 'src', 'img', 'screenshots')
      : path.join(os.tmpdir(), 'fluxgrid-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

declare global {
  interface Window {
    fluxgrid: FluxgridHostApi;
  }
}

/** `npm run build` when dist/ lacks the module (the test script normally builds first). */
export function ensureDist(modules: string[] = ['module.js', 'panel/module.js']): void {
  if (modules.every((m) => fs.existsSync(path.join(DIST, m)))) {
    return;
  }
  if (DIST !== path.join(REPO, 'dist')) {
    throw new Error(`FLUXGRID_DIST=${DIST} lacks ${modules.join(', ')}`);
  }
  execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
}

/**
 * Builds (or reuses from .cache/browser-host/) the host page; resolves to its directory.
 * Asynchronous so a test can start Prometheus meanwhile.
 */
export async function ensureHost(): Promise<string> {
  const { stdout, stderr } = await execFileAsync(
    process.execPath,
    [path.join(REPO, 'scripts', 'build-browser-host.mjs')],
    {
      cwd: REPO,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    }
  ).catch((error: Error & { stderr?: string }) => {
    throw new Error(`building the browser host failed: ${error.message}\n${error.stderr ?? ''}`);
  });
  if (stderr.trim()) {
    process.stderr.write(stderr); // "browser host: built in N s" on a cache miss
  }
  const dir = stdout.trim().split('\n').pop()!;
  if (!fs.existsSync(path.join(dir, 'host.js'))) {
    throw new Error(`browser host build produced no host.js in ${dir}`);
  }
  return dir;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

export interface StaticServer {
  url: string;
  /** Serve `body` as JSON at `path` (e.g. large frame payloads fetched by the page like /api/ds/query). */
  put(path: string, body: string | Buffer): void;
  /** Every path requested, e.g. to prove dist/panel/module.js was fetched over HTTP. */
  requests: string[];
  /**
   * Hand every `/api/*` request to this Grafana backend (tests/harness/grafana-backend.ts), as
   * Grafana's server answers them on the page's own origin. Unset: `/api/*` answers 502.
   */
  setBackend(url: string | undefined): void;
  close(): Promise<void>;
}

/** Passes one request through to the backend, body and status as they are. */
function proxy(req: http.IncomingMessage, res: http.ServerResponse, backend: string) {
  const target = new URL(req.url ?? '/', backend);
  const headers = { ...req.headers, host: target.host };
  delete headers.origin;
  const upstream = http.request(target, { method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', (error) => {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
    }
    res.end(JSON.stringify({ message: `browser host: Grafana backend unreachable: ${error.message}` }));
  });
  req.pipe(upstream);
}

/** @grafana/ui's icons: Grafana serves the same files (shipped in the npm package) at public/build/img/icons/. */
const ICONS = path.join(path.dirname(require.resolve('@grafana/ui/package.json')), 'dist', 'public', 'img', 'icons');

/**
 * Serves `/` and `/host/*` from the host build, `/dist/*` from the plugin's dist/, and
 * `/public/build/img/icons/*` from @grafana/ui (as Grafana does). Loopback only.
 */
export async function startStaticServer(hostDir: string, distDir = DIST, port = 0): Promise<StaticServer> {
  const requests: string[] = [];
  const payloads = new Map<string, string | Buffer>();
  let backend: string | undefined;
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(pathname);
    if (pathname.startsWith('/api/') && !payloads.has(pathname)) {
      if (backend) {
        proxy(req, res, backend);
      } else {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'browser host: no Grafana backend (setBackend) for this page' }));
      }
      return;
    }
    const payload = payloads.get(pathname);
    if (payload !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(payload);
      return;
    }
    let base: string;
    let rel: string;
    if (pathname === '/' || pathname === '/index.html') {
      base = hostDir;
      rel = 'index.html';
    } else if (pathname.startsWith('/host/')) {
      base = hostDir;
      rel = pathname.slice('/host/'.length);
    } else if (pathname.startsWith('/dashboards/')) {
      // The dashboards the app ships (the preview opens them like Grafana's provisioning does).
      base = path.join(REPO, 'src', 'dashboards');
      rel = pathname.slice('/dashboards/'.length);
    } else if (pathname.startsWith('/dist/')) {
      base = distDir;
      rel = pathname.slice('/dist/'.length);
    } else if (pathname.startsWith('/public/build/img/icons/')) {
      base = ICONS;
      rel = pathname.slice('/public/build/img/icons/'.length);
    } else {
      res.writeHead(404).end('not found');
      return;
    }
    const file = path.resolve(base, rel);
    if (!file.startsWith(path.resolve(base) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      // The host build is content-addressed (.cache/browser-host/<hash>/): let Chromium cache it (and
      // its compiled code) across pages. dist/ changes under our feet: never cache it.
      'cache-control': base === distDir ? 'no-store' : 'max-age=3600',
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    put: (p, body) => payloads.set(p, body),
    setBackend: (url) => {
      backend = url;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: run scripts/setup.sh (installs Chromium from apt)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface HostPage {
  page: Page;
  /** console.error/warning messages and uncaught page errors seen so far. */
  consoleErrors: string[];
  consoleWarnings: string[];
  pageErrors: string[];
  /** Failed requests (network errors or HTTP >= 400). */
  failedRequests: string[];
}

/** Opens the host page and waits for `window.fluxgrid`. Collects every error the page reports. */
export async function openHost(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 1280, height: 900 },
  theme: 'dark' | 'light' = 'dark'
): Promise<HostPage> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const host: HostPage = { page, consoleErrors: [], consoleWarnings: [], pageErrors: [], failedRequests: [] };
  page.on('console', (msg: ConsoleMessage) => {
    const loc = msg.location();
    const where = loc?.url ? ` (${loc.url}:${loc.lineNumber})` : '';
    if (msg.type() === 'error') {
      host.consoleErrors.push(msg.text() + where);
    } else if (msg.type() === 'warning') {
      host.consoleWarnings.push(msg.text() + where);
    }
  });
  page.on('pageerror', (err) => host.pageErrors.push(err.stack ?? err.message));
  page.on('requestfailed', (req) => host.failedRequests.push(`${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('response', (res) => {
    if (res.status() >= 400) {
      host.failedRequests.push(`${res.url()} HTTP ${res.status()}`);
    }
  });
  await page.goto(`${baseUrl}/?theme=${theme}`);
  await page
    .waitForFunction(() => window.fluxgrid?.ready === true, undefined, { timeout: 30000 })
    .catch(async (e) => {
      throw new Error(`host page did not start: ${e.message}\n${(await problems(host)).join('\n')}`);
    });
  return host;
}

/**
 * Grafana serves its web fonts (Inter, Roboto Mono) from public/fonts/; no npm package ships them,
 * so @grafana/ui's GlobalStyles asks for fonts this host cannot serve. Text falls back to the
 * system sans-serif. Likewise the icons Grafana's own build adds to @grafana/ui's icon set: the
 * one PanelChrome shows while a panel's query runs ("sync-slash", its cancel button) and, on 13.2,
 * the time picker's move-backward arrow ("angle-double-left"; its right twin is in the package).
 * Those requests are the only failures we tolerate.
 */
const GRAFANA_FONTS = /\/public\/fonts\/|\/public\/build\/img\/icons\/unicons\/(sync-slash|angle-double-left)\.svg/;

/**
 * A dashboard cancels the queries a newer run supersedes (a variable changed, refresh pressed):
 * the page aborts that fetch, as Grafana does. Any other failed request is a problem.
 */
const SUPERSEDED_QUERY = /\/api\/ds\/query\?\S* net::ERR_ABORTED$/;

/** Icons a closed dashboard (a new one opened in its place) no longer waits for. */
const DROPPED_ICON = /\/public\/build\/img\/icons\/\S+\.svg net::ERR_ABORTED$/;

/** Everything that went wrong on the page, for `expect(await problems(host)).toEqual([])`. */
export async function problems(host: HostPage): Promise<string[]> {
  const hostErrors = await host.page.evaluate(() => window.fluxgrid?.errors.slice() ?? []).catch(() => []);
  return [
    ...host.pageErrors.map((e) => `pageerror: ${e}`),
    ...host.consoleErrors.filter((e) => !GRAFANA_FONTS.test(e)).map((e) => `console.error: ${e}`),
    ...hostErrors.map((e) => `host: ${e}`),
    ...host.failedRequests
      .filter((e) => !GRAFANA_FONTS.test(e) && !SUPERSEDED_QUERY.test(e) && !DROPPED_ICON.test(e))
      .map((e) => `request: ${e}`),
  ];
}

/** Forget what was collected so far (between steps of one test). */
export function clearProblems(host: HostPage): void {
  host.consoleErrors.length = 0;
  host.consoleWarnings.length = 0;
  host.pageErrors.length = 0;
  host.failedRequests.length = 0;
}

export interface HostSetup {
  server: StaticServer;
  browser: Browser;
  host: HostPage;
  /** Closes Chromium and the server (safe to call once from afterAll). */
  close(): Promise<void>;
}

/**
 * The common beforeAll of the browser tests and benchmarks: make sure dist/ has `modules`, build
 * (or reuse) the host page, serve both, launch Chromium and open the host page. Whatever was
 * started is stopped again when a later step fails.
 */
export async function setupHost(
  options: { modules?: string[]; viewport?: { width: number; height: number }; theme?: 'dark' | 'light' } = {}
): Promise<HostSetup> {
  ensureDist(options.modules);
  const server = await startStaticServer(await ensureHost());
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const host = await openHost(browser, server.url, options.viewport, options.theme);
    const opened = browser;
    return {
      server,
      browser: opened,
      host,
      close: async () => {
        await opened.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}
