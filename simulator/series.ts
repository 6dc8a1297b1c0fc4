/**
 * What the simulated fleet exposes at one instant: the state families of each schema, the
 * per-object reconcile duration histograms and the controllers' own metrics. Both outputs (live
 * prom-client registry, OpenMetrics history) read from here, so they carry the same label sets.
 */
import { controllerRuntimeName, FLUX_CONTROLLERS, KIND_INFO, type FluxController, type FluxKind } from './kinds';
import { hashString } from './random';
import {
  clusterLabels,
  controllerTarget,
  fluxOperatorTarget,
  kubeStateMetricsTargets,
  prometheusReplicaLabels,
  type Labels,
} from './targets';
import {
  reconcilesBetween,
  revisionText,
  schemaReportsKind,
  type ObjectHistory,
  type PlayedScenario,
  type Reconcile,
} from './timeline';
import type { ObjectCondition, SimObject, SimulatedSchema } from './types';

export type FamilyType = 'gauge' | 'counter' | 'histogram';

export interface FamilyInfo {
  /** Family name; counters keep their `_total` sample name here (prom-client style). */
  name: string;
  type: FamilyType;
  help: string;
  buckets?: readonly number[];
}

/** Flux's reconcile duration buckets: exponential 10 ms .. 30 min. */
export const FLUX_DURATION_BUCKETS = [0.01, 0.0384, 0.1472, 0.5646, 2.166, 8.31, 31.88, 122.3, 469.2, 1800] as const;
/** controller-runtime's reconcile time buckets. */
export const CONTROLLER_RUNTIME_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60,
] as const;

export const FAMILIES = {
  reconcileCondition: {
    name: 'gotk_reconcile_condition',
    type: 'gauge',
    help: 'The current condition status of a GitOps Toolkit resource reconciliation.',
  },
  suspendStatus: {
    name: 'gotk_suspend_status',
    type: 'gauge',
    help: 'The current suspend status of a GitOps Toolkit resource.',
  },
  resourceInfo: { name: 'gotk_resource_info', type: 'gauge', help: 'The current state of a Flux resource.' },
  operatorResourceInfo: { name: 'flux_resource_info', type: 'gauge', help: 'Flux resource information.' },
  reconcileDuration: {
    name: 'gotk_reconcile_duration_seconds',
    type: 'histogram',
    help: 'The duration in seconds of a GitOps Toolkit resource reconciliation.',
    buckets: FLUX_DURATION_BUCKETS,
  },
  reconcileTotal: {
    name: 'controller_runtime_reconcile_total',
    type: 'counter',
    help: 'Total number of reconciliations per controller',
  },
  reconcileTime: {
    name: 'controller_runtime_reconcile_time_seconds',
    type: 'histogram',
    help: 'Length of time per reconciliation per controller',
    buckets: CONTROLLER_RUNTIME_BUCKETS,
  },
  workqueueDepth: { name: 'workqueue_depth', type: 'gauge', help: 'Current depth of workqueue' },
  workqueueLongestRunning: {
    name: 'workqueue_longest_running_processor_seconds',
    type: 'gauge',
    help: 'How many seconds has the longest running processor for workqueue been running.',
  },
  restClientRequests: {
    name: 'rest_client_requests_total',
    type: 'counter',
    help: 'Number of HTTP requests, partitioned by status code, method, and host.',
  },
  processCpu: {
    name: 'process_cpu_seconds_total',
    type: 'counter',
    help: 'Total user and system CPU time spent in seconds.',
  },
  goMemstatsAlloc: {
    name: 'go_memstats_alloc_bytes',
    type: 'gauge',
    help: 'Number of bytes allocated and still in use.',
  },
  goInfo: { name: 'go_info', type: 'gauge', help: 'Information about the Go environment.' },
} satisfies Record<string, FamilyInfo>;

export type FamilyKey = keyof typeof FAMILIES;

/** Receives the series of one instant. Histogram and counter values are cumulative. */
export interface SeriesSink {
  gauge(family: FamilyInfo, labels: Labels, value: number): void;
  counter(family: FamilyInfo, labels: Labels, value: number): void;
  histogram(family: FamilyInfo, labels: Labels, bucketCounts: ArrayLike<number>, sum: number, count: number): void;
}

const KUBERNETES_API = '10.96.0.1:443';
const GO_VERSION = 'go1.23.6';

class HistogramState {
  readonly buckets: Float64Array;
  sum = 0;
  count = 0;
  constructor(readonly bounds: readonly number[]) {
    this.buckets = new Float64Array(bounds.length);
  }
  observe(value: number): void {
    for (let i = 0; i < this.bounds.length; i++) {
      if (value <= this.bounds[i]) {
        this.buckets[i]++;
      }
    }
    this.sum += value;
    this.count++;
  }
}

interface ControllerState {
  cluster: string;
  controller: FluxController;
  target: Labels;
  cpuSeconds: number;
  requests: Map<string, number>;
}

interface KindState {
  cluster: string;
  kind: FluxKind;
  results: Map<string, number>;
  time: HistogramState;
}

export type ReconcileListener = (object: SimObject, reconcile: Reconcile) => void;

/**
 * Cumulative reconcile statistics (per object and per controller) as time advances. With `loop`,
 * elapsed time keeps growing while the timeline repeats (the live simulator).
 */
export class ReconcileLedger {
  private elapsed = 0;
  private readonly perObject: HistogramState[];
  private readonly controllers = new Map<string, ControllerState>();
  private readonly kinds = new Map<string, KindState>();

  constructor(
    private readonly played: PlayedScenario,
    private readonly loop = false
  ) {
    this.perObject = played.histories.map(() => new HistogramState(FLUX_DURATION_BUCKETS));
    for (const cluster of played.scenario.fleet.clusters) {
      for (const controller of FLUX_CONTROLLERS) {
        this.controllers.set(`${cluster}/${controller}`, {
          cluster,
          controller,
          target: controllerTarget(played.scenario, cluster, controller),
          cpuSeconds: 0.8 + (hashString(`${cluster}${controller}`) % 100) / 100,
          // Informer list/watch calls at start-up: every controller talks to the API server.
          requests: new Map([['200\tGET', 12 + (hashString(controller) % 20)]]),
        });
      }
    }
    for (const object of played.objects) {
      const id = `${object.cluster}/${object.kind}`;
      if (!this.kinds.has(id)) {
        this.kinds.set(id, {
          cluster: object.cluster,
          kind: object.kind,
          results: new Map([
            ['success', 0],
            ['error', 0],
            ['requeue', 0],
            ['requeue_after', 0],
          ]),
          time: new HistogramState(CONTROLLER_RUNTIME_BUCKETS),
        });
      }
    }
  }

  get elapsedSeconds(): number {
    return this.elapsed;
  }

  /** Records every reconcile in (previous time, toSeconds]. */
  advanceTo(toSeconds: number, listener?: ReconcileListener): void {
    if (toSeconds <= this.elapsed) {
      return;
    }
    const { scenario } = this.played;
    const interval = scenario.fleet.reconcileIntervalSeconds;
    const duration = scenario.durationSeconds;
    const windows: Array<[number, number, number]> = []; // [from, to, shift] in timeline offsets
    if (!this.loop) {
      windows.push([this.elapsed, Math.min(toSeconds, duration), 0]);
    } else {
      // Split (elapsed, to] at loop boundaries; each piece maps onto the timeline.
      let from = this.elapsed;
      while (from < toSeconds) {
        const loopStart = Math.floor(from / duration) * duration;
        const to = Math.min(toSeconds, loopStart + duration);
        windows.push([from - loopStart, to - loopStart, loopStart]);
        from = to;
      }
    }
    this.played.histories.forEach((history, i) => {
      for (const [from, to, shift] of windows) {
        for (const reconcile of reconcilesBetween(history, interval, from, to)) {
          this.record(i, history, reconcile);
          listener?.(history.object, { ...reconcile, at: reconcile.at + shift });
        }
      }
    });
    this.elapsed = toSeconds;
  }

  private record(index: number, history: ObjectHistory, reconcile: Reconcile): void {
    const object = history.object;
    this.perObject[index].observe(reconcile.durationSeconds);
    const kind = this.kinds.get(`${object.cluster}/${object.kind}`)!;
    kind.results.set(reconcile.result, (kind.results.get(reconcile.result) ?? 0) + 1);
    kind.time.observe(reconcile.durationSeconds);
    const controller = this.controllers.get(`${object.cluster}/${KIND_INFO[object.kind].controller}`)!;
    controller.cpuSeconds += 0.002 + Math.min(reconcile.durationSeconds, 5) * 0.05;
    const bump = (key: string, n: number) => controller.requests.set(key, (controller.requests.get(key) ?? 0) + n);
    bump('200\tGET', 3);
    bump('200\tPATCH', 1);
    if (reconcile.result === 'error') {
      bump('409\tPATCH', 1);
    }
  }

  /** The per-object duration histograms and the controller metrics, at `atOffset` on the timeline. */
  emit(sink: SeriesSink, atOffset: number, extra: Labels = {}): void {
    const { scenario } = this.played;
    if (scenario.reconcileDuration) {
      this.played.histories.forEach((history, i) => {
        const object = history.object;
        const controller = this.controllers.get(`${object.cluster}/${KIND_INFO[object.kind].controller}`)!;
        const state = this.perObject[i];
        if (state.count === 0 && history.at(atOffset).deleted) {
          return;
        }
        sink.histogram(
          FAMILIES.reconcileDuration,
          {
            ...controller.target,
            kind: object.kind,
            name: object.name,
            exported_namespace: object.namespace,
            ...extra,
          },
          state.buckets,
          state.sum,
          state.count
        );
      });
    }
    if (!scenario.controllerMetrics) {
      return;
    }
    const busy = new Map<string, { depth: number; longest: number }>();
    for (const history of this.played.histories) {
      const condition = history.at(atOffset);
      const id = `${history.object.cluster}/${history.object.kind}`;
      const entry = busy.get(id) ?? { depth: 0, longest: 0 };
      if (!condition.deleted && !condition.suspend && condition.ready !== 'True') {
        entry.depth += condition.ready === 'Unknown' ? 1 : 0.5;
        if (condition.ready === 'Unknown') {
          entry.longest = Math.max(entry.longest, 30 + (hashString(history.object.key) % 240));
        }
      }
      busy.set(id, entry);
    }
    for (const kind of this.kinds.values()) {
      const controller = this.controllers.get(`${kind.cluster}/${KIND_INFO[kind.kind].controller}`)!;
      const name = controllerRuntimeName(kind.kind);
      for (const [result, value] of kind.results) {
        sink.counter(FAMILIES.reconcileTotal, { ...controller.target, controller: name, result, ...extra }, value);
      }
      sink.histogram(
        FAMILIES.reconcileTime,
        { ...controller.target, controller: name, ...extra },
        kind.time.buckets,
        kind.time.sum,
        kind.time.count
      );
      const load = busy.get(`${kind.cluster}/${kind.kind}`) ?? { depth: 0, longest: 0 };
      sink.gauge(FAMILIES.workqueueDepth, { ...controller.target, name, ...extra }, Math.ceil(load.depth));
      sink.gauge(FAMILIES.workqueueLongestRunning, { ...controller.target, name, ...extra }, load.longest);
    }
    for (const controller of this.controllers.values()) {
      const target = { ...controller.target, ...extra };
      for (const [key, value] of controller.requests) {
        const [code, method] = key.split('\t');
        sink.counter(FAMILIES.restClientRequests, { ...target, code, method, host: KUBERNETES_API }, value);
      }
      sink.counter(FAMILIES.processCpu, target, controller.cpuSeconds);
      const objects = this.played.objects.filter(
        (o) => o.cluster === controller.cluster && KIND_INFO[o.kind].controller === controller.controller
      ).length;
      const wobble = (hashString(`${controller.controller}${Math.floor(this.elapsed / 60)}`) % 4_000_000) - 2_000_000;
      sink.gauge(FAMILIES.goMemstatsAlloc, target, 28_000_000 + objects * 24_000 + wobble);
      sink.gauge(FAMILIES.goInfo, { ...target, version: GO_VERSION }, 1);
    }
  }
}

function legacyObjectLabels(object: SimObject, target: Labels, extra: Labels): Labels {
  return { ...target, kind: object.kind, name: object.name, exported_namespace: object.namespace, ...extra };
}

/** kube-state-metrics' gotk_resource_info labels (flux2-monitoring-example config), without target labels. */
export function kubeStateMetricsLabels(
  object: SimObject,
  condition: ObjectCondition,
  withReadyReason: boolean
): Labels {
  const info = KIND_INFO[object.kind];
  const labels: Labels = {
    customresource_group: info.group,
    customresource_kind: object.kind,
    customresource_version: info.version,
    name: object.name,
    exported_namespace: object.namespace,
  };
  if (info.hasReadyCondition) {
    labels.ready = condition.ready;
    if (withReadyReason) {
      labels.ready_reason = condition.reason;
    }
  }
  if (condition.suspend !== undefined) {
    labels.suspended = condition.suspend ? 'true' : 'false';
  }
  const revision = revisionText(object, condition.revisionNumber);
  const word = object.name.replace(/^(git|oci|charts|bucket|img|policy|auto|alert|slack|webhook)-/, '');
  for (const label of info.kubeStateMetricsLabels) {
    const value = sourceLabel(object, label, word, revision);
    if (value !== undefined) {
      labels[label] = value;
    }
  }
  return labels;
}

function sourceLabel(object: SimObject, label: string, word: string, revision?: string): string | undefined {
  switch (label) {
    case 'revision':
      return revision;
    case 'source_name':
      return object.kind === 'Kustomization'
        ? 'flux-system'
        : object.kind === 'ImagePolicy'
          ? `img-${word}`
          : 'flux-system';
    case 'url':
      if (object.kind === 'OCIRepository') {
        return `oci://ghcr.io/example/${word}`;
      }
      return object.kind === 'HelmRepository'
        ? `https://charts.example.com/${word}`
        : `https://github.com/example/${word}`;
    case 'chart_name':
      return word;
    case 'chart_version':
      return revision;
    case 'chart_app_version':
      return `${hashString(word) % 10}.${hashString(object.key) % 30}.0`;
    case 'chart_ref_name':
      return word;
    case 'chart_source_name':
      return `charts-${word}`;
    case 'endpoint':
      return 's3.amazonaws.com';
    case 'bucket_name':
      return `${word}-artifacts`;
    case 'webhook_path':
      return `/hook/${hashString(object.key).toString(16).padStart(8, '0')}`;
    case 'image':
      return `ghcr.io/example/${word}`;
    default:
      return undefined;
  }
}

/** flux_resource_info labels (Flux Operator), without target labels. */
export function fluxOperatorLabels(object: SimObject, condition: ObjectCondition): Labels {
  const revision = revisionText(object, condition.revisionNumber);
  const word = object.name.replace(/^(git|oci|charts|bucket|img|policy|auto|alert|slack|webhook)-/, '');
  const labels: Labels = {
    uid: object.uid,
    kind: object.kind,
    name: object.name,
    exported_namespace: object.namespace,
    ready: condition.ready,
    reason: condition.reason,
    suspended: condition.suspend ? 'True' : 'False',
  };
  if (revision) {
    labels.revision = revision;
  }
  switch (object.kind) {
    case 'GitRepository':
      labels.url = `https://github.com/example/${word}`;
      labels.ref = 'branch/main';
      break;
    case 'OCIRepository':
      labels.url = `oci://ghcr.io/example/${word}`;
      labels.ref = 'tag/latest';
      break;
    case 'HelmRepository':
      labels.url = `https://charts.example.com/${word}`;
      break;
    case 'Kustomization':
      labels.source_name = 'flux-system';
      labels.path = `./apps/${object.namespace}/${word}`;
      break;
    case 'HelmRelease':
      labels.source_name = `charts-${word}`;
      break;
  }
  return labels;
}

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
    if (!schemaReportsKind(schema, object.kind)) {
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
        const labels = cached('object', () =>
          legacyObjectLabels(object, target.controllers.get(KIND_INFO[object.kind].controller)!, extra)
        );
        const statuses = schema === 'legacy-2.0' ? LEGACY_20_STATUSES : LEGACY_24_STATUSES;
        for (const status of statuses) {
          let value: number;
          if (condition.deleted) {
            value = status === 'Deleted' || (status === 'False' && condition.staleFalse) ? 1 : 0;
          } else {
            value = status === condition.ready ? 1 : 0;
          }
          sink.gauge(
            FAMILIES.reconcileCondition,
            cached(status, () => ({ ...labels, type: 'Ready', status })),
            value
          );
        }
        sink.gauge(FAMILIES.suspendStatus, labels, condition.suspend ? 1 : 0);
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
          FAMILIES.operatorResourceInfo,
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
