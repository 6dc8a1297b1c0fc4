/**
 * The "causes first" order of the panel's severity sort: root causes (most blocked first), then
 * every object by state, objects failing on their own before those a source blocks. Beside
 * relations.ts, which decides the relations it orders by.
 */
import { severityOf } from './state';
import { compareIdentity } from './summary';
import { FluxObject } from './types';

/** What the order reads of the relations (relations.ts' FluxRelations, not imported: no cycle). */
export interface CauseIndex {
  /** Root cause key → the objects it blocks. */
  causes: ReadonlyMap<string, { blocked: readonly FluxObject[] }>;
  /** Blocked object key → its source. */
  blockedBy: ReadonlyMap<string, unknown>;
}

/**
 * Severity with causes first: root causes (most blocked first), then every other object by state;
 * within a state, objects failing on their own before those a source blocks (fixing the cause
 * fixes them). Then the identity order, as every list.
 */
export function compareCausesFirst(relations: CauseIndex): (a: FluxObject, b: FluxObject) => number {
  return (a, b) => compareRanked(rankOf(a, relations), rankOf(b, relations));
}

interface Ranked {
  object: FluxObject;
  /** Objects blocked, negated (most first); 0 for an object that is no cause. */
  blocks: number;
  severity: number;
  blocked: number;
}

function rankOf(object: FluxObject, relations: CauseIndex): Ranked {
  return {
    object,
    blocks: -(relations.causes.get(object.key)?.blocked.length ?? 0),
    severity: severityOf(object.state),
    blocked: relations.blockedBy.has(object.key) ? 1 : 0,
  };
}

function compareRanked(a: Ranked, b: Ranked): number {
  return a.blocks - b.blocks || a.severity - b.severity || a.blocked - b.blocked || compareIdentity(a.object, b.object);
}

/** Severity and "blocked" in one number below this; the blocked count above it. */
const RANK_SPAN = 64;

/**
 * A sorted copy, causes first ({@link compareCausesFirst}): each object ranked once, not per
 * comparison, into one number (objects blocked, severity, blocked: the order of
 * {@link compareRanked}) in a typed array, so sorting 100k objects allocates no record per object.
 */
export function sortCausesFirst(objects: readonly FluxObject[], relations: CauseIndex): FluxObject[] {
  const n = objects.length;
  const ranks = new Float64Array(n);
  const order: number[] = new Array(n);
  const { causes, blockedBy } = relations;
  const related = causes.size > 0 || blockedBy.size > 0;
  for (let i = 0; i < n; i++) {
    const object = objects[i];
    const severity = severityOf(object.state);
    const blocks = related ? (causes.get(object.key)?.blocked.length ?? 0) : 0;
    const blocked = related && blockedBy.has(object.key) ? 1 : 0;
    ranks[i] = -blocks * RANK_SPAN + severity * 2 + blocked;
    order[i] = i;
  }
  order.sort((a, b) => ranks[a] - ranks[b] || compareIdentity(objects[a], objects[b]));
  const sorted: FluxObject[] = new Array(n);
  for (let i = 0; i < n; i++) {
    sorted[i] = objects[order[i]];
  }
  return sorted;
}
