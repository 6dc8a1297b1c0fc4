import {
  DataQuery,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  FieldType,
  TestDataSourceResponse,
  toDataFrame,
} from '@grafana/data';
import { lastValueFrom, Observable, of, throwError } from 'rxjs';

import { FluxDatasource } from './datasource';
import { StaticDataSourceSrv } from './testing/dataSourceSrv';
import { createFluxDatasource } from './testing/fluxDatasource';
import { prometheusInstanceSettings } from './testing/prometheusSettings';
import { dataQueryRequest } from './testing/request';
import { FakeTemplateSrv } from './testing/templateSrv';
import { FluxDataSourceOptions, FluxQuery } from './types';

/** A Prometheus datasource that records what it is asked and answers from a function. */
class FakePrometheus extends DataSourceApi<DataQuery> {
  requests: DataQueryRequest[] = [];
  constructor(public answer: (request: DataQueryRequest) => DataQueryResponse | Error | Observable<DataQueryResponse>) {
    super(prometheusInstanceSettings());
  }
  query(request: DataQueryRequest): Observable<DataQueryResponse> {
    this.requests.push(request);
    const answer = this.answer(request);
    return answer instanceof Error ? throwError(() => answer) : answer instanceof Observable ? answer : of(answer);
  }
  async testDatasource(): Promise<TestDataSourceResponse> {
    return { status: 'success', message: '' };
  }
}

/** The services each test's datasource is built with (set before building it). */
const runtime: { datasources: Record<string, DataSourceApi>; templateSrv: FakeTemplateSrv } = {
  datasources: {},
  templateSrv: new FakeTemplateSrv(),
};

function datasource(jsonData: FluxDataSourceOptions): FluxDatasource {
  const dataSourceSrv = new StaticDataSourceSrv();
  Object.values(runtime.datasources).forEach((ds) => dataSourceSrv.add(ds));
  return createFluxDatasource(jsonData, { templateSrv: runtime.templateSrv, dataSourceSrv });
}

function request(targets: FluxQuery[]): DataQueryRequest<FluxQuery> {
  return dataQueryRequest(targets, { fromMs: 0, toMs: 3_600_000 }, { requestId: 'r' });
}

const info = (name: string, ready: string, refId = 'A-state') =>
  toDataFrame({
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: [3_600_000] },
      {
        name: 'Value',
        type: FieldType.number,
        values: [1],
        labels: {
          __name__: 'flux_resource_info',
          kind: 'Kustomization',
          exported_namespace: 'apps',
          name,
          ready,
          suspended: 'False',
        },
      },
    ],
  });
/** One sample of an instant answer. */
const sample = (refId: string, labels: Record<string, string>, v: number) =>
  toDataFrame({
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: [3_600_000] },
      { name: 'Value', type: FieldType.number, values: [v], labels },
    ],
  });
/** A since answer: the fluxgrid_* identity, and the schema it was read from (objectTimes.ts eachSchema). */
const since = (refId: string, name: string, v: number) =>
  sample(
    refId,
    {
      fluxgrid_kind: 'Kustomization',
      fluxgrid_namespace: 'apps',
      fluxgrid_name: name,
      fluxgrid_schema: 'flux-operator',
    },
    v
  );
/** A last-reconcile answer keeps the raw identity labels (objectTimes.ts latestByIdentity). */
const reconciled = (refId: string, name: string, v: number) =>
  sample(refId, { kind: 'Kustomization', exported_namespace: 'apps', name }, v);

describe('FluxDatasource', () => {
  afterEach(() => {
    runtime.datasources = {};
    runtime.templateSrv = new FakeTemplateSrv();
  });

  it('rewrites every target to the Prometheus datasource and decodes Objects', async () => {
    const prom = new FakePrometheus(() => ({
      data: [
        info('a', 'True'),
        info('b', 'False'),
        since('A-since', 'b', 1800),
        reconciled('A-lastReconcile', 'a', 3000),
        reconciled('A-lastReconcile', 'b', 0),
      ],
    }));
    runtime.datasources.prom = prom;
    const response = await lastValueFrom(
      datasource({ prometheusUid: 'prom' }).query(request([{ refId: 'A', queryType: 'objects' }]))
    );
    // First whether FluxGrid's recording rules cover the range (no answer here: the raw queries).
    expect(prom.requests.map((r) => r.targets.map((t) => t.refId))).toEqual([
      ['A-recorded'],
      ['A-state', 'A-since', 'A-lastReconcile'],
    ]);
    const targets = prom.requests[1].targets;
    // Prefixed with the FluxGrid target's refId, so several targets of one panel do not collide.
    for (const target of targets) {
      expect(target).toMatchObject({ datasource: { type: 'prometheus', uid: 'prom' }, instant: true, range: false });
    }
    const frame = response.data[0];
    const rows = Array.from({ length: frame.length }, (_, i) =>
      Object.fromEntries(frame.fields.map((f: { name: string; values: unknown[] }) => [f.name, f.values[i]]))
    );
    expect(rows.map((r) => [r.name, r.state])).toEqual([
      ['b', 'Failed'],
      ['a', 'Ready'],
    ]);
    // since and last reconcile are sample times; no other state in the range: the range start.
    expect(rows[0].since).toBe(1800 * 1000);
    expect(rows[1].since).toBe(0);
    expect(rows[1].lastReconcile).toBe(3000 * 1000);
    expect(rows[0].lastReconcile).toBeNull();
  });

  it('applies the state filter after deriving the state', async () => {
    runtime.datasources.prom = new FakePrometheus(() => ({ data: [info('a', 'True'), info('b', 'False')] }));
    runtime.templateSrv = new FakeTemplateSrv([{ name: 's', options: ['Failed', 'Ready'], current: ['Failed'] }]);
    const response = await lastValueFrom(
      datasource({ prometheusUid: 'prom' }).query(request([{ refId: 'A', queryType: 'objects', state: '$s' }]))
    );
    expect(response.data[0].fields.find((f: { name: string }) => f.name === 'name').values).toEqual(['b']);
  });

  it('passes Prometheus errors on, per query', async () => {
    runtime.datasources.prom = new FakePrometheus(() => ({
      data: [],
      errors: [{ refId: 'state', message: 'bad_data: parse error' }],
    }));
    const response = await lastValueFrom(
      datasource({ prometheusUid: 'prom' }).query(request([{ refId: 'A', queryType: 'summary' }]))
    );
    expect(response.errors).toEqual([
      { refId: 'A', message: 'Prometheus "Prometheus" returned an error: bad_data: parse error' },
    ]);
  });

  it('passes thrown errors on too', async () => {
    runtime.datasources.prom = new FakePrometheus(() =>
      Object.assign(new Error('x'), { data: { message: 'Gateway timeout' } })
    );
    const health = await datasource({ prometheusUid: 'prom' }).testDatasource();
    expect(health).toEqual({ status: 'error', message: 'Prometheus "Prometheus" returned an error: Gateway timeout' });
  });

  it('never asks the default datasource when none is configured', async () => {
    const response = await lastValueFrom(datasource({}).query(request([{ refId: 'A' }])));
    expect(response.errors?.[0].message).toMatch(/^No Prometheus datasource selected/);
  });

  it('skips hidden queries', async () => {
    const prom = new FakePrometheus(() => ({ data: [] }));
    runtime.datasources.prom = prom;
    const response = await lastValueFrom(
      datasource({ prometheusUid: 'prom' }).query(request([{ refId: 'A', hide: true }]))
    );
    expect(response).toEqual({ data: [] });
    expect(prom.requests).toHaveLength(0);
  });

  it('reports a healthy Prometheus in Flux terms', async () => {
    runtime.datasources.prom = new FakePrometheus((r) => {
      const refId = r.targets[0].refId;
      if (refId === 'families') {
        return {
          data: [
            toDataFrame({
              refId,
              fields: [
                { name: 'Time', type: FieldType.time, values: [1] },
                { name: 'Value', type: FieldType.number, values: [128], labels: { __name__: 'gotk_resource_info' } },
              ],
            }),
          ],
        };
      }
      return {
        data: ['objects', 'clusters'].map((stat, i) =>
          toDataFrame({
            refId,
            fields: [
              { name: 'Time', type: FieldType.time, values: [1] },
              { name: 'Value', type: FieldType.number, values: [[128, 2][i]], labels: { fluxgrid_stat: stat } },
            ],
          })
        ),
      };
    });
    expect(await datasource({ prometheusUid: 'prom' }).testDatasource()).toEqual({
      status: 'success',
      message:
        'Prometheus OK — 128 Flux objects in 2 clusters (gotk_resource_info from kube-state-metrics). ' +
        'Recording rules: not found; since and last reconcile come from the raw series, which costs seconds of ' +
        "Prometheus time at tens of thousands of objects. Load FluxGrid's alerts/fluxgrid-recording-rules.yaml " +
        'into Prometheus to make them cheap.',
    });
  });

  it('says so when the forced schema is not the one Prometheus has', async () => {
    runtime.datasources.prom = new FakePrometheus((r) => ({
      data: [
        toDataFrame({
          refId: r.targets[0].refId,
          fields: [
            { name: 'Time', type: FieldType.time, values: [1] },
            { name: 'Value', type: FieldType.number, values: [5], labels: { __name__: 'flux_resource_info' } },
          ],
        }),
      ],
    }));
    const health = await datasource({ prometheusUid: 'prom', schema: 'legacy' }).testDatasource();
    expect(health.status).toBe('error');
    expect(health.message).toContain(
      'it has flux_resource_info from the Flux Operator. Set the metric schema to Auto.'
    );
  });
  const stat = (refId: string, name: string, v: number) =>
    toDataFrame({
      refId,
      fields: [
        { name: 'Time', type: FieldType.time, values: [3_600_000] },
        { name: 'Value', type: FieldType.number, values: [v], labels: { fluxgrid_stat: name } },
      ],
    });
  const rowsOf = (frame: { length: number; fields: Array<{ name: string; values: unknown[] }> }) =>
    Array.from({ length: frame.length }, (_, i) => Object.fromEntries(frame.fields.map((f) => [f.name, f.values[i]])));

  it('keeps the sub-queries of several targets apart (refIds prefixed with the target refId)', async () => {
    const prom = new FakePrometheus((r) => ({
      data: r.targets.some((t) => t.refId === 'A-state')
        ? [info('a', 'True', 'A-state')]
        : [info('b', 'False', 'B-state')],
    }));
    runtime.datasources.prom = prom;
    const response = await lastValueFrom(
      datasource({ prometheusUid: 'prom' }).query(
        request([
          { refId: 'A', queryType: 'summary' },
          { refId: 'B', queryType: 'summary' },
        ])
      )
    );
    expect(prom.requests.map((r) => r.targets.map((t) => t.refId))).toEqual([['A-state'], ['B-state']]);
    expect(new Set(prom.requests.map((r) => r.requestId)).size).toBe(2);
    expect(response.data.map((f) => [f.refId, rowsOf(f)[0].Ready, rowsOf(f)[0].Failed])).toEqual([
      ['A', 1, 0],
      ['B', 0, 1],
    ]);
  });

  it('asks State history and State changes at no finer step than the scrape interval', async () => {
    const prom = new FakePrometheus(() => ({ data: [] }));
    runtime.datasources.prom = prom;
    // A dashboard run by scenes hands a 2 s interval for a short range.
    const short = { ...request([]), interval: '2s', intervalMs: 2_000 };
    const ask = (targets: FluxQuery[], req = short) =>
      lastValueFrom(datasource({ prometheusUid: 'prom' }).query({ ...req, targets }));
    await ask([{ refId: 'H', queryType: 'stateHistory' }]);
    await ask([{ refId: 'C', queryType: 'stateChanges' }]);
    expect(prom.requests.flatMap((r) => r.targets)).toEqual([
      expect.objectContaining({ refId: 'H-states', range: true, interval: '15s' }),
      expect.objectContaining({ refId: 'C-states', range: true, interval: '15s' }),
    ]);
    // The Prometheus datasource's own "Scrape interval" (Grafana's PrometheusDatasource: `interval`).
    prom.interval = '1m';
    await ask([{ refId: 'H', queryType: 'stateHistory' }]);
    // A coarser panel interval stays.
    await ask([{ refId: 'H', queryType: 'stateHistory' }], { ...short, interval: '5m', intervalMs: 300_000 });
    expect(prom.requests.slice(2).map((r) => r.targets[0])).toEqual([
      expect.objectContaining({ interval: '60s' }),
      expect.objectContaining({ interval: '300s' }),
    ]);
  });

  it('shows reconcile-only objects as Unknown only when there is no state series at all', async () => {
    // No state series matched: the count of all of them is asked after the Objects queries.
    const answer = (stateSeries: number) => (r: DataQueryRequest) =>
      r.targets.some((t) => t.refId === 'A-stateSeries')
        ? { data: stateSeries ? [stat('A-stateSeries', 'stateSeries', stateSeries)] : [] }
        : { data: [reconciled('A-lastReconcile', 'ghost', 3000)] };
    // State series exist (the filter matched none of them): a leftover counter is no object.
    const prom = new FakePrometheus(answer(42));
    runtime.datasources.prom = prom;
    let response = await lastValueFrom(
      datasource({ prometheusUid: 'prom' }).query(request([{ refId: 'A', queryType: 'objects', name: 'ghost' }]))
    );
    expect(response.data[0].length).toBe(0);
    // (First whether the recording rules are there: they are not.)
    expect(prom.requests.map((r) => r.targets.map((t) => t.refId))).toEqual([
      ['A-recorded'],
      ['A-state', 'A-since', 'A-lastReconcile'],
      ['A-stateSeries'],
    ]);
    // No state metric at all (Flux >= 2.5 with only reconcile counters): Unknown.
    runtime.datasources.prom = new FakePrometheus(answer(0));
    response = await lastValueFrom(
      datasource({ prometheusUid: 'prom' }).query(request([{ refId: 'A', queryType: 'objects', name: 'ghost' }]))
    );
    expect(rowsOf(response.data[0]).map((r) => [r.name, r.state])).toEqual([['ghost', 'Unknown']]);
  });

  it('refuses label settings that are not label names, naming the setting, without asking Prometheus', async () => {
    const prom = new FakePrometheus(() => ({ data: [] }));
    runtime.datasources.prom = prom;
    const ds = datasource({ prometheusUid: 'prom', clusterLabel: 'cluster"} or vector(1) #', labels: { kind: 'ok' } });
    const health = await ds.testDatasource();
    expect(health.status).toBe('error');
    expect(health.message).toMatch(
      /^Invalid FluxGrid datasource settings: Cluster label: "cluster"\} or vector\(1\) #" is not a Prometheus label name/
    );
    const response = await lastValueFrom(ds.query(request([{ refId: 'A', queryType: 'objects' }])));
    expect(response.errors).toEqual([{ refId: 'A', message: health.message }]);
    await expect(ds.metricFindQuery('kinds')).rejects.toThrow(health.message);
    expect(prom.requests).toHaveLength(0);
  });

  it('says which variable queries exist', async () => {
    const prom = new FakePrometheus(() => ({ data: [] }));
    runtime.datasources.prom = prom;
    await expect(datasource({ prometheusUid: 'prom' }).metricFindQuery('foo')).rejects.toThrow(
      'Unknown variable query "foo": FluxGrid lists "clusters", "kinds", "namespaces", "names".'
    );
    expect(prom.requests).toHaveLength(0);
    await datasource({ prometheusUid: 'prom' }).metricFindQuery('kinds');
    expect(prom.requests[0].targets[0]).toMatchObject({ expr: expect.stringMatching(/^group by \(fluxgrid_kind\)/) });
  });

  it('says which states exist when the state filter names another', async () => {
    runtime.datasources.prom = new FakePrometheus(() => ({ data: [info('a', 'True')] }));
    runtime.templateSrv = new FakeTemplateSrv([
      { name: 's', options: ['Failed', 'Broken'], current: ['Failed', 'Broken'] },
    ]);
    const response = await lastValueFrom(
      datasource({ prometheusUid: 'prom' }).query(request([{ refId: 'A', queryType: 'objects', state: '$s' }]))
    );
    expect(response.errors).toEqual([
      {
        refId: 'A',
        message:
          'Unknown state "Broken" in the state filter: the states are Failed, Progressing, Unknown, Suspended, Ready, Deleted.',
      },
    ]);
    // Case does not matter (as for the filter itself), and an empty selection is no error.
    runtime.templateSrv = new FakeTemplateSrv([{ name: 's', options: ['failed'], current: [] }]);
    const ok = await lastValueFrom(
      datasource({ prometheusUid: 'prom' }).query(request([{ refId: 'A', queryType: 'objects', state: 'failed' }]))
    );
    expect(ok.errors).toBeUndefined();
  });

  const families = (names: string[], counts: Array<[string, number]> = []) =>
    new FakePrometheus((r) => {
      const refId = r.targets[0].refId;
      const frame = (labels: Record<string, string>, v: number) =>
        toDataFrame({
          refId,
          fields: [
            { name: 'Time', type: FieldType.time, values: [1] },
            { name: 'Value', type: FieldType.number, values: [v], labels },
          ],
        });
      return {
        data:
          refId === 'families'
            ? names.map((n) => frame({ __name__: n }, 10))
            : counts.map(([name, v]) => frame({ fluxgrid_stat: name }, v)),
      };
    });

  it('health: state metrics but no object resolved points at the label mapping', async () => {
    runtime.datasources.prom = families(['gotk_resource_info', 'gotk_reconcile_duration_seconds_count']);
    const health = await datasource({ prometheusUid: 'prom', labels: { name: 'object_name' } }).testDatasource();
    expect(health.status).toBe('error');
    expect(health.message).toContain(
      'has gotk_resource_info from kube-state-metrics, but no Flux object could be read'
    );
    expect(health.message).toContain('label mapping');
  });

  it('health: only reconcile counters (Flux >= 2.5 without a state metric)', async () => {
    runtime.datasources.prom = families(['gotk_reconcile_duration_seconds_count']);
    const health = await datasource({ prometheusUid: 'prom' }).testDatasource();
    expect(health.status).toBe('error');
    expect(health.message).toContain('Flux >= 2.5');
    expect(health.message).toContain('kube-state-metrics');
    expect(health.message).toContain('Flux Operator');
  });

  it("carries Prometheus' warnings as notices on FluxGrid's frames (Thanos/Mimir partial answers)", async () => {
    const warned = (frame: ReturnType<typeof info>) => ({
      ...frame,
      meta: { notices: [{ severity: 'warning' as const, text: 'partial response: store eu-1 down' }] },
    });
    runtime.datasources.prom = new FakePrometheus(() => ({
      data: [warned(info('a', 'True')), warned(info('b', 'False'))],
    }));
    const response = await lastValueFrom(
      datasource({ prometheusUid: 'prom' }).query(request([{ refId: 'A', queryType: 'summary' }]))
    );
    expect(response.errors).toBeUndefined();
    expect(response.data[0].meta?.notices).toEqual([
      {
        severity: 'warning',
        text: 'Prometheus "Prometheus" warned: partial response: store eu-1 down. What FluxGrid shows may be incomplete.',
      },
    ]);
  });

  it('gives up on a Prometheus that does not answer, naming it and the seconds waited', async () => {
    // Never answers: only the timeout can end the query.
    runtime.datasources.prom = new FakePrometheus(() => new Observable<DataQueryResponse>(() => {}));
    const ds = datasource({ prometheusUid: 'prom', timeoutSeconds: 0.05 });
    const response = await lastValueFrom(ds.query(request([{ refId: 'A', queryType: 'summary' }])));
    expect(response.errors).toEqual([
      {
        refId: 'A',
        message: expect.stringMatching(/^Prometheus "Prometheus" did not answer within 0\.05 s: /),
      },
    ]);
    expect((await ds.testDatasource()).message).toMatch(/^Prometheus "Prometheus" did not answer within 0\.05 s/);
  });

  it('health: asks its questions at once, not one after another', async () => {
    const pending: Array<() => void> = [];
    const healthy = families(
      ['gotk_resource_info'],
      [
        ['objects', 3],
        ['clusters', 1],
      ]
    );
    // Each answer is held until both questions have been asked.
    const prom = new FakePrometheus(
      (r) =>
        new Observable<DataQueryResponse>((subscriber) => {
          pending.push(() => {
            subscriber.next(healthy.answer(r) as DataQueryResponse);
            subscriber.complete();
          });
          if (pending.length === 2) {
            pending.forEach((release) => release());
          }
        })
    );
    runtime.datasources.prom = prom;
    const health = await datasource({ prometheusUid: 'prom', timeoutSeconds: 5 }).testDatasource();
    expect(health.status).toBe('success');
    expect(prom.requests).toHaveLength(2);
  });
});

describe('FluxDatasource.plannedQueries (the query editor shows them)', () => {
  afterEach(() => {
    runtime.datasources = {};
    runtime.templateSrv = new FakeTemplateSrv();
  });

  const range = request([]).range;
  const sentExprs = (prom: FakePrometheus) =>
    prom.requests.flatMap((r) => r.targets.map((t) => ('expr' in t ? String(t.expr) : ''))).sort();

  it.each(['objects', 'summary', 'reconcileDuration', 'stateHistory', 'stateChanges', 'rollout'] as const)(
    'are what running a %s query sends, without asking Prometheus',
    async (queryType) => {
      const prom = new FakePrometheus(() => ({ data: [] }));
      runtime.datasources.prom = prom;
      runtime.templateSrv = new FakeTemplateSrv([
        { name: 'ns', options: ['apps', 'infra'], current: ['apps', 'infra'] },
      ]);
      const ds = datasource({ prometheusUid: 'prom' });
      const query: FluxQuery = { refId: 'A', queryType, namespace: '$ns', state: 'Failed' };
      const planned = await ds.plannedQueries(query, range);
      expect(prom.requests).toHaveLength(0);
      const plannedExprs = planned.flatMap((q) => Object.values(q.exprs)).sort();
      expect(plannedExprs.length).toBeGreaterThan(0);
      expect(plannedExprs.join('\n')).toContain('apps|infra');

      await lastValueFrom(ds.query({ ...request([query]), range }));
      expect(plannedExprs).toEqual(sentExprs(prom));
    }
  );

  it('throw what running the query would', async () => {
    runtime.datasources.prom = new FakePrometheus(() => ({ data: [] }));
    const ds = datasource({ prometheusUid: 'prom' });
    await expect(ds.plannedQueries({ refId: 'A', state: 'Broken' }, range)).rejects.toThrow('Unknown state "Broken"');
    await expect(datasource({}).plannedQueries({ refId: 'A' }, range)).rejects.toThrow(/Prometheus/);
  });
});
