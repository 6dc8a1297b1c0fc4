/**
 * deploy/: what users apply to a real cluster. No cluster runs here, so the manifests are checked
 * for shape (apiVersion, kind, required keys), against Flux's kinds and labels, and with promtool.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { stringify } from 'yaml';

import { FLUX_CONTROLLERS, KIND_INFO, TOOLKIT_KINDS, type ToolkitKind } from '../../simulator/kinds';
import { listFiles, readText, readYaml, readYamlDocuments, repoPath, requireCommand } from './lib';

const VALUES = 'deploy/kube-prometheus-stack-values.yaml';
const PROMETHEUS_RULE = 'deploy/flux-prometheusrule.yaml';
const ALERTS = 'alerts/flux-alerts.yaml';

/**
 * The API versions each Flux release serves, per kind: `[version, first, last Flux minor]`.
 * Read from the CRDs (`spec.versions[].served`) in each controller's `config/crd/bases/` at the tag
 * that fluxcd/flux2's `manifests/bases/<controller>/kustomization.yaml` pins at v2.0.0 … v2.9.0
 * (source-controller v1.0–v1.9, kustomize-controller v1.0–v1.9, helm-controller v0.35–v1.6,
 * notification-controller v1.0–v1.9, image-reflector-controller v0.29–v1.2,
 * image-automation-controller v0.35–v1.2, source-watcher v2.0–v2.2).
 */
const SERVED: Record<ToolkitKind, Array<[string, string, string]>> = {
  Kustomization: [
    ['v1beta1', '2.0', '2.6'],
    ['v1beta2', '2.0', '2.7'],
    ['v1', '2.0', '2.9'],
  ],
  HelmRelease: [
    ['v2beta1', '2.0', '2.6'],
    ['v2beta2', '2.2', '2.7'],
    ['v2', '2.3', '2.9'],
  ],
  GitRepository: [
    ['v1beta1', '2.0', '2.6'],
    ['v1beta2', '2.0', '2.7'],
    ['v1', '2.0', '2.9'],
  ],
  OCIRepository: [
    ['v1beta2', '2.0', '2.7'],
    ['v1', '2.6', '2.9'],
  ],
  HelmRepository: [
    ['v1beta1', '2.0', '2.6'],
    ['v1beta2', '2.0', '2.7'],
    ['v1', '2.3', '2.9'],
  ],
  HelmChart: [
    ['v1beta1', '2.0', '2.6'],
    ['v1beta2', '2.0', '2.7'],
    ['v1', '2.3', '2.9'],
  ],
  Bucket: [
    ['v1beta1', '2.0', '2.6'],
    ['v1beta2', '2.0', '2.7'],
    ['v1', '2.4', '2.9'],
  ],
  Alert: [
    ['v1beta1', '2.0', '2.6'],
    ['v1beta2', '2.0', '2.8'],
    ['v1beta3', '2.2', '2.9'],
  ],
  Provider: [
    ['v1beta1', '2.0', '2.6'],
    ['v1beta2', '2.0', '2.8'],
    ['v1beta3', '2.2', '2.9'],
  ],
  Receiver: [
    ['v1beta1', '2.0', '2.6'],
    ['v1beta2', '2.0', '2.8'],
    ['v1', '2.0', '2.9'],
  ],
  ImageRepository: [
    ['v1beta1', '2.0', '2.6'],
    ['v1beta2', '2.0', '2.8'],
    ['v1', '2.7', '2.9'],
  ],
  ImagePolicy: [
    ['v1beta1', '2.0', '2.6'],
    ['v1beta2', '2.0', '2.8'],
    ['v1', '2.7', '2.9'],
  ],
  ImageUpdateAutomation: [
    ['v1beta1', '2.0', '2.6'],
    ['v1beta2', '2.3', '2.8'],
    ['v1', '2.7', '2.9'],
  ],
  ExternalArtifact: [['v1', '2.7', '2.9']],
  ArtifactGenerator: [['v1beta1', '2.7', '2.9']],
};

/** The Flux releases the README's compatibility table lists. */
const FLUX_RELEASES = ['2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '2.8', '2.9'];

const minor = (release: string) => Number(release.split('.')[1]);

function servedVersions(kind: ToolkitKind, release: string): string[] {
  return SERVED[kind]
    .filter(([, first, last]) => minor(first) <= minor(release) && minor(release) <= minor(last))
    .map(([v]) => v);
}

/** Which kube-state-metrics config serves which Flux releases (a later `-f` replaces the resources list). */
const CONFIGS = [
  { file: VALUES, flux: ['2.7', '2.8', '2.9'] },
  { file: 'deploy/kube-state-metrics-flux-2.3-2.6.yaml', flux: ['2.3', '2.4', '2.5', '2.6'] },
  { file: 'deploy/kube-state-metrics-flux-2.0-2.2.yaml', flux: ['2.0', '2.1', '2.2'] },
];

function resourcesOf(file: string): any[] {
  return readYaml(file)['kube-state-metrics'].customResourceState.config.spec.resources;
}

/** Plural resource names of the Flux kinds, as RBAC rules spell them. */
const PLURALS: Record<string, string> = Object.fromEntries(
  TOOLKIT_KINDS.map((kind) => [kind, kind.toLowerCase() + (kind.endsWith('y') ? '' : 's')])
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

    it('is enabled', () => {
      expect(ksm.customResourceState.enabled).toBe(true);
    });

    it('names, for each Flux kind, an API version served by Flux 2.9', () => {
      const resources = resourcesOf(VALUES);
      for (const kind of TOOLKIT_KINDS) {
        const resource = resources.find((r) => r.groupVersionKind.kind === kind);
        expect({ kind, served: servedVersions(kind, '2.9') }).toEqual({
          kind,
          served: expect.arrayContaining([resource?.groupVersionKind.version]),
        });
      }
    });

    it('has one config per Flux version range, covering every version the README lists, the main file first', () => {
      const covered = CONFIGS.flatMap((c) => c.flux);
      expect([...covered].sort()).toEqual([...FLUX_RELEASES]);
      expect(new Set(covered).size).toBe(covered.length);
      expect(CONFIGS[0].file).toBe(VALUES);
      // The main file's header says which file to add for which versions.
      for (const { file, flux } of CONFIGS.slice(1)) {
        expect(readText(VALUES)).toContain(`Flux ${flux[0]} - ${flux[flux.length - 1]}      add  -f ${file}`);
      }
      // The README's compatibility table names them too.
      for (const { file } of CONFIGS.slice(1)) {
        expect(readText('README.md')).toContain(file);
      }
    });

    describe.each(CONFIGS)('$file (Flux $flux)', ({ file, flux }) => {
      const resources = resourcesOf(file);
      const resourceOf = (kind: string) => resources.find((r) => r.groupVersionKind.kind === kind);
      const kinds = TOOLKIT_KINDS.filter((kind) => flux.every((version) => servedVersions(kind, version).length > 0));

      it('covers every Flux kind those versions serve, exactly once', () => {
        expect(resources.map((r) => r.groupVersionKind.kind).sort()).toEqual([...kinds].sort());
      });

      it('names for each kind an API version that every one of those Flux versions serves', () => {
        for (const resource of resources) {
          const { kind, version } = resource.groupVersionKind;
          for (const release of flux) {
            expect({ kind, release, served: servedVersions(kind, release) }).toEqual({
              kind,
              release,
              served: expect.arrayContaining([version]),
            });
          }
        }
      });

      it.each(kinds)('%s: gotk_resource_info, an Info metric in the right API group', (kind) => {
        const resource = resourceOf(kind);
        expect(resource.groupVersionKind.group).toBe(KIND_INFO[kind].group);
        expect(resource.metricNamePrefix).toBe('gotk');
        expect(resource.metrics).toHaveLength(1);
        const [metric] = resource.metrics;
        expect(metric.name).toBe('resource_info');
        expect(metric.each.type).toBe('Info');
        expect(metric.each.info.labelsFromPath.name).toEqual(['metadata', 'name']);
      });

      it.each(kinds)('%s: the labels FluxGrid reads', (kind) => {
        const labels = resourceOf(kind).metrics[0].labelsFromPath;
        const info = KIND_INFO[kind];
        if (file === VALUES) {
          // Current Flux: exactly the labels of flux2-monitoring-example's config (simulator/kinds.ts).
          const expected = [
            'exported_namespace',
            ...(info.hasReadyCondition ? ['ready'] : []),
            ...(info.hasSuspend ? ['suspended'] : []),
            ...(info.kubeStateMetricsLabels ?? []),
          ];
          expect(Object.keys(labels).sort()).toEqual([...expected].sort());
        } else {
          // Older API versions: the same label names where their fields exist (HelmRelease v2beta1
          // has no chartRef; Alert/Provider v1beta2 still have a Ready condition).
          const known = new Set(['exported_namespace', 'ready', 'suspended', ...(info.kubeStateMetricsLabels ?? [])]);
          expect(Object.keys(labels).filter((label) => !known.has(label))).toEqual([]);
          expect(Object.keys(labels)).toEqual(expect.arrayContaining(['exported_namespace', 'suspended']));
        }
        expect(labels.exported_namespace).toEqual(['metadata', 'namespace']);
        if (labels.suspended !== undefined) {
          expect(labels.suspended).toEqual(['spec', 'suspend']);
        }
        if (info.hasReadyCondition) {
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
    });

    it('grants kube-state-metrics list and watch on every Flux resource', () => {
      const rules: any[] = ksm.rbac.extraRules;
      for (const kind of TOOLKIT_KINDS) {
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

  describe.each([
    [PROMETHEUS_RULE, ALERTS],
    ['deploy/fluxgrid-recording-rules-prometheusrule.yaml', 'alerts/fluxgrid-recording-rules.yaml'],
  ])('PrometheusRule %s', (prometheusRule, source) => {
    it('is a PrometheusRule', () => {
      const rule = readYaml(prometheusRule);
      expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(rule.kind).toBe('PrometheusRule');
      expect(rule.metadata.name).toMatch(/^[a-z0-9-]+$/);
      expect(rule.metadata.namespace).toBeUndefined();
      expect(Array.isArray(rule.spec.groups)).toBe(true);
    });

    // One source of truth: the PrometheusRule is generated from the rule file in alerts/.
    it(`has exactly the groups of ${source} (regenerate: node deploy/generate-prometheusrule.mjs)`, () => {
      expect(readYaml(prometheusRule).spec.groups).toEqual(readYaml(source).groups);
    });

    it('its groups pass `promtool check rules`', () => {
      requireCommand('promtool');
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxgrid-rules-'));
      try {
        const file = path.join(tmp, 'rules.yaml');
        fs.writeFileSync(file, stringify({ groups: readYaml(prometheusRule).spec.groups }));
        const out = execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8', stdio: 'pipe' });
        expect(out).toMatch(/SUCCESS: [1-9]\d* rules found/);
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    });

    it('says it is generated', () => {
      expect(readText(prometheusRule).startsWith(`# GENERATED from ${source} `)).toBe(true);
    });
  });
});
