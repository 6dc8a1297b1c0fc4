/**
 * Bundles a module for the browser benchmarks' host page: AMD over the page's shared Grafana
 * modules (the host's SystemJS hands them out as Grafana does to plugins), so that the code runs
 * in Chromium next to Grafana's own. TypeScript entries (the project's sources) go through swc,
 * as the plugin build does. Bundled at bench time into `outDir`, never committed.
 */
import fs from 'node:fs';
import path from 'node:path';

import webpack from 'webpack';

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
