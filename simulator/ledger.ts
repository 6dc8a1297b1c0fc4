/**
 * Cumulative reconcile statistics as the Flux controllers record them: the per-object
 * gotk_reconcile_duration_seconds histograms (fluxcd/pkg runtime/metrics/recorder.go) and the
 * controllers' controller-runtime, workqueue, client and process metrics.
 */
import { CONTROLLER_RUNTIME_BUCKETS, FAMILIES, FLUX_DURATION_BUCKETS, type SeriesSink } from './families';
import {
  controllerRuntimeName,
  FLUX_CONTROLLERS,
  fluxControllerOf,
  isOciHelmRepository,
  KIND_INFO,
  type FluxController,
  type FluxKind,
} from './kinds';
import { hashString } from './random';
import { controllerTarget, type Labels } from './targets';
import { reconcilesBetween, type ObjectHistory, type PlayedScenario, type Reconcile } from './timeline';
import type { SimObject } from './types';

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
 * The Flux controller whose reconciles of the object it records (controller-runtime metrics);
 * undefined for the Flux Operator's own objects (the operator exports no per-object duration), for
 * an OCI HelmRepository (static since Flux 2.2: never reconciled) and for an ExternalArtifact
 * (written by source-watcher while it reconciles an ArtifactGenerator, not reconciled itself).
 */
function recordingController(object: SimObject): FluxController | undefined {
  if (isOciHelmRepository(object.kind, object.name) || object.kind === 'ExternalArtifact') {
    return undefined;
  }
  return fluxControllerOf(object.kind);
}

/**
 * Whether the controller exports gotk_reconcile_duration_seconds: the toolkit controllers record it
 * with fluxcd/pkg runtime/metrics; source-watcher registers only controller-runtime's metrics
 * (source-watcher cmd/main.go).
 */
function recordsDuration(controller: FluxController): boolean {
  return controller !== 'source-watcher';
}

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
      if (recordingController(object) !== undefined && !this.kinds.has(id)) {
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
      if (recordingController(history.object) === undefined) {
        return;
      }
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
        const recorder = recordingController(object);
        if (recorder === undefined || !recordsDuration(recorder)) {
          return;
        }
        const controller = this.controllers.get(`${object.cluster}/${recorder}`)!;
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
