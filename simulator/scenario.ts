/**
 * Scenario files: parse, validate (with file, key path and line in every message) and load.
 * The format is described in simulator/README.md.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { LineCounter, parseDocument } from 'yaml';
import { FLUX_STATES, type FluxState } from '../src/flux/types';
import { Checker, describe, formatPath, type PathPart } from './checker';
import { formatSeconds } from './duration';
import { lookbackConflicts } from './expect';
import { buildFleet, selectObjects } from './fleet';
import { checkSelector, parseFleet, parseSchemas, parseState } from './scenario-fleet';
import {
  ACTIONS,
  SIMULATED_SCHEMAS,
  type ActionName,
  type Expectation,
  type ObjectExpectation,
  type ObjectSelector,
  type Scenario,
  type SimulatedSchema,
  type TimelineEvent,
} from './types';

export { MAX_OBJECTS } from './scenario-fleet';
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
const EVENT_KEYS = ['at', 'action', 'object', 'select', 'reason', 'for', 'period', 'keepStaleFalse'];
const EXPECT_KEYS = ['at', 'default', 'objects', 'schemas'];
const EXPECT_OBJECT_KEYS = ['object', 'select', 'state', 'schemas'];

/** What the timeline and expect sections are checked against. */
interface SectionContext {
  check: Checker;
  fileName: string;
  stepSeconds: number;
  schemas: SimulatedSchema[];
  /** Reports a selector that matches no object of the fleet (a typo in a name is an error, not a no-op). */
  checkMatches(selector: ObjectSelector, parts: PathPart[]): void;
  /** The offset, reported when missing or after the end. */
  checkOffset(seconds: number | undefined, parts: PathPart[]): number;
}

/** `timeline:`: the events, sorted by offset. */
function parseTimeline(ctx: SectionContext, value: unknown): TimelineEvent[] {
  const { check, fileName, stepSeconds, checkMatches, checkOffset } = ctx;
  const timeline: TimelineEvent[] = [];
  (check.list(value, ['timeline']) ?? []).forEach((item, i) => {
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
  return timeline;
}

/** `expect:`: the expected states at given instants. */
function parseExpect(ctx: SectionContext, value: unknown): Expectation[] {
  const { check, fileName, schemas, checkMatches, checkOffset } = ctx;
  const expect: Expectation[] = [];
  (check.list(value, ['expect']) ?? []).forEach((item, i) => {
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
  return expect;
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

  const ctx: SectionContext = { check, fileName, stepSeconds, schemas, checkMatches, checkOffset };
  const timeline = parseTimeline(ctx, raw.timeline);
  const expect = parseExpect(ctx, raw.expect);
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
