/**
 * Bundles a module for the browser benchmarks' host page: AMD over the page's shared Grafana
 * modules (the host's SystemJS hands them out as Grafana does to plugins), so that the code runs
 * in Chromium next to Grafana's own. TypeScript entries (the project's sources) go through swc,
 * as the plugin build does. Bundled at bench time into `outDir`, never committed.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { CDPSession } from 'playwright-core';
import webpack from 'webpack';

import { REPO, setupHost, type HostSetup } from '../tests/browser/support/host';

const SHARED = ['@grafana/data', '@grafana/runtime', 'lodash'];

export async function bundleForPage(entry: string, outDir: string, filename: string): Promise<string> {
  fs.mkdirSync(outDir, { recursive: true });
  const compiler = webpack({
    mode: 'production',
    entry,
    target: 'web',
    devtool: false,
    output: { path: outDir, filename, library: { type: 'amd' } },
    externals: SHARED,
    resolve: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: { loader: 'swc-loader', options: { jsc: { target: 'es2019', parser: { syntax: 'typescript' } } } },
        },
      ],
    },
    optimization: { minimize: false },
  });
  await new Promise<void>((resolve, reject) =>
    compiler.run((error, stats) => {
      compiler.close(() => undefined);
      if (error || stats?.hasErrors()) {
        reject(error ?? new Error(stats!.toString({ all: false, errors: true })));
      } else {
        resolve();
      }
    })
  );
  return path.join(outDir, filename);
}

/** Where the page finds the readers' bundle (bench/fixtures/readingInPage.ts): `System.import` it. */
export const READING_IN_PAGE = '/bench-lib/reading-in-page.js';

/**
 * The host page with no plugin module (only its shared Grafana modules), the readers' bundle
 * served at {@link READING_IN_PAGE}, and a CDP session (garbage collections, profiles).
 */
export async function readingPage(): Promise<{ setup: HostSetup; cdp: CDPSession }> {
  const setup = await setupHost({ modules: [] });
  const cdp = await setup.host.page.context().newCDPSession(setup.host.page);
  const bundle = await bundleForPage(
    path.join(__dirname, 'fixtures', 'readingInPage.ts'),
    path.join(REPO, 'bench-results', 'lib'),
    'reading-in-page.js'
  );
  await setup.host.page.route(`**${READING_IN_PAGE}`, (route) => route.fulfill({ path: bundle }));
  return { setup, cdp };
}
