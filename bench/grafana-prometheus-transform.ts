/**
 * Grafana's own frontend transform of Prometheus answers (@grafana/prometheus `transformV2`, what
 * PrometheusDatasource.query runs on every response: the Table format merges the backend's
 * frames into one), bundled as an AMD module over the host page's shared @grafana/data,
 * @grafana/runtime and lodash, so the browser benchmark runs it in the page as Grafana does.
 * Bundled from node_modules at bench time, never copied.
 */
import fs from 'node:fs';
import path from 'node:path';

import webpack from 'webpack';

export async function bundlePrometheusTransform(outDir: string): Promise<string> {
  const entry = path.join(
    path.dirname(require.resolve('@grafana/prometheus/package.json')),
    'dist/esm/result_transformer.mjs'
  );
  fs.mkdirSync(outDir, { recursive: true });
  const filename = 'grafana-prometheus-transform.js';
  const compiler = webpack({
    mode: 'production',
    entry,
    target: 'web',
    devtool: false,
    output: { path: outDir, filename, library: { type: 'amd' } },
    externals: ['@grafana/data', '@grafana/runtime', 'lodash'],
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
