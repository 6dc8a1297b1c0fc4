import { infoState, parseSuspended } from '../state';
import { re2AsJs, toJsRegex, topLevel } from '../testing/promql';
import { INFO_STATE_RULES, InfoSchema, legacyRanks, stateSeries } from './stateRules';

describe('state rules in PromQL', () => {
  const suspendedValues = [undefined, 'true', 'True', 'false', 'False'];
  const readyValues = [undefined, 'True', 'False', 'Unknown', 'true', 'false', 'unknown', 'weird'];
  const reasons = [undefined, 'DependencyNotReady', 'BuildFailed', 'ReconciliationSucceeded'];
  const kinds = ['Kustomization', 'HelmRelease', 'Alert', 'Provider', 'HelmRepository'];
  const urls = [undefined, 'oci://ghcr.io/stefanprodan/charts', 'https://charts.example.com', 'OCI://upper'];

  const schemas: InfoSchema[] = ['flux-operator', 'kube-state-metrics'];

  /** What the label_join + label_replace chain yields (last matching rule wins). */
  function promqlState(
    schema: InfoSchema,
    suspended?: string,
    ready?: string,
    reason?: string,
    kind = '',
    url?: string
  ): string {
    const joined = [suspended ?? '', ready ?? '', reason ?? '', kind, url ?? ''].join('|');
    let state: string | undefined;
    for (const rule of INFO_STATE_RULES[schema]) {
      if (toJsRegex(rule.pattern).test(joined)) {
        state = rule.state;
      }
    }
    return state!;
  }

  it.each(schemas)('agree with infoState() for every combination of signals (%s)', (schema) => {
    for (const suspended of suspendedValues) {
      for (const ready of readyValues) {
        for (const reason of reasons) {
          for (const kind of kinds) {
            for (const url of urls) {
              const expected = infoState({
                kind,
                readyLabel: ready,
                reason,
                suspended: parseSuspended(suspended),
                url,
                schema,
              });
              expect({
                suspended,
                ready,
                reason,
                kind,
                url,
                state: promqlState(schema, suspended, ready, reason, kind, url),
              }).toEqual({
                suspended,
                ready,
                reason,
                kind,
                url,
                state: expected,
              });
            }
          }
        }
      }
    }
  });

  it('the Flux Operator’s ready="Unknown" without a reason is Unknown (no Ready condition), kube-state-metrics’ Progressing', () => {
    expect(promqlState('flux-operator', 'False', 'Unknown', undefined, 'Kustomization')).toBe('Unknown');
    expect(promqlState('flux-operator', 'False', 'Unknown', 'Progressing', 'Kustomization')).toBe('Progressing');
    expect(promqlState('kube-state-metrics', undefined, 'Unknown', undefined, 'Kustomization')).toBe('Progressing');
  });

  it('read the reason from the reason setting first, then the detected reason labels', () => {
    const copies = (labels: { reason?: string }) =>
      Array.from(
        stateSeries({}, { schema: 'flux-operator', labels }).matchAll(/"fluxgrid_reason", "\\x241", "(\w+)"/g),
        (m) => m[1]
      );
    // Applied in reverse: the last copy wins.
    expect(copies({})).toEqual(['ready_reason', 'reason']);
    expect(copies({ reason: 'status_reason' })).toEqual(['ready_reason', 'reason', 'status_reason']);
  });
});

describe('the legacy precedence in PromQL', () => {
  it('ranks Deleted > Suspended > Failed > Progressing > Ready; the strongest per object names the state', () => {
    expect(legacyRanks()).toEqual({ Deleted: 5, Suspended: 4, Failed: 3, Progressing: 2, Ready: 1 });
    const q = stateSeries({}, { schema: 'legacy' });
    expect(q).toContain('gotk_suspend_status == 1) * 4');
    expect(q).toContain('status="False"} == 1) * 3');
    expect(q).toContain(
      'count_values by (fluxgrid_cluster, fluxgrid_kind, fluxgrid_namespace, fluxgrid_name) ("fluxgrid_rank", max by ('
    );
    for (const [state, rank] of Object.entries(legacyRanks())) {
      expect(q).toContain(`"fluxgrid_state", "${state}", "fluxgrid_rank", "${rank}")`);
    }
    // Deleted objects are masked (legacyState: Deleted beats everything, and the core hides them).
    expect(q).toContain(') != 5)');
    expect(stateSeries({}, { schema: 'legacy' }, { includeDeleted: true })).not.toContain('!= 5');
    // Neither `or on(id)` nor topk: VictoriaMetrics evaluates those over whole series.
    expect(q).not.toMatch(/ or on\(|topk/);
  });

  it('between schemas, the richer one wins without `or on(id)`', () => {
    const q = stateSeries({}, {});
    expect(q).not.toContain(' or on(');
    const { operators } = topLevel(q);
    expect(operators).toEqual(['or', 'or']);
    expect(
      q.match(/\) unless on\(fluxgrid_cluster, fluxgrid_kind, fluxgrid_namespace, fluxgrid_name\) /g)
    ).toHaveLength(2);
  });
});

describe('the state rules mean the same on Prometheus 2.x and 3.x', () => {
  it('a reason or kind with a newline still matches (RE2 `.` needs the s flag on 2.x)', () => {
    const query = stateSeries({}, { schema: 'flux-operator' });
    const patterns = Array.from(query.matchAll(/"fluxgrid_signals", "((?:[^"\\]|\\.)*)"\)/g), (m) =>
      JSON.parse(`"${m[1]}"`)
    );
    expect(patterns).toHaveLength(INFO_STATE_RULES['flux-operator'].length);
    // Read as RE2 reads them (no s flag unless the pattern sets it): a reason with a newline.
    const stateOf = (signals: string) => {
      let state: string | undefined;
      patterns.forEach((pattern, i) => {
        if (re2AsJs(pattern).test(signals)) {
          state = INFO_STATE_RULES['flux-operator'][i].state;
        }
      });
      return state;
    };
    expect(stateOf('|true|Some\nReason|Kustomization')).toBe('Ready');
    expect(stateOf('|unknown|Some\nReason|Kustomization')).toBe('Progressing');
    expect(stateOf('|unknown||Kustom\nization')).toBe('Unknown');
    expect(stateOf('|false|BuildFailed|Kustom\nization')).toBe('Failed');
    expect(stateOf('true|false|Some\nReason|Kustomization')).toBe('Suspended');
  });
});
