#!/usr/bin/env node
// Writes deploy/flux-prometheusrule.yaml: FluxGrid's alert rules (alerts/flux-alerts.yaml) wrapped
// in a Prometheus Operator PrometheusRule. Run it after changing the alerts:
//
//   node deploy/generate-prometheusrule.mjs
//
// tests/static/deploy.test.ts fails when the two files disagree, so there is one source of truth.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const alertsPath = join(root, 'alerts', 'flux-alerts.yaml');
const outputPath = join(root, 'deploy', 'flux-prometheusrule.yaml');

const alerts = parse(readFileSync(alertsPath, 'utf8'));
if (!alerts || !Array.isArray(alerts.groups)) {
  throw new Error(`${alertsPath}: expected a Prometheus rule file with a top-level "groups" list`);
}

const prometheusRule = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: {
    name: 'fluxgrid-flux-alerts',
    labels: {
      'app.kubernetes.io/name': 'fluxgrid',
      'app.kubernetes.io/component': 'alerting',
      // kube-prometheus-stack's default ruleSelector; deploy/kube-prometheus-stack-values.yaml
      // also sets ruleSelectorNilUsesHelmValues: false so any PrometheusRule is picked up.
      release: 'kube-prometheus-stack',
    },
  },
  spec: { groups: alerts.groups },
};

const header =
  '# GENERATED from alerts/flux-alerts.yaml by `node deploy/generate-prometheusrule.mjs`: do not edit.\n' +
  '# kubectl apply -n monitoring -f deploy/flux-prometheusrule.yaml\n';
writeFileSync(outputPath, header + stringify(prometheusRule, { lineWidth: 0 }));
process.stdout.write(`wrote ${outputPath} (${alerts.groups.length} groups)\n`);
