import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import type { FluxDatasource } from '../datasource';
import { FluxQuery, FluxVariableQuery } from '../types';
import { QueryEditor } from './QueryEditor';
import { TEST_IDS } from './testIds';
import { VariableQueryEditor } from './VariableQueryEditor';

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
