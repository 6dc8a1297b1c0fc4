import { DataSourceSettings } from '@grafana/data';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import type { FluxDatasource } from '../datasource';
import { FluxDataSourceOptions, FluxQuery, FluxVariableQuery } from '../types';
import { ConfigEditor } from './ConfigEditor';
import { QueryEditor } from './QueryEditor';
import { TEST_IDS } from './testIds';
import { VariableQueryEditor } from './VariableQueryEditor';

// Grafana's picker needs a running Grafana; a button per Prometheus datasource is enough here.
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  DataSourcePicker: (props: {
    type?: string;
    current?: string | null;
    onChange: (ds: { uid: string; type: string }) => void;
  }) => (
    <div>
      <span data-testid="picker-type">{props.type}</span>
      <span data-testid="picker-current">{props.current ?? ''}</span>
      <button onClick={() => props.onChange({ uid: 'prom-eu', type: 'prometheus' })}>Prometheus EU</button>
    </div>
  ),
}));

function settings(jsonData: FluxDataSourceOptions): DataSourceSettings<FluxDataSourceOptions> {
  return {
    id: 1,
    uid: 'fluxgrid',
    name: 'FluxGrid',
    type: 'fluxgrid-status-datasource',
    jsonData,
  } as unknown as DataSourceSettings<FluxDataSourceOptions>;
}

describe('ConfigEditor', () => {
  it('picks a Prometheus datasource by uid', async () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={settings({})} onOptionsChange={onOptionsChange} />);
    expect(screen.getByTestId('picker-type')).toHaveTextContent('prometheus');
    expect(screen.getByText('Select a Prometheus datasource')).toBeInTheDocument();
    await userEvent.click(screen.getByText('Prometheus EU'));
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { prometheusUid: 'prom-eu' } })
    );
  });

  it('shows the configured uid and forces a schema', async () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={settings({ prometheusUid: 'prom-eu' })} onOptionsChange={onOptionsChange} />);
    expect(screen.getByTestId('picker-current')).toHaveTextContent('prom-eu');
    await userEvent.click(screen.getByText('Flux Operator'));
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { prometheusUid: 'prom-eu', schema: 'flux-operator' } })
    );
  });

  it('sets the cluster and reason labels and the label mapping', () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor
        options={settings({ prometheusUid: 'p', labels: { kind: 'k' } })}
        onOptionsChange={onOptionsChange}
      />
    );
    fireEvent.change(screen.getByTestId(TEST_IDS.config.clusterLabel), { target: { value: 'k8s_cluster' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { prometheusUid: 'p', labels: { kind: 'k' }, clusterLabel: 'k8s_cluster' } })
    );
    fireEvent.change(screen.getByTestId(TEST_IDS.config.reasonLabel), { target: { value: 'ready_reason' } });
    expect(onOptionsChange.mock.lastCall[0].jsonData.reasonLabel).toBe('ready_reason');
    fireEvent.change(screen.getByTestId(TEST_IDS.config.namespaceLabel), { target: { value: 'object_namespace' } });
    expect(onOptionsChange.mock.lastCall[0].jsonData.labels).toEqual({ kind: 'k', namespace: 'object_namespace' });
    fireEvent.change(screen.getByTestId(TEST_IDS.config.kindLabel), { target: { value: ' ' } });
    expect(onOptionsChange.mock.lastCall[0].jsonData.labels).toEqual({ kind: undefined });
  });

  it('marks a label setting that is not a Prometheus label name', () => {
    render(
      <ConfigEditor
        options={settings({ prometheusUid: 'p', clusterLabel: 'ok_label', labels: { kind: 'resource kind' } })}
        onOptionsChange={jest.fn()}
      />
    );
    expect(screen.getByText(/"resource kind" is not a Prometheus label name/)).toBeInTheDocument();
    expect(screen.getAllByText(/is not a Prometheus label name/)).toHaveLength(1);
  });
});

describe('QueryEditor', () => {
  const datasource = {} as FluxDatasource;
  const setup = (query: FluxQuery) => {
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    render(<QueryEditor datasource={datasource} query={query} onChange={onChange} onRunQuery={onRunQuery} />);
    return { onChange, onRunQuery };
  };

  it('switches query type and runs the query', async () => {
    const { onChange, onRunQuery } = setup({ refId: 'A' });
    await userEvent.click(screen.getByText('State history'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'stateHistory' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('takes filters with $variables and runs on blur', () => {
    const { onChange, onRunQuery } = setup({ refId: 'A', queryType: 'objects' });
    fireEvent.change(screen.getByTestId(TEST_IDS.query.namespace), { target: { value: '$namespace' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'objects', namespace: '$namespace' });
    fireEvent.change(screen.getByTestId(TEST_IDS.query.name), { target: { value: 'pod.*' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'objects', name: 'pod.*' });
    fireEvent.blur(screen.getByTestId(TEST_IDS.query.name));
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId(TEST_IDS.query.limit)).not.toBeInTheDocument();
  });

  it('has a limit for reconcile duration', () => {
    const { onChange } = setup({ refId: 'A', queryType: 'reconcileDuration' });
    fireEvent.change(screen.getByTestId(TEST_IDS.query.limit), { target: { value: '5' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'reconcileDuration', limit: 5 });
  });

  it('clears the limit back to the default', () => {
    const { onChange } = setup({ refId: 'A', queryType: 'reconcileDuration', limit: 5 });
    fireEvent.change(screen.getByTestId(TEST_IDS.query.limit), { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'reconcileDuration', limit: undefined });
  });

  it('counts a summary by state or by kind', async () => {
    const { onChange } = setup({ refId: 'A', queryType: 'summary' });
    await userEvent.click(screen.getByText('Kind and state'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'summary', summaryBy: 'kind' });
  });
});

describe('VariableQueryEditor', () => {
  it('chooses what to list and filters by the others', async () => {
    const onChange = jest.fn();
    const datasource = {} as FluxDatasource;
    const { rerender } = render(
      <VariableQueryEditor
        datasource={datasource}
        query={{ refId: 'V', target: 'names' } as FluxVariableQuery}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />
    );
    fireEvent.change(screen.getByTestId(TEST_IDS.variable.kind), { target: { value: '$kind' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'V', target: 'names', kind: '$kind' });
    await userEvent.click(screen.getByText('Kinds'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'V', target: 'kinds' });
    rerender(
      <VariableQueryEditor
        datasource={datasource}
        query={{ refId: 'V', target: 'kinds' } as FluxVariableQuery}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />
    );
    // Listing kinds: no kind filter.
    expect(screen.queryByTestId(TEST_IDS.variable.kind)).not.toBeInTheDocument();
    expect(screen.getByTestId(TEST_IDS.variable.cluster)).toBeInTheDocument();
  });
});
