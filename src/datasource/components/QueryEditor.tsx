import { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, RadioButtonGroup } from '@grafana/ui';
import React, { ChangeEvent } from 'react';

import type { FluxDatasource } from '../datasource';
import { DEFAULT_LIMIT, FluxDataSourceOptions, FluxQuery, FluxQueryType, QUERY_TYPES } from '../types';
import { TEST_IDS } from './testIds';

type Props = QueryEditorProps<FluxDatasource, FluxQuery, FluxDataSourceOptions>;

type TextKey = 'cluster' | 'kind' | 'namespace' | 'name' | 'state';

const FILTERS: ReadonlyArray<{ key: TextKey; label: string; tooltip: string; placeholder: string }> = [
  {
    key: 'cluster',
    label: 'Cluster',
    tooltip: 'Exact cluster label value, or a variable ($cluster; multi-value and All work)',
    placeholder: 'any',
  },
  {
    key: 'kind',
    label: 'Kind',
    tooltip: 'Exact kind (Kustomization, HelmRelease, GitRepository, …) or a variable',
    placeholder: 'any',
  },
  {
    key: 'namespace',
    label: 'Namespace',
    tooltip: "The object's own namespace (exact), or a variable",
    placeholder: 'any',
  },
  {
    key: 'name',
    label: 'Name',
    tooltip: 'A regex over the object name (anchored); variable values in it match literally',
    placeholder: '.*',
  },
  {
    key: 'state',
    label: 'State',
    tooltip: 'Failed, Progressing, Unknown, Suspended or Ready, or a variable of them',
    placeholder: 'any',
  },
];

/**
 * Questions in Flux's terms: which objects (filters accept $variables), and what about them.
 * Text fields update the query as you type and run it when you leave the field.
 */
export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const queryType = query.queryType ?? 'objects';
  const text = (key: TextKey) => (e: ChangeEvent<HTMLInputElement>) =>
    onChange({ ...query, [key]: e.currentTarget.value });

  return (
    <>
      <InlineFieldRow>
        <InlineField
          label="Query"
          labelWidth={12}
          tooltip={QUERY_TYPES.find((t) => t.value === queryType)?.description}
        >
          <RadioButtonGroup<FluxQueryType>
            options={QUERY_TYPES.map((t) => ({ value: t.value, label: t.label, description: t.description }))}
            value={queryType}
            onChange={(value) => {
              onChange({ ...query, queryType: value });
              onRunQuery();
            }}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        {FILTERS.map((f) => (
          <InlineField
            key={f.key}
            label={f.label}
            labelWidth={f.key === 'cluster' ? 12 : undefined}
            tooltip={f.tooltip}
          >
            <Input
              data-testid={TEST_IDS.query[f.key]}
              width={f.key === 'name' ? 24 : 18}
              placeholder={f.placeholder}
              value={query[f.key] ?? ''}
              onChange={text(f.key)}
              onBlur={onRunQuery}
            />
          </InlineField>
        ))}
      </InlineFieldRow>
      {queryType === 'reconcileDuration' && (
        <InlineFieldRow>
          <InlineField label="Limit" labelWidth={12} tooltip="How many of the slowest objects (by p95) to show">
            <Input
              data-testid={TEST_IDS.query.limit}
              type="number"
              min={1}
              width={12}
              placeholder={String(DEFAULT_LIMIT)}
              value={query.limit ?? ''}
              onChange={(e: ChangeEvent<HTMLInputElement>) => {
                const limit = parseInt(e.currentTarget.value, 10);
                onChange({ ...query, limit: Number.isFinite(limit) && limit > 0 ? limit : undefined });
              }}
              onBlur={onRunQuery}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {queryType === 'summary' && (
        <InlineFieldRow>
          <InlineField label="Count by" labelWidth={12} tooltip="One row of counts per state, or one row per kind">
            <RadioButtonGroup<'state' | 'kind'>
              options={[
                { value: 'state', label: 'State' },
                { value: 'kind', label: 'Kind and state' },
              ]}
              value={query.summaryBy ?? 'state'}
              onChange={(summaryBy) => {
                onChange({ ...query, summaryBy });
                onRunQuery();
              }}
            />
          </InlineField>
        </InlineFieldRow>
      )}
    </>
  );
}
