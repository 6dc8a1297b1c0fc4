/**
 * The Rollout question: is this commit everywhere yet? For one object (kind, namespace, name; the
 * usual filters) across clusters: the revision each cluster runs, which clusters run the newest,
 * which lag, and since when.
 *
 * One range query: the raw state series of every schema over the dashboard range (the Objects
 * question's selectors, objects.ts). The revision is the `revision` label of gotk_resource_info
 * (kube-state-metrics: a Kustomization's lastAppliedRevision, a HelmRelease's chart version, a
 * source's artifact revision) and of flux_resource_info (Flux Operator: lastAttemptedRevision, so
 * a cluster stuck on a new commit shows it, Failed). A new revision ends the old series and starts
 * a new one, so each (object, revision) has its own series, whose last unbroken stretch says since when.
 * The legacy gauges carry no revision: their objects come back with a message saying so.
 *
 * "Newest" is the revision most recently adopted: per revision running somewhere now, the earliest
 * time a cluster started running it; the latest of those wins (a rollback is then the newest too,
 * which is what a rollout of it means). Revisions are not compared as versions or commits.
 */
import { scanFrames, toMs, toSampleValue } from '../frames';
import { isIdentity, objectKey, resolveIdentity, revisionOf } from '../labels';
import { readFluxFrames } from '../normalize';
import { FluxFilters, PromQLOptions } from '../promql/selectors';
import { compareIdentity, compareText } from '../summary';
import { FluxObject, FluxSource, FluxState } from '../types';
import { objectsStateQuery } from './objects';
import { FluxAnswers, FluxQueries, FluxWindow } from './question';

/** One cluster's copy of the object. */
export interface RolloutMember {
  key: string;
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  state: FluxState;
  reason?: string;
  /** Undefined when the exporter carries none (legacy gauges, kinds without one). */
  revision?: string;
  /** Epoch ms since which this cluster runs `revision` (within the range). */
  since?: number;
  /** True when `since` is the start of the range: running it at least that long. */
  sinceIsLowerBound?: boolean;
  /** 'newest', 'lagging' (another revision), or 'no revision' (nothing to compare). */
  status: RolloutStatus;
  /** Which schema's metrics the copy was read from. */
  schema: FluxSource;
}

export type RolloutStatus = 'newest' | 'lagging' | 'no revision';

/** One object name across clusters. */
export interface Rollout {
  kind: string;
  namespace: string;
  name: string;
  /** Every cluster's copy, lagging first, then by cluster. */
  members: RolloutMember[];
  /** The most recently adopted revision; undefined when no copy has a revision. */
  newest?: string;
  /** When the first cluster started running `newest`: clusters without it lag since then. */
  newestSince?: number;
  onNewest: number;
  lagging: number;
  /** Why some copies cannot be compared (no revision in their metrics), for the panel to say. */
  message?: string;
}

export function queries(filters: FluxFilters, options: PromQLOptions, _window?: FluxWindow): FluxQueries {
  return { exprs: { revisions: objectsStateQuery(filters, options) }, range: true };
}

/** Why a copy has no revision to compare, per kind of exporter. */
export const NO_REVISION = {
  legacy:
    'the legacy gauges (gotk_reconcile_condition, Flux <= 2.4) carry no revision: a rollout needs gotk_resource_info (kube-state-metrics, Flux >= 2.1) or flux_resource_info (Flux Operator)',
  info: 'its series have no revision label (none exported for this kind, or not reconciled yet)',
} as const;

interface Run {
  /** When one revision of one object was seen (epoch ms, any order, repeats possible). */
  times: number[];
}

/** Per object key, per revision: the times it was seen (value > 0). */
function revisionRuns(answers: FluxAnswers, options: PromQLOptions): Map<string, Map<string, Run>> {
  const runs = new Map<string, Map<string, Run>>();
  const mapping = options.labels ?? {};
  for (const series of scanFrames(answers.revisions ?? []).series) {
    const revision = revisionOf(series.labels);
    const identity = resolveIdentity(series.labels, mapping);
    if (revision === undefined || !isIdentity(identity)) {
      continue;
    }
    const key = objectKey(identity);
    let byRevision = runs.get(key);
    if (!byRevision) {
      byRevision = new Map();
      runs.set(key, byRevision);
    }
    let run = byRevision.get(revision);
    for (let i = series.start; i < series.end; i++) {
      const t = toMs(series.times[i]);
      const v = toSampleValue(series.values[i]);
      if (Number.isNaN(t) || Number.isNaN(v) || v <= 0) {
        continue;
      }
      if (!run) {
        run = { times: [] };
        byRevision.set(revision, run);
      }
      run.times.push(t);
    }
  }
  return runs;
}

/**
 * Since when an object runs `revision`: the start of the last unbroken stretch of its samples
 * (A, then B, then A again: since the return to A). Not "after the other revision's last sample":
 * an ended series stays visible for Prometheus' 5-minute lookback when no staleness marker ends
 * it (backfilled data, a restarted exporter), so the old and the new revision overlap a while.
 */
function sinceOf(run: Run | undefined, stepMs: number): number | undefined {
  if (!run) {
    return undefined;
  }
  const times = [...new Set(run.times)].sort((a, b) => a - b);
  let i = times.length - 1;
  while (i > 0 && times[i] - times[i - 1] <= stepMs * 1.5) {
    i--;
  }
  return times[i];
}

function memberOf(object: FluxObject, runs: Map<string, Map<string, Run>>, window: FluxWindow, stepMs: number) {
  const member: RolloutMember = {
    key: object.key,
    cluster: object.cluster,
    kind: object.kind,
    namespace: object.namespace,
    name: object.name,
    state: object.state,
    status: 'no revision',
    schema: object.schema,
  };
  if (object.reason !== undefined) {
    member.reason = object.reason;
  }
  if (object.revision !== undefined) {
    member.revision = object.revision;
    const since = sinceOf(runs.get(object.key)?.get(object.revision), stepMs);
    if (since !== undefined) {
      member.sinceIsLowerBound = since <= window.fromMs + stepMs;
      member.since = member.sinceIsLowerBound ? window.fromMs : since;
    }
  }
  return member;
}

/** The smallest gap between samples: the step, so "at the range start" allows for alignment. */
function stepOf(runs: Map<string, Map<string, Run>>): number {
  let step = Infinity;
  for (const byRevision of runs.values()) {
    for (const run of byRevision.values()) {
      // Several series of one revision (a ready change starts a new one) share times: distinct only.
      const times = [...new Set(run.times)].sort((a, b) => a - b);
      for (let i = 1; i < times.length; i++) {
        step = Math.min(step, times[i] - times[i - 1]);
      }
    }
  }
  return Number.isFinite(step) ? step : 0;
}

const STATUS_ORDER: Record<RolloutStatus, number> = { lagging: 0, 'no revision': 1, newest: 2 };

function rolloutOf(members: RolloutMember[]): Rollout {
  const { kind, namespace, name } = members[0];
  // Per revision running now: when the first cluster started it.
  const adopted = new Map<string, number>();
  for (const m of members) {
    if (m.revision !== undefined) {
      const at = m.since ?? Infinity;
      adopted.set(m.revision, Math.min(adopted.get(m.revision) ?? Infinity, at));
    }
  }
  let newest: string | undefined;
  let newestSince: number | undefined;
  for (const [revision, at] of adopted) {
    const atKnown = Number.isFinite(at) ? at : -Infinity;
    const best = newestSince ?? -Infinity;
    if (newest === undefined || atKnown > best || (atKnown === best && compareText(revision, newest) > 0)) {
      newest = revision;
      newestSince = Number.isFinite(at) ? at : undefined;
    }
  }
  for (const m of members) {
    if (m.revision !== undefined) {
      m.status = m.revision === newest ? 'newest' : 'lagging';
    }
  }
  members.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || compareText(a.cluster, b.cluster));
  const rollout: Rollout = {
    kind,
    namespace,
    name,
    members,
    onNewest: members.filter((m) => m.status === 'newest').length,
    lagging: members.filter((m) => m.status === 'lagging').length,
  };
  if (newest !== undefined) {
    rollout.newest = newest;
  }
  if (newestSince !== undefined) {
    rollout.newestSince = newestSince;
  }
  const without = members.filter((m) => m.status === 'no revision');
  if (without.length > 0) {
    const where = (list: RolloutMember[]) => list.map((m) => m.cluster || '(no cluster)').join(', ');
    const legacy = without.filter((m) => m.schema === 'legacy');
    const info = without.filter((m) => m.schema !== 'legacy');
    const subject = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
    rollout.message = [
      ...(legacy.length ? [`${subject} on ${where(legacy)}: ${NO_REVISION.legacy}`] : []),
      ...(info.length ? [`${subject} on ${where(info)}: ${NO_REVISION.info}`] : []),
    ].join('; ');
  }
  return rollout;
}

/**
 * The rollouts of the objects the filters match, one per (kind, namespace, name), in the identity
 * order; each member is one cluster's copy.
 */
export function read(answers: FluxAnswers, window: FluxWindow, options: PromQLOptions = {}): Rollout[] {
  const objects = readFluxFrames(answers.revisions ?? [], { labels: options.labels ?? {} }).objects;
  const runs = revisionRuns(answers, options);
  const stepMs = stepOf(runs);
  const groups = new Map<string, RolloutMember[]>();
  for (const object of [...objects].sort(compareIdentity)) {
    const member = memberOf(object, runs, window, stepMs);
    const id = objectKey({ cluster: '', kind: object.kind, namespace: object.namespace, name: object.name });
    const group = groups.get(id);
    if (group) {
      group.push(member);
    } else {
      groups.set(id, [member]);
    }
  }
  return Array.from(groups.values(), rolloutOf);
}
