/**
 * Parsers for the parts of a scenario file that describe the fleet: object references, selectors,
 * name lists, the fleet itself, the schema list and a state. scenario.ts assembles them.
 */
import { FLUX_STATES, type FluxState } from '../src/flux/types';
import { Checker, describe, type PathPart } from './checker';
import { FLUX_KINDS, isFluxKind } from './kinds';
import {
  ALL_SCHEMAS,
  SIMULATED_SCHEMAS,
  type ChartSource,
  type FleetSpec,
  type NamedObject,
  type ObjectSelector,
  type SimulatedSchema,
} from './types';

export const MAX_OBJECTS = 50_000;

const FLEET_KEYS = ['seed', 'clusters', 'clusterLabel', 'namespaces', 'objects', 'named', 'reconcileInterval'];
const SELECT_KEYS = ['cluster', 'kind', 'namespace', 'name', 'count'];

/** `Kind/namespace/name` or `cluster/Kind/namespace/name`. */
export function parseObjectRef(text: string): NamedObject | undefined {
  const parts = text.split('/');
  if (parts.length === 3) {
    const [kind, namespace, name] = parts;
    return isFluxKind(kind) && namespace && name ? { kind, namespace, name } : undefined;
  }
  if (parts.length === 4) {
    const [cluster, kind, namespace, name] = parts;
    return isFluxKind(kind) && namespace && name ? { cluster, kind, namespace, name } : undefined;
  }
  return undefined;
}

export function checkSelector(
  check: Checker,
  item: Record<string, unknown>,
  parts: PathPart[]
): ObjectSelector | undefined {
  const hasObject = item.object !== undefined;
  const hasSelect = item.select !== undefined;
  if (hasObject === hasSelect) {
    check.problem(parts, 'give exactly one of "object" (Kind/namespace/name) or "select" (a mapping)');
    return undefined;
  }
  if (hasObject) {
    const text = check.string(item.object, [...parts, 'object']);
    if (text === undefined) {
      return undefined;
    }
    const ref = parseObjectRef(text);
    if (!ref) {
      check.problem(
        [...parts, 'object'],
        `expected Kind/namespace/name or cluster/Kind/namespace/name with a Flux kind, got ${describe(text)}`
      );
      return undefined;
    }
    return ref;
  }
  const select = check.mapping(item.select, [...parts, 'select']);
  if (!select) {
    return undefined;
  }
  check.knownKeys(select, [...parts, 'select'], SELECT_KEYS);
  const selector: ObjectSelector = {
    cluster: check.string(select.cluster, [...parts, 'select', 'cluster']),
    kind: check.oneOf(select.kind, [...parts, 'select', 'kind'], FLUX_KINDS, 'kind'),
    namespace: check.string(select.namespace, [...parts, 'select', 'namespace']),
    name: check.string(select.name, [...parts, 'select', 'name']),
    count: check.integer(select.count, [...parts, 'select', 'count'], 1),
  };
  for (const key of Object.keys(selector) as Array<keyof ObjectSelector>) {
    if (selector[key] === undefined) {
      delete selector[key];
    }
  }
  return selector;
}

const CHART_SOURCE_KINDS: ReadonlyArray<ChartSource['kind']> = [
  'GitRepository',
  'HelmRepository',
  'Bucket',
  'OCIRepository',
];

/** A HelmRelease's `chartSource: Kind/name` (the source is in the HelmRelease's namespace). */
function parseChartSource(
  check: Checker,
  value: unknown,
  parts: PathPart[],
  kind: string | undefined
): ChartSource | undefined {
  if (value === undefined) {
    return undefined;
  }
  const text = check.string(value, parts);
  if (text === undefined) {
    return undefined;
  }
  if (kind !== undefined && kind !== 'HelmRelease') {
    check.problem(parts, `only a HelmRelease has a chart source (this is a ${kind})`);
    return undefined;
  }
  const [sourceKind, name, ...rest] = text.split('/');
  const known = (CHART_SOURCE_KINDS as readonly string[]).includes(sourceKind);
  if (!known || !name || rest.length > 0) {
    check.problem(
      parts,
      `expected Kind/name with Kind one of ${CHART_SOURCE_KINDS.join(', ')} (in the HelmRelease's namespace), got ${describe(text)}`
    );
    return undefined;
  }
  return { kind: sourceKind as ChartSource['kind'], name };
}

export function parseNames(check: Checker, value: unknown, parts: PathPart[], prefix: string): string[] | undefined {
  if (typeof value === 'number') {
    const count = check.integer(value, parts, 1, 10_000);
    return count === undefined ? undefined : Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
  }
  const list = check.list(value, parts);
  if (!list) {
    return undefined;
  }
  const names = list.map((item, i) => check.string(item, [...parts, i]) ?? '');
  if (names.length === 0) {
    check.problem(parts, 'expected at least one name');
  }
  if (new Set(names).size !== names.length) {
    check.problem(parts, 'names must be unique');
  }
  return names;
}

export function parseFleet(check: Checker, value: unknown): FleetSpec {
  const fleet: FleetSpec = {
    seed: 1,
    clusters: [''],
    clusterLabel: 'cluster',
    namespaces: ['flux-system'],
    objects: {},
    named: [],
    reconcileIntervalSeconds: 300,
  };
  const raw = check.mapping(value, ['fleet']);
  if (!raw) {
    check.problem(['fleet'], 'missing: a scenario needs a fleet (objects per kind and/or named objects)');
    return fleet;
  }
  check.knownKeys(raw, ['fleet'], FLEET_KEYS);
  fleet.seed = check.integer(raw.seed, ['fleet', 'seed'], 0) ?? fleet.seed;
  if (raw.clusters !== undefined) {
    const clusters = parseNames(check, raw.clusters, ['fleet', 'clusters'], 'cluster');
    if (clusters) {
      fleet.clusters = clusters.length === 1 && typeof raw.clusters === 'number' ? [''] : clusters;
      if (fleet.clusters.length > 1 && fleet.clusters.includes('')) {
        check.problem(['fleet', 'clusters'], 'with several clusters every cluster needs a name');
      }
    }
  }
  fleet.clusterLabel = check.string(raw.clusterLabel, ['fleet', 'clusterLabel']) ?? fleet.clusterLabel;
  if (raw.namespaces !== undefined) {
    fleet.namespaces = parseNames(check, raw.namespaces, ['fleet', 'namespaces'], 'team') ?? fleet.namespaces;
  }
  const objects = check.mapping(raw.objects, ['fleet', 'objects']);
  if (objects) {
    for (const [kind, count] of Object.entries(objects)) {
      if (!isFluxKind(kind)) {
        check.problem(['fleet', 'objects', kind], `unknown kind "${kind}" (expected one of ${FLUX_KINDS.join(', ')})`);
        continue;
      }
      fleet.objects[kind] = check.integer(count, ['fleet', 'objects', kind], 0, MAX_OBJECTS) ?? 0;
    }
  }
  const named = check.list(raw.named, ['fleet', 'named']) ?? [];
  named.forEach((item, i) => {
    const parts = ['fleet', 'named', i];
    if (typeof item === 'string') {
      const ref = parseObjectRef(item);
      if (!ref) {
        check.problem(parts, `expected Kind/namespace/name or cluster/Kind/namespace/name, got ${describe(item)}`);
        return;
      }
      fleet.named.push(ref);
      return;
    }
    const map = check.mapping(item, parts);
    if (!map) {
      return;
    }
    check.knownKeys(map, parts, ['cluster', 'kind', 'namespace', 'name', 'chartSource']);
    const kind = check.oneOf(map.kind, [...parts, 'kind'], FLUX_KINDS, 'kind');
    const namespace = check.string(map.namespace, [...parts, 'namespace']);
    const name = check.string(map.name, [...parts, 'name']);
    const chartSource = parseChartSource(check, map.chartSource, [...parts, 'chartSource'], kind);
    if (!kind || !namespace || !name) {
      check.problem(parts, 'a named object needs kind, namespace and name');
      return;
    }
    fleet.named.push({
      cluster: check.string(map.cluster, [...parts, 'cluster']),
      kind,
      namespace,
      name,
      ...(chartSource ? { chartSource } : {}),
    });
  });
  fleet.named.forEach((named, i) => {
    if (named.cluster !== undefined && !fleet.clusters.includes(named.cluster)) {
      check.problem(
        ['fleet', 'named', i],
        `cluster "${named.cluster}" is not in fleet.clusters (${fleet.clusters.join(', ')})`
      );
    }
  });
  fleet.reconcileIntervalSeconds =
    check.duration(raw.reconcileInterval, ['fleet', 'reconcileInterval']) ?? fleet.reconcileIntervalSeconds;
  if (fleet.reconcileIntervalSeconds <= 0) {
    check.problem(['fleet', 'reconcileInterval'], 'must be longer than 0s');
    fleet.reconcileIntervalSeconds = 300;
  }
  const perCluster = Object.values(fleet.objects).reduce((sum, n) => sum + (n ?? 0), 0);
  const total = perCluster * fleet.clusters.length + fleet.named.length * fleet.clusters.length;
  if (total > MAX_OBJECTS) {
    check.problem(
      ['fleet', 'objects'],
      `${total} objects in all clusters; the simulator handles at most ${MAX_OBJECTS}`
    );
  }
  if (total === 0) {
    check.problem(['fleet'], 'the fleet has no objects');
  }
  return fleet;
}

export function parseSchemas(check: Checker, value: unknown): SimulatedSchema[] {
  if (value === undefined || value === 'all') {
    return [...ALL_SCHEMAS];
  }
  const list = typeof value === 'string' ? [value] : check.list(value, ['schemas']);
  if (!list) {
    return [...ALL_SCHEMAS];
  }
  const schemas: SimulatedSchema[] = [];
  list.forEach((item, i) => {
    const parts = typeof value === 'string' ? ['schemas'] : ['schemas', i];
    const schema = check.oneOf(item, parts, SIMULATED_SCHEMAS, 'schema');
    if (schema && !schemas.includes(schema)) {
      schemas.push(schema);
    }
  });
  if (schemas.includes('legacy-2.0') && schemas.includes('legacy-2.4')) {
    check.problem(['schemas'], 'legacy-2.0 and legacy-2.4 share gotk_reconcile_condition: pick one per scenario');
  }
  return schemas;
}

export function parseState(check: Checker, value: unknown, parts: PathPart[]): FluxState | undefined {
  return check.oneOf(value, parts, FLUX_STATES, 'state');
}
