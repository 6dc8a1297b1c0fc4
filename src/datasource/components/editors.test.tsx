import { DataQueryResponse, DataSourceApi, dateTime, TestDataSourceResponse } from '@grafana/data';
import { setTemplateSrv } from '@grafana/runtime';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { FluxDatasource } from '../datasource';
import { StaticDataSourceSrv } from '../testing/dataSourceSrv';
import { createFluxDatasource } from '../testing/fluxDatasource';
import { prometheusInstanceSettings } from '../testing/prometheusSettings';
import { FakeTemplateSrv } from '../testing/templateSrv';
import { FluxQuery, FluxVariableQuery, QUERY_TYPES } from '../types';
import { optionsOf } from './FilterPicker';
import { filterEntries, filterFieldOf, narrowingOf, variableEntries } from './filterValues';
import { fillJsdomGaps } from './jsdomGaps';
import { QueryEditor } from './QueryEditor';
import { TEST_IDS } from './testIds';
import { NARROW_EDITOR_PX } from './useNarrow';
import { VariableQueryEditor, withTarget } from './VariableQueryEditor';

fillJsdomGaps();

/** The configured Prometheus: a dry run (the PromQL toggle) never asks it anything. */
class SilentPrometheus extends DataSourceApi {
  asked = 0;
  constructor() {
    super(prometheusInstanceSettings());
  }
  query(): Promise<DataQueryResponse> {
    this.asked++;
    return Promise.resolve({ data: [] });
  }
  async testDatasource(): Promise<TestDataSourceResponse> {
    return { status: 'success', message: '' };
  }
}

const templateSrv = new FakeTemplateSrv([
  { name: 'ns', options: ['apps', 'infra'], current: ['apps', 'infra'] },
  { name: 'cluster', options: ['eu', 'us'], current: 'eu' },
]);
setTemplateSrv(templateSrv);

let prometheus: SilentPrometheus;
let datasource: FluxDatasource;
beforeEach(() => {
  prometheus = new SilentPrometheus();
  datasource = createFluxDatasource(
    { prometheusUid: 'prom' },
    { templateSrv, dataSourceSrv: new StaticDataSourceSrv().add(prometheus) }
  );
});

const range = (() => {
  const from = dateTime(0);
  const to = dateTime(3_600_000);
  return { from, to, raw: { from, to } };
})();

/** jsdom lays nothing out: the editor's own width, as the browser would measure it. */
function editorWidth(px: number) {
  jest
    .spyOn(HTMLElement.prototype, 'getBoundingClientRect')
    .mockReturnValue({ x: 0, y: 0, top: 0, left: 0, width: px, height: 40, right: px, bottom: 40, toJSON: () => ({}) });
}
afterEach(() => jest.restoreAllMocks());

describe('filter fields and picker entries', () => {
  it('reads a saved field (one value, several, or none) and writes a selection back', () => {
    expect(filterEntries('apps')).toEqual(['apps']);
    expect(filterEntries(['apps', ' $ns ', '', 'apps'])).toEqual(['apps', '$ns']);
    expect(filterEntries(undefined)).toEqual([]);
    expect(filterFieldOf([])).toBeUndefined();
    expect(filterFieldOf(['apps'])).toBe('apps');
    expect(filterFieldOf(['apps', '$ns'])).toEqual(['apps', '$ns']);
  });

  it("offers the dashboard's variables first, then the values, both searched", () => {
    const variables = variableEntries(templateSrv);
    expect(variables).toEqual(['$ns', '$cluster']);
    expect(optionsOf(variables, ['apps', 'flux-system']).map((o) => o.value)).toEqual([
      '$ns',
      '$cluster',
      'apps',
      'flux-system',
    ]);
    expect(optionsOf(variables, ['apps', 'flux-system'], 'SYS').map((o) => o.value)).toEqual(['flux-system']);
    expect(optionsOf(variables, [], 'ns')[0]).toEqual({ value: '$ns', description: 'Dashboard variable' });
  });

  it('narrows what one picker offers by the other identity filters', () => {
    const query: FluxQuery = { refId: 'A', cluster: 'eu', kind: ['Kustomization', '$kind'], namespace: undefined };
    expect(narrowingOf(query, 'cluster')).toEqual({ kind: ['Kustomization', '$kind'] });
    expect(narrowingOf(query, 'kind')).toEqual({ cluster: 'eu' });
    expect(narrowingOf(query, 'namespace')).toEqual({ cluster: 'eu', kind: ['Kustomization', '$kind'] });
  });
});

describe('QueryEditor', () => {
  const setup = (query: FluxQuery) => {
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    const view = render(
      <QueryEditor datasource={datasource} query={query} onChange={onChange} onRunQuery={onRunQuery} range={range} />
    );
    return { onChange, onRunQuery, view };
  };

  it('switches query type with the radio row when wide, and runs the query', async () => {
    editorWidth(NARROW_EDITOR_PX + 200);
    const { onChange, onRunQuery } = setup({ refId: 'A' });
    expect(screen.getAllByRole('radio').length).toBeGreaterThanOrEqual(QUERY_TYPES.length);
    await userEvent.click(screen.getByText('State history'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'stateHistory' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('says why a picker offers nothing when Prometheus fails, and offers values once it answers', async () => {
    let answer: DataQueryResponse = {
      data: [],
      errors: [{ message: 'Post "http://prometheus:9090/api/v1/query": connection refused' }],
    };
    jest.spyOn(prometheus, 'query').mockImplementation(() => Promise.resolve(answer));
    setup({ refId: 'A' });
    await userEvent.click(screen.getByTestId(TEST_IDS.query.cluster));
    expect(await screen.findByText(/returned an error: .*connection refused/)).toBeInTheDocument();
    answer = { data: [] };
    await userEvent.click(document.body);
    await userEvent.click(screen.getByTestId(TEST_IDS.query.cluster));
    await waitFor(() => expect(screen.queryByText(/connection refused/)).not.toBeInTheDocument());
    // A picker opened twice through Grafana's Combobox: about a second alone, over jest's 5 s on a busy machine.
  }, 20_000);

  it('shows the query type as a select when narrow', () => {
    editorWidth(NARROW_EDITOR_PX - 100);
    setup({ refId: 'A', queryType: 'summary' });
    const select = screen.getByTestId(TEST_IDS.query.queryType);
    expect(select).toHaveAttribute('role', 'combobox');
    expect(select).toHaveValue('Summary');
    expect(screen.queryByText('State history')).not.toBeInTheDocument();
  });

  it('shows saved values and variables as chosen entries; removing one keeps the others', async () => {
    const { onChange, onRunQuery } = setup({ refId: 'A', namespace: ['apps', '$ns'], state: 'Failed' });
    await userEvent.click(screen.getByRole('button', { name: 'Remove apps' }));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', namespace: '$ns', state: 'Failed' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    await userEvent.click(screen.getByRole('button', { name: 'Remove Failed' }));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', namespace: ['apps', '$ns'], state: undefined });
  });

  it('takes a name regex and runs on blur', () => {
    const { onChange, onRunQuery } = setup({ refId: 'A', queryType: 'objects' });
    fireEvent.change(screen.getByTestId(TEST_IDS.query.name), { target: { value: 'pod.*' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'objects', name: 'pod.*' });
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.blur(screen.getByTestId(TEST_IDS.query.name));
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId(TEST_IDS.query.limit)).not.toBeInTheDocument();
  });

  it('has a limit for reconcile duration, cleared back to the default', () => {
    const { onChange } = setup({ refId: 'A', queryType: 'reconcileDuration', limit: 5 });
    fireEvent.change(screen.getByTestId(TEST_IDS.query.limit), { target: { value: '7' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'reconcileDuration', limit: 7 });
    fireEvent.change(screen.getByTestId(TEST_IDS.query.limit), { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'reconcileDuration', limit: undefined });
  });

  it('counts a summary by state or by kind', async () => {
    const { onChange } = setup({ refId: 'A', queryType: 'summary' });
    await userEvent.click(screen.getByText('Kind and state'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'summary', summaryBy: 'kind' });
  });

  it('shows the PromQL it will send, variables resolved, without asking Prometheus', async () => {
    setup({ refId: 'A', queryType: 'objects', namespace: '$ns', state: ['Failed', 'Progressing'] });
    expect(screen.queryByTestId(TEST_IDS.query.promql)).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId(TEST_IDS.query.promqlToggle));
    const promql = await screen.findByTestId(TEST_IDS.query.promql);
    const planned = (
      await datasource.plannedQueries({ refId: 'A', queryType: 'objects', namespace: '$ns' }, range)
    ).flatMap((ask) => Object.values(ask.exprs));
    await waitFor(() => expect(promql.querySelectorAll('pre')).toHaveLength(planned.length));
    expect(Array.from(promql.querySelectorAll('pre'), (pre) => pre.textContent)).toEqual(planned);
    expect(promql).toHaveTextContent('apps|infra');
    expect(prometheus.asked).toBe(0);
  });

  it('says why there is no PromQL for a query that cannot run', async () => {
    setup({ refId: 'A', state: 'Broken' });
    await userEvent.click(screen.getByTestId(TEST_IDS.query.promqlToggle));
    expect(await screen.findByTestId(TEST_IDS.query.promql)).toHaveTextContent('Unknown state "Broken"');
  });
});

describe('VariableQueryEditor', () => {
  it('chooses what to list and filters by the others; a new target drops its own filter', async () => {
    const onChange = jest.fn();
    const { rerender } = render(
      <VariableQueryEditor
        datasource={datasource}
        query={{ refId: 'V', target: 'names', kind: 'Kustomization', cluster: '$cluster' }}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />
    );
    for (const key of ['cluster', 'kind', 'namespace'] as const) {
      expect(screen.getByTestId(TEST_IDS.variable[key])).toBeInTheDocument();
    }
    await userEvent.click(screen.getByText('Kinds'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'V', target: 'kinds', cluster: '$cluster' });
    rerender(
      <VariableQueryEditor
        datasource={datasource}
        query={{ refId: 'V', target: 'kinds', cluster: '$cluster' }}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.queryByTestId(TEST_IDS.variable.kind)).not.toBeInTheDocument();
    expect(screen.getByText('$cluster')).toBeInTheDocument();
  });

  it('takes a name regex, for every target', () => {
    const onChange = jest.fn();
    render(
      <VariableQueryEditor
        datasource={datasource}
        query={{ refId: 'V', target: 'kinds', name: 'podinfo-.*' }}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />
    );
    const name = screen.getByTestId(TEST_IDS.variable.name);
    expect(name).toHaveValue('podinfo-.*');
    fireEvent.change(name, { target: { value: 'infra-.*' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'V', target: 'kinds', name: 'infra-.*' });
    fireEvent.change(name, { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'V', target: 'kinds', name: undefined });
  });

  it('reads a variable saved as text as the datasource does, and keeps its target on the first edit', () => {
    const onChange = jest.fn();
    const { rerender } = render(
      <VariableQueryEditor datasource={datasource} query={'kinds'} onChange={onChange} onRunQuery={jest.fn()} />
    );
    expect(screen.getByLabelText('Kinds')).toBeChecked();
    fireEvent.change(screen.getByTestId(TEST_IDS.variable.name), { target: { value: 'podinfo' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'variable', target: 'kinds', name: 'podinfo' });
    rerender(<VariableQueryEditor datasource={datasource} query={'pods'} onChange={onChange} onRunQuery={jest.fn()} />);
    expect(screen.getByText(/Unknown variable query "pods"/)).toBeInTheDocument();
  });

  it('keeps every other field when the target changes', () => {
    const query: FluxVariableQuery = { refId: 'V', target: 'names', cluster: 'eu', namespace: ['apps', '$ns'] };
    expect(withTarget(query, 'namespaces')).toEqual({ refId: 'V', target: 'namespaces', cluster: 'eu' });
    expect(withTarget(query, 'names')).toEqual(query);
  });
});
