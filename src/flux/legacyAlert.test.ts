/**
 * The legacy state rules must agree with the alert the original Flux monitoring guide shipped:
 *
 *   max(gotk_reconcile_condition{status="False",type="Ready"}) by (exported_namespace, name, kind)
 *   + on(exported_namespace, name, kind)
 *   (max(gotk_reconcile_condition{status="Deleted"}) by (exported_namespace, name, kind)) * 2 == 1
 *
 * A deleted object (Flux 2.0 keeps its stale False=1) gives 1 + 2 = 3 or 0 + 2 = 2, a failing live one
 * 1 + 0 = 1. The alert ignores suspension; FluxGrid shows a suspended object as Suspended (every Flux
 * UI does), so: Failed objects == alert set minus suspended objects.
 *
 * The inputs are Flux-2.0-style: all four status series present for every object (the alert's
 * `on()` match needs the Deleted series), any mix of 0/1 (stale values included), HA duplicates.
 */
import fc from 'fast-check';

import { normalizeFluxFrames } from './normalize';
import {
  instantFrames,
  Labels,
  legacyConditionLabels,
  legacySuspendLabels,
  seriesFrame,
  STEP,
  T0,
} from './testing/frames';

type Status = 'True' | 'False' | 'Unknown' | 'Deleted';
const STATUSES: Status[] = ['True', 'False', 'Unknown', 'Deleted'];

interface Sample {
  labels: Labels;
  value: number;
}

/** A tiny PromQL evaluator for exactly the alert above, over instant samples. */
function reconciliationFailureAlert(samples: Sample[]): Set<string> {
  const groupKey = (l: Labels) => `${l.exported_namespace ?? ''}/${l.name ?? ''}/${l.kind ?? ''}`;
  const maxBy = (select: (l: Labels) => boolean) => {
    const out = new Map<string, number>();
    for (const { labels, value } of samples) {
      if (labels.__name__ === 'gotk_reconcile_condition' && select(labels)) {
        const key = groupKey(labels);
        out.set(key, Math.max(out.get(key) ?? -Infinity, value));
      }
    }
    return out;
  };
  const failing = maxBy((l) => l.status === 'False' && l.type === 'Ready');
  const deleted = maxBy((l) => l.status === 'Deleted');
  const firing = new Set<string>();
  for (const [key, value] of failing) {
    // `+ on(...)`: only groups present on both sides produce a result.
    const d = deleted.get(key);
    if (d !== undefined && value + d * 2 === 1) {
      firing.add(key);
    }
  }
  return firing;
}

const bit = fc.constantFrom(0, 1);

const objectArb = fc.record({
  kind: fc.constantFrom('Kustomization', 'HelmRelease', 'GitRepository'),
  namespace: fc.constantFrom('apps', 'flux-system', 'team-a'),
  name: fc.constantFrom('podinfo', 'redis', 'infra', 'a'),
  // One entry per HA replica (or duplicate scrape job): its four status values and suspend gauge.
  replicas: fc.array(
    fc.record({
      statuses: fc.record({ True: bit, False: bit, Unknown: bit, Deleted: bit }),
      suspend: fc.option(bit, { nil: undefined }),
      // Noise the alert and FluxGrid must both ignore: another condition type.
      otherTypeFalse: fc.boolean(),
      // The value one step earlier (range variant): never decides anything.
      earlier: fc.record({ True: bit, False: bit, Unknown: bit, Deleted: bit }),
    }),
    { minLength: 1, maxLength: 3 }
  ),
});

const fleetArb = fc.uniqueArray(objectArb, {
  selector: (o) => `${o.kind}/${o.namespace}/${o.name}`,
  minLength: 1,
  maxLength: 25,
});

type Fleet = typeof fleetArb extends fc.Arbitrary<infer T> ? T : never;

function samplesOf(fleet: Fleet, pick: 'statuses' | 'earlier'): Sample[] {
  const samples: Sample[] = [];
  for (const object of fleet) {
    object.replicas.forEach((replica, i) => {
      const extra = { exported_namespace: object.namespace, replica: `prom-${i}`, instance: `10.0.0.${i}:8080` };
      for (const status of STATUSES) {
        samples.push({
          labels: legacyConditionLabels(object.kind, object.name, status, extra),
          value: replica[pick][status],
        });
      }
      if (replica.otherTypeFalse) {
        samples.push({
          labels: legacyConditionLabels(object.kind, object.name, 'False', { ...extra, type: 'Healthy' }),
          value: 1,
        });
      }
      if (replica.suspend !== undefined) {
        samples.push({ labels: legacySuspendLabels(object.kind, object.name, extra), value: replica.suspend });
      }
    });
  }
  return samples;
}

function suspendedKeys(fleet: Fleet): Set<string> {
  return new Set(
    fleet.filter((o) => o.replicas.some((r) => r.suspend === 1)).map((o) => `${o.namespace}/${o.name}/${o.kind}`)
  );
}

const keyOf = (o: { namespace: string; name: string; kind: string }) => `${o.namespace}/${o.name}/${o.kind}`;

function minus(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((x) => !b.has(x)).sort();
}

describe('legacy Failed == the monitoring guide ReconciliationFailure alert (minus suspended)', () => {
  it('holds for instant data', () => {
    fc.assert(
      fc.property(fleetArb, (fleet) => {
        const samples = samplesOf(fleet, 'statuses');
        const objects = normalizeFluxFrames(instantFrames(samples));
        const failed = objects
          .filter((o) => o.state === 'Failed')
          .map(keyOf)
          .sort();
        expect(failed).toEqual(minus(reconciliationFailureAlert(samples), suspendedKeys(fleet)));
        // Deleted objects are hidden by default and never failing.
        const withDeleted = normalizeFluxFrames(instantFrames(samples), { includeDeleted: true });
        const deleted = withDeleted
          .filter((o) => o.state === 'Deleted')
          .map(keyOf)
          .sort();
        const expectedDeleted = fleet
          .filter((o) => o.replicas.some((r) => r.statuses.Deleted === 1))
          .map(keyOf)
          .sort();
        expect(deleted).toEqual(expectedDeleted);
        expect(objects.some((o) => o.state === 'Deleted')).toBe(false);
        expect(withDeleted.length).toBe(fleet.length);
      }),
      { numRuns: 300 }
    );
  });

  it('holds for range data, where the newest timestamp decides', () => {
    fc.assert(
      fc.property(fleetArb, (fleet) => {
        const earlier = samplesOf(fleet, 'earlier');
        const latest = samplesOf(fleet, 'statuses');
        // Same series in the same order in both lists: one range frame per series, two steps.
        const frames = latest.map((s, i) =>
          seriesFrame(s.labels, [
            [T0, earlier[i].value],
            [T0 + STEP, s.value],
          ])
        );
        const failed = normalizeFluxFrames(frames)
          .filter((o) => o.state === 'Failed')
          .map(keyOf)
          .sort();
        expect(failed).toEqual(minus(reconciliationFailureAlert(latest), suspendedKeys(fleet)));
      }),
      { numRuns: 150 }
    );
  });

  it('the evaluator itself: deleted with stale False=1 does not fire, live False=1 does', () => {
    const samples = (f: number, d: number) =>
      STATUSES.map((status) => ({
        labels: legacyConditionLabels('Kustomization', 'a', status),
        value: status === 'False' ? f : status === 'Deleted' ? d : 0,
      }));
    expect([...reconciliationFailureAlert(samples(1, 0))]).toEqual(['apps/a/Kustomization']);
    expect([...reconciliationFailureAlert(samples(1, 1))]).toEqual([]);
    expect([...reconciliationFailureAlert(samples(0, 1))]).toEqual([]);
    expect([...reconciliationFailureAlert(samples(0, 0))]).toEqual([]);
  });
});
