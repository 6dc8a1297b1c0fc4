/**
 * Causes before symptoms: which objects depend on which source, from the labels each exporter
 * writes, and which failing objects are only failing because their source is.
 *
 * What the metrics carry (and nothing more is assumed):
 * - kube-state-metrics (fluxcd/flux2-monitoring-example kube-state-metrics-config.yaml, and
 *   deploy/kube-prometheus-stack-values.yaml): Kustomization, ImagePolicy, ImageUpdateAutomation
 *   `source_name`; HelmRelease `chart_source_name` (spec.chart.spec.sourceRef) or `chart_ref_name`
 *   (spec.chartRef). The name only: neither the source's kind nor its namespace.
 * - Flux Operator (flux-operator internal/reporter/metrics.go): `source_name` from spec.sourceRef
 *   on every kind that has one (Kustomization, HelmChart, ImageUpdateAutomation, …), HelmRelease's
 *   chart or chartRef, ImagePolicy's imageRepositoryRef. Also the name only.
 * - The legacy gauges carry no source at all: their objects are never related.
 *
 * So the source's kind is one of the kinds Flux's API allows for that reference, and its namespace
 * the consumer's own (Flux's default when a reference names none). A relation is made only when
 * exactly one object of the allowed kinds has that name there, in the same cluster; with two
 * (a GitRepository and an OCIRepository both called flux-system) the reference is ambiguous and
 * nothing is guessed. A custom config may add `source_kind` / `source_namespace` (and the chart_*
 * counterparts, see {@link SOURCE_REFERENCES}), which are then read instead of the defaults.
 *
 * FluxGrid's own Objects frame carries no labels: the datasource decides there and writes
 * `blockedBy` per row; {@link relate} takes those decisions as given ({@link RelateOptions.declared}).
 */
import { labelValue, objectKey, ObjectIdentity } from './labels';
import { FLUXGRID_FRAME_FORMAT, FluxObject, FluxState } from './types';

/** One way a kind names its source: the name label, the optional kind and namespace labels, the kinds Flux allows. */
export interface SourceReference {
  name: string;
  kind: string;
  namespace: string;
  kinds: readonly string[];
}

/** Kinds a Kustomization's spec.sourceRef may name (kustomize-controller api/v1, Flux 2.7 ExternalArtifact). */
const KUSTOMIZATION_SOURCES = ['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact'];
/** spec.chart.spec.sourceRef of a HelmRelease, spec.sourceRef of a HelmChart. */
const CHART_SOURCES = ['HelmRepository', 'GitRepository', 'Bucket'];
/** spec.chartRef of a HelmRelease. */
const CHART_REF_SOURCES = ['OCIRepository', 'HelmChart'];

const ref = (name: string, kinds: readonly string[], prefix = 'source'): SourceReference => ({
  name,
  kind: `${prefix}_kind`,
  namespace: `${prefix}_namespace`,
  kinds,
});

/**
 * THE list of source references per consumer kind, in the order they are tried. The Flux
 * Operator's HelmRelease `source_name` is the chart's source or the chartRef, whichever is set.
 */
export const SOURCE_REFERENCES: ReadonlyMap<string, readonly SourceReference[]> = new Map([
  ['Kustomization', [ref('source_name', KUSTOMIZATION_SOURCES)]],
  [
    'HelmRelease',
    [
      ref('chart_source_name', CHART_SOURCES, 'chart_source'),
      ref('chart_ref_name', CHART_REF_SOURCES, 'chart_ref'),
      ref('source_name', [...CHART_SOURCES, ...CHART_REF_SOURCES]),
    ],
  ],
  ['HelmChart', [ref('source_name', CHART_SOURCES)]],
  ['ImagePolicy', [ref('source_name', ['ImageRepository'])]],
  ['ImageUpdateAutomation', [ref('source_name', ['GitRepository'])]],
]);

/**
 * Every kind a reference may name: only these are looked up as sources (a `source_kind` label
 * naming another kind finds nothing, rather than a guess).
 */
const SOURCE_KINDS: ReadonlySet<string> = new Set([...SOURCE_REFERENCES.values()].flat().flatMap((r) => r.kinds));

/** States of a consumer that a failing source explains: it failed, or it has no fresh status. */
export const BLOCKABLE_STATES: ReadonlySet<FluxState> = new Set(['Failed', 'Unknown']);

/** What an object's labels say about its source: a name, where, and which kinds it can be. */
export interface SourceClaim {
  cluster: string;
  namespace: string;
  name: string;
  kinds: readonly string[];
}

/** The source an object's labels name, or undefined when they name none (never guessed). */
export function sourceClaimOf(object: FluxObject): SourceClaim | undefined {
  const references = SOURCE_REFERENCES.get(object.kind);
  if (!references) {
    return undefined;
  }
  for (const reference of references) {
    const name = labelValue(object.labels, reference.name);
    if (name === undefined) {
      continue;
    }
    const kind = labelValue(object.labels, reference.kind);
    return {
      cluster: object.cluster,
      namespace: labelValue(object.labels, reference.namespace) ?? object.namespace,
      name,
      kinds: kind !== undefined ? [kind] : reference.kinds,
    };
  }
  return undefined;
}

/** "GitRepository flux-system/podinfo": how an object is named in "blocked by …" (cluster aside). */
export function describeRef(ref: ObjectIdentity): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/** The reverse of {@link describeRef}, for a consumer in `cluster`; undefined when it is not one. */
export function parseRef(text: string, cluster: string): ObjectIdentity | undefined {
  const match = /^([A-Za-z][A-Za-z0-9]*) (?:([^/\s]+)\/)?([^/\s]+)$/.exec(text.trim());
  return match ? { cluster, kind: match[1], namespace: match[2] ?? '', name: match[3] } : undefined;
}

export interface RelateOptions {
  /**
   * Decisions made elsewhere (the datasource, with the labels): consumer key → its blocking
   * source. Used for objects whose labels name no source (FluxGrid's Objects frame).
   */
  declared?: ReadonlyMap<string, ObjectIdentity>;
  /**
   * The same for the source of every related object, blocked or not (the Objects frame's
   * `sourceRef`): for "group by source" on FluxGrid's frame.
   */
  declaredSources?: ReadonlyMap<string, ObjectIdentity>;
}

export interface FluxRelations {
  /** Consumer key → its resolved source (whatever the states), for "group by source". */
  sourceOf: ReadonlyMap<string, ObjectIdentity & { key: string }>;
  /** Consumer key → the Failed source it waits on ("blocked by …"). Never the object itself. */
  blockedBy: ReadonlyMap<string, ObjectIdentity & { key: string }>;
  /** Root cause key → the root cause and every object it blocks, directly or through a chain. */
  causes: ReadonlyMap<string, FluxCause>;
  /** Consumer key → why its source could not be told (two candidates), for the tooltip. */
  ambiguous: ReadonlyMap<string, string>;
}

export interface FluxCause {
  source: ObjectIdentity & { key: string };
  /** The object, when it is among the objects given (a filter may have left it out). */
  object?: FluxObject;
  blocked: FluxObject[];
}

/** Sources of `objects` by their key, when their labels (or the datasource) name one. */
export function relate(objects: readonly FluxObject[], options: RelateOptions = {}): FluxRelations {
  // Objects by key, only for the declared sources (the Objects frame's `sourceRef`, "group by
  // source"): not built on every refresh for 10k–100k objects that need no lookup.
  let byKey: Map<string, FluxObject> | undefined;
  const objectOf = (key: string): FluxObject | undefined => {
    if (!byKey) {
      byKey = new Map();
      for (const object of objects) {
        byKey.set(object.key, object);
      }
    }
    return byKey.get(key);
  };
  // Objects by where and what they are called, kind aside: one lookup per consumer, whatever the
  // number of kinds its reference allows (bench/relations.bench.ts). Built for the first object
  // whose labels name a source: the rows of FluxGrid's Objects frame name none.
  let byName: Map<string, FluxObject[]> | undefined;
  const named = (place: string): FluxObject[] => {
    if (!byName) {
      byName = new Map();
      for (const object of objects) {
        if (!SOURCE_KINDS.has(object.kind)) {
          continue;
        }
        const key = placeKey(object.cluster, object.namespace, object.name);
        const list = byName.get(key);
        if (list) {
          list.push(object);
        } else {
          byName.set(key, [object]);
        }
      }
    }
    return byName.get(place) ?? [];
  };
  const sourceOf = new Map<string, ObjectIdentity & { key: string }>();
  const blockedBy = new Map<string, ObjectIdentity & { key: string }>();
  const ambiguous = new Map<string, string>();
  for (const object of objects) {
    const declared = options.declared?.get(object.key);
    if (declared) {
      const key = objectKey(declared);
      if (key !== object.key) {
        const source = { ...pickIdentity(declared), key };
        sourceOf.set(object.key, source);
        // The datasource decided it with the source's state: keep it.
        blockedBy.set(object.key, source);
      }
      continue;
    }
    const declaredSource = options.declaredSources?.get(object.key);
    if (declaredSource) {
      const key = objectKey(declaredSource);
      if (key !== object.key) {
        sourceOf.set(object.key, objectOf(key) ?? { ...pickIdentity(declaredSource), key });
      }
      continue;
    }
    // The rows of FluxGrid's Objects frame carry their identity as labels and nothing else: the
    // datasource decided their sources (above); looking for source labels would find none.
    const claim = object.schema === FLUXGRID_FRAME_FORMAT ? undefined : sourceClaimOf(object);
    if (!claim) {
      continue;
    }
    const found = named(placeKey(claim.cluster, claim.namespace, claim.name)).filter(
      (candidate) => candidate.key !== object.key && claim.kinds.includes(candidate.kind)
    );
    if (found.length > 1) {
      ambiguous.set(object.key, `${found.map(describeRef).join(' or ')}: the metrics do not say which`);
      continue;
    }
    if (found.length === 0) {
      continue;
    }
    // The source object itself stands for its identity (it has cluster, kind, namespace, name, key).
    const source = found[0];
    sourceOf.set(object.key, source);
    if (source.state === 'Failed' && BLOCKABLE_STATES.has(object.state)) {
      blockedBy.set(object.key, source);
    }
  }
  return { sourceOf, blockedBy, causes: causesOf(objects, blockedBy), ambiguous };
}

function placeKey(cluster: string, namespace: string, name: string): string {
  return [cluster, namespace, name].join('\u001f');
}

function pickIdentity(ref: ObjectIdentity): ObjectIdentity {
  return { cluster: ref.cluster, kind: ref.kind, namespace: ref.namespace, name: ref.name };
}

/** Follows "blocked by" to the first source that is not blocked itself (a HelmRepository behind a HelmChart). */
export function rootCauseOf(
  key: string,
  blockedBy: ReadonlyMap<string, ObjectIdentity & { key: string }>
): (ObjectIdentity & { key: string }) | undefined {
  let cause = blockedBy.get(key);
  const seen = new Set([key]);
  while (cause && !seen.has(cause.key)) {
    seen.add(cause.key);
    const next = blockedBy.get(cause.key);
    if (!next || seen.has(next.key)) {
      return cause;
    }
    cause = next;
  }
  return cause && cause.key !== key ? cause : undefined;
}

function causesOf(
  objects: readonly FluxObject[],
  blockedBy: ReadonlyMap<string, ObjectIdentity & { key: string }>
): Map<string, FluxCause> {
  const causes = new Map<string, FluxCause>();
  if (blockedBy.size === 0) {
    return causes;
  }
  for (const object of objects) {
    // Only a blocked object has a root cause: no chain to follow for the others.
    const root = blockedBy.has(object.key) ? rootCauseOf(object.key, blockedBy) : undefined;
    if (!root) {
      continue;
    }
    let cause = causes.get(root.key);
    if (!cause) {
      cause = { source: root, blocked: [] };
      causes.set(root.key, cause);
    }
    cause.blocked.push(object);
  }
  // The root causes among the objects given: a few, found in one pass rather than through a map
  // of every object by key.
  for (const object of objects) {
    const cause = causes.get(object.key);
    if (cause && cause.object === undefined) {
      cause.object = object;
    }
  }
  return causes;
}

// The order by relations lives beside (relationsOrder.ts); exported from here with the rest.
export { compareCausesFirst, sortCausesFirst } from './relationsOrder';

export interface CauseSummary {
  /** Failing sources that block at least one object (root causes). */
  causes: number;
  /** Objects blocked by them. */
  blocked: number;
  /** Failed objects that are neither a root cause nor blocked: failures of their own. */
  otherFailures: number;
}

export function summarizeCauses(objects: readonly FluxObject[], relations: FluxRelations): CauseSummary {
  let blocked = 0;
  let otherFailures = 0;
  if (relations.blockedBy.size === 0) {
    // Nothing blocked, so no cause either (causes are what blocked objects lead to): every
    // failure is its own, without hashing 50k keys into two empty maps.
    for (const object of objects) {
      otherFailures += object.state === 'Failed' ? 1 : 0;
    }
    return { causes: 0, blocked: 0, otherFailures };
  }
  for (const object of objects) {
    if (relations.blockedBy.has(object.key)) {
      blocked++;
    } else if (object.state === 'Failed' && !relations.causes.has(object.key)) {
      otherFailures++;
    }
  }
  return { causes: relations.causes.size, blocked, otherFailures };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "2 failing sources block 37 objects"; undefined when no source blocks anything. */
export function describeCauses(summary: CauseSummary): string | undefined {
  if (summary.causes === 0) {
    return undefined;
  }
  const verb = summary.causes === 1 ? 'blocks' : 'block';
  return `${plural(summary.causes, 'failing source', 'failing sources')} ${verb} ${plural(summary.blocked, 'object', 'objects')}`;
}

/**
 * "Group by source": each object under the source it comes from, followed to the top (a
 * HelmRelease under the HelmRepository behind its HelmChart), and each source that feeds
 * something under itself; the rest (no relation in the metrics) in no group. Labelled as in
 * "blocked by", with the cluster when there is one.
 */
export function sourceGroupOf(relations: FluxRelations): (object: FluxObject) => string | undefined {
  const feeds = new Set<string>();
  for (const source of relations.sourceOf.values()) {
    feeds.add(source.key);
  }
  const labels = new Map<string, string>();
  const label = (ref: ObjectIdentity & { key: string }) => {
    let text = labels.get(ref.key);
    if (text === undefined) {
      text = ref.cluster ? `${describeRef(ref)} (${ref.cluster})` : describeRef(ref);
      labels.set(ref.key, text);
    }
    return text;
  };
  return (object) => {
    let top: (ObjectIdentity & { key: string }) | undefined = relations.sourceOf.get(object.key);
    const seen = new Set([object.key]);
    while (top && !seen.has(top.key)) {
      seen.add(top.key);
      const next = relations.sourceOf.get(top.key);
      if (!next || seen.has(next.key)) {
        break;
      }
      top = next;
    }
    if (top) {
      return label(top);
    }
    return feeds.has(object.key) ? label(object) : undefined;
  };
}
