/**
 * Every query FluxGrid sends stays within VictoriaMetrics' default -search.maxQueryLen (16 KB),
 * whatever the filters: many clusters, namespaces and kinds, every schema, label overrides.
 * The longest is printed (issue 12 asks to see it).
 */
import { labelValuesQuery, metricFamiliesQuery, objectCountQuery, VARIABLE_TARGETS } from '../questions/catalog';
import { reconcileDurationQuery } from '../questions/durations';
import { lastReconcileQuery, sinceQuery } from '../questions/objectTimes';
import {
  recordedLastReconcileQuery,
  recordedSinceQuery,
  recordedTimesPlan,
  unrecordedChangesQuery,
} from '../questions/recordedTimes';
import { queries as recordingCoverageQueries } from '../questions/recordingRules';
import { objectsStateQuery, stateSeriesCountQuery } from '../questions/objects';
import { FluxFilters, PromQLOptions, SchemaSetting } from './selectors';
import { filterPattern, MAX_QUERY_BYTES, objectSelection, queryBytes } from './selection';
import { stateSeries } from './stateRules';

const many = (prefix: string, n: number) => ({
  type: 'oneOf' as const,
  values: Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`),
});

/** A fleet's dashboard with every variable on many values. */
const LARGE: FluxFilters = {
  cluster: many('prod-eu-west-cluster', 30),
  namespace: many('team-payments-namespace', 60),
  kind: {
    type: 'oneOf',
    values: ['Kustomization', 'HelmRelease', 'GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket'],
  },
  name: { type: 'regex', pattern: '(?:frontend|backend|payments)-.*' },
};

const END = 1736125200;

function everyQuery(filters: FluxFilters, options: PromQLOptions): Record<string, string> {
  const out: Record<string, string> = {
    state: objectsStateQuery(filters, options),
    stateSeriesCount: stateSeriesCountQuery(options),
    states: stateSeries(filters, options),
    counts: objectCountQuery(options),
    families: metricFamiliesQuery(),
  };
  for (const [range, seconds] of [
    ['1h', 3600],
    ['24h', 86_400],
    ['30d', 30 * 86_400],
  ] as const) {
    out[`since ${range}`] = sinceQuery(filters, options, seconds, 240, END);
    out[`lastReconcile ${range}`] = lastReconcileQuery(filters, options, seconds, 240, END);
    out[`durations ${range}`] = reconcileDurationQuery(filters, options, seconds, 10);
    const plan = recordedTimesPlan(seconds, END);
    const coverage = { fromS: plan.startS, lastS: END - 30 };
    out[`recorded since ${range}`] = recordedSinceQuery(filters, options, plan);
    out[`unrecorded changes ${range}`] = unrecordedChangesQuery(filters, options, plan, coverage);
    out[`recorded lastReconcile ${range}`] = recordedLastReconcileQuery(filters, options, plan);
    out[`recording coverage ${range}`] = recordingCoverageQueries({
      fromMs: plan.startS * 1000,
      toMs: END * 1000,
    }).exprs.recorded;
  }
  for (const target of VARIABLE_TARGETS) {
    out[`values ${target}`] = labelValuesQuery(target, filters, options);
  }
  return out;
}

const SCHEMAS: SchemaSetting[] = ['auto', 'flux-operator', 'kube-state-metrics', 'legacy'];
const MAPPINGS = [{}, { cluster: 'site', kind: 'resource_kind', namespace: 'team', name: 'resource_name' }];

describe('every query fits in 16 KB of PromQL', () => {
  let longest = { bytes: 0, what: '' };

  afterAll(() => {
    console.log(`longest query FluxGrid sends (large filters): ${longest.bytes} bytes, ${longest.what}`);
  });

  it.each(SCHEMAS)('schema %s, without and with large filters and label overrides', (schema) => {
    for (const labels of MAPPINGS) {
      for (const filters of [{}, LARGE]) {
        for (const [name, expr] of Object.entries(everyQuery(filters, { schema, labels }))) {
          const bytes = queryBytes(expr);
          if (bytes > longest.bytes) {
            longest = { bytes, what: `${name}, schema ${schema}${labels.kind ? ', label overrides' : ''}` };
          }
          expect({ name, bytes, ok: bytes <= MAX_QUERY_BYTES }).toEqual({ name, bytes, ok: true });
        }
      }
    }
  });

  it('the large filters do take the compact ways (the exact alternatives alone would not fit)', () => {
    const inline = objectSelection(LARGE, {}, 'inline').selectors('gotk_resource_info', 'kube-state-metrics');
    expect(queryBytes(inline.join(' or '))).toBeGreaterThan(MAX_QUERY_BYTES);
    // The filters' values appear once in the since query.
    const since = sinceQuery(LARGE, {}, 86_400, 240, END);
    expect(since.split(filterPattern(LARGE.namespace!)).length - 1).toBe(1);
  });
});
