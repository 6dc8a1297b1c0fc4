import { QueryEditorProps } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { Combobox, InlineField, InlineFieldRow, InlineSwitch, Input, RadioButtonGroup } from '@grafana/ui';
import React, { ChangeEvent, useMemo, useState } from 'react';

import { FLUX_STATES } from '../../flux';
import {
  DEFAULT_LIMIT,
  FluxDataSourceOptions,
  FluxDatasourceApi,
  FluxQuery,
  FluxQueryType,
  QUERY_TYPES,
} from '../types';
import { FilterPicker, LABEL_WIDTH, PICKER_WIDTH } from './FilterPicker';
import { filterEntries, filterFieldOf, variableEntries } from './filterValues';
import { IdentityPickers } from './IdentityPickers';
import { PlannedPromQL } from './PlannedPromQL';
import { TEST_IDS } from './testIds';
import { useNarrow } from './useNarrow';

type Props = QueryEditorProps<FluxDatasourceApi, FluxQuery, FluxDataSourceOptions>;

/**
 * Questions in Flux's terms: which objects and what about them. Cluster, kind and namespace
 * offer the values the datasource's own variable queries list (narrowed by the other two), state
 * offers the core's states, all of them the dashboard's variables too. Choices run the query;
 * typed text runs it when the field is left.
 */
export function QueryEditor({ datasource, query, onChange, onRunQuery, range }: Props) {
  const { ref, narrow } = useNarrow<HTMLDivElement>();
  const [showPromQL, setShowPromQL] = useState(false);
  const queryType = query.queryType ?? 'objects';
  const variables = useMemo(() => variableEntries(getTemplateSrv()), []);
  const change = (patch: Partial<FluxQuery>, run: boolean) => {
    onChange({ ...query, ...patch });
    if (run) {
      onRunQuery();
    }
  };
  const typeOptions = QUERY_TYPES.map((t) => ({ value: t.value, label: t.label, description: t.description }));

  return (
    <div ref={ref}>
      <InlineFieldRow>
        <InlineField
          label="Query"
          labelWidth={LABEL_WIDTH}
          tooltip={QUERY_TYPES.find((t) => t.value === queryType)?.description}
        >
          {narrow ? (
            <Combobox<FluxQueryType>
              data-testid={TEST_IDS.query.queryType}
              width={PICKER_WIDTH}
              options={typeOptions}
              value={queryType}
              onChange={(option) => change({ queryType: option.value }, true)}
            />
          ) : (
            <RadioButtonGroup<FluxQueryType>
              data-testid={TEST_IDS.query.queryType}
              options={typeOptions}
              value={queryType}
              onChange={(value) => change({ queryType: value }, true)}
            />
          )}
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <IdentityPickers
          datasource={datasource}
          query={query}
          testIds={TEST_IDS.query}
          variables={variables}
          range={range}
          onChange={(key, field) => change({ [key]: field }, true)}
        />
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField
          label="Name"
          labelWidth={LABEL_WIDTH}
          tooltip="A regex over the object name (anchored); variable values in it match literally"
        >
          <Input
            data-testid={TEST_IDS.query.name}
            width={PICKER_WIDTH}
            placeholder=".*"
            value={query.name ?? ''}
            onChange={(e: ChangeEvent<HTMLInputElement>) => change({ name: e.currentTarget.value }, false)}
            onBlur={onRunQuery}
          />
        </InlineField>
        <FilterPicker
          label="State"
          tooltip="Objects in any of these states; empty for every state"
          testId={TEST_IDS.query.state}
          entries={filterEntries(query.state)}
          variables={variables}
          loadKey="states"
          load={() => Promise.resolve([...FLUX_STATES])}
          onChange={(entries) => change({ state: filterFieldOf(entries) }, true)}
        />
      </InlineFieldRow>
      {queryType === 'reconcileDuration' && (
        <InlineFieldRow>
          <InlineField
            label="Limit"
            labelWidth={LABEL_WIDTH}
            tooltip="How many of the slowest objects (by p95) to show"
          >
            <Input
              data-testid={TEST_IDS.query.limit}
              type="number"
              min={1}
              width={12}
              placeholder={String(DEFAULT_LIMIT)}
              value={query.limit ?? ''}
              onChange={(e: ChangeEvent<HTMLInputElement>) => {
                const limit = parseInt(e.currentTarget.value, 10);
                change({ limit: Number.isFinite(limit) && limit > 0 ? limit : undefined }, false);
              }}
              onBlur={onRunQuery}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {queryType === 'summary' && (
        <InlineFieldRow>
          <InlineField
            label="Count by"
            labelWidth={LABEL_WIDTH}
            tooltip="One row of counts per state, or one row per kind"
          >
            <RadioButtonGroup<'state' | 'kind'>
              options={[
                { value: 'state', label: 'State' },
                { value: 'kind', label: 'Kind and state' },
              ]}
              value={query.summaryBy ?? 'state'}
              onChange={(summaryBy) => change({ summaryBy }, true)}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      <InlineFieldRow>
        <InlineField
          label="PromQL"
          labelWidth={LABEL_WIDTH}
          tooltip="Show the PromQL FluxGrid sends to Prometheus for this query, variables resolved"
        >
          <InlineSwitch
            data-testid={TEST_IDS.query.promqlToggle}
            value={showPromQL}
            onChange={(e: React.FormEvent<HTMLInputElement>) => setShowPromQL(e.currentTarget.checked)}
          />
        </InlineField>
      </InlineFieldRow>
      {showPromQL && <PlannedPromQL datasource={datasource} query={query} range={range} />}
    </div>
  );
}
