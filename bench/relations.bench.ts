/**
 * What causes-before-symptoms costs the panel on every reading (src/flux/relations.ts): relating
 * every object to its source, the cause summary, the causes-first sort and group by source, for
 * fleets of 10k and 50k objects (per namespace one GitRepository feeding Kustomizations, one
 * HelmRepository feeding HelmReleases; one source in ten Failed with its consumers). Prints a
 * table; never fails on timing. Wall and CPU time both: wall time on a shared machine includes
 * waiting for a core.
 */
import {
  groupObjects,
  FluxObject,
  objectKey,
  relate,
  sortCausesFirst,
  sortObjects,
  sourceGroupOf,
  summarizeCauses,
} from '../src/flux';

/** A plain object (src/flux/testing/frames.ts needs @grafana/data's runtime, which needs a DOM). */
function fluxObject(partial: Partial<FluxObject> & { kind: string; name: string; namespace: string }): FluxObject {
  const base = {
    cluster: '',
    state: 'Ready' as const,
    suspended: false,
    schema: 'kube-state-metrics' as const,
    observedAt: 0,
    labels: {},
    ...partial,
  };
  return { key: objectKey(base), ...base };
}

function fleet(total: number): FluxObject[] {
  const objects: FluxObject[] = [];
  const perNamespace = 50;
  for (let ns = 0; objects.length < total; ns++) {
    const namespace = `team-${ns}`;
    const failing = ns % 10 === 0;
    const source = (kind: string, name: string) =>
      objects.push(fluxObject({ kind, name, namespace, state: failing ? 'Failed' : 'Ready' }));
    source('GitRepository', 'flux-system');
    source('HelmRepository', 'charts');
    for (let i = 0; i < perNamespace - 2 && objects.length < total; i++) {
      const kustomization = i % 2 === 0;
      objects.push(
        fluxObject({
          kind: kustomization ? 'Kustomization' : 'HelmRelease',
          name: `app-${i}`,
          namespace,
          state: failing && i % 3 !== 0 ? 'Failed' : 'Ready',
          labels: kustomization ? { source_name: 'flux-system' } : { chart_source_name: 'charts' },
        })
      );
    }
  }
  return objects;
}

interface Row {
  size: number;
  op: string;
  wallMs: number;
  cpuMs: number;
  result: string;
}
const rows: Row[] = [];

function measure(size: number, op: string, run: () => unknown, describeResult: (r: unknown) => string, runs = 7) {
  const wall: number[] = [];
  const cpu: number[] = [];
  let result: unknown;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    result = run();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  rows.push({ size, op, wallMs: wall[runs >> 1], cpuMs: cpu[runs >> 1], result: describeResult(result) });
}

describe.each([10_000, 50_000])('relations on %d objects', (size) => {
  it('relates, summarises, sorts causes first and groups by source', () => {
    const objects = fleet(size);
    const relations = relate(objects);
    measure(
      size,
      'relate',
      () => relate(objects),
      (r) => `${(r as ReturnType<typeof relate>).blockedBy.size} blocked`
    );
    measure(
      size,
      'summarizeCauses',
      () => summarizeCauses(objects, relations),
      (r) => `${(r as ReturnType<typeof summarizeCauses>).causes} causes`
    );
    measure(
      size,
      'sortObjects severity (baseline)',
      () => sortObjects(objects, 'severity'),
      () => ''
    );
    measure(
      size,
      'sortCausesFirst',
      () => sortCausesFirst(objects, relations),
      () => ''
    );
    measure(
      size,
      'groupObjects by source',
      () => groupObjects(objects, ['source'], { source: sourceGroupOf(relations) }),
      (r) => `${(r as unknown[]).length} groups`
    );
    expect(relations.causes.size).toBeGreaterThan(0);
  });
});

afterAll(() => {
  const lines = [
    '| objects | operation | median wall ms | median cpu ms | result |',
    '|---:|---|---:|---:|---|',
    ...rows.map((r) => `| ${r.size} | ${r.op} | ${r.wallMs.toFixed(1)} | ${r.cpuMs.toFixed(1)} | ${r.result} |`),
  ];
  console.log(lines.join('\n'));
});
