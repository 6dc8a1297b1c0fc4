/**
 * provisioning/: what Grafana and Prometheus read at start-up in the docker compose environment.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

import {
  listFiles,
  PROVISIONING_DIR,
  readJson,
  readText,
  readYaml,
  readYamlDocuments,
  repoPath,
  requireCommand,
} from './lib';

function provisionedDatasources(): any[] {
  return listFiles(repoPath('provisioning', 'datasources'), (f) => /\.ya?ml$/.test(f)).flatMap(
    (f) => readYaml(f).datasources ?? []
  );
}

describe('provisioning/', () => {
  it.each(listFiles(PROVISIONING_DIR))('%s parses', (file) => {
    if (/\.ya?ml$/.test(file)) {
      const docs = readYamlDocuments(file);
      expect(docs.length).toBeGreaterThan(0);
      expect(docs[0]).toBeTruthy();
    } else if (file.endsWith('.json')) {
      expect(() => readJson(file)).not.toThrow();
    } else {
      throw new Error(`${file}: Grafana and Prometheus only read YAML or JSON here`);
    }
  });

  it('Grafana provisioning files declare apiVersion 1', () => {
    for (const dir of ['datasources', 'dashboards', 'plugins']) {
      for (const file of listFiles(path.join(PROVISIONING_DIR, dir))) {
        expect({ file, apiVersion: readYaml(file).apiVersion }).toEqual({ file, apiVersion: 1 });
      }
    }
  });

  describe('datasources', () => {
    it('have unique names and uids, each with a type', () => {
      const datasources = provisionedDatasources();
      const uids = datasources.map((d) => d.uid);
      const names = datasources.map((d) => d.name);
      expect(new Set(uids).size).toBe(uids.length);
      expect(new Set(names).size).toBe(names.length);
      for (const ds of datasources) {
        expect(ds.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
        expect(typeof ds.type).toBe('string');
      }
    });

    it('provision a Prometheus datasource and a FluxGrid datasource of our plugin type', () => {
      const types = provisionedDatasources().map((d) => d.type);
      expect(types).toContain('prometheus');
      expect(types).toContain('fluxgrid-status-datasource');
    });

    // Bad input guard: a FluxGrid datasource whose prometheusUid names no datasource can only say
    // so in its health check and panels. The provisioned one must never be that case.
    it('every FluxGrid datasource points at a provisioned Prometheus datasource by uid', () => {
      const datasources = provisionedDatasources();
      const prometheusUids = datasources.filter((d) => d.type === 'prometheus').map((d) => d.uid);
      const fluxgrid = datasources.filter((d) => d.type === 'fluxgrid-status-datasource');
      expect(fluxgrid.length).toBeGreaterThan(0);
      for (const ds of fluxgrid) {
        expect(prometheusUids).toContain(ds.jsonData?.prometheusUid);
      }
    });

    it('FluxGrid jsonData uses only the documented keys and values', () => {
      const allowed = ['prometheusUid', 'schema', 'clusterLabel', 'reasonLabel', 'labels'];
      for (const ds of provisionedDatasources().filter((d) => d.type === 'fluxgrid-status-datasource')) {
        for (const key of Object.keys(ds.jsonData ?? {})) {
          expect(allowed).toContain(key);
        }
        if (ds.jsonData.schema !== undefined) {
          expect(['auto', 'legacy', 'kube-state-metrics', 'flux-operator']).toContain(ds.jsonData.schema);
        }
      }
    });

    it("the Prometheus datasource's timeInterval equals the scrape interval ($__rate_interval stays >= 4 scrapes)", () => {
      const prometheus = provisionedDatasources().find((d) => d.type === 'prometheus');
      const config = readYaml('provisioning/prometheus/prometheus.yml');
      expect(prometheus.jsonData.timeInterval).toBe(config.global.scrape_interval);
    });
  });

  it('plugins/apps.yaml enables the FluxGrid app', () => {
    const apps = readYaml('provisioning/plugins/apps.yaml').apps;
    const appId = readJson('src/plugin.json').id;
    expect(apps).toContainEqual(expect.objectContaining({ type: appId, disabled: false, org_id: 1 }));
    // The scaffold's placeholder settings (apiUrl, apiKey) mean nothing to FluxGrid.
    for (const app of apps) {
      expect(app.jsonData?.apiUrl).toBeUndefined();
      expect(app.secureJsonData).toBeUndefined();
    }
  });

  it('the dashboards provider is a file provider in the FluxGrid folder', () => {
    const providers = readYaml('provisioning/dashboards/fluxgrid.yaml').providers;
    expect(providers).toHaveLength(1);
    expect(providers[0]).toEqual(expect.objectContaining({ type: 'file', folder: 'FluxGrid', orgId: 1 }));
    expect(typeof providers[0].options.path).toBe('string');
  });

  it('dashboards are not duplicated under provisioning/ (src/dashboards is the only copy)', () => {
    expect(listFiles(PROVISIONING_DIR, (f) => f.endsWith('.json'))).toEqual([]);
  });

  describe('prometheus/prometheus.yml', () => {
    it('passes `promtool check config`, including the alert rules it loads', () => {
      requireCommand('promtool');
      // Inside the container the rules live at /etc/prometheus/rules (docker-compose mounts alerts/
      // there); point the copy at the repository's file so promtool checks the real rules too.
      const config = readText('provisioning/prometheus/prometheus.yml');
      const ruleFiles: string[] = readYaml('provisioning/prometheus/prometheus.yml').rule_files ?? [];
      expect(ruleFiles).toEqual([
        '/etc/prometheus/rules/flux-alerts.yaml',
        '/etc/prometheus/rules/fluxgrid-recording-rules.yaml',
      ]);
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxgrid-promtool-'));
      try {
        const copy = path.join(tmp, 'prometheus.yml');
        fs.writeFileSync(copy, config.replaceAll('/etc/prometheus/rules/', repoPath('alerts') + '/'));
        const out = execFileSync('promtool', ['check', 'config', copy], { encoding: 'utf8', stdio: 'pipe' });
        expect(out).toMatch(/SUCCESS: 2 rule files found/);
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    });

    it('scrapes the simulator with the labels the simulator documents', () => {
      const jobs = readYaml('provisioning/prometheus/prometheus.yml').scrape_configs;
      expect(jobs).toHaveLength(1);
      expect(jobs[0].static_configs[0].targets).toEqual(['simulator:9101']);
      expect(typeof jobs[0].honor_labels).toBe('boolean');
    });
  });
});
