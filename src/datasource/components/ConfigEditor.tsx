import { DataSourceInstanceSettings, DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Field, FieldSet, Input, RadioButtonGroup } from '@grafana/ui';
import React, { ChangeEvent } from 'react';

import { SchemaSetting } from '../../flux/promql';
import { FluxLabelMapping } from '../../flux/types';
import { FluxDataSourceOptions, SCHEMA_OPTIONS } from '../types';
import { TEST_IDS } from './testIds';

type Props = DataSourcePluginOptionsEditorProps<FluxDataSourceOptions>;

/**
 * Which Prometheus datasource to read (by uid: no URL or credentials of our own), which metric
 * schema, and which labels hold what when a setup differs from the defaults.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const jsonData = options.jsonData ?? {};
  const update = (patch: Partial<FluxDataSourceOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const text = (key: 'clusterLabel' | 'reasonLabel') => (e: ChangeEvent<HTMLInputElement>) =>
    update({ [key]: e.currentTarget.value.trim() || undefined });
  const mapping = (key: keyof FluxLabelMapping) => (e: ChangeEvent<HTMLInputElement>) => {
    const labels: FluxLabelMapping = { ...(jsonData.labels ?? {}), [key]: e.currentTarget.value.trim() || undefined };
    update({ labels });
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
        <Field
          label="Cluster label"
          description="Multi-cluster setups (Thanos, Mimir, Grafana Cloud). Empty: the first present of cluster, k8s_cluster, cluster_name, kubernetes_cluster."
        >
          <Input
            data-testid={TEST_IDS.config.clusterLabel}
            width={40}
            placeholder="auto"
            value={jsonData.clusterLabel ?? ''}
            onChange={text('clusterLabel')}
          />
        </Field>
        <Field
          label="Reason label"
          description="The Ready condition's reason. Empty: reason (Flux Operator), then ready_reason (a common kube-state-metrics addition)."
        >
          <Input
            data-testid={TEST_IDS.config.reasonLabel}
            width={40}
            placeholder="auto"
            value={jsonData.reasonLabel ?? ''}
            onChange={text('reasonLabel')}
          />
        </Field>
        <Field
          label="Kind label"
          description="For custom kube-state-metrics configs. Empty: customresource_kind, then kind."
        >
          <Input
            data-testid={TEST_IDS.config.kindLabel}
            width={40}
            placeholder="auto"
            value={jsonData.labels?.kind ?? ''}
            onChange={mapping('kind')}
          />
        </Field>
        <Field
          label="Namespace label"
          description="Empty: exported_namespace when present (scraped through a ServiceMonitor), else namespace."
        >
          <Input
            data-testid={TEST_IDS.config.namespaceLabel}
            width={40}
            placeholder="auto"
            value={jsonData.labels?.namespace ?? ''}
            onChange={mapping('namespace')}
          />
        </Field>
        <Field label="Name label" description="Empty: name.">
          <Input
            data-testid={TEST_IDS.config.nameLabel}
            width={40}
            placeholder="auto"
            value={jsonData.labels?.name ?? ''}
            onChange={mapping('name')}
          />
        </Field>
      </FieldSet>
    </>
  );
}
