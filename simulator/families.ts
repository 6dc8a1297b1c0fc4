/**
 * The metric families the simulated fleet exposes (names, types, help texts, buckets as the real
 * exporters have them) and the sink both outputs implement.
 */
import type { Labels } from './targets';

export type FamilyType = 'gauge' | 'counter' | 'histogram';

export interface FamilyInfo {
  /** Family name; counters keep their `_total` sample name here (prom-client style). */
  name: string;
  type: FamilyType;
  help: string;
  buckets?: readonly number[];
}

/**
 * Flux's reconcile duration buckets: `prometheus.ExponentialBucketsRange(10e-3, 1800, 10)`
 * (fluxcd/pkg runtime/metrics/recorder.go), computed as client_golang does (min * factor^i with
 * factor = (max/min)^(1/(count-1))) and exposed at full float precision: 0.01,
 * 0.038363583488692544, …, 1799.9999999999982.
 */
export function exponentialBucketsRange(min: number, max: number, count: number): number[] {
  const factor = Math.pow(max / min, 1 / (count - 1));
  return Array.from({ length: count }, (_, i) => min * Math.pow(factor, i));
}
export const FLUX_DURATION_BUCKETS: readonly number[] = Object.freeze(exponentialBucketsRange(0.01, 1800, 10));
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
  // The Flux Operator's families and help texts (flux-operator internal/reporter/metrics.go).
  operatorResourceInfo: {
    name: 'flux_resource_info',
    type: 'gauge',
    help: 'The current status of a Flux resource reconciliation.',
  },
  operatorInstanceInfo: { name: 'flux_instance_info', type: 'gauge', help: 'The current status of a Flux instance.' },
  operatorResourceSetInfo: {
    name: 'flux_resourceset_info',
    type: 'gauge',
    help: 'The current status of a Flux Operator ResourceSet.',
  },
  operatorInputProviderInfo: {
    name: 'flux_resourcesetinputprovider_info',
    type: 'gauge',
    help: 'The current status of a Flux Operator ResourceSetInputProvider.',
  },
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
