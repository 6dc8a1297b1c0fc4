import {
  DataQueryRequest,
  DataQueryResponse,
  DataSourceInstanceSettings,
  dateTime,
  FieldType,
  toDataFrame,
} from '@grafana/data';
import { lastValueFrom, of, throwError } from 'rxjs';

import { FluxDatasource } from './datasource';
import { FakeTemplateSrv } from './testing/templateSrv';
import { FluxDataSourceOptions, FluxQuery } from './types';

/** A Prometheus datasource that records what it is asked and answers from a function. */
class FakePrometheus {
  type = 'prometheus';
  uid = 'prom';
  name = 'Prometheus';
  requests: DataQueryRequest[] = [];
  constructor(public answer: (request: DataQueryRequest) => DataQueryResponse | Error) {}
  query(request: DataQueryRequest) {
    this.requests.push(request);
    const answer = this.answer(request);
    return answer instanceof Error ? throwError(() => answer) : of(answer);
  }
}

const mockRuntime: { datasources: Record<string, unknown>; templateSrv: FakeTemplateSrv } = {
  datasources: {},
  templateSrv: new FakeTemplateSrv(),
};
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({
    get: (uid: string) =>
      mockRuntime.datasources[uid]
        ? Promise.resolve(mockRuntime.datasources[uid])
        : Promise.reject({ message: `Datasource ${uid} was not found` }),
  }),
  getTemplateSrv: () => mockRuntime.templateSrv,
}));

function datasource(jsonData: FluxDataSourceOptions) {
  return new FluxDatasource({
    uid: 'fluxgrid',
    name: 'FluxGrid',
    type: 'fluxgrid-status-datasource',
    jsonData,
  } as unknown as DataSourceInstanceSettings<FluxDataSourceOptions>);
}

function request(targets: FluxQuery[]): DataQueryRequest<FluxQuery> {
  const to = dateTime(3_600_000);
  const from = dateTime(0);
  return {
    requestId: 'r',
    interval: '15s',
    intervalMs: 15000,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  };
}

const info = (name: string, ready: string) =>
  toDataFrame({
    refId: 'state',
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
const value = (refId: string, name: string, v: number) =>
  toDataFrame({
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: [3_600_000] },
      {
        name: 'Value',
        type: FieldType.number,
        values: [v],
        labels: { fluxgrid_kind: 'Kustomization', fluxgrid_namespace: 'apps', fluxgrid_name: name },
      },
    ],
  });

describe('FluxDatasource', () => {
  afterEach(() => {
    mockRuntime.datasources = {};
    mockRuntime.templateSrv = new FakeTemplateSrv();
  });

  it('rewrites every target to the Prometheus datasource and decodes Objects', async () => {
    const prom = new FakePrometheus(() => ({
      data: [
        info('a', 'True'),
        info('b', 'False'),
        value('since', 'b', 1800),
        value('lastReconcile', 'a', 3000),
        value('lastReconcile', 'b', 0),
      ],
    }));
    mockRuntime.datasources.prom = prom;
    const response = await lastValueFrom(
      datasource({ prometheusUid: 'prom' }).query(request([{ refId: 'A', queryType: 'objects' }]))
    );
    expect(prom.requests).toHaveLength(1);
    const targets = prom.requests[0].targets as unknown as Array<Record<string, unknown>>;
    expect(targets.map((t) => t.refId)).toEqual(['state', 'since', 'lastReconcile']);
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
    mockRuntime.datasources.prom = new FakePrometheus(() => ({ data: [info('a', 'True'), info('b', 'False')] }));
    mockRuntime.templateSrv = new FakeTemplateSrv([{ name: 's', options: ['Failed', 'Ready'], current: ['Failed'] }]);
    const response = await lastValueFrom(
      datasource({ prometheusUid: 'prom' }).query(request([{ refId: 'A', queryType: 'objects', state: '$s' }]))
    );
    expect(response.data[0].fields.find((f: { name: string }) => f.name === 'name').values).toEqual(['b']);
  });

  it('passes Prometheus errors on, per query', async () => {
    mockRuntime.datasources.prom = new FakePrometheus(() => ({
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
    mockRuntime.datasources.prom = new FakePrometheus(() =>
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
    mockRuntime.datasources.prom = prom;
    const response = await lastValueFrom(
      datasource({ prometheusUid: 'prom' }).query(request([{ refId: 'A', hide: true }]))
    );
    expect(response).toEqual({ data: [] });
    expect(prom.requests).toHaveLength(0);
  });

  it('reports a healthy Prometheus in Flux terms', async () => {
    mockRuntime.datasources.prom = new FakePrometheus((r) => {
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
      message: 'Prometheus OK — 128 Flux objects in 2 clusters (gotk_resource_info from kube-state-metrics)',
    });
  });

  it('says so when the forced schema is not the one Prometheus has', async () => {
    mockRuntime.datasources.prom = new FakePrometheus((r) => ({
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
});
