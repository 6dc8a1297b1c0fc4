/**
 * What the simulated fleet exposes at one instant: the state families of each schema, the
 * per-object reconcile duration histograms and the controllers' own metrics. Both outputs (live
 * prom-client registry, OpenMetrics history) read from here, so they carry the same label sets.
 */
import { fluxOperatorLabels, kubeStateMetricsLabels, legacyObjectLabels } from './exporters';
import { FAMILIES, type FamilyInfo, type SeriesSink } from './families';
import { FLUX_CONTROLLERS, fluxControllerOf, KIND_INFO, type FluxController, type OperatorFamily } from './kinds';
import type { ReconcileLedger } from './ledger';
import {
  clusterLabels,
  controllerStandbyTarget,
  controllerTarget,
  fluxOperatorTarget,
  kubeStateMetricsTargets,
  prometheusReplicaLabels,
  type Labels,
} from './targets';
import { schemaReportsKind, type ObjectHistory, type PlayedScenario } from './timeline';
import type { ObjectCondition, SimulatedSchema } from './types';

export * from './families';
export { ReconcileLedger, type ReconcileListener } from './ledger';

/** The Flux Operator's family per kind (metrics.go: its own kinds have their own). */
const OPERATOR_FAMILY: Record<OperatorFamily, FamilyInfo> = {
  flux_resource_info: FAMILIES.operatorResourceInfo,
  flux_instance_info: FAMILIES.operatorInstanceInfo,
  flux_resourceset_info: FAMILIES.operatorResourceSetInfo,
  flux_resourcesetinputprovider_info: FAMILIES.operatorInputProviderInfo,
};

const LEGACY_20_STATUSES = ['True', 'False', 'Unknown', 'Deleted'] as const;
const LEGACY_24_STATUSES = ['True', 'False', 'Unknown'] as const;
const labelCache = new WeakMap<ObjectHistory, Map<string, { condition: ObjectCondition; labels: Labels }>>();

/**
 * The state families of one schema at an offset. Legacy series are one-hot per status; legacy-2.0
 * keeps every series of a deleted object (Deleted=1, a stale False=1 when it was failing).
 */
export function emitStateSeries(
  played: PlayedScenario,
  schema: SimulatedSchema,
  atOffset: number,
  sink: SeriesSink,
  extra: Labels = {}
): void {
  const { scenario } = played;
  const targets = new Map<string, { controllers: Map<FluxController, Labels>; ksm: Labels[]; operator: Labels }>();
  for (const cluster of scenario.fleet.clusters) {
    targets.set(cluster, {
      controllers: new Map(FLUX_CONTROLLERS.map((c) => [c, controllerTarget(scenario, cluster, c)])),
      ksm: kubeStateMetricsTargets(scenario, cluster),
      operator: fluxOperatorTarget(scenario, cluster),
    });
  }
  const extraKey = JSON.stringify(extra);
  for (const history of played.histories) {
    const object = history.object;
    if (!schemaReportsKind(schema, object)) {
      continue;
    }
    const condition = history.at(atOffset);
    const target = targets.get(object.cluster)!;
    // Label objects are reused while the object's condition does not change (the OpenMetrics
    // writer caches their text by identity): big fleets spend their time here otherwise.
    const cached = (slot: string, build: () => Labels): Labels => {
      let perHistory = labelCache.get(history);
      if (!perHistory) {
        perHistory = new Map();
        labelCache.set(history, perHistory);
      }
      const key = `${schema}|${slot}|${extraKey}`;
      const hit = perHistory.get(key);
      if (hit && hit.condition === condition) {
        return hit.labels;
      }
      const labels = build();
      perHistory.set(key, { condition, labels });
      return labels;
    };
    switch (schema) {
      case 'legacy-2.0':
      case 'legacy-2.4': {
        if (condition.deleted && schema === 'legacy-2.4') {
          break;
        }
        const controller = fluxControllerOf(object.kind)!;
        const labels = cached('object', () => legacyObjectLabels(object, target.controllers.get(controller)!, extra));
        const statuses = schema === 'legacy-2.0' ? LEGACY_20_STATUSES : LEGACY_24_STATUSES;
        // One pod's recorder is one-hot: Deleted=1 replaces what it recorded before.
        const current = condition.deleted ? 'Deleted' : condition.ready;
        for (const status of statuses) {
          sink.gauge(
            FAMILIES.reconcileCondition,
            cached(status, () => ({ ...labels, type: 'Ready', status })),
            status === current ? 1 : 0
          );
        }
        sink.gauge(FAMILIES.suspendStatus, labels, condition.suspend ? 1 : 0);
        if (condition.deleted && condition.staleFalse) {
          // A stale False=1 beside Deleted=1 comes from a second pod: the previous leader, still
          // running, keeps what it recorded while the object was failing (Flux 2.0 never removes series).
          const standby = cached('standby', () =>
            legacyObjectLabels(object, controllerStandbyTarget(scenario, object.cluster, controller), extra)
          );
          for (const status of statuses) {
            sink.gauge(
              FAMILIES.reconcileCondition,
              cached(`standby${status}`, () => ({ ...standby, type: 'Ready', status })),
              status === 'False' ? 1 : 0
            );
          }
          sink.gauge(FAMILIES.suspendStatus, standby, 0);
        }
        break;
      }
      case 'kube-state-metrics':
        if (condition.deleted) {
          break;
        }
        target.ksm.forEach((ksm, replica) => {
          const labels = cached(`ksm${replica}`, () => ({
            ...ksm,
            ...kubeStateMetricsLabels(object, condition, scenario.kubeStateMetricsReadyReason),
            ...extra,
          }));
          sink.gauge(FAMILIES.resourceInfo, labels, 1);
        });
        break;
      case 'flux-operator':
        if (condition.deleted) {
          break;
        }
        sink.gauge(
          OPERATOR_FAMILY[KIND_INFO[object.kind].operatorFamily],
          cached('operator', () => ({ ...target.operator, ...fluxOperatorLabels(object, condition), ...extra })),
          1
        );
        break;
    }
  }
}

/** Every series of the scenario at an offset, once per Prometheus replica. */
export function emitAll(
  played: PlayedScenario,
  schemas: readonly SimulatedSchema[],
  ledger: ReconcileLedger | undefined,
  atOffset: number,
  sink: SeriesSink
): void {
  for (const replica of prometheusReplicaLabels(played.scenario)) {
    for (const schema of schemas) {
      emitStateSeries(played, schema, atOffset, sink, replica);
    }
    ledger?.emit(sink, atOffset, replica);
  }
}

export { clusterLabels };
