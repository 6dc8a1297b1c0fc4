import { infoState, parseSuspended } from '../state';
import { re2AsJs, toJsRegex, topLevel, unwrap } from '../testing/promql';
import { INFO_STATE_RULES, stateSeries } from './stateRules';

describe('state rules in PromQL', () => {
  const suspendedValues = [undefined, 'true', 'True', 'false', 'False'];
  const readyValues = [undefined, 'True', 'False', 'Unknown', 'true', 'false', 'unknown', 'weird'];
  const reasons = [undefined, 'DependencyNotReady', 'BuildFailed', 'ReconciliationSucceeded'];
  const kinds = ['Kustomization', 'HelmRelease', 'Alert', 'Provider', 'HelmRepository'];
  const urls = [undefined, 'oci://ghcr.io/stefanprodan/charts', 'https://charts.example.com', 'OCI://upper'];

  /** What the label_join + label_replace chain yields (last matching rule wins). */
  function promqlState(suspended?: string, ready?: string, reason?: string, kind = '', url?: string): string {
    const joined = [suspended ?? '', ready ?? '', reason ?? '', kind, url ?? ''].join('|');
    let state: string | undefined;
    for (const rule of INFO_STATE_RULES) {
      if (toJsRegex(rule.pattern).test(joined)) {
        state = rule.state;
      }
    }
    return state!;
  }

  it('agree with infoState() for every combination of signals', () => {
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
              });
              expect({
                suspended,
                ready,
                reason,
                kind,
                url,
                state: promqlState(suspended, ready, reason, kind, url),
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
});

describe('the legacy Deleted rule in PromQL', () => {
  const ON_ID = 'on(fluxgrid_cluster, fluxgrid_kind, fluxgrid_namespace, fluxgrid_name)';
  const only = (expr: string, status: string) =>
    expect([
      expr.includes(`status="${status}"`),
      ['True', 'False', 'Unknown', 'Deleted'].filter((s) => s !== status).some((s) => expr.includes(`status="${s}"`)),
    ]).toEqual([true, false]);

  it('masks a Deleted object out of every live state (legacyState: Deleted beats everything)', () => {
    const { operands, operators } = topLevel(stateSeries({}, { schema: 'legacy' }));
    expect(operators).toEqual([`unless ${ON_ID}`]);
    only(operands[1], 'Deleted');
    expect(operands[1]).toContain('== 1');
    // Left: the live states, strongest first, each kept per object over the weaker ones.
    const live = topLevel(unwrap(operands[0]));
    expect(live.operators).toEqual([`or ${ON_ID}`, `or ${ON_ID}`, `or ${ON_ID}`]);
    expect(live.operands[0]).toContain('gotk_suspend_status');
    expect(live.operands[0]).toContain('"Suspended"');
    only(live.operands[1], 'False');
    only(live.operands[2], 'Unknown');
    only(live.operands[3], 'True');
  });

  it('with includeDeleted, shows Deleted first instead', () => {
    const { operands, operators } = topLevel(stateSeries({}, { schema: 'legacy' }, { includeDeleted: true }));
    expect(operators[0]).toBe(`or ${ON_ID}`);
    only(operands[0], 'Deleted');
    expect(operands[0]).toContain('"Deleted"');
  });
});

describe('the state rules mean the same on Prometheus 2.x and 3.x', () => {
  it('a reason or kind with a newline still matches (RE2 `.` needs the s flag on 2.x)', () => {
    const query = stateSeries({}, { schema: 'flux-operator' });
    const patterns = Array.from(query.matchAll(/"fluxgrid_signals", "((?:[^"\\]|\\.)*)"\)/g), (m) =>
      JSON.parse(`"${m[1]}"`)
    );
    expect(patterns).toHaveLength(INFO_STATE_RULES.length);
    // Read as RE2 reads them (no s flag unless the pattern sets it): a reason with a newline.
    const stateOf = (signals: string) => {
      let state: string | undefined;
      patterns.forEach((pattern, i) => {
        if (re2AsJs(pattern).test(signals)) {
          state = INFO_STATE_RULES[i].state;
        }
      });
      return state;
    };
    expect(stateOf('|true|Some\nReason|Kustomization')).toBe('Ready');
    expect(stateOf('|unknown|Some\nReason|Kustomization')).toBe('Progressing');
    expect(stateOf('|false|BuildFailed|Kustom\nization')).toBe('Failed');
    expect(stateOf('true|false|Some\nReason|Kustomization')).toBe('Suspended');
  });
});
