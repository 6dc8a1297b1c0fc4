/**
 * Properties of every query the questions write, whatever the filters: one balanced expression,
 * nothing Grafana's template interpolation would touch, identity copies that keep newlines.
 */
import fc from 'fast-check';
import path from 'path';

import { hostile, balanced, labelCopyPatterns, re2AsJs } from '../testing/promql';
import { stateSeries } from '../promql/stateRules';
import { FluxFilters, PromQLOptions } from '../promql/selectors';
import { labelValuesQuery, metricFamiliesQuery, objectCountQuery, VARIABLE_TARGETS } from './catalog';
import { reconcileDurationQuery } from './durations';
import { lastReconcileQuery, sinceQuery } from './objectTimes';
import { objectsStateQuery, stateSeriesCountQuery } from './objects';

/**
 * Grafana's own variable syntax finder, as its Prometheus datasource ships it (the same regex as
 * Grafana's TemplateSrv: `$var`, `[[var]]`, `${var}`): read from @grafana/prometheus, not copied.
 */
function grafanaVariablesIn(expr: string): string[] {
  const file = path.join(
    path.dirname(require.resolve('@grafana/prometheus/package.json')),
    'dist/cjs/querybuilder/parsingUtils.cjs'
  );
  const { replaceVariables } = require(file) as {
    replaceVariables(expr: string): { replacedVariables: Record<string, string> };
  };
  return Object.values(replaceVariables(expr).replacedVariables);
}

function everyQuery(filters: FluxFilters, options: PromQLOptions): string[] {
  return [
    objectsStateQuery(filters, options),
    sinceQuery(filters, options, 3600, 15),
    lastReconcileQuery(filters, options, 3600, 15),
    stateSeriesCountQuery(options),
    reconcileDurationQuery(filters, options, 3600, 10),
    stateSeries(filters, options),
    stateSeries(filters, options, { includeDeleted: true, atEnd: true }),
    ...VARIABLE_TARGETS.map((target) => labelValuesQuery(target, filters, options)),
    objectCountQuery(options),
    metricFamiliesQuery(),
  ];
}

const schema = fc.constantFrom('auto', 'legacy', 'kube-state-metrics', 'flux-operator' as const);

describe('every query', () => {
  it('is balanced for every schema, with hostile filters', () => {
    fc.assert(
      fc.property(schema, hostile, hostile, (s, ns, name) => {
        const filters = {
          namespace: { type: 'oneOf' as const, values: [ns, 'x'] },
          name: { type: 'equals' as const, value: name },
        };
        return everyQuery(filters, { schema: s }).every(balanced);
      }),
      { numRuns: 50 }
    );
  });

  it('holds no Grafana variable syntax ($1 included), so a dashboard variable named 1 changes nothing', () => {
    expect(grafanaVariablesIn('label_replace(x, "a", "$1", "b", "(.+)")')).toEqual(['$1']);
    fc.assert(
      fc.property(schema, hostile, (s, value) => {
        const filters = {
          namespace: { type: 'equals' as const, value },
          kind: { type: 'oneOf' as const, values: [value, '$1'] },
        };
        const options = { schema: s, labels: { kind: 'resource_kind', cluster: 'site' } };
        return everyQuery(filters, options).every((q) => grafanaVariablesIn(q).length === 0);
      }),
      { numRuns: 30 }
    );
  });

  it('copies identity labels whole, newlines included (Prometheus 2.x reads `.` without the s flag)', () => {
    for (const query of everyQuery({}, {})) {
      for (const pattern of labelCopyPatterns(query)) {
        expect(re2AsJs(pattern).exec('line\nbreak')?.[1]).toBe('line\nbreak');
      }
    }
    expect(labelCopyPatterns(stateSeries({}, {})).length).toBeGreaterThan(10);
  });
});
