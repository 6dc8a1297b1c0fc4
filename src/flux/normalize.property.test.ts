/**
 * Fuzzing the reader with what a user relies on: every object of the data is shown once (none
 * dropped, none merged), in the state its own series say, whatever the other queries' steps and
 * ends, whatever the order of frames and samples, whatever junk frames sit beside it, with
 * hostile label names and values. Fleets are generated with a model that knows the answer.
 *
 * The figure the issue asks for (cases run, crashes, objects lost) is counted across the
 * properties and checked by the last test.
 */
import type { DataFrame, Field, FieldType } from '@grafana/data';
import fc from 'fast-check';

import { objectKey } from './labels';
import { readFluxFrames } from './normalize';
import { FluxObject, FluxReading, FluxState } from './types';

type Ready = 'True' | 'False' | 'Unknown';
type Schema = 'ksm' | 'operator' | 'legacy';
type Labels = Record<string, string>;

const STATE_OF: Record<Ready, FluxState> = { True: 'Ready', False: 'Failed', Unknown: 'Progressing' };
const REASON_OF: Record<Ready, string> = {
  True: 'ReconciliationSucceeded',
  False: 'BuildFailed',
  Unknown: 'Progressing',
};
const T0 = Date.UTC(2026, 0, 1);
/** Labels named after Object.prototype members, set on every series of some objects. */
const HOSTILE_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];

interface QuerySpec {
  step: number;
  /** Timestamps in the range; 1 is an instant query. */
  n: number;
  start: number;
  order: 'asc' | 'desc' | 'shuffled';
  /** Grafana's `config.interval` on the time field. */
  interval: boolean;
  /** Table format (one frame, a row per sample) instead of a frame per series. */
  table: boolean;
  seed: number;
}

interface ObjectSpec {
  kind: string;
  name: string;
  namespace: string;
  cluster: string;
  schema: Schema;
  query: number;
  /** The Ready status over the object's life, in equal parts. */
  runs: Ready[];
  /** Steps missing at the end of the range: 2 or more means deleted (hidden). */
  gone: number;
  /** HA: 1 series, 2 copies (replica labels), or one summed series (value 2). */
  ha: 'one' | 'pair' | 'sum';
  hostileLabels: boolean;
}

interface Fleet {
  queries: QuerySpec[];
  objects: ObjectSpec[];
}

/** Hostile or odd text: prototype names, markup, newlines, unicode, anything printable. */
const text = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'a.b', 'ü☃', 'x\ny', '<b>x</b>', '$1', ' ', '"\\'),
  fc.string({ minLength: 1, maxLength: 6 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 })
);
// U+001F joins an object's key (labels.ts: Kubernetes names cannot contain it).
const identityText = text.filter((value) => value !== '' && !value.includes('\u001f'));

const querySpec: fc.Arbitrary<QuerySpec> = fc.record({
  step: fc.constantFrom(15_000, 30_000, 60_000, 300_000),
  n: fc.integer({ min: 1, max: 8 }),
  start: fc.integer({ min: -120, max: 120 }).map((minutes) => T0 + minutes * 60_000),
  order: fc.constantFrom('asc', 'desc', 'shuffled'),
  interval: fc.boolean(),
  table: fc.boolean(),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
});

const objectSpec = (queries: number): fc.Arbitrary<ObjectSpec> =>
  fc.record({
    kind: fc.oneof(fc.constantFrom('Kustomization', 'HelmRelease', 'GitRepository'), identityText),
    name: identityText,
    namespace: identityText,
    cluster: fc.oneof(fc.constant(''), identityText),
    schema: fc.constantFrom<Schema>('ksm', 'operator', 'legacy'),
    query: fc.integer({ min: 0, max: queries - 1 }),
    runs: fc.array(fc.constantFrom<Ready>('True', 'False', 'Unknown'), { minLength: 1, maxLength: 3 }),
    gone: fc.integer({ min: 0, max: 3 }),
    ha: fc.constantFrom<ObjectSpec['ha']>('one', 'one', 'pair', 'sum'),
    hostileLabels: fc.boolean(),
  });

const identityOf = (o: Pick<ObjectSpec, 'cluster' | 'kind' | 'namespace' | 'name'>) =>
  objectKey({ cluster: o.cluster, kind: o.kind, namespace: o.namespace, name: o.name });

const fleet: fc.Arbitrary<Fleet> = fc.array(querySpec, { minLength: 1, maxLength: 3 }).chain((queries) =>
  fc.record({
    queries: fc.constant(queries),
    objects: fc.uniqueArray(objectSpec(queries.length), { maxLength: 8, selector: identityOf }),
  })
);

/** A small deterministic PRNG, so a shrunk case replays exactly. */
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Every query gets an object that lives over its whole range: it marks where the range ends. */
function withAnchors(f: Fleet): ObjectSpec[] {
  const anchors = f.queries.map((_, query): ObjectSpec => ({
    kind: 'Anchor',
    name: `anchor-${query}`,
    namespace: 'fuzz',
    cluster: '',
    schema: 'ksm',
    query,
    runs: ['True'],
    gone: 0,
    ha: 'one',
    hostileLabels: false,
  }));
  return [...anchors, ...f.objects];
}

/** Steps the object has samples at (its life), and its Ready status at each. */
function lifeOf(o: ObjectSpec, q: QuerySpec): Ready[] {
  const life = q.n === 1 ? 1 : Math.max(1, q.n - o.gone);
  return Array.from({ length: life }, (_, i) => o.runs[Math.floor((i * o.runs.length) / life)]);
}

function define(labels: Labels, name: string, value: string): void {
  Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
}

interface SeriesSpec {
  labels: Labels;
  samples: Array<[number, number]>;
}

function seriesOf(o: ObjectSpec, q: QuerySpec): SeriesSpec[] {
  const ready = lifeOf(o, q);
  const at = (i: number) => q.start + i * q.step;
  const value = o.ha === 'sum' ? 2 : 1;
  const base: Labels = {};
  if (o.cluster !== '') {
    base.cluster = o.cluster;
  }
  const out: SeriesSpec[] = [];
  const add = (labels: Labels, samples: Array<[number, number]>) => {
    const all = { ...base, ...labels };
    if (o.hostileLabels) {
      HOSTILE_NAMES.forEach((name, i) => define(all, name, `${name}=${i}`));
    }
    const copies = o.ha === 'pair' ? ['prom-0', 'prom-1'] : [undefined];
    for (const replica of copies) {
      const copy = { ...all };
      if (replica) {
        copy.replica = replica;
        copy.revision = `rev-${replica}`;
      }
      out.push({ labels: copy, samples });
    }
  };
  if (o.schema === 'legacy') {
    for (const status of ['True', 'False', 'Unknown'] as const) {
      add(
        {
          __name__: 'gotk_reconcile_condition',
          kind: o.kind,
          name: o.name,
          exported_namespace: o.namespace,
          namespace: 'flux-system',
          type: 'Ready',
          status,
        },
        ready.map((r, i) => [at(i), r === status ? value : 0])
      );
    }
    return out;
  }
  // Info metrics: one series per Ready status (kube-state-metrics starts a new one when it changes).
  for (const status of ['True', 'False', 'Unknown'] as const) {
    const samples = ready.flatMap((r, i): Array<[number, number]> => (r === status ? [[at(i), value]] : []));
    if (samples.length === 0) {
      continue;
    }
    const labels: Labels =
      o.schema === 'ksm'
        ? {
            __name__: 'gotk_resource_info',
            customresource_kind: o.kind,
            name: o.name,
            exported_namespace: o.namespace,
            namespace: 'monitoring',
            ready: status,
          }
        : {
            __name__: 'flux_resource_info',
            kind: o.kind,
            name: o.name,
            exported_namespace: o.namespace,
            ready: status,
            reason: REASON_OF[status],
          };
    add(labels, samples);
  }
  return out;
}

function ordered(samples: Array<[number, number]>, q: QuerySpec): Array<[number, number]> {
  return q.order === 'asc' ? samples : q.order === 'desc' ? [...samples].reverse() : shuffle(samples, q.seed);
}

function timeField(times: number[], q: QuerySpec): Field {
  return { name: 'Time', type: 'time' as FieldType, config: q.interval ? { interval: q.step } : {}, values: times };
}

/** The frames of one query, as Grafana's Prometheus datasource shapes them. */
function framesOfQuery(objects: ObjectSpec[], q: QuerySpec, query: number): DataFrame[] {
  const refId = `Q${query}`;
  const series = objects.filter((o) => o.query === query).flatMap((o) => seriesOf(o, q));
  if (!q.table) {
    return series.map(({ labels, samples }) => {
      const rows = ordered(samples, q);
      return {
        refId,
        length: rows.length,
        fields: [
          timeField(
            rows.map(([t]) => t),
            q
          ),
          { name: 'Value', type: 'number' as FieldType, config: {}, values: rows.map(([, v]) => v), labels },
        ],
      };
    });
  }
  const rows = series.flatMap(({ labels, samples }) => ordered(samples, q).map(([t, v]) => ({ labels, t, v })));
  const names = [...new Set(rows.flatMap((row) => Object.keys(row.labels)))].sort();
  const column = (name: string): Field => ({
    name,
    type: 'string' as FieldType,
    config: {},
    values: rows.map((row) => (Object.hasOwn(row.labels, name) ? row.labels[name] : '')),
  });
  return [
    {
      refId,
      length: rows.length,
      fields: [
        timeField(
          rows.map((row) => row.t),
          q
        ),
        ...names.map(column),
        { name: `Value #${refId}`, type: 'number' as FieldType, config: {}, values: rows.map((row) => row.v) },
      ],
    },
  ];
}

function framesOf(f: Fleet): DataFrame[] {
  const objects = withAnchors(f);
  return f.queries.flatMap((q, i) => framesOfQuery(objects, q, i));
}

interface Expected {
  state: FluxState;
  observedAt: number;
  since?: number;
  sinceIsLowerBound?: boolean;
}

/** What the model says each visible object shows, by key. */
function expected(f: Fleet): Map<string, Expected> {
  const out = new Map<string, Expected>();
  for (const o of withAnchors(f)) {
    const q = f.queries[o.query];
    const ready = lifeOf(o, q);
    if (q.n - ready.length >= 2) {
      continue; // Deleted: ended two steps or more before its query did.
    }
    const last = ready.length - 1;
    const state = STATE_OF[ready[last]];
    let runStart = last;
    while (runStart > 0 && STATE_OF[ready[runStart - 1]] === state) {
      runStart--;
    }
    const e: Expected = { state, observedAt: q.start + last * q.step };
    if (q.n > 1) {
      e.since = q.start + runStart * q.step;
      e.sinceIsLowerBound = runStart === 0;
    }
    out.set(identityOf(o), e);
  }
  return out;
}

const figures = { cases: 0, crashes: 0, objectsLost: 0, objectsChecked: 0 };

/** Reads, counting a throw as a crash (and failing the property with it). */
function read(frames: DataFrame[]): FluxReading {
  try {
    return readFluxFrames(frames);
  } catch (error) {
    figures.crashes++;
    throw error;
  }
}

const byKey = (objects: FluxObject[]) => [...objects].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** Junk beside the data: anything at all, broken frame shapes, lying lengths, odd fields. */
const anything = fc.anything({
  withNullPrototype: true,
  withTypedArray: true,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  maxDepth: 2,
});
const junkField = fc.record(
  {
    name: fc.oneof(fc.string(), anything),
    type: fc.constantFrom('time', 'number', 'string', 'boolean', 'other'),
    values: fc.oneof(fc.array(anything, { maxLength: 4 }), anything),
    labels: anything,
    config: anything,
  },
  { requiredKeys: ['type'] }
);
const junkFrame: fc.Arbitrary<unknown> = fc
  .oneof(
    anything,
    fc.record({ fields: anything, name: anything }),
    fc.record({
      length: fc.constantFrom(1e7, -1, NaN, Infinity, 0),
      fields: fc.array(fc.oneof(junkField, anything), { maxLength: 4 }),
      meta: anything,
    })
  )
  // Junk is its own query: a query's timing is its own frames' (see the independence property).
  .map((junk) =>
    junk !== null && typeof junk === 'object' && !Array.isArray(junk) ? { ...junk, refId: 'junk' } : junk
  );

const CASES = { model: 4000, independence: 2000, order: 2000, junk: 2000 };
const TOTAL = Object.values(CASES).reduce((a, b) => a + b, 0);

describe('reading fuzzed fleets', () => {
  it('shows every object once, in the state its own series say (mixed steps, orders, shapes, HA, hostile labels)', () => {
    fc.assert(
      fc.property(fleet, (f) => {
        figures.cases++;
        const want = expected(f);
        const reading = read(framesOf(f));
        const got = new Map(reading.objects.map((o) => [o.key, o]));
        figures.objectsChecked += want.size;
        figures.objectsLost += [...want.keys()].filter((key) => !got.has(key)).length;
        // One comparison per case (jest's expect is the slow part of a run): what each object
        // shows, by key, against the model; a key twice would show as a shorter map.
        const shown: Record<string, Expected & { text: boolean; hostile?: string[] }> = {};
        for (const object of reading.objects) {
          const { state, observedAt, since, sinceIsLowerBound } = object;
          const parts = [object.key, object.kind, object.name, object.namespace, object.cluster];
          shown[object.key] = {
            state,
            observedAt,
            since,
            sinceIsLowerBound,
            text: parts.every((p) => typeof p === 'string'),
          };
        }
        const modelled: Record<string, Expected & { text: boolean; hostile?: string[] }> = {};
        for (const [key, e] of want) {
          modelled[key] = { ...e, text: true };
        }
        for (const o of f.objects.filter((spec) => spec.hostileLabels && want.has(identityOf(spec)))) {
          const key = identityOf(o);
          const labels = got.get(key)?.labels ?? {};
          modelled[key].hostile = HOSTILE_NAMES.map((name, i) => `${name}=${i}`);
          if (shown[key]) {
            shown[key].hostile = HOSTILE_NAMES.map((name) => Object.getOwnPropertyDescriptor(labels, name)?.value);
          }
        }
        expect(reading.objects).toHaveLength(got.size);
        expect(shown).toEqual(modelled);
      }),
      { numRuns: CASES.model }
    );
  });

  it("reads each query's objects the same with or without the other queries", () => {
    fc.assert(
      fc.property(fleet, (f) => {
        figures.cases++;
        const all = withAnchors(f);
        const together = read(framesOf(f)).objects;
        f.queries.forEach((q, i) => {
          const keys = new Set(all.filter((o) => o.query === i).map(identityOf));
          const alone = read(framesOfQuery(all, q, i)).objects;
          expect(byKey(together.filter((o) => keys.has(o.key)))).toEqual(byKey(alone));
        });
      }),
      { numRuns: CASES.independence }
    );
  });

  it('gives the same objects for the frames in any order', () => {
    fc.assert(
      fc.property(fleet, fc.integer({ min: 1, max: 2 ** 30 }), (f, seed) => {
        figures.cases++;
        const frames = framesOf(f);
        const a = read(frames);
        const b = read(shuffle(frames, seed));
        expect(byKey(b.objects)).toEqual(byKey(a.objects));
        expect([...b.schemas].sort()).toEqual([...a.schemas].sort());
      }),
      { numRuns: CASES.order }
    );
  });

  it('never crashes on junk frames, and the junk changes no object', () => {
    fc.assert(
      fc.property(
        fleet,
        fc.array(junkFrame, { maxLength: 4 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        (f, junk, seed) => {
          figures.cases++;
          const frames = framesOf(f);
          const clean = read(frames);
          const mixed = read(shuffle([...frames, ...(junk as DataFrame[])], seed));
          expect(byKey(mixed.objects)).toEqual(byKey(clean.objects));
        }
      ),
      { numRuns: CASES.junk }
    );
  });

  it(`ran ${TOTAL} cases: 0 crashes, 0 objects lost`, () => {
    console.log(
      `fuzz: ${figures.cases} cases, ${figures.crashes} crashes, ${figures.objectsLost} of ${figures.objectsChecked} modelled objects lost`
    );
    expect(figures).toMatchObject({ cases: TOTAL, crashes: 0, objectsLost: 0 });
  });
});
