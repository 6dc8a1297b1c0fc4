/**
 * What the panel does with objects: count them by state, group, sort and filter them. Everything
 * returns new arrays and never mutates its input.
 */
import { ObjectIdentity } from './labels';
import { severityOf } from './state';
import { FluxObject, FluxState, FLUX_STATES, PROBLEM_STATES } from './types';

export function emptyCounts(): Record<FluxState, number> {
  return { Failed: 0, Progressing: 0, Unknown: 0, Suspended: 0, Ready: 0, Deleted: 0 };
}

/** Objects per state; every state is present, 0 when no object has it. */
export function countByState(objects: FluxObject[]): Record<FluxState, number> {
  const counts = emptyCounts();
  for (const object of objects) {
    counts[object.state] = (counts[object.state] ?? 0) + 1;
  }
  return counts;
}

export type GroupBy = 'cluster' | 'kind' | 'namespace' | 'source' | 'revision';

/**
 * How an object's value on a level is read, when not its own field: 'source' needs the relations
 * between objects (relations.ts `sourceGroupOf`); without one every object is "(no source relation)".
 */
export type GroupKeys = Partial<Record<GroupBy, (object: FluxObject) => string | undefined>>;

const DEFAULT_GROUP_KEYS: Record<GroupBy, (object: FluxObject) => string | undefined> = {
  cluster: (o) => o.cluster,
  kind: (o) => o.kind,
  namespace: (o) => o.namespace,
  source: () => undefined,
  revision: (o) => o.revision,
};

export interface FluxGroup {
  /** The grouped value ('' for objects without a cluster/namespace, and for the single "all" group). */
  key: string;
  /** Unique across the whole tree (parent ids and keys joined): for React keys and collapse state. */
  id: string;
  label: string;
  /** The level this group is on; for `groupObjects(objects, [])` 'cluster' (the group holds everything). */
  level: GroupBy;
  /** In the order they were given (sort first, then group). */
  objects: FluxObject[];
  counts: Record<FluxState, number>;
  children?: FluxGroup[];
}

const EMPTY_LABEL: Record<GroupBy, string> = {
  cluster: '(no cluster)',
  kind: '(no kind)',
  namespace: '(no namespace)',
  source: '(no source relation)',
  revision: '(no revision)',
};

/** Texts by code point (UTF-16 unit order), not by locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function worstSeverity(counts: Record<FluxState, number>): number {
  for (const state of FLUX_STATES) {
    if (counts[state] > 0) {
      return severityOf(state);
    }
  }
  return FLUX_STATES.length;
}

function groupLevel(objects: FluxObject[], levels: GroupBy[], parentId: string, keys: GroupKeys): FluxGroup[] {
  const [level, ...rest] = levels;
  const keyOf = keys[level] ?? DEFAULT_GROUP_KEYS[level];
  const buckets = new Map<string, FluxObject[]>();
  for (const object of objects) {
    const value = keyOf(object) ?? '';
    const bucket = buckets.get(value);
    if (bucket) {
      bucket.push(object);
    } else {
      buckets.set(value, [object]);
    }
  }
  const groups: FluxGroup[] = [];
  for (const [key, members] of buckets) {
    // The key escaped: a value holding "/" or "=" (cluster `a/kind=b`) cannot pass for two levels.
    const part = `${level}=${encodeURIComponent(key)}`;
    const id = parentId === '' ? part : `${parentId}/${part}`;
    const group: FluxGroup = {
      key,
      id,
      label: key === '' ? EMPTY_LABEL[level] : key,
      level,
      objects: members,
      counts: countByState(members),
    };
    if (rest.length > 0) {
      group.children = groupLevel(members, rest, id, keys);
    }
    groups.push(group);
  }
  // Worst first, so trouble is at the top whatever the grouping.
  const worst = new Map(groups.map((g) => [g, worstSeverity(g.counts)]));
  return groups.sort((a, b) => worst.get(a)! - worst.get(b)! || compareText(a.label, b.label));
}

/**
 * Objects grouped by up to two levels (e.g. cluster then kind). With no levels, one group with
 * key '' holding every object. Repeated levels are ignored.
 */
export function groupObjects(objects: FluxObject[], levels: GroupBy[], keys: GroupKeys = {}): FluxGroup[] {
  const distinct = levels.filter((level, i) => levels.indexOf(level) === i);
  if (distinct.length === 0) {
    return [{ key: '', id: '', label: 'All', level: 'cluster', objects: [...objects], counts: countByState(objects) }];
  }
  return groupLevel(objects, distinct, '', keys);
}

export type SortBy = 'severity' | 'name' | 'timeInState';

/**
 * THE identity order, for every list of objects FluxGrid shows (Objects, State history, Reconcile
 * duration ties): kind, namespace, name, cluster, texts by code point, deterministic in every
 * locale and fast for 50k objects.
 */
export function compareIdentity(a: ObjectIdentity, b: ObjectIdentity): number {
  return (
    compareText(a.kind, b.kind) ||
    compareText(a.namespace, b.namespace) ||
    compareText(a.name, b.name) ||
    compareText(a.cluster, b.cluster)
  );
}

const byIdentity: (a: FluxObject, b: FluxObject) => number = compareIdentity;

function bySeverity(a: FluxObject, b: FluxObject): number {
  return severityOf(a.state) - severityOf(b.state) || byIdentity(a, b);
}

function byName(a: FluxObject, b: FluxObject): number {
  return (
    compareText(a.namespace, b.namespace) ||
    compareText(a.name, b.name) ||
    compareText(a.kind, b.kind) ||
    compareText(a.cluster, b.cluster)
  );
}

/** Longest in its state first; objects whose `since` is unknown last; ties by severity. */
function byTimeInState(a: FluxObject, b: FluxObject): number {
  const aKnown = a.since !== undefined;
  const bKnown = b.since !== undefined;
  if (aKnown !== bKnown) {
    return aKnown ? -1 : 1;
  }
  return (aKnown ? a.since! - b.since! : 0) || bySeverity(a, b);
}

const COMPARATORS: Record<SortBy, (a: FluxObject, b: FluxObject) => number> = {
  severity: bySeverity,
  name: byName,
  timeInState: byTimeInState,
};

/**
 * A sorted copy. severity: Failed first (FLUX_STATES order), then kind, namespace, name.
 * name: namespace/name, then kind, cluster. timeInState: longest in state first.
 * Texts compare by code point: deterministic in every locale, and fast for 50k objects.
 */
export function sortObjects(objects: FluxObject[], sortBy: SortBy): FluxObject[] {
  return [...objects].sort(COMPARATORS[sortBy] ?? bySeverity);
}

export interface ObjectFilter {
  /** Keep only these states (empty or absent: all). */
  states?: FluxState[];
  /** Keep only states that need attention (Failed, Progressing, Unknown). */
  problemsOnly?: boolean;
  /** Case-insensitive substring of kind, namespace/name, cluster, reason or revision. */
  search?: string;
}

export function filterObjects(objects: FluxObject[], filter: ObjectFilter): FluxObject[] {
  const states = filter.states && filter.states.length > 0 ? new Set(filter.states) : undefined;
  const problems = filter.problemsOnly ? new Set(PROBLEM_STATES) : undefined;
  const needle = filter.search?.trim().toLowerCase() ?? '';
  return objects.filter((object) => {
    if ((states && !states.has(object.state)) || (problems && !problems.has(object.state))) {
      return false;
    }
    if (needle === '') {
      return true;
    }
    return (
      object.kind.toLowerCase().includes(needle) ||
      `${object.namespace}/${object.name}`.toLowerCase().includes(needle) ||
      object.cluster.toLowerCase().includes(needle) ||
      (object.reason?.toLowerCase().includes(needle) ?? false) ||
      (object.revision?.toLowerCase().includes(needle) ?? false)
    );
  });
}

/**
 * Failed for at least `thresholdMs` at `nowMs`: the panel's counterpart of an alert's `for:`.
 * Needs `since` (range data); a `since` that is a lower bound still proves the failure lasted.
 */
export function isSustainedFailure(object: FluxObject, thresholdMs: number, nowMs: number): boolean {
  return object.state === 'Failed' && object.since !== undefined && nowMs - object.since >= thresholdMs;
}
