/**
 * deploy/: what users apply to a real cluster. No cluster runs here, so the manifests are checked
 * for shape (apiVersion, kind, required keys), against Flux's kinds and labels, and with promtool.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { stringify } from 'yaml';

import { FLUX_CONTROLLERS, FLUX_KINDS, KIND_INFO } from '../../simulator/kinds';
import { listFiles, readText, readYaml, readYamlDocuments, repoPath, requireCommand } from './lib';

const VALUES = 'deploy/kube-prometheus-stack-values.yaml';
const PROMETHEUS_RULE = 'deploy/flux-prometheusrule.yaml';
const ALERTS = 'alerts/flux-alerts.yaml';

/** Plural resource names of the Flux kinds, as RBAC rules spell them. */
const PLURALS: Record<string, string> = Object.fromEntries(
  FLUX_KINDS.map((kind) => [kind, kind.toLowerCase() + (kind.endsWith('y') ? '' : 's')])
);
PLURALS.GitRepository = 'gitrepositories';
PLURALS.OCIRepository = 'ocirepositories';
PLURALS.HelmRepository = 'helmrepositories';
PLURALS.ImageRepository = 'imagerepositories';
PLURALS.ImagePolicy = 'imagepolicies';

describe('deploy/', () => {
  it.each(listFiles(repoPath('deploy'), (f) => /\.ya?ml$/.test(f)))('%s parses', (file) => {
    expect(readYamlDocuments(file).length).toBeGreaterThan(0);
  });

  it('every Kubernetes manifest has apiVersion, kind and metadata.name', () => {
    for (const file of listFiles(repoPath('deploy'), (f) => /\.ya?ml$/.test(f))) {
      for (const doc of readYamlDocuments(file).filter((d) => d && d.apiVersion !== undefined)) {
        expect({ file, apiVersion: doc.apiVersion }).toEqual({
          file,
          apiVersion: expect.stringMatching(/^[a-z0-9.]+\/v\d/),
        });
        expect({ file, kind: doc.kind }).toEqual({ file, kind: expect.stringMatching(/^[A-Z][A-Za-z]+$/) });
        expect({ file, name: doc.metadata?.name }).toEqual({ file, name: expect.stringMatching(/^[a-z0-9-]+$/) });
      }
    }
  });

  describe('kube-prometheus-stack values: PodMonitor for the Flux controllers', () => {
    const values = readYaml(VALUES);
    const podMonitors = values.prometheus.additionalPodMonitors;

    it('selects the Flux controller pods in flux-system and scrapes port http-prom', () => {
      expect(podMonitors).toHaveLength(1);
      const [monitor] = podMonitors;
      expect(monitor.name).toMatch(/^[a-z0-9-]+$/);
      expect(monitor.namespaceSelector).toEqual({ matchNames: ['flux-system'] });
      const apps = monitor.selector.matchExpressions.find((e: any) => e.key === 'app');
      expect(apps.operator).toBe('In');
      expect([...apps.values].sort()).toEqual([...FLUX_CONTROLLERS].sort());
      expect(monitor.podMetricsEndpoints.map((e: any) => e.port)).toEqual(['http-prom']);
    });

    it("keeps the object's namespace as exported_namespace (honorLabels false) and labels the controller", () => {
      const [endpoint] = podMonitors[0].podMetricsEndpoints;
      expect(endpoint.honorLabels).toBe(false);
      expect(endpoint.relabelings).toContainEqual(
        expect.objectContaining({ sourceLabels: ['__meta_kubernetes_pod_label_app'], targetLabel: 'app' })
      );
      for (const relabel of endpoint.relabelings) {
        // Nothing may overwrite namespace/exported_namespace: that is the object identity.
        expect(['namespace', 'exported_namespace']).not.toContain(relabel.targetLabel);
      }
    });

    it('lets Prometheus select PodMonitors and PrometheusRules outside the Helm release', () => {
      expect(values.prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues).toBe(false);
      expect(values.prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues).toBe(false);
    });
  });

  describe('kube-state-metrics custom resource state: gotk_resource_info', () => {
    const ksm = readYaml(VALUES)['kube-state-metrics'];
    const resources: any[] = ksm.customResourceState.config.spec.resources;
    const resourceOf = (kind: string) => resources.find((r) => r.groupVersionKind.kind === kind);

    it('is enabled and covers every Flux kind exactly once', () => {
      expect(ksm.customResourceState.enabled).toBe(true);
      expect(resources.map((r) => r.groupVersionKind.kind).sort()).toEqual([...FLUX_KINDS].sort());
    });

    it.each([...FLUX_KINDS])('%s: gotk_resource_info, an Info metric in the right API group', (kind) => {
      const resource = resourceOf(kind);
      expect(resource.groupVersionKind.group).toBe(KIND_INFO[kind].group);
      expect(resource.groupVersionKind.version).toMatch(/^v\d+((alpha|beta)\d+)?$/);
      expect(resource.metricNamePrefix).toBe('gotk');
      expect(resource.metrics).toHaveLength(1);
      const [metric] = resource.metrics;
      expect(metric.name).toBe('resource_info');
      expect(metric.each.type).toBe('Info');
      expect(metric.each.info.labelsFromPath.name).toEqual(['metadata', 'name']);
    });

    it.each([...FLUX_KINDS])('%s: the labels FluxGrid reads', (kind) => {
      const labels = resourceOf(kind).metrics[0].labelsFromPath;
      const expected = [
        'exported_namespace',
        ...(KIND_INFO[kind].hasReadyCondition ? ['ready'] : []),
        'suspended',
        ...KIND_INFO[kind].kubeStateMetricsLabels,
      ];
      expect(Object.keys(labels).sort()).toEqual([...expected].sort());
      expect(labels.exported_namespace).toEqual(['metadata', 'namespace']);
      expect(labels.suspended).toEqual(['spec', 'suspend']);
      if (KIND_INFO[kind].hasReadyCondition) {
        expect(labels.ready).toEqual(['status', 'conditions', '[type=Ready]', 'status']);
      }
      for (const p of Object.values<string[]>(labels)) {
        expect(Array.isArray(p) && p.length > 0 && p.every((s) => typeof s === 'string')).toBe(true);
      }
    });

    // kube-state-metrics merges the families of every resource with the same metric name; when the
    // help texts repeat, kinds get dropped from /metrics. One distinct help text per kind.
    it('gives every kind a distinct help text', () => {
      const helps = resources.map((r) => r.metrics[0].help);
      expect(helps.every((h) => typeof h === 'string' && h.length > 0)).toBe(true);
      expect(new Set(helps).size).toBe(helps.length);
      for (const resource of resources) {
        expect(resource.metrics[0].help).toContain(resource.groupVersionKind.kind);
      }
    });

    it('grants kube-state-metrics list and watch on every Flux resource', () => {
      const rules: any[] = ksm.rbac.extraRules;
      for (const kind of FLUX_KINDS) {
        const rule = rules.find(
          (r) => r.apiGroups.includes(KIND_INFO[kind].group) && r.resources.includes(PLURALS[kind])
        );
        expect({ kind, granted: rule !== undefined }).toEqual({ kind, granted: true });
        expect([...rule.verbs].sort()).toEqual(['list', 'watch']);
      }
    });
  });

  describe('Grafana in kube-prometheus-stack', () => {
    const grafana = readYaml(VALUES).grafana;

    it("points the FluxGrid datasource at the chart's Prometheus datasource uid", () => {
      const fluxgrid = grafana.additionalDataSources.find((d: any) => d.type === 'fluxgrid-status-datasource');
      expect(fluxgrid.jsonData.prometheusUid).toBe(grafana.sidecar.datasources.uid);
    });

    it('allows only our plugin ids unsigned', () => {
      expect(grafana['grafana.ini'].plugins.allow_loading_unsigned_plugins.split(',').sort()).toEqual([
        'fluxgrid-status-app',
        'fluxgrid-status-datasource',
        'fluxgrid-status-panel',
      ]);
    });
  });

  describe('PrometheusRule', () => {
    it('is a PrometheusRule', () => {
      const rule = readYaml(PROMETHEUS_RULE);
      expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(rule.kind).toBe('PrometheusRule');
      expect(rule.metadata.name).toMatch(/^[a-z0-9-]+$/);
      expect(rule.metadata.namespace).toBeUndefined();
      expect(Array.isArray(rule.spec.groups)).toBe(true);
    });

    // One source of truth: the PrometheusRule is generated from alerts/flux-alerts.yaml.
    it('has exactly the groups of alerts/flux-alerts.yaml (regenerate: node deploy/generate-prometheusrule.mjs)', () => {
      expect(readYaml(PROMETHEUS_RULE).spec.groups).toEqual(readYaml(ALERTS).groups);
    });

    it('its groups pass `promtool check rules`', () => {
      requireCommand('promtool');
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxgrid-rules-'));
      try {
        const file = path.join(tmp, 'rules.yaml');
        fs.writeFileSync(file, stringify({ groups: readYaml(PROMETHEUS_RULE).spec.groups }));
        const out = execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8', stdio: 'pipe' });
        expect(out).toMatch(/SUCCESS: [1-9]\d* rules found/);
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    });

    it('says it is generated', () => {
      expect(readText(PROMETHEUS_RULE)).toMatch(/^# GENERATED from alerts\/flux-alerts\.yaml/);
    });
  });
});
