/**
 * What the datasource tells users when something is off. One place, so the health check and the
 * query path say the same thing.
 */
import { FLUX_METRICS, StateSchema } from '../flux';

export const SCHEMA_SOURCE: Record<StateSchema, string> = {
  'kube-state-metrics': `${FLUX_METRICS.kubeStateMetricsInfo} from kube-state-metrics`,
  'flux-operator': `${FLUX_METRICS.fluxOperatorInfo} from the Flux Operator`,
  legacy: `${FLUX_METRICS.legacyCondition} from the Flux controllers (Flux <= 2.4)`,
};

export const NO_PROMETHEUS =
  'No Prometheus datasource selected: choose the Prometheus datasource that scrapes your Flux metrics in the FluxGrid datasource settings.';

export function prometheusNotFound(uid: string): string {
  return (
    `Prometheus datasource with uid "${uid}" not found: it may have been deleted, or the FluxGrid datasource was ` +
    `provisioned with a uid that does not exist. Select the Prometheus datasource again in the FluxGrid datasource settings.`
  );
}

export function notPrometheus(name: string, type: string): string {
  return `Datasource "${name}" is of type "${type}", not Prometheus: FluxGrid reads Flux's metrics through a Prometheus datasource.`;
}

export function prometheusFailed(name: string, message: string): string {
  return `Prometheus "${name}" returned an error: ${message}`;
}

/** Series of an answer that are not Prometheus' shape (a label that is no text, a value that is no number). */
export function malformedSeries(name: string, count: number): string {
  return (
    `${count} series of Prometheus "${name}"'s answer were malformed (a label or value FluxGrid cannot read) and are not shown. ` +
    'Check whatever stands between Grafana and Prometheus (a proxy, a remote store).'
  );
}

export function prometheusTimeout(name: string, seconds: number): string {
  return (
    `Prometheus "${name}" did not answer within ${seconds} s: it may be down, overloaded, or the query too large. ` +
    `Try a shorter time range or narrower filters, check Prometheus, or raise the timeout in the FluxGrid datasource settings.`
  );
}

/** A warning or info Prometheus sent with an answer (Thanos/Mimir partial responses, limits). */
export function prometheusNotice(name: string, severity: string, text: string): string {
  return severity === 'info'
    ? `Prometheus "${name}": ${text}`
    : `Prometheus "${name}" warned: ${text}. What FluxGrid shows may be incomplete.`;
}

export function noFluxMetrics(name: string): string {
  return (
    `No Flux metrics found in Prometheus "${name}": looked for ${FLUX_METRICS.kubeStateMetricsInfo} (kube-state-metrics), ` +
    `${FLUX_METRICS.fluxOperatorInfo} (Flux Operator) and ${FLUX_METRICS.legacyCondition} (Flux <= 2.4 controllers). ` +
    `Configure kube-state-metrics' custom resource state metrics for Flux (see fluxcd/flux2-monitoring-example, ` +
    `kube-state-metrics-config.yaml) or install the Flux Operator, and make sure Prometheus scrapes it.`
  );
}

export function forcedSchemaMissing(name: string, forced: StateSchema, found: StateSchema[]): string {
  return (
    `The FluxGrid datasource is set to read ${SCHEMA_SOURCE[forced]}, but Prometheus "${name}" has no such series` +
    (found.length ? `; it has ${found.map((s) => SCHEMA_SOURCE[s]).join(', ')}. Set the metric schema to Auto.` : '.')
  );
}

export function healthy(objects: number, clusters: number, schemas: StateSchema[]): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `Prometheus OK — ${plural(objects, 'Flux object')} in ${plural(Math.max(1, clusters), 'cluster')} (${schemas
    .map((s) => SCHEMA_SOURCE[s])
    .join(', ')})`;
}

export function onlyReconcileCounters(name: string): string {
  return (
    `Prometheus "${name}" has ${FLUX_METRICS.reconcileDurationCount} from the Flux controllers, but no state metric: ` +
    `Flux >= 2.5 no longer exports ${FLUX_METRICS.legacyCondition}, so FluxGrid can only list the objects that ` +
    `reconciled, as Unknown. For states, configure kube-state-metrics' custom resource state metrics for Flux ` +
    `(${FLUX_METRICS.kubeStateMetricsInfo}; see fluxcd/flux2-monitoring-example, kube-state-metrics-config.yaml) ` +
    `or install the Flux Operator (${FLUX_METRICS.fluxOperatorInfo}).`
  );
}

export function noObjectsResolved(name: string, schemas: StateSchema[]): string {
  return (
    `Prometheus "${name}" has ${schemas.map((s) => SCHEMA_SOURCE[s]).join(', ')}, but no Flux object could be read ` +
    `from it: no series has a kind and a name where FluxGrid looks. This is usually the label mapping: check the ` +
    `Kind, Namespace and Name labels in the FluxGrid datasource settings against your kube-state-metrics config ` +
    `(defaults: customresource_kind or kind, exported_namespace or namespace, name).`
  );
}

/** The health check's line on FluxGrid's recording rules (`why`: recordingRulesQuestion.unusable). */
export function recordingRules(setting: 'auto' | 'off' | undefined, why: string | undefined): string {
  if (setting === 'off') {
    return 'Recording rules: off in the FluxGrid datasource settings; since and last reconcile come from the raw series.';
  }
  if (!why) {
    return 'Recording rules: found and current; the Objects since and last reconcile are read from them.';
  }
  return (
    `Recording rules: ${why === 'not evaluated' ? 'not found' : why}; since and last reconcile come from the raw ` +
    `series, which costs seconds of Prometheus time at tens of thousands of objects. Load FluxGrid's ` +
    `alerts/fluxgrid-recording-rules.yaml into Prometheus to make them cheap.`
  );
}
