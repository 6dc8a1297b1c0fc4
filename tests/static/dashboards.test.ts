/**
 * The dashboards the app ships (src/dashboards, `includes` of type dashboard) and that the docker
 * compose environment provisions from the same files.
 */
import fs from 'fs';
import path from 'path';

import {
  allPanels,
  datasourceRefs,
  listFiles,
  loadDashboards,
  prometheusQueries,
  rangeSelectors,
  readJson,
  readYaml,
  repoPath,
  variableName,
} from './lib';

/** Panels we build. */
const OUR_PANELS = ['fluxgrid-status-panel'];

/** Panel types that ship with Grafana (core), so every Grafana >= 12.3 has them. */
const CORE_PANELS = [
  'alertlist',
  'annolist',
  'barchart',
  'bargauge',
  'candlestick',
  'canvas',
  'dashlist',
  'datagrid',
  'flamegraph',
  'gauge',
  'geomap',
  'heatmap',
  'histogram',
  'logs',
  'news',
  'nodeGraph',
  'piechart',
  'row',
  'stat',
  'state-timeline',
  'status-history',
  'table',
  'text',
  'timeseries',
  'traces',
  'trend',
  'xychart',
];

/** Built-in Grafana datasources a dashboard may name directly. */
const BUILTIN_DATASOURCE_UIDS = ['-- Grafana --', 'grafana', '-- Mixed --', '-- Dashboard --'];

const FLUX_QUERY_TYPES = ['objects', 'stateHistory', 'reconcileDuration', 'summary', 'stateChanges'];
const FLUX_VARIABLE_TARGETS = ['clusters', 'kinds', 'namespaces', 'names'];

const dashboards = loadDashboards();
const byUid = (uid: string) => dashboards.find((d) => d.json.uid === uid)!;

function provisionedDatasources(): any[] {
  return listFiles(repoPath('provisioning', 'datasources')).flatMap((f) => readYaml(f).datasources ?? []);
}

function datasourceVariables(dashboard: any): Map<string, string> {
  return new Map(
    (dashboard.templating?.list ?? []).filter((v: any) => v.type === 'datasource').map((v: any) => [v.name, v.query])
  );
}

describe('dashboards', () => {
  it('are the three FluxGrid dashboards', () => {
    expect(dashboards.map((d) => d.json.uid).sort()).toEqual([
      'fluxgrid-control-plane',
      'fluxgrid-object',
      'fluxgrid-reconciliation',
    ]);
  });

  it('are all declared as app includes of type dashboard, and nothing else is', () => {
    const includes = readJson('src/plugin.json')
      .includes.filter((i: any) => i.type === 'dashboard')
      .map((i: any) => path.join('src', i.path));
    expect(includes.sort()).toEqual(dashboards.map((d) => d.file).sort());
  });

  describe.each(dashboards.map((d) => [d.file, d] as const))('%s', (_file, { json }) => {
    it('has a uid, a title, no id and no import-time ${DS_...} inputs', () => {
      expect(json.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
      expect(typeof json.title).toBe('string');
      expect(json.id ?? null).toBeNull();
      expect(json.__inputs).toBeUndefined();
      expect(JSON.stringify(json)).not.toMatch(/\$\{DS_/);
      expect(json.schemaVersion).toBeGreaterThanOrEqual(36);
    });

    it('uses only panel types we build or Grafana core panels', () => {
      for (const panel of allPanels(json)) {
        expect([...OUR_PANELS, ...CORE_PANELS]).toContain(panel.type);
      }
    });

    it('has unique panel ids and a layout on the 24-column grid without overlaps', () => {
      const panels = allPanels(json);
      const ids = panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      const cells = new Map<string, string>();
      for (const { gridPos, title } of panels) {
        expect(gridPos.x + gridPos.w).toBeLessThanOrEqual(24);
        for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
          for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
            const owner = cells.get(`${x},${y}`);
            expect({ cell: `${x},${y}`, owner, title }).toEqual({ cell: `${x},${y}`, owner: undefined, title });
            cells.set(`${x},${y}`, title);
          }
        }
      }
    });

    it('gives every panel with queries a datasource', () => {
      for (const panel of allPanels(json).filter((p) => (p.targets ?? []).length > 0)) {
        expect({ panel: panel.title, datasource: panel.datasource ?? null }).not.toEqual({
          panel: panel.title,
          datasource: null,
        });
      }
    });

    // "No pinned datasource uids": the same JSON is provisioned here and imported into users' own
    // Grafana, where our uids do not exist. Every reference goes through a datasource variable.
    it('references datasources only through datasource variables of the right type (or Grafana built-ins)', () => {
      const variables = datasourceVariables(json);
      for (const { where, ref } of datasourceRefs(json)) {
        expect(typeof ref).toBe('object');
        if (BUILTIN_DATASOURCE_UIDS.includes(ref.uid)) {
          continue;
        }
        const name = variableName(ref.uid);
        expect({ where, variable: name !== undefined && variables.has(name) }).toEqual({ where, variable: true });
        expect({ where, type: ref.type }).toEqual({ where, type: variables.get(name!) });
      }
    });

    it('every datasource variable resolves to a provisioned datasource in the docker compose environment', () => {
      const provisionedTypes = provisionedDatasources().map((d) => d.type);
      for (const [name, type] of datasourceVariables(json)) {
        expect({ variable: name, provisioned: provisionedTypes.includes(type) }).toEqual({
          variable: name,
          provisioned: true,
        });
      }
    });

    it('every template variable a query uses is defined', () => {
      const defined = new Set((json.templating?.list ?? []).map((v: any) => v.name));
      const text = JSON.stringify({ panels: json.panels, templating: json.templating, annotations: json.annotations });
      for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
        if (!m[1].startsWith('__')) {
          expect({ variable: m[1], defined: defined.has(m[1]) }).toEqual({ variable: m[1], defined: true });
        }
      }
    });
  });

  describe('Flux reconciliation', () => {
    const json = byUid('fluxgrid-reconciliation').json;
    const fluxTargets = (panel: any) =>
      (panel.targets ?? []).filter((t: any) => t.datasource?.type === 'fluxgrid-status-datasource');

    it('reads everything through the FluxGrid datasource, with valid FluxQuery models', () => {
      for (const panel of allPanels(json).filter((p) => p.type !== 'row')) {
        expect(panel.targets.length).toBeGreaterThan(0);
        for (const target of panel.targets) {
          expect(target.datasource.type).toBe('fluxgrid-status-datasource');
          expect(FLUX_QUERY_TYPES).toContain(target.queryType);
          expect(target.refId).toBeTruthy();
        }
      }
    });

    it('has the status grid, state and kind counts, slowest reconciles, suspended objects and a state timeline', () => {
      const panels = allPanels(json);
      const find = (type: string, pred: (t: any) => boolean) =>
        panels.filter((p) => p.type === type && fluxTargets(p).some(pred));
      expect(find('fluxgrid-status-panel', (t) => t.queryType === 'objects')).toHaveLength(1);
      expect(find('stat', (t) => t.queryType === 'summary' && t.summaryBy === 'state')).toHaveLength(1);
      expect(find('stat', (t) => t.queryType === 'summary' && t.summaryBy === 'kind')).toHaveLength(1);
      expect(find('table', (t) => t.queryType === 'reconcileDuration' && t.limit > 0)).toHaveLength(1);
      expect(find('table', (t) => t.queryType === 'objects' && t.state === 'Suspended')).toHaveLength(1);
      expect(find('state-timeline', (t) => t.queryType === 'stateHistory')).toHaveLength(1);
    });

    it('filters every query by the cluster, kind and namespace variables', () => {
      for (const panel of allPanels(json).filter((p) => p.type !== 'row')) {
        for (const target of fluxTargets(panel)) {
          expect({
            panel: panel.title,
            cluster: target.cluster,
            kind: target.kind,
            namespace: target.namespace,
          }).toEqual({ panel: panel.title, cluster: '$cluster', kind: '$kind', namespace: '$namespace' });
        }
      }
    });

    it('has cluster, kind and namespace variables from FluxGrid variable queries', () => {
      const variables = json.templating.list.filter((v: any) => v.type === 'query');
      expect(variables.map((v: any) => v.name)).toEqual(['cluster', 'kind', 'namespace']);
      expect(variables.map((v: any) => v.query.target)).toEqual(['clusters', 'kinds', 'namespaces']);
      for (const v of variables) {
        expect(v.datasource).toEqual({ type: 'fluxgrid-status-datasource', uid: '${datasource}' });
        expect(FLUX_VARIABLE_TARGETS).toContain(v.query.target);
        expect(v.includeAll).toBe(true);
        expect(v.multi).toBe(true);
      }
    });

    it('annotates state changes from the FluxGrid datasource', () => {
      const annotations = json.annotations.list.filter(
        (a: any) => !a.builtIn && a.datasource.type === 'fluxgrid-status-datasource'
      );
      expect(annotations).toHaveLength(1);
      expect(annotations[0].target.queryType).toBe('stateChanges');
      expect(annotations[0].enable).toBe(true);
    });

    it('annotates revision changes from the Prometheus datasource variable', () => {
      const revisions = json.annotations.list.filter((a: any) => !a.builtIn && a.datasource.uid === '${prometheus}');
      expect(revisions).toHaveLength(1);
      expect(revisions[0].target.expr).toMatch(/revision/);
      expect(revisions[0].enable).toBe(true);
    });
  });

  describe('Flux control plane', () => {
    const dashboard = byUid('fluxgrid-control-plane');
    const queries = prometheusQueries(dashboard);
    const panelQueries = queries.filter((q) => q.where.startsWith('panel'));
    const exprs = panelQueries.map((q) => q.expr).join('\n');

    it('shows what the official control-plane dashboard shows', () => {
      for (const metric of [
        'controller_runtime_reconcile_total',
        'controller_runtime_reconcile_time_seconds_bucket',
        'workqueue_depth',
        'workqueue_longest_running_processor_seconds',
        'rest_client_requests_total',
        'process_cpu_seconds_total',
        'go_memstats_alloc_bytes',
        'go_info',
      ]) {
        expect(exprs).toContain(metric);
      }
      expect(exprs).toMatch(/by \(controller, result\)/);
      expect(exprs).toMatch(/by \(code\)/);
      expect(exprs).toMatch(/histogram_quantile\(0\.99/);
    });

    // flux2-monitoring-example#68: increase(...[1m]) with a 60 s scrape has one sample per window.
    it('computes rates over $__rate_interval, never a fixed window', () => {
      for (const { where, expr } of panelQueries) {
        for (const selector of rangeSelectors(expr)) {
          expect({ where, selector }).toEqual({ where, selector: '$__rate_interval' });
        }
      }
    });

    it('scopes controller-runtime metrics to the Flux controllers and process metrics to their pods', () => {
      const selectors = (expr: string, metric: string) =>
        Array.from(expr.matchAll(new RegExp(`${metric}\\{([^}]*)\\}`, 'g')), (m) => m[1]);
      for (const { where, expr } of panelQueries) {
        for (const s of selectors(expr, 'controller_runtime_[a-z_]+')) {
          expect({ where, s }).toEqual({
            where,
            s: expect.stringMatching(/namespace=~"\$namespace".*controller=~"\$controller"/),
          });
        }
        for (const s of selectors(expr, 'workqueue_[a-z_]+')) {
          expect({ where, s }).toEqual({
            where,
            s: expect.stringMatching(/namespace=~"\$namespace".*name=~"\$controller"/),
          });
        }
        for (const s of selectors(expr, '(?:rest_client|process|go)_[a-z_]+')) {
          expect({ where, s }).toEqual({ where, s: expect.stringMatching(/namespace=~"\$namespace".*-controller/) });
        }
      }
      // Unscoped selectors (no braces) would read every controller-runtime app in the cluster.
      expect(exprs).not.toMatch(/(controller_runtime|workqueue|rest_client|process|go)_[a-z_]+(?![a-z_{])/);
    });

    it('offers the Flux controllers only in the controller variable', () => {
      const controller = dashboard.json.templating.list.find((v: any) => v.name === 'controller');
      expect(controller.query.query).toMatch(/controller=~"kustomization\|helmrelease\|/);
    });
  });
});

describe('dashboard files', () => {
  it('live only in src/dashboards (the build copies them to dist/dashboards)', () => {
    const elsewhere = listFiles(repoPath('provisioning'), (f) => f.endsWith('.json'));
    expect(elsewhere).toEqual([]);
    expect(fs.existsSync(repoPath('src', 'dashboards'))).toBe(true);
  });
});
