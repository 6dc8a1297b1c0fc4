import { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, RadioButtonGroup } from '@grafana/ui';
import React, { ChangeEvent } from 'react';

import type { FluxDatasource } from '../datasource';
import { FluxDataSourceOptions, FluxQuery, FluxVariableQuery, FluxVariableTarget } from '../types';
import { TEST_IDS } from './testIds';

type Props = QueryEditorProps<FluxDatasource, FluxQuery, FluxDataSourceOptions, FluxVariableQuery>;

const TARGETS: ReadonlyArray<{ value: FluxVariableTarget; label: string }> = [
  { value: 'clusters', label: 'Clusters' },
  { value: 'kinds', label: 'Kinds' },
  { value: 'namespaces', label: 'Namespaces' },
  { value: 'names', label: 'Names' },
];

type FilterKey = 'cluster' | 'kind' | 'namespace';

/** Values of one identity label; the other filters (which take $variables) narrow them down. */
export function VariableQueryEditor({ query, onChange }: Props) {
  const q: FluxVariableQuery = { ...query, refId: query?.refId ?? 'variable', target: query?.target ?? 'names' };
  const filters: FilterKey[] = (['cluster', 'kind', 'namespace'] as FilterKey[]).filter((k) => `${k}s` !== q.target);
  const text = (key: FilterKey) => (e: ChangeEvent<HTMLInputElement>) =>
    onChange({ ...q, [key]: e.currentTarget.value });
  return (
    <>
      <InlineFieldRow>
        <InlineField label="Values of" labelWidth={14}>
          <RadioButtonGroup<FluxVariableTarget>
            options={[...TARGETS]}
            value={q.target}
            onChange={(target) => onChange({ ...q, target })}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        {filters.map((key) => (
          <InlineField
            key={key}
            label={key[0].toUpperCase() + key.slice(1)}
            labelWidth={key === filters[0] ? 14 : undefined}
          >
            <Input
              data-testid={TEST_IDS.variable[key]}
              width={18}
              placeholder="any"
              value={q[key] ?? ''}
              onChange={text(key)}
            />
          </InlineField>
        ))}
      </InlineFieldRow>
    </>
  );
}
