import { DataSourceInstanceSettings, DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Field, FieldSet, Input, RadioButtonGroup } from '@grafana/ui';
import React, { ChangeEvent } from 'react';

import { FluxLabelMapping, SchemaSetting } from '../../flux';
import {
  FluxDataSourceOptions,
  LABEL_SETTINGS,
  labelSettingError,
  LabelSettingKey,
  labelSettingValue,
  SCHEMA_OPTIONS,
} from '../types';
import { TEST_IDS } from './testIds';

const LABEL_TEST_IDS: Record<LabelSettingKey, string> = {
  clusterLabel: TEST_IDS.config.clusterLabel,
  reasonLabel: TEST_IDS.config.reasonLabel,
  kind: TEST_IDS.config.kindLabel,
  namespace: TEST_IDS.config.namespaceLabel,
  name: TEST_IDS.config.nameLabel,
};

type Props = DataSourcePluginOptionsEditorProps<FluxDataSourceOptions>;

/**
 * Which Prometheus datasource to read (by uid: no URL or credentials of our own), which metric
 * schema, and which labels hold what when a setup differs from the defaults.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const jsonData = options.jsonData ?? {};
  const update = (patch: Partial<FluxDataSourceOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const setLabel = (key: LabelSettingKey, raw: string) => {
    const value = raw.trim() || undefined;
    if (key === 'clusterLabel' || key === 'reasonLabel') {
      update({ [key]: value });
    } else {
      const labels: FluxLabelMapping = { ...(jsonData.labels ?? {}), [key]: value };
      update({ labels });
    }
  };

  return (
    <>
      <FieldSet label="Prometheus">
        <Field
          label="Prometheus datasource"
          description="The Prometheus datasource that holds your Flux metrics. FluxGrid sends every query through it."
          required
          invalid={!jsonData.prometheusUid}
          error={!jsonData.prometheusUid ? 'Select a Prometheus datasource' : undefined}
        >
          <DataSourcePicker
            type="prometheus"
            current={jsonData.prometheusUid ?? null}
            noDefault
            width={40}
            onChange={(ds: DataSourceInstanceSettings) => update({ prometheusUid: ds.uid })}
          />
        </Field>
        <Field
          label="Metric schema"
          description="Auto reads kube-state-metrics (gotk_resource_info), Flux Operator (flux_resource_info) and the legacy gauges (gotk_reconcile_condition), the richest winning per object."
        >
          <RadioButtonGroup<SchemaSetting>
            options={SCHEMA_OPTIONS.map((o) => ({ value: o.value, label: o.label, description: o.description }))}
            value={jsonData.schema ?? 'auto'}
            onChange={(schema) => update({ schema })}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Labels">
        {LABEL_SETTINGS.map(({ key, label, description }) => {
          const value =
            (key === 'clusterLabel' || key === 'reasonLabel' ? jsonData[key] : jsonData.labels?.[key]) ?? '';
          // The value in effect (clusterLabel falls back to labels.cluster, as provisioned).
          const error = labelSettingError(labelSettingValue(jsonData, key));
          return (
            <Field key={key} label={label} description={description} invalid={Boolean(error)} error={error}>
              <Input
                data-testid={LABEL_TEST_IDS[key]}
                width={40}
                placeholder="auto"
                value={value}
                onChange={(e: ChangeEvent<HTMLInputElement>) => setLabel(key, e.currentTarget.value)}
              />
            </Field>
          );
        })}
      </FieldSet>
    </>
  );
}
