/**
 * The "causes first" order of the panel's severity sort: root causes (most blocked first), then
 * every object by state, objects failing on their own before those a source blocks. Beside
 * relations.ts, which decides the relations it orders by.
 */
import { severityOf } from './state';
import { compareIdentity, compareText } from './summary';
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
 * Most comparisons are ties (a fleet is mostly Ready), broken by compareIdentity's order: kind and
 * namespace (a few distinct values) are compared as one number, their ordinals, so only objects
 * of the same kind and namespace compare names as text; the names are copied into an array
 * first, not read from two objects scattered over the heap per comparison. About half the time
 * of comparing identities at 50k objects in Chromium.
 */
export function sortCausesFirst(objects: readonly FluxObject[], relations: CauseIndex): FluxObject[] {
  const n = objects.length;
  const ranks = new Float64Array(n);
  const order: number[] = new Array(n);
  const kinds: string[] = new Array(n);
  const namespaces: string[] = new Array(n);
  const names: string[] = new Array(n);
  const clusters: string[] = new Array(n);
  const { causes, blockedBy } = relations;
  const related = causes.size > 0 || blockedBy.size > 0;
  for (let i = 0; i < n; i++) {
    const object = objects[i];
    const severity = severityOf(object.state);
    const blocks = related ? (causes.get(object.key)?.blocked.length ?? 0) : 0;
    const blocked = related && blockedBy.has(object.key) ? 1 : 0;
    ranks[i] = -blocks * RANK_SPAN + severity * 2 + blocked;
    order[i] = i;
    kinds[i] = object.kind;
    namespaces[i] = object.namespace;
    names[i] = object.name;
    clusters[i] = object.cluster;
  }
  const kind = textOrdinals(kinds);
  const namespace = textOrdinals(namespaces);
  const cluster = textOrdinals(clusters);
  // Exact as a double: kinds × namespaces ≤ n², below 2^53 up to 90 million objects.
  const place = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    place[i] = kind.ordinals[i] * namespace.distinct + namespace.ordinals[i];
  }
  order.sort(
    (a, b) =>
      ranks[a] - ranks[b] ||
      place[a] - place[b] ||
      compareText(names[a], names[b]) ||
      cluster.ordinals[a] - cluster.ordinals[b]
  );
  const sorted: FluxObject[] = new Array(n);
  for (let i = 0; i < n; i++) {
    sorted[i] = objects[order[i]];
  }
  return sorted;
}

/**
 * Each value's rank among the distinct values, in compareText's order (equal texts, equal
 * ordinals): comparing two ordinals is comparing the texts.
 */
function textOrdinals(values: readonly string[]): { ordinals: Float64Array; distinct: number } {
  const index = new Map<string, number>();
  const distinct: string[] = [];
  const ordinals = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    let d = index.get(value);
    if (d === undefined) {
      d = distinct.length;
      index.set(value, d);
      distinct.push(value);
    }
    ordinals[i] = d;
  }
  const byText = distinct.map((_, d) => d).sort((a, b) => compareText(distinct[a], distinct[b]));
  const rank = new Float64Array(distinct.length);
  for (let r = 0; r < byText.length; r++) {
    rank[byText[r]] = r;
  }
  for (let i = 0; i < ordinals.length; i++) {
    ordinals[i] = rank[ordinals[i]];
  }
  return { ordinals, distinct: distinct.length };
}
