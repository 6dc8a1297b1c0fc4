import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { CollapsableSection, Combobox, ComboboxOption, Field, Input, RadioButtonGroup, useStyles2 } from '@grafana/ui';
import React, { ChangeEvent, useMemo, useState } from 'react';

import { CLUSTER_LABELS, FluxLabelMapping, KIND_LABELS, NAME_LABEL, NAMESPACE_LABELS, REASON_LABELS } from '../../flux';
import { DEFAULT_TIMEOUT_SECONDS } from '../prometheus';
import { FluxDataSourceOptions, LABEL_SETTINGS, labelSettingError, LabelSettingKey, labelSettingValue } from '../types';
import { TEST_IDS } from './testIds';
import { usePrometheusLabelNames } from './usePrometheusLabelNames';

const LABEL_TEST_IDS: Record<LabelSettingKey, string> = {
  clusterLabel: TEST_IDS.config.clusterLabel,
  reasonLabel: TEST_IDS.config.reasonLabel,
  kind: TEST_IDS.config.kindLabel,
  namespace: TEST_IDS.config.namespaceLabel,
  name: TEST_IDS.config.nameLabel,
};

/** What an empty override falls back to: the core's own lists, so the text cannot drift from them. */
const AUTO_DETECTED: Record<LabelSettingKey, readonly string[]> = {
  clusterLabel: CLUSTER_LABELS,
  reasonLabel: REASON_LABELS,
  kind: KIND_LABELS,
  namespace: NAMESPACE_LABELS,
  name: [NAME_LABEL],
};

export function autoDetectedText(key: LabelSettingKey): string {
  const labels = AUTO_DETECTED[key];
  return labels.length > 1 ? `Auto-detects the first present of ${labels.join(', ')}.` : `Auto-detects ${labels[0]}.`;
}

/** Where provisioning may set the cluster and reason labels instead (read when those are empty). */
const ALSO_IN_LABELS = { clusterLabel: 'cluster', reasonLabel: 'reason' } as const;

const RECORDING_RULES_OPTIONS = [
  { label: 'Auto', value: 'auto' as const },
  { label: 'Off', value: 'off' as const },
];

interface Props {
  jsonData: FluxDataSourceOptions;
  update: (patch: Partial<FluxDataSourceOptions>) => void;
}

/**
 * Settings most setups never touch, closed unless one is set (or wrong), as the Advanced
 * sections of Grafana's Prometheus and Loki settings. Label names come from the chosen Prometheus.
 */
export function AdvancedSettings({ jsonData, update }: Props) {
  const styles = useStyles2(getStyles);
  const anySet =
    jsonData.timeoutSeconds !== undefined ||
    jsonData.recordingRules === 'off' ||
    LABEL_SETTINGS.some(({ key }) => labelSettingValue(jsonData, key));
  const [open, setOpen] = useState(anySet);
  const labelNames = usePrometheusLabelNames(jsonData.prometheusUid, open);
  const nameOptions = useMemo<Array<ComboboxOption<string>>>(
    () => labelNames.names.map((value) => ({ value })),
    [labelNames.names]
  );

  const setLabel = (key: LabelSettingKey, raw: string | undefined) => {
    const value = raw?.trim() || undefined;
    if (key === 'clusterLabel' || key === 'reasonLabel') {
      // One setting in one place, so the field shows what runs: the labels.cluster or
      // labels.reason it was read from goes.
      const alias = ALSO_IN_LABELS[key];
      const patch: Partial<FluxDataSourceOptions> = { [key]: value };
      if (jsonData.labels?.[alias] !== undefined) {
        patch.labels = { ...jsonData.labels, [alias]: undefined };
      }
      update(patch);
    } else {
      const labels: FluxLabelMapping = { ...(jsonData.labels ?? {}), [key]: value };
      update({ labels });
    }
  };

  return (
    <CollapsableSection
      label={<span className={styles.heading}>Advanced</span>}
      isOpen={open}
      onToggle={setOpen}
      headerDataTestId={TEST_IDS.config.advanced}
    >
      <Field
        label="Query timeout"
        description={`Seconds to wait for each Prometheus answer. Default ${DEFAULT_TIMEOUT_SECONDS}.`}
      >
        <Input
          data-testid={TEST_IDS.config.timeout}
          type="number"
          min={1}
          width={12}
          placeholder={String(DEFAULT_TIMEOUT_SECONDS)}
          value={jsonData.timeoutSeconds ?? ''}
          onChange={(e: ChangeEvent<HTMLInputElement>) => {
            const seconds = Number(e.currentTarget.value);
            update({ timeoutSeconds: e.currentTarget.value !== '' && seconds > 0 ? seconds : undefined });
          }}
        />
      </Field>
      <Field
        label="Recording rules"
        description="Auto: read the Objects times from FluxGrid's recording rules (alerts/fluxgrid-recording-rules.yaml) where Prometheus evaluates them over the whole range. Off: always from the raw series."
      >
        <div data-testid={TEST_IDS.config.recordingRules}>
          <RadioButtonGroup<'auto' | 'off'>
            options={RECORDING_RULES_OPTIONS}
            value={jsonData.recordingRules ?? 'auto'}
            onChange={(value) => update({ recordingRules: value === 'off' ? 'off' : undefined })}
          />
        </div>
      </Field>
      <p className={styles.intro}>
        Label overrides, for metrics that name a label differently. Each applies to every metric schema; leave it empty
        to auto-detect.
      </p>
      {LABEL_SETTINGS.map(({ key, label }) => {
        // The value in effect (clusterLabel falls back to labels.cluster, as provisioned).
        const value = labelSettingValue(jsonData, key) ?? '';
        const error = labelSettingError(value);
        return (
          <Field key={key} label={label} description={autoDetectedText(key)} invalid={Boolean(error)} error={error}>
            <Combobox<string>
              data-testid={LABEL_TEST_IDS[key]}
              width={40}
              placeholder="auto"
              options={nameOptions}
              value={value || null}
              createCustomValue
              customValueDescription="Use this label name"
              isClearable
              loading={labelNames.loading}
              invalid={Boolean(error)}
              noOptionsMessage={labelNames.error ?? 'No label names found in Prometheus'}
              onChange={(option) => setLabel(key, option?.value)}
            />
          </Field>
        );
      })}
    </CollapsableSection>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  heading: css({ fontSize: theme.typography.h4.fontSize }),
  intro: css({ color: theme.colors.text.secondary, margin: theme.spacing(1, 0, 2) }),
});
