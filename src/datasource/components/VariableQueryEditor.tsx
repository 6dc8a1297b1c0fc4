import { QueryEditorProps } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { Alert, InlineField, InlineFieldRow, Input, RadioButtonGroup } from '@grafana/ui';
import React, { ChangeEvent, useMemo } from 'react';

import { VARIABLE_TARGETS, VariableTarget } from '../../flux';
import { errorMessage } from '../prometheus';
import { FluxDataSourceOptions, FluxDatasourceApi, FluxQuery, FluxVariableQuery } from '../types';
import { variableQueryOf } from '../variableQuery';
import { LABEL_WIDTH, PICKER_WIDTH } from './FilterPicker';
import { IDENTITY_FILTERS, variableEntries } from './filterValues';
import { IdentityPickers } from './IdentityPickers';
import { TEST_IDS } from './testIds';

/** Grafana hands the variable's query as saved: an object, or text (`kinds`, '' for a new variable). */
type Props = Omit<QueryEditorProps<FluxDatasourceApi, FluxQuery, FluxDataSourceOptions, FluxVariableQuery>, 'query'> & {
  query: FluxVariableQuery | string;
};

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
  // Read as the datasource reads it; unknown text is named, and the first edit replaces it.
  const [saved, error] = readQuery(query);
  const q: FluxVariableQuery = { ...saved, refId: saved.refId ?? 'variable', target: saved.target ?? 'names' };
  const variables = useMemo(() => variableEntries(getTemplateSrv()), []);
  return (
    <>
      {error && <Alert severity="error" title={error} />}
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

function readQuery(query: FluxVariableQuery | string): [Partial<FluxVariableQuery>, string?] {
  try {
    return [variableQueryOf(query)];
  } catch (error) {
    return [{}, errorMessage(error)];
  }
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
