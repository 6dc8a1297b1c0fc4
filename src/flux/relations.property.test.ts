/**
 * For any fleet: no object is ever blocked by itself, nor by a source its labels do not name
 * (same cluster, the named namespace and name, a kind Flux allows for that reference), nor by a
 * source that is not Failed; every blocked object is Failed or Unknown; and every root cause
 * is a Failed object that nothing blocks. Sorting causes first ranks each object once into a
 * number: the order is exactly the comparator's.
 */
import fc from 'fast-check';

import { objectKey } from './labels';
import {
  compareCausesFirst,
  relate,
  rootCauseOf,
  sortCausesFirst,
  SOURCE_REFERENCES,
  sourceClaimOf,
  summarizeCauses,
} from './relations';
import { fluxObject } from './testing/frames';
import { FLUX_STATES, FluxObject, FluxState } from './types';

const KINDS = [
  'Kustomization',
  'HelmRelease',
  'HelmChart',
  'ImagePolicy',
  'ImageUpdateAutomation',
  'GitRepository',
  'OCIRepository',
  'HelmRepository',
  'Bucket',
  'ImageRepository',
  'ExternalArtifact',
];
const SOURCE_LABEL_NAMES = [...new Set([...SOURCE_REFERENCES.values()].flat().map((r) => r.name))];
const small = (values: string[]) => fc.constantFrom(...values);

// Identities that tie on some fields and not others, and any text (prefixes of one another,
// control characters, surrogates): the sort compares each field as compareIdentity does.
const anyText = (values: string[]) => fc.oneof(small(values), fc.string({ unit: 'binary', maxLength: 4 }));
const objectArb = fc.record({
  cluster: anyText(['', 'a', 'b']),
  kind: small(KINDS),
  namespace: anyText(['apps', 'flux-system', 'apps-2']),
  name: anyText(['flux-system', 'podinfo', 'apps', '__proto__', 'constructor']),
  state: fc.constantFrom<FluxState>(...FLUX_STATES),
  labels: fc.dictionary(
    fc.oneof(small(SOURCE_LABEL_NAMES), small(['source_kind', 'source_namespace', 'url', 'chart_name'])),
    fc.oneof(small(['flux-system', 'podinfo', 'apps', 'GitRepository', 'HelmChart', 'Kustomization']), fc.string()),
    { maxKeys: 4 }
  ),
  /** Labels that name the object itself (a custom config's source_kind makes it expressible). */
  selfReference: fc.boolean(),
});

const fleetArb = fc.array(objectArb, { maxLength: 40 }).map((specs) => {
  const byKey = new Map<string, FluxObject>();
  for (const { selfReference, ...spec } of specs) {
    const labels = selfReference
      ? { ...spec.labels, source_name: spec.name, source_kind: spec.kind, source_namespace: spec.namespace }
      : spec.labels;
    const object = fluxObject({ ...spec, labels });
    byKey.set(object.key, object);
  }
  return [...byKey.values()];
});

describe('relations (property)', () => {
  it('never blocks an object by itself or by a source it does not name', () => {
    fc.assert(
      fc.property(fleetArb, (objects) => {
        const byKey = new Map(objects.map((o) => [o.key, o]));
        const relations = relate(objects);
        for (const [key, source] of relations.blockedBy) {
          const consumer = byKey.get(key)!;
          expect(source.key).not.toBe(key);
          const claim = sourceClaimOf(consumer);
          expect(claim).toBeDefined();
          expect(source.cluster).toBe(claim!.cluster);
          expect(source.namespace).toBe(claim!.namespace);
          expect(source.name).toBe(claim!.name);
          expect(claim!.kinds).toContain(source.kind);
          expect(source.key).toBe(objectKey(source));
          expect(byKey.get(source.key)?.state).toBe('Failed');
          expect(['Failed', 'Unknown']).toContain(consumer.state);
        }
        for (const [key, cause] of relations.causes) {
          expect(cause.object?.state).toBe('Failed');
          expect(relations.blockedBy.has(key)).toBe(false);
          for (const blocked of cause.blocked) {
            expect(blocked.key).not.toBe(key);
            expect(rootCauseOf(blocked.key, relations.blockedBy)?.key).toBe(key);
          }
        }
      }),
      { numRuns: 500 }
    );
  });

  it('counts every object once in the cause summary: blocked, a cause, or failing on its own', () => {
    fc.assert(
      fc.property(fleetArb, (objects) => {
        const relations = relate(objects);
        const blocked = objects.filter((o) => relations.blockedBy.has(o.key));
        const own = objects.filter(
          (o) => o.state === 'Failed' && !relations.blockedBy.has(o.key) && !relations.causes.has(o.key)
        );
        expect(summarizeCauses(objects, relations)).toEqual({
          causes: relations.causes.size,
          blocked: blocked.length,
          otherFailures: own.length,
        });
      }),
      { numRuns: 500 }
    );
  });

  it('sorts causes first in exactly the order compareCausesFirst gives any two objects', () => {
    fc.assert(
      fc.property(fleetArb, (objects) => {
        const relations = relate(objects);
        const keys = (list: FluxObject[]) => list.map((o) => o.key);
        expect(keys(sortCausesFirst(objects, relations))).toEqual(
          keys([...objects].sort(compareCausesFirst(relations)))
        );
      }),
      { numRuns: 500 }
    );
  });
});
