/**
 * The labels a real Prometheus scrape puts on every series (target labels), so that backfilled
 * history and the live `/metrics` end with the same label sets.
 *
 * Real setups scrape the controllers with a PodMonitor (honor_labels false): the object's own
 * `namespace` becomes `exported_namespace` and the target's `namespace`, `pod`, `instance`, `job`,
 * `container`, `endpoint` are added. The backfill writes these final labels itself. The live
 * simulator exposes them in `/metrics` too, and its scrape config must use `honor_labels: true`
 * (see simulator/README.md) so Prometheus keeps them instead of adding its own job/instance.
 */
import { FLUX_CONTROLLERS, type FluxController } from './kinds';
import { hashString, hexDigits } from './random';
import type { Scenario } from './types';

export type Labels = Record<string, string>;

/** A short pod hash like a ReplicaSet's: `6f8d9c7b4-x2k9p`. */
function podSuffix(seed: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let h = hashString(seed);
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += alphabet[h % alphabet.length];
    h = Math.floor(h / alphabet.length) + hashString(`${seed}${i}`);
  }
  return `${hexDigits(seed, 9).replace(/^0/, '7')}-${suffix}`;
}

function podIp(seed: string): string {
  const h = hashString(seed);
  return `10.244.${h % 200}.${((h >>> 8) % 250) + 2}:8080`;
}

/** Labels every series gets from where it came from: cluster label (several clusters) and nothing else. */
export function clusterLabels(scenario: Scenario, cluster: string): Labels {
  return scenario.fleet.clusters.length > 1 ? { [scenario.fleet.clusterLabel]: cluster } : {};
}

/** Target labels of a Flux controller pod scraped by the flux-system PodMonitor. */
export function controllerTarget(scenario: Scenario, cluster: string, controller: FluxController): Labels {
  const seed = `${scenario.fleet.seed}/${cluster}/${controller}`;
  return {
    ...clusterLabels(scenario, cluster),
    namespace: 'flux-system',
    pod: `${controller}-${podSuffix(seed)}`,
    instance: podIp(seed),
    job: 'flux-system/flux-system',
    container: 'manager',
    endpoint: 'http-prom',
    app: controller,
  };
}

/**
 * Target labels of a second pod of a Flux controller (the previous leader, still running): the
 * only place a stale series of an object can come from, since one pod's recorder is one-hot.
 */
export function controllerStandbyTarget(scenario: Scenario, cluster: string, controller: FluxController): Labels {
  const seed = `${scenario.fleet.seed}/${cluster}/${controller}/standby`;
  return {
    ...controllerTarget(scenario, cluster, controller),
    pod: `${controller}-${podSuffix(seed)}`,
    instance: podIp(seed),
  };
}

/** Target labels of each kube-state-metrics replica (ServiceMonitor in `monitoring`). */
export function kubeStateMetricsTargets(scenario: Scenario, cluster: string): Labels[] {
  return Array.from({ length: scenario.replicas.kubeStateMetrics }, (_, replica) => {
    const seed = `${scenario.fleet.seed}/${cluster}/kube-state-metrics/${replica}`;
    return {
      ...clusterLabels(scenario, cluster),
      namespace: 'monitoring',
      pod: `kube-state-metrics-${podSuffix(seed)}`,
      instance: podIp(seed),
      job: 'kube-state-metrics',
      container: 'kube-state-metrics',
      endpoint: 'http',
      service: 'kube-state-metrics',
    };
  });
}

/** Target labels of the Flux Operator (ServiceMonitor in flux-system). */
export function fluxOperatorTarget(scenario: Scenario, cluster: string): Labels {
  const seed = `${scenario.fleet.seed}/${cluster}/flux-operator`;
  return {
    ...clusterLabels(scenario, cluster),
    namespace: 'flux-system',
    pod: `flux-operator-${podSuffix(seed)}`,
    instance: podIp(seed),
    job: 'flux-operator',
    container: 'manager',
    endpoint: 'http-metrics',
    service: 'flux-operator',
  };
}

/** External labels of each Prometheus replica of an HA pair ([{}] without HA). */
export function prometheusReplicaLabels(scenario: Scenario): Labels[] {
  if (scenario.replicas.prometheus <= 1) {
    return [{}];
  }
  return Array.from({ length: scenario.replicas.prometheus }, (_, i) => ({ replica: `prometheus-${i}` }));
}

export { FLUX_CONTROLLERS };
