import fc from 'fast-check';

import {
  alternation,
  coreMappingOf,
  normalizeIdentity,
  renderMatcher,
  escapeLabelValue,
  escapeRegex,
  filteredSelectors,
  INFO_STATE_RULES,
  labelValuesQuery,
  lastReconcileQuery,
  matcherFor,
  objectsStateQuery,
  quote,
  reconcileDurationQuery,
  sinceQuery,
  stateSeries,
  subqueryStep,
} from './promql';
import { infoState, parseSuspended } from './state';

/**
 * PromQL's string literal rules are Go's (strconv.Unquote); this is the reading side, so the
 * property "unquote(escape(v)) === v" checks escaping against the grammar, not against itself.
 */
function unquoteGo(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '"' || c === '\n') {
      throw new Error(`unescaped ${JSON.stringify(c)} at ${i}`);
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case '\\':
        out += '\\';
        break;
      case '"':
        out += '"';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'x':
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
        break;
      default:
        throw new Error(`unknown escape \\${e}`);
    }
  }
  return out;
}

/** Hostile label values: quotes, backslashes, newlines, regex metacharacters, Grafana variable syntax, unicode. */
const hostileChar = fc.oneof(
  fc.constantFrom(
    '"',
    '\\',
    '\n',
    '\r',
    '\t',
    '\u0000',
    '\u007f',
    '.',
    '*',
    '+',
    '?',
    '|',
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '^',
    '$',
    '/',
    '-',
    ',',
    '=',
    '~',
    '`',
    "'"
  ),
  fc.constantFrom('é', 'ß', '漢', '🚀', '\u2028', '\u00a0'),
  fc.string({ maxLength: 1, minLength: 1 })
);
const hostile = fc.array(hostileChar, { maxLength: 24 }).map((chars) => chars.join(''));

/** JS has no inline (?i:…) before Node 23: spell it out for the state-rule tests. */
function toJsRegex(re2: string): RegExp {
  const spelled = re2.replace(/\(\?i:([a-z]+)\)/g, (_m, word: string) =>
    word
      .split('')
      .map((ch) => `[${ch}${ch.toUpperCase()}]`)
      .join('')
  );
  return new RegExp(`^(?:${spelled})$`, 's');
}

describe('escapeLabelValue', () => {
  it('reads back exactly as the value (Go/PromQL string rules)', () => {
    fc.assert(fc.property(hostile, (value) => unquoteGo(escapeLabelValue(value)) === value));
  });

  it('never leaves a quote, newline, $ or [[ for a parser or Grafana to trip on', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const escaped = escapeLabelValue(value);
        return (
          !/(^|[^\\])(\\\\)*"/.test(escaped) &&
          !escaped.includes('\n') &&
          !escaped.includes('$') &&
          !escaped.includes('[[')
        );
      })
    );
  });

  it('spells the usual escapes', () => {
    expect(quote('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(quote('$ns')).toBe('"\\x24ns"');
    expect(quote('[[x]]')).toBe('"[\\x5bx]]"');
    expect(quote('[^|]')).toBe('"[^|]"');
  });
});

describe('escapeRegex', () => {
  it('matches the value and only the value', () => {
    fc.assert(
      fc.property(hostile, hostile, (value, other) => {
        const re = new RegExp(`^(?:${escapeRegex(value)})$`, 'su');
        return re.test(value) && (other === value || !re.test(other));
      })
    );
  });

  it('cannot be widened by .* or a|b', () => {
    const dotStar = new RegExp(`^(?:${escapeRegex('.*')})$`);
    expect(dotStar.test('anything')).toBe(false);
    expect(dotStar.test('.*')).toBe(true);
    const either = new RegExp(`^(?:${escapeRegex('a|b')})$`);
    expect(either.test('a')).toBe(false);
    expect(either.test('a|b')).toBe(true);
  });

  it('alternation matches exactly the given values', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 5 }), hostile, (values, other) => {
        const re = new RegExp(`^(?:${alternation(values)})$`, 'su');
        return values.every((v) => re.test(v)) && (values.includes(other) || !re.test(other));
      })
    );
  });
});

describe('matchers', () => {
  it('equals and single values are exact matchers, several values an escaped alternation', () => {
    expect(matcherFor('name', { type: 'equals', value: 'a.b' })).toEqual({ label: 'name', op: '=', value: 'a.b' });
    expect(matcherFor('name', { type: 'oneOf', values: ['a.b'] })).toEqual({ label: 'name', op: '=', value: 'a.b' });
    expect(matcherFor('name', { type: 'oneOf', values: ['a.b', 'c|d'] })).toEqual({
      label: 'name',
      op: '=~',
      value: '(?:a\\.b|c\\|d)',
    });
  });

  it('an empty multi-value matches nothing, not everything', () => {
    const m = matcherFor('name', { type: 'oneOf', values: [] });
    const re = new RegExp(`^(?:${m.value})$`);
    expect(['', 'a', '.*'].some((v) => re.test(v))).toBe(false);
  });

  it('a namespace filter reads exported_namespace, and namespace only where exported_namespace is absent', () => {
    const selectors = filteredSelectors(
      'gotk_resource_info',
      'kube-state-metrics',
      { namespace: { type: 'equals', value: 'apps' } },
      {}
    );
    expect(selectors).toEqual([
      'gotk_resource_info{exported_namespace="apps"}',
      'gotk_resource_info{exported_namespace="", namespace="apps"}',
    ]);
  });

  it('an auto cluster filter tries each cluster label in order of preference', () => {
    const selectors = filteredSelectors(
      'flux_resource_info',
      'flux-operator',
      { cluster: { type: 'equals', value: 'prod' } },
      { namespace: 'ns' }
    );
    expect(selectors).toEqual([
      'flux_resource_info{cluster="prod"}',
      'flux_resource_info{cluster="", k8s_cluster="prod"}',
      'flux_resource_info{cluster="", k8s_cluster="", cluster_name="prod"}',
      'flux_resource_info{cluster="", k8s_cluster="", cluster_name="", kubernetes_cluster="prod"}',
    ]);
    expect(
      filteredSelectors(
        'flux_resource_info',
        'flux-operator',
        { cluster: { type: 'equals', value: 'prod' } },
        { cluster: 'site' }
      )
    ).toEqual(['flux_resource_info{site="prod"}']);
  });

  it('kube-state-metrics filters kind on customresource_kind', () => {
    expect(
      filteredSelectors(
        'gotk_resource_info',
        'kube-state-metrics',
        { kind: { type: 'equals', value: 'HelmRelease' } },
        {}
      )
    ).toEqual([
      'gotk_resource_info{customresource_kind="HelmRelease"}',
      'gotk_resource_info{customresource_kind="", kind="HelmRelease"}',
    ]);
  });

  it('kind / namespace / name overrides apply to kube-state-metrics only, with the defaults as fallback', () => {
    const mapping = { kind: 'resource_kind', name: 'resource_name' };
    const filters = { kind: { type: 'equals', value: 'HelmRelease' }, name: { type: 'equals', value: 'a' } } as const;
    expect(filteredSelectors('gotk_resource_info', 'kube-state-metrics', filters, mapping)).toEqual([
      'gotk_resource_info{resource_kind="HelmRelease", resource_name="a"}',
      'gotk_resource_info{resource_kind="HelmRelease", resource_name="", name="a"}',
      'gotk_resource_info{resource_kind="", customresource_kind="HelmRelease", resource_name="a"}',
      'gotk_resource_info{resource_kind="", customresource_kind="HelmRelease", resource_name="", name="a"}',
      'gotk_resource_info{resource_kind="", customresource_kind="", kind="HelmRelease", resource_name="a"}',
      'gotk_resource_info{resource_kind="", customresource_kind="", kind="HelmRelease", resource_name="", name="a"}',
    ]);
    // The controllers' metrics, the legacy gauges and the Flux Operator's always say kind and name.
    for (const [metric, schema] of [
      ['gotk_reconcile_duration_seconds_count', 'controller'],
      ['gotk_reconcile_condition', 'legacy'],
      ['flux_resource_info', 'flux-operator'],
    ] as const) {
      expect(filteredSelectors(metric, schema, filters, mapping)).toEqual([`${metric}{kind="HelmRelease", name="a"}`]);
      expect(normalizeIdentity('x', schema, mapping)).not.toContain('resource_');
    }
    for (const query of [
      lastReconcileQuery({}, { labels: mapping }, 3600, 240),
      reconcileDurationQuery({}, { labels: mapping }, 3600, 5),
      sinceQuery({}, { schema: 'legacy', labels: mapping }, 3600, 240),
      stateSeries({}, { schema: 'flux-operator', labels: mapping }),
    ]) {
      expect(query).not.toContain('resource_kind');
      expect(query).not.toContain('resource_name');
    }
    expect(stateSeries({}, { schema: 'kube-state-metrics', labels: mapping })).toContain('"resource_kind"');
  });

  it('the Objects state query rewrites the overrides into the labels the core reads by default', () => {
    const query = objectsStateQuery({}, { schema: 'kube-state-metrics', labels: { kind: 'resource_kind' } });
    expect(query).toBe('label_replace(gotk_resource_info, "customresource_kind", "$1", "resource_kind", "(.+)")');
    expect(coreMappingOf({ kind: 'k', namespace: 'n', name: 'x', cluster: 'c', reason: 'r' })).toEqual({
      cluster: 'c',
      reason: 'r',
    });
  });

  it('never pastes something that is not a label name into PromQL', () => {
    expect(() => renderMatcher({ label: 'kind"} or vector(1) #', op: '=', value: 'x' })).toThrow(
      /is not a valid Prometheus label name/
    );
    expect(() =>
      filteredSelectors('m', 'flux-operator', { cluster: { type: 'equals', value: 'x' } }, { cluster: '1cluster' })
    ).toThrow(/"1cluster"/);
  });

  it('hostile filter values stay inside their string', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const [selector] = filteredSelectors('m', 'flux-operator', { name: { type: 'equals', value } }, {});
        const body = selector.slice('m{name="'.length, -2);
        return selector.endsWith('"}') && unquoteGo(body) === value;
      })
    );
  });
});

describe('state rules in PromQL', () => {
  const suspendedValues = [undefined, 'true', 'True', 'false', 'False'];
  const readyValues = [undefined, 'True', 'False', 'Unknown', 'true', 'false', 'unknown', 'weird'];
  const reasons = [undefined, 'DependencyNotReady', 'BuildFailed', 'ReconciliationSucceeded'];
  const kinds = ['Kustomization', 'HelmRelease', 'Alert', 'Provider'];

  /** What the label_join + label_replace chain yields (last matching rule wins). */
  function promqlState(suspended?: string, ready?: string, reason?: string, kind = ''): string {
    const joined = [suspended ?? '', ready ?? '', reason ?? '', kind].join('|');
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
            const expected = infoState({ kind, readyLabel: ready, reason, suspended: parseSuspended(suspended) });
            expect({ suspended, ready, reason, kind, state: promqlState(suspended, ready, reason, kind) }).toEqual({
              suspended,
              ready,
              reason,
              kind,
              state: expected,
            });
          }
        }
      }
    }
  });
});

describe('queries', () => {
  const balanced = (expr: string) => {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < expr.length; i++) {
      const c = expr[i];
      if (inString) {
        if (c === '\\') {
          i++;
        } else if (c === '"') {
          inString = false;
        }
        continue;
      }
      if (c === '"') {
        inString = true;
      } else if (c === '(') {
        depth++;
      } else if (c === ')' && --depth < 0) {
        return false;
      }
    }
    return depth === 0 && !inString;
  };

  it('are balanced for every schema, with hostile filters', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('auto', 'legacy', 'kube-state-metrics', 'flux-operator' as const),
        hostile,
        hostile,
        (schema, ns, name) => {
          const filters = {
            namespace: { type: 'oneOf' as const, values: [ns, 'x'] },
            name: { type: 'equals' as const, value: name },
          };
          const options = { schema };
          return [
            objectsStateQuery(filters, options),
            sinceQuery(filters, options, 3600, 15),
            lastReconcileQuery(filters, options, 3600, 15),
            reconcileDurationQuery(filters, options, 3600, 10),
            stateSeries(filters, options),
            labelValuesQuery('names', filters, options),
          ].every(balanced);
        }
      ),
      { numRuns: 50 }
    );
  });

  it('Objects reads the raw series with their names (for the core) and only value-1 legacy series', () => {
    expect(objectsStateQuery({}, { schema: 'kube-state-metrics' })).toBe('gotk_resource_info');
    expect(objectsStateQuery({}, { schema: 'legacy' })).toBe(
      '(gotk_reconcile_condition{type="Ready"} == 1) or (gotk_suspend_status == 1)'
    );
    expect(objectsStateQuery({}, {})).toBe(
      '(flux_resource_info) or (gotk_resource_info) or (gotk_reconcile_condition{type="Ready"} == 1) or (gotk_suspend_status == 1)'
    );
  });

  it('time in state looks at raw series inside the subquery and relabels once, outside', () => {
    const q = sinceQuery({}, { schema: 'flux-operator' }, 3600, 240);
    expect(q).toContain('max_over_time((timestamp(flux_resource_info))[3600s:240s])');
    expect(q).toContain('flux_resource_info @ end()');
    expect(q).toContain(
      'unless on(fluxgrid_cluster, fluxgrid_kind, fluxgrid_namespace, fluxgrid_name, fluxgrid_state)'
    );
    // Nothing but the raw selector runs at every step.
    expect(q).not.toMatch(/label_replace\([^\[]*\[3600s:60s\]\)\)$/);
  });

  it('last reconcile is the last sample with an older count than today', () => {
    const q = lastReconcileQuery({}, {}, 3600, 240);
    expect(q).toContain(
      'max_over_time(((timestamp(gotk_reconcile_duration_seconds_count) and gotk_reconcile_duration_seconds_count != gotk_reconcile_duration_seconds_count @ end()))[3600s:240s])'
    );
  });

  it('subquery steps stay under the 5 minute lookback up to 24 h, and at most 360 steps', () => {
    expect(subqueryStep(3600)).toBe(240);
    expect(subqueryStep(86400)).toBe(240);
    expect(subqueryStep(7 * 86400)).toBe(1680);
    fc.assert(
      fc.property(fc.integer({ min: 60, max: 90 * 86400 }), (w) => w / subqueryStep(w) <= 360 && subqueryStep(w) >= 240)
    );
    fc.assert(fc.property(fc.integer({ min: 60, max: 86400 }), (w) => subqueryStep(w) < 300));
  });
});
