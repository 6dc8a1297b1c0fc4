import { DataSourceInstanceSettings, DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Field, FieldSet, RadioButtonGroup } from '@grafana/ui';
import React, { useEffect, useState } from 'react';

import { SchemaSetting } from '../../flux';
import { FluxDataSourceOptions, SCHEMA_OPTIONS } from '../types';
import { AdvancedSettings } from './AdvancedSettings';
import { TEST_IDS } from './testIds';

type Props = DataSourcePluginOptionsEditorProps<FluxDataSourceOptions>;

export const MISSING_PROMETHEUS = 'Select a Prometheus datasource';

/**
 * Which Prometheus datasource to read (by uid: no URL or credentials of our own) and which metric
 * schema; the rarely needed settings (timeout, label overrides, all auto-detected) under Advanced.
 */
export function ConfigEditor({ options, onOptionsChange, validation }: Props) {
  const jsonData = options.jsonData ?? {};
  const update = (patch: Partial<FluxDataSourceOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });

  // A missing Prometheus is an error only once the user has tried Save & test, not on a new,
  // empty form: Grafana 13 runs the validators registered here on Save & test; older Grafana
  // saves first, which raises the settings' version above the 1 of a datasource never saved.
  const [tried, setTried] = useState(false);
  const prometheusUid = jsonData.prometheusUid;
  useEffect(
    () =>
      validation?.registerValidation(() => {
        setTried(true);
        if (!prometheusUid) {
          validation.setError('prometheusUid', MISSING_PROMETHEUS);
          return false;
        }
        validation.clearError('prometheusUid');
        return true;
      }),
    [validation, prometheusUid]
  );
  const missing = !jsonData.prometheusUid && (tried || (options.version ?? 1) > 1);

  return (
    <>
      <FieldSet label="Prometheus">
        <Field
          label="Prometheus datasource"
          description="The Prometheus datasource that holds your Flux metrics. FluxGrid sends every query through it."
          required
          invalid={missing}
          error={missing ? MISSING_PROMETHEUS : undefined}
          data-testid={TEST_IDS.config.prometheus}
        >
          <DataSourcePicker
            type="prometheus"
            current={jsonData.prometheusUid ?? null}
            noDefault
            width={40}
            invalid={missing}
            onChange={(ds: DataSourceInstanceSettings) => {
              validation?.clearError('prometheusUid');
              update({ prometheusUid: ds.uid });
            }}
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
      <AdvancedSettings jsonData={jsonData} update={update} />
    </>
  );
}
