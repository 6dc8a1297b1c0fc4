import { QueryEditorProps } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { InlineField, InlineFieldRow, Input, RadioButtonGroup } from '@grafana/ui';
import React, { ChangeEvent, useMemo } from 'react';

import { VARIABLE_TARGETS, VariableTarget } from '../../flux';
import { FluxDataSourceOptions, FluxDatasourceApi, FluxQuery, FluxVariableQuery } from '../types';
import { LABEL_WIDTH, PICKER_WIDTH } from './FilterPicker';
import { IDENTITY_FILTERS, variableEntries } from './filterValues';
import { IdentityPickers } from './IdentityPickers';
import { TEST_IDS } from './testIds';

type Props = QueryEditorProps<FluxDatasourceApi, FluxQuery, FluxDataSourceOptions, FluxVariableQuery>;

const TARGET_LABELS: Record<VariableTarget, string> = {
  clusters: 'Clusters',
  kinds: 'Kinds',
  namespaces: 'Namespaces',
  names: 'Names',
};

/**
 * Values of one identity label; the other filters narrow them down, with the query editor's
 * pickers (values offered from the same variable queries, $variables allowed, so variables chain)
 * and its name regex.
 */
export function VariableQueryEditor({ datasource, query, onChange, range }: Props) {
  const q: FluxVariableQuery = { ...query, refId: query?.refId ?? 'variable', target: query?.target ?? 'names' };
  const variables = useMemo(() => variableEntries(getTemplateSrv()), []);
  return (
    <>
      <InlineFieldRow>
        <InlineField label="Values of" labelWidth={LABEL_WIDTH} tooltip="Which identity label the variable lists">
          <RadioButtonGroup<VariableTarget>
            data-testid={TEST_IDS.variable.target}
            options={VARIABLE_TARGETS.map((value) => ({ value, label: TARGET_LABELS[value] }))}
            value={q.target}
            onChange={(target) => onChange(withTarget(q, target))}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        {/* Listing kinds: no kind filter (it would only list itself). */}
        <IdentityPickers
          datasource={datasource}
          query={q}
          keys={IDENTITY_FILTERS.filter((f) => f.target !== q.target).map((f) => f.key)}
          testIds={TEST_IDS.variable}
          variables={variables}
          range={range}
          onChange={(key, field) => onChange({ ...q, [key]: field })}
        />
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField
          label="Name"
          labelWidth={LABEL_WIDTH}
          tooltip="Only objects whose name matches this regex (anchored); variable values in it match literally"
        >
          <Input
            data-testid={TEST_IDS.variable.name}
            width={PICKER_WIDTH}
            placeholder=".*"
            value={q.name ?? ''}
            onChange={(e: ChangeEvent<HTMLInputElement>) =>
              onChange({ ...q, name: e.currentTarget.value || undefined })
            }
          />
        </InlineField>
      </InlineFieldRow>
    </>
  );
}

/** A new target drops its own filter, which the variable would no longer show (nor use). */
export function withTarget(query: FluxVariableQuery, target: VariableTarget): FluxVariableQuery {
  const next: FluxVariableQuery = { ...query, target };
  for (const f of IDENTITY_FILTERS) {
    if (f.target === target) {
      delete next[f.key];
    }
  }
  return next;
}
