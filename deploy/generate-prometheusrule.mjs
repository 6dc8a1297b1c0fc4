#!/usr/bin/env node
// Writes deploy/flux-prometheusrule.yaml and deploy/fluxgrid-recording-rules-prometheusrule.yaml:
// FluxGrid's alert rules (alerts/flux-alerts.yaml) and optional recording rules
// (alerts/fluxgrid-recording-rules.yaml), each wrapped in a Prometheus Operator PrometheusRule.
// Run it after changing either:
//
//   node deploy/generate-prometheusrule.mjs
//
// tests/static/deploy.test.ts fails when a pair disagrees, so there is one source of truth.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each rule file of alerts/ and the PrometheusRule written from it. */
const RULES = [
  { source: 'flux-alerts.yaml', output: 'flux-prometheusrule.yaml', name: 'fluxgrid-flux-alerts', component: 'alerting' },
  {
    source: 'fluxgrid-recording-rules.yaml',
    output: 'fluxgrid-recording-rules-prometheusrule.yaml',
    name: 'fluxgrid-recording-rules',
    component: 'recording-rules',
  },
];

for (const { source, output, name, component } of RULES) {
  const sourcePath = join(root, 'alerts', source);
  const outputPath = join(root, 'deploy', output);
  const rules = parse(readFileSync(sourcePath, 'utf8'));
  if (!rules || !Array.isArray(rules.groups)) {
    throw new Error(`${sourcePath}: expected a Prometheus rule file with a top-level "groups" list`);
  }
  const prometheusRule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name,
      labels: {
        'app.kubernetes.io/name': 'fluxgrid',
        'app.kubernetes.io/component': component,
        // kube-prometheus-stack's default ruleSelector; deploy/kube-prometheus-stack-values.yaml
        // also sets ruleSelectorNilUsesHelmValues: false so any PrometheusRule is picked up.
        release: 'kube-prometheus-stack',
      },
    },
    spec: { groups: rules.groups },
  };
  const header =
    `# GENERATED from alerts/${source} by \`node deploy/generate-prometheusrule.mjs\`: do not edit.\n` +
    `# kubectl apply -n monitoring -f deploy/${output}\n`;
  writeFileSync(outputPath, header + stringify(prometheusRule, { lineWidth: 0 }));
  process.stdout.write(`wrote ${outputPath} (${rules.groups.length} groups)\n`);
}
