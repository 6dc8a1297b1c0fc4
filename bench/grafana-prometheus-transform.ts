/**
 * Grafana's own frontend transform of Prometheus answers (@grafana/prometheus `transformV2`, what
 * PrometheusDatasource.query runs on every response: the Table format merges the backend's
 * frames into one), bundled over the host page's shared @grafana/data, @grafana/runtime and
 * lodash, so the browser benchmark runs it in the page as Grafana does. Bundled from node_modules
 * at bench time, never copied.
 */
import path from 'node:path';

import { bundleForPage } from './page-bundle';

export function bundlePrometheusTransform(outDir: string): Promise<string> {
  const entry = path.join(
    path.dirname(require.resolve('@grafana/prometheus/package.json')),
    'dist/esm/result_transformer.mjs'
  );
  return bundleForPage(entry, outDir, 'grafana-prometheus-transform.js');
}
