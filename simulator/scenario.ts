/**
 * Scenario files: parse, validate (with file, key path and line in every message) and load.
 * The format is described in simulator/README.md.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { LineCounter, parseDocument } from 'yaml';
import { FLUX_STATES, type FluxState } from '../src/flux/types';
import { formatSeconds, parseDurationSeconds } from './duration';
import { lookbackConflicts } from './expect';
import { buildFleet, selectObjects } from './fleet';
import { FLUX_KINDS, isFluxKind } from './kinds';
import {
  ACTIONS,
  ALL_SCHEMAS,
  SIMULATED_SCHEMAS,
  type ActionName,
  type Expectation,
  type FleetSpec,
  type NamedObject,
  type ObjectExpectation,
  type ObjectSelector,
  type Scenario,
  type SimulatedSchema,
  type TimelineEvent,
} from './types';

export const MAX_OBJECTS = 50_000;
export const MAX_STEP_SECONDS = 60;
export const DEFAULT_START = '2025-01-06T00:00:00Z';

/** Every problem found in one scenario file. `message` lists them all, one per line. */
export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[]
  ) {
    super(problems.join('\n'));
    this.name = 'ScenarioError';
  }
}

type PathPart = string | number;

function formatPath(parts: PathPart[]): string {
  let out = '';
  for (const part of parts) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out === '' ? '(top level)' : out;
}

/** Collects problems with their location in the file. */
class Checker {
  readonly problems: string[] = [];
  constructor(
    private readonly file: string,
    private readonly locate: (parts: PathPart[]) => number | undefined
  ) {}

  problem(parts: PathPart[], message: string): void {
    const line = this.locate(parts);
    const where = line === undefined ? this.file : `${this.file}:${line}`;
    this.problems.push(`${where}: ${formatPath(parts)}: ${message}`);
  }

  /** Reports keys the format does not know (typos must not be silently ignored). */
  knownKeys(value: Record<string, unknown>, parts: PathPart[], known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        this.problem([...parts, key], `unknown key "${key}" (expected one of ${known.join(', ')})`);
      }
    }
  }

  mapping(value: unknown, parts: PathPart[]): Record<string, unknown> | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.problem(parts, `expected a mapping, got ${describe(value)}`);
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  list(value: unknown, parts: PathPart[]): unknown[] | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.problem(parts, `expected a list, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  string(value: unknown, parts: PathPart[]): string | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'string') {
      this.problem(parts, `expected a string, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  integer(value: unknown, parts: PathPart[], min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.problem(parts, `expected a whole number from ${min} to ${max}, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  boolean(value: unknown, parts: PathPart[]): boolean | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'boolean') {
      this.problem(parts, `expected true or false, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  duration(value: unknown, parts: PathPart[]): number | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    const seconds = parseDurationSeconds(value);
    if (seconds === undefined) {
      this.problem(parts, `expected a duration like 30s, 10m or 1h30m, got ${describe(value)}`);
    }
    return seconds;
  }

  oneOf<T extends string>(value: unknown, parts: PathPart[], allowed: readonly T[], what: string): T | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.problem(parts, `unknown ${what} ${describe(value)} (expected one of ${allowed.join(', ')})`);
      return undefined;
    }
    return value as T;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'object') {
    return 'a mapping';
  }
  return String(value);
}

const TOP_KEYS = [
  'name',
  'description',
  'schemas',
  'start',
  'step',
  'duration',
  'fleet',
  'replicas',
  'metrics',
  'timeline',
  'expect',
] as const;
const FLEET_KEYS = ['seed', 'clusters', 'clusterLabel', 'namespaces', 'objects', 'named', 'reconcileInterval'];
const EVENT_KEYS = ['at', 'action', 'object', 'select', 'reason', 'for', 'period', 'keepStaleFalse'];
const SELECT_KEYS = ['cluster', 'kind', 'namespace', 'name', 'count'];
const EXPECT_KEYS = ['at', 'default', 'objects', 'schemas'];
const EXPECT_OBJECT_KEYS = ['object', 'select', 'state', 'schemas'];

/** `Kind/namespace/name` or `cluster/Kind/namespace/name`. */
function parseObjectRef(text: string): NamedObject | undefined {
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

function checkSelector(check: Checker, item: Record<string, unknown>, parts: PathPart[]): ObjectSelector | undefined {
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

function parseNames(check: Checker, value: unknown, parts: PathPart[], prefix: string): string[] | undefined {
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

function parseFleet(check: Checker, value: unknown): FleetSpec {
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
    check.knownKeys(map, parts, ['cluster', 'kind', 'namespace', 'name']);
    const kind = check.oneOf(map.kind, [...parts, 'kind'], FLUX_KINDS, 'kind');
    const namespace = check.string(map.namespace, [...parts, 'namespace']);
    const name = check.string(map.name, [...parts, 'name']);
    if (!kind || !namespace || !name) {
      check.problem(parts, 'a named object needs kind, namespace and name');
      return;
    }
    fleet.named.push({ cluster: check.string(map.cluster, [...parts, 'cluster']), kind, namespace, name });
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

function parseSchemas(check: Checker, value: unknown): SimulatedSchema[] {
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

function parseState(check: Checker, value: unknown, parts: PathPart[]): FluxState | undefined {
  return check.oneOf(value, parts, FLUX_STATES, 'state');
}

/** Parses and validates scenario text. Throws ScenarioError listing every problem. */
export function parseScenario(text: string, fileName: string): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const locate = (parts: PathPart[]): number | undefined => {
    for (let n = parts.length; n >= 0; n--) {
      // A missing key has no node: point at the closest parent that exists.
      const node = doc.getIn(parts.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) {
        return lineCounter.linePos(node.range[0]).line;
      }
    }
    return undefined;
  };
  const check = new Checker(fileName, locate);
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const line = e.pos ? lineCounter.linePos(e.pos[0]).line : undefined;
      return `${fileName}${line ? `:${line}` : ''}: not valid YAML: ${e.message.split('\n')[0]}`;
    });
    throw new ScenarioError(fileName, problems);
  }
  const raw = check.mapping(doc.toJS(), []);
  if (!raw) {
    check.problem([], 'expected a mapping with name, fleet, timeline and expect');
    throw new ScenarioError(fileName, check.problems);
  }
  check.knownKeys(raw, [], TOP_KEYS);

  const name = check.string(raw.name, ['name']) ?? path.basename(fileName).replace(/\.ya?ml$/, '');
  const description = check.string(raw.description, ['description']) ?? '';
  const schemas = parseSchemas(check, raw.schemas);
  const startText = check.string(raw.start, ['start']) ?? DEFAULT_START;
  let startMs = Date.parse(startText);
  if (!/(Z|[+-]\d\d:\d\d)$/.test(startText) || Number.isNaN(startMs)) {
    check.problem(
      ['start'],
      `expected an RFC 3339 time with a zone, like ${DEFAULT_START}, got ${describe(startText)}`
    );
    startMs = Date.parse(DEFAULT_START);
  }
  const stepSeconds = check.duration(raw.step, ['step']) ?? 30;
  if (stepSeconds <= 0 || stepSeconds > MAX_STEP_SECONDS) {
    check.problem(
      ['step'],
      `${formatSeconds(stepSeconds)} is outside 1s..${MAX_STEP_SECONDS}s (Prometheus' 5m lookback needs frequent samples)`
    );
  }
  const durationSeconds = check.duration(raw.duration, ['duration']) ?? 3600;
  if (durationSeconds < stepSeconds) {
    check.problem(['duration'], 'must be at least one step long');
  }
  const fleet = parseFleet(check, raw.fleet);

  const replicasRaw = check.mapping(raw.replicas, ['replicas']) ?? {};
  check.knownKeys(replicasRaw, ['replicas'], ['kubeStateMetrics', 'prometheus']);
  const replicas = {
    kubeStateMetrics: check.integer(replicasRaw.kubeStateMetrics, ['replicas', 'kubeStateMetrics'], 1, 5) ?? 1,
    prometheus: check.integer(replicasRaw.prometheus, ['replicas', 'prometheus'], 1, 5) ?? 1,
  };
  const metricsRaw = check.mapping(raw.metrics, ['metrics']) ?? {};
  check.knownKeys(metricsRaw, ['metrics'], ['reconcileDuration', 'controllers', 'kubeStateMetricsReadyReason']);

  // Selectors are checked against the real fleet, so a typo in a name is an error, not a no-op.
  const fleetObjects = check.problems.length === 0 ? buildFleet(fleet) : [];
  const checkMatches = (selector: ObjectSelector, parts: PathPart[]) => {
    if (fleetObjects.length > 0 && selectObjects(fleetObjects, selector).length === 0) {
      check.problem(parts, `matches no object of the fleet (${JSON.stringify(selector)})`);
    }
  };
  const checkOffset = (seconds: number | undefined, parts: PathPart[]): number => {
    if (seconds === undefined) {
      check.problem(parts, 'missing: an offset from the start, like 10m');
      return 0;
    }
    if (seconds > durationSeconds) {
      check.problem(
        parts,
        `${formatSeconds(seconds)} is after the end of the scenario (${formatSeconds(durationSeconds)})`
      );
    }
    return seconds;
  };

  const timeline: TimelineEvent[] = [];
  (check.list(raw.timeline, ['timeline']) ?? []).forEach((item, i) => {
    const parts: PathPart[] = ['timeline', i];
    const map = check.mapping(item, parts);
    if (!map) {
      return;
    }
    check.knownKeys(map, parts, EVENT_KEYS);
    const at = checkOffset(check.duration(map.at, [...parts, 'at']), [...parts, 'at']);
    const action = check.oneOf<ActionName>(map.action, [...parts, 'action'], ACTIONS, 'action');
    if (map.action === undefined) {
      check.problem([...parts, 'action'], `missing (expected one of ${ACTIONS.join(', ')})`);
    }
    const select = checkSelector(check, map, parts);
    const event: TimelineEvent = {
      at,
      action: action ?? 'fail',
      select: select ?? {},
      reason: check.string(map.reason, [...parts, 'reason']),
      forSeconds: check.duration(map.for, [...parts, 'for']),
      periodSeconds: check.duration(map.period, [...parts, 'period']),
      keepStaleFalse: check.boolean(map.keepStaleFalse, [...parts, 'keepStaleFalse']),
      path: `${fileName}: ${formatPath(parts)}`,
    };
    if (action === 'flap' && (event.periodSeconds === undefined || event.periodSeconds < 2 * stepSeconds)) {
      check.problem(
        [...parts, 'period'],
        `flap needs a period of at least two steps (${formatSeconds(2 * stepSeconds)})`
      );
    }
    if (event.forSeconds !== undefined && !['fail', 'progress', 'wait', 'suspend', 'flap'].includes(event.action)) {
      check.problem([...parts, 'for'], `"for" applies to fail, progress, wait, suspend and flap, not ${event.action}`);
    }
    if (select) {
      checkMatches(select, parts);
    }
    timeline.push(event);
  });
  timeline.sort((a, b) => a.at - b.at);

  const expect: Expectation[] = [];
  (check.list(raw.expect, ['expect']) ?? []).forEach((item, i) => {
    const parts: PathPart[] = ['expect', i];
    const map = check.mapping(item, parts);
    if (!map) {
      return;
    }
    check.knownKeys(map, parts, EXPECT_KEYS);
    const at = checkOffset(check.duration(map.at, [...parts, 'at']), [...parts, 'at']);
    const objects: ObjectExpectation[] = [];
    (check.list(map.objects, [...parts, 'objects']) ?? []).forEach((entry, j) => {
      const entryParts: PathPart[] = [...parts, 'objects', j];
      const entryMap = check.mapping(entry, entryParts);
      if (!entryMap) {
        return;
      }
      check.knownKeys(entryMap, entryParts, EXPECT_OBJECT_KEYS);
      const select = checkSelector(check, entryMap, entryParts);
      const state = parseState(check, entryMap.state, [...entryParts, 'state']);
      if (entryMap.state === undefined) {
        check.problem([...entryParts, 'state'], `missing (expected one of ${FLUX_STATES.join(', ')})`);
      }
      const bySchema: Partial<Record<SimulatedSchema, FluxState>> = {};
      const schemasMap = check.mapping(entryMap.schemas, [...entryParts, 'schemas']) ?? {};
      for (const [schema, value] of Object.entries(schemasMap)) {
        const s = check.oneOf(schema, [...entryParts, 'schemas', schema], SIMULATED_SCHEMAS, 'schema');
        const st = parseState(check, value, [...entryParts, 'schemas', schema]);
        if (s && st) {
          bySchema[s] = st;
        }
      }
      if (select) {
        checkMatches(select, entryParts);
      }
      if (select && state) {
        objects.push({ select, state, schemas: bySchema, path: `${fileName}: ${formatPath(entryParts)}` });
      }
    });
    let only: SimulatedSchema[] | undefined;
    if (map.schemas !== undefined) {
      only = [];
      for (const [k, item] of (check.list(map.schemas, [...parts, 'schemas']) ?? []).entries()) {
        const s = check.oneOf(item, [...parts, 'schemas', k], SIMULATED_SCHEMAS, 'schema');
        if (s && !schemas.includes(s)) {
          check.problem(
            [...parts, 'schemas', k],
            `schema ${s} is not in the scenario's schemas (${schemas.join(', ')})`
          );
        } else if (s) {
          only.push(s);
        }
      }
    }
    expect.push({
      at,
      schemas: only,
      default: parseState(check, map.default, [...parts, 'default']) ?? 'Ready',
      objects,
      path: `${fileName}: ${formatPath(parts)}`,
    });
  });
  const reconcileDuration = check.boolean(metricsRaw.reconcileDuration, ['metrics', 'reconcileDuration']) ?? true;
  const controllerMetrics = check.boolean(metricsRaw.controllers, ['metrics', 'controllers']) ?? true;
  const kubeStateMetricsReadyReason =
    check.boolean(metricsRaw.kubeStateMetricsReadyReason, ['metrics', 'kubeStateMetricsReadyReason']) ?? false;
  if (check.problems.length > 0) {
    throw new ScenarioError(fileName, check.problems);
  }
  const scenario: Scenario = {
    name,
    description,
    file: fileName,
    schemas,
    startMs,
    stepSeconds,
    durationSeconds,
    fleet,
    replicas,
    reconcileDuration,
    controllerMetrics,
    kubeStateMetricsReadyReason,
    timeline,
    expect,
  };
  const conflicts = lookbackConflicts(scenario);
  if (conflicts.length > 0) {
    throw new ScenarioError(fileName, conflicts);
  }
  return scenario;
}

/** Reads and parses a scenario file. Messages name the path as given. */
export function loadScenario(file: string): Scenario {
  return parseScenario(readFileSync(file, 'utf8'), file);
}
