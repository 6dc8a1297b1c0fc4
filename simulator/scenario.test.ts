/** @jest-environment node */
import { readdirSync } from 'fs';
import * as path from 'path';
import { expectedStates, verifyExpectations } from './expect';
import { loadScenario, parseScenario, ScenarioError } from './scenario';

const DIR = path.join(__dirname, 'scenarios');

const MINIMAL = `
name: t
step: 30s
duration: 30m
fleet:
  named: [Kustomization/apps/podinfo]
  objects: {GitRepository: 1}
`;

function problemsOf(text: string, file = 'simulator/scenarios/x.yaml'): string[] {
  try {
    parseScenario(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).problems;
  }
  throw new Error('expected a ScenarioError');
}

describe('the scenario library', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

  it('has the scenarios the integration tests rely on', () => {
    expect(files.sort()).toEqual(
      expect.arrayContaining([
        'healthy.yaml',
        'failure-recovery.yaml',
        'deleted-while-failing.yaml',
        'suspended-while-failing.yaml',
        'flapping.yaml',
        'long-progressing.yaml',
        'dependency-not-ready.yaml',
        'ha-duplicate-scrape.yaml',
        'two-clusters.yaml',
        'fleet-10k.yaml',
        'flux-operator-objects.yaml',
      ])
    );
  });

  it.each(files)('%s loads, and its expectations agree with the simulated metrics', (file) => {
    const scenario = loadScenario(path.join(DIR, file));
    expect(scenario.expect.length).toBeGreaterThan(0);
    expect(scenario.stepSeconds).toBeLessThanOrEqual(60);
    expect(verifyExpectations(scenario)).toEqual([]);
  });

  it('fleet-10k has 10,000 objects', () => {
    const scenario = loadScenario(path.join(DIR, 'fleet-10k.yaml'));
    expect(expectedStates(scenario, 600).size).toBe(10_000);
  });
});

describe('parseScenario', () => {
  it('fills defaults', () => {
    const scenario = parseScenario(MINIMAL, 'min.yaml');
    expect(scenario).toMatchObject({
      name: 't',
      schemas: ['legacy-2.4', 'kube-state-metrics', 'flux-operator'],
      startMs: Date.parse('2025-01-06T00:00:00Z'),
      stepSeconds: 30,
      durationSeconds: 1800,
      replicas: { kubeStateMetrics: 1, prometheus: 1 },
      reconcileDuration: true,
    });
    expect(scenario.fleet.clusters).toEqual(['']);
  });

  it('names the file, the key path, the line and the allowed values for an unknown action', () => {
    const problems = problemsOf(`${MINIMAL}
timeline:
  - at: 5m
    action: fail
    object: Kustomization/apps/podinfo
  - at: 6m
    action: recover
    object: Kustomization/apps/podinfo
  - at: 7m
    action: fial
    object: Kustomization/apps/podinfo
`);
    expect(problems).toEqual([
      'simulator/scenarios/x.yaml:17: timeline[2].action: unknown action "fial" (expected one of fail, recover, progress, wait, suspend, resume, delete, flap, revision)',
    ]);
  });

  it('reports every problem at once, each with its path', () => {
    const problems = problemsOf(`
name: broken
step: 2m
start: 2025-01-06 00:00
durration: 1h
fleet:
  objects: {Kustomisation: 2, GitRepository: 1}
timeline:
  - at: 5m
    action: fail
    select: {kind: GitRepository, name: nope}
  - at: 2h
    action: flap
    object: GitRepository/flux-system/x
expect:
  - at: 10m
    objects:
      - object: Kustomization/apps/podinfo
        state: Broken
`);
    const text = problems.join('\n');
    expect(text).toContain('x.yaml:5: durration: unknown key "durration"');
    expect(text).toMatch(/x\.yaml:3: step: 2m is outside 1s\.\.60s/);
    expect(text).toMatch(/x\.yaml:4: start: expected an RFC 3339 time with a zone/);
    expect(text).toMatch(/x\.yaml:7: fleet\.objects\.Kustomisation: unknown kind "Kustomisation"/);
    expect(text).toMatch(/timeline\[1\]\.at: 2h is after the end of the scenario \(1h\)/);
    expect(text).toMatch(/timeline\[1\]\.period: flap needs a period/);
    expect(text).toMatch(
      /expect\[0\]\.objects\[0\]\.state: unknown state "Broken" \(expected one of Failed, Progressing/
    );
  });

  it('rejects selectors that match no object', () => {
    const problems = problemsOf(`${MINIMAL}
timeline:
  - at: 5m
    action: fail
    select: {kind: HelmRelease}
`);
    expect(problems).toEqual([
      expect.stringMatching(/^simulator\/scenarios\/x\.yaml:10: timeline\[0\]: matches no object of the fleet/),
    ]);
  });

  it('rejects bad object references, missing selectors and both forms at once', () => {
    const problems = problemsOf(`${MINIMAL}
timeline:
  - {at: 1m, action: fail, object: podinfo}
  - {at: 1m, action: fail}
  - {at: 1m, action: fail, object: Kustomization/apps/podinfo, select: {kind: Kustomization}}
`).join('\n');
    expect(problems).toMatch(/timeline\[0\]\.object: expected Kind\/namespace\/name/);
    expect(problems).toMatch(/timeline\[1\]: give exactly one of "object"/);
    expect(problems).toMatch(/timeline\[2\]: give exactly one of "object"/);
  });

  it('reads a HelmRelease chartSource, and refuses it on other kinds or with an unknown source kind', () => {
    const scenario = parseScenario(
      `${MINIMAL.replace('named: [Kustomization/apps/podinfo]', 'named: [{kind: HelmRelease, namespace: apps, name: platform, chartSource: GitRepository/fleet}]')}`,
      'x.yaml'
    );
    expect(scenario.fleet.named).toEqual([
      {
        cluster: undefined,
        kind: 'HelmRelease',
        namespace: 'apps',
        name: 'platform',
        chartSource: { kind: 'GitRepository', name: 'fleet' },
      },
    ]);
    const problems = problemsOf(
      MINIMAL.replace(
        'named: [Kustomization/apps/podinfo]',
        `named:
    - {kind: Kustomization, namespace: apps, name: a, chartSource: GitRepository/fleet}
    - {kind: HelmRelease, namespace: apps, name: b, chartSource: ImageRepository/fleet}
    - {kind: HelmRelease, namespace: apps, name: c, chartSource: GitRepository/other/fleet}`
      )
    ).join('\n');
    expect(problems).toMatch(
      /fleet\.named\[0\]\.chartSource: only a HelmRelease has a chart source \(this is a Kustomization\)/
    );
    expect(problems).toMatch(
      /fleet\.named\[1\]\.chartSource: expected Kind\/name with Kind one of GitRepository, HelmRepository, Bucket, OCIRepository/
    );
    expect(problems).toMatch(/fleet\.named\[2\]\.chartSource: expected Kind\/name/);
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf('name: x\nfleet: {a: 1}\nfleet: 2\n', 'bad.yaml');
    expect(problems[0]).toMatch(/^bad\.yaml:3: not valid YAML: Map keys must be unique/);
  });

  it('refuses fleets above 50,000 objects and two legacy schemas at once', () => {
    const text = problemsOf(`
schemas: [legacy-2.0, legacy-2.4]
fleet:
  clusters: [a, b]
  objects: {Kustomization: 30000}
`).join('\n');
    expect(text).toMatch(/fleet\.objects: 60000 objects in all clusters; the simulator handles at most 50000/);
    expect(text).toMatch(/schemas: legacy-2\.0 and legacy-2\.4 share gotk_reconcile_condition/);
  });

  it('refuses expectations inside the 5m lookback of a series change (backfill has no staleness markers)', () => {
    const problems = problemsOf(`${MINIMAL}
schemas: [kube-state-metrics]
timeline:
  - {at: 10m, action: fail, object: Kustomization/apps/podinfo}
expect:
  - at: 12m
    objects:
      - {object: Kustomization/apps/podinfo, state: Failed}
`);
    expect(problems).toEqual([
      expect.stringContaining(
        "expect[0].at: 12m is within Prometheus' 5m lookback of a change of /Kustomization/apps/podinfo"
          .replace('/', '\u001f')
          .replace(/\//g, '\u001f')
      ),
    ]);
    expect(problems[0]).toMatch(/expect at 15m30s or later/);
  });

  it('allows the same instant under legacy gauges (values change in place)', () => {
    expect(() =>
      parseScenario(
        `${MINIMAL}
schemas: [legacy-2.0]
timeline:
  - {at: 10m, action: fail, object: Kustomization/apps/podinfo}
expect:
  - at: 12m
    objects:
      - {object: Kustomization/apps/podinfo, state: Failed}
`,
        'ok.yaml'
      )
    ).not.toThrow();
  });
});

describe('expectedStates', () => {
  const scenario = parseScenario(
    `
duration: 30m
schemas: [legacy-2.0, kube-state-metrics]
fleet:
  named: [Kustomization/apps/podinfo, Kustomization/apps/old, Alert/apps/slack]
timeline:
  - {at: 1m, action: delete, object: Kustomization/apps/old}
  - {at: 2m, action: wait, object: Kustomization/apps/podinfo}
expect:
  - at: 10m
    default: Ready
    objects:
      - {object: Kustomization/apps/old, state: Deleted}
      - {object: Kustomization/apps/podinfo, state: Progressing, schemas: {legacy-2.0: Failed, kube-state-metrics: Failed}}
`,
    'e.yaml'
  );
  const key = (kind: string, name: string) => ['', kind, 'apps', name].join('\u001f');

  it('gives declared states, the default for the rest, and per-schema overrides', () => {
    expect(expectedStates(scenario, 600)).toEqual(
      new Map([
        [key('Kustomization', 'podinfo'), 'Progressing'],
        [key('Kustomization', 'old'), 'Deleted'],
        [key('Alert', 'slack'), 'Ready'],
      ])
    );
    expect(expectedStates(scenario, 600, { schema: 'legacy-2.0' }).get(key('Kustomization', 'podinfo'))).toBe('Failed');
  });

  it('leaves out what a schema cannot show: deleted objects outside legacy-2.0', () => {
    expect(expectedStates(scenario, 600, { schema: 'kube-state-metrics' }).has(key('Kustomization', 'old'))).toBe(
      false
    );
    expect(expectedStates(scenario, 600, { schema: 'legacy-2.0' }).get(key('Kustomization', 'old'))).toBe('Deleted');
    expect(
      expectedStates(scenario, 600, { schema: 'legacy-2.0', includeDeleted: false }).has(key('Kustomization', 'old'))
    ).toBe(false);
  });

  it('names the declared instants when asked for another', () => {
    expect(() => expectedStates(scenario, 60)).toThrow('e.yaml: no expect entry at 1m (declared instants: 10m)');
  });

  it('is consistent with the simulation', () => {
    expect(verifyExpectations(scenario)).toEqual([]);
  });
});
