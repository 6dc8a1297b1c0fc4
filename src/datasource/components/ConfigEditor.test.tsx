import {
  DataQueryResponse,
  DataSourceApi,
  DataSourceConfigValidationAPI,
  DataSourceInstanceSettings,
  DataSourceSettings,
  MetricFindValue,
} from '@grafana/data';
import { setDataSourceSrv } from '@grafana/runtime';
import { act, fireEvent, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';

import { StaticDataSourceSrv } from '../testing/dataSourceSrv';
import { prometheusInstanceSettings } from '../testing/prometheusSettings';
import { FluxDataSourceOptions, labelMappingOf } from '../types';
import { autoDetectedText } from './AdvancedSettings';
import { ConfigEditor, MISSING_PROMETHEUS } from './ConfigEditor';
import { fillJsdomGaps } from './jsdomGaps';
import { TEST_IDS } from './testIds';
import { usePrometheusLabelNames } from './usePrometheusLabelNames';

fillJsdomGaps();

/**
 * A datasource that knows label names, as Prometheus' label names resource answers them (the
 * browser tests read a real Prometheus through Grafana's PrometheusDatasource).
 */
class LabelNamesDatasource extends DataSourceApi {
  asked = 0;
  constructor(
    uid: string,
    private readonly names: string[]
  ) {
    super(settingsOf(uid));
  }
  query(): Promise<DataQueryResponse> {
    return Promise.resolve({ data: [] });
  }
  testDatasource() {
    return Promise.resolve({ status: 'success', message: '' });
  }
  async getTagKeys(): Promise<MetricFindValue[]> {
    this.asked++;
    return this.names.map((text) => ({ text }));
  }
}

function settingsOf(uid: string): DataSourceInstanceSettings {
  return prometheusInstanceSettings({ uid, name: `Prometheus ${uid}` });
}

/** What Grafana 13's datasource settings page hands the editor: validators run on Save & test. */
class Validation implements DataSourceConfigValidationAPI {
  private validators = new Set<() => Promise<boolean> | boolean>();
  private errors: Record<string, string> = {};
  registerValidation(validator: () => Promise<boolean> | boolean) {
    this.validators.add(validator);
    return () => this.validators.delete(validator) && undefined;
  }
  async validate() {
    const results = await Promise.all(Array.from(this.validators, (v) => v()));
    return results.every(Boolean);
  }
  isValid() {
    return Object.keys(this.errors).length === 0;
  }
  getErrors() {
    return { ...this.errors };
  }
  setError(field: string, message: string) {
    this.errors[field] = message;
  }
  clearError(field: string) {
    delete this.errors[field];
  }
}

function settings(jsonData: FluxDataSourceOptions, version = 1): DataSourceSettings<FluxDataSourceOptions> {
  return {
    id: 2,
    uid: 'fluxgrid',
    orgId: 1,
    name: 'FluxGrid',
    type: 'fluxgrid-status-datasource',
    typeName: 'FluxGrid',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData,
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
    version,
  };
}

/** The editor with its settings kept as Grafana's page keeps them; every change recorded. */
function Editor(props: {
  initial: DataSourceSettings<FluxDataSourceOptions>;
  validation?: Validation;
  changes: unknown[];
}) {
  const [options, setOptions] = useState(props.initial);
  return (
    <ConfigEditor
      options={options}
      validation={props.validation}
      onOptionsChange={(o) => {
        props.changes.push(o.jsonData);
        setOptions(o);
      }}
    />
  );
}

let eu: LabelNamesDatasource;
beforeEach(() => {
  eu = new LabelNamesDatasource('prom-eu', ['k8s_cluster', 'cluster', 'exported_namespace', 'job']);
  setDataSourceSrv(new StaticDataSourceSrv().add(eu, settingsOf('prom-eu')));
});

describe('ConfigEditor: the Prometheus datasource', () => {
  it('says nothing is missing on a new, empty form', () => {
    render(<Editor initial={settings({})} changes={[]} />);
    expect(screen.getByText('Prometheus datasource *')).toBeInTheDocument();
    expect(screen.queryByText(MISSING_PROMETHEUS)).not.toBeInTheDocument();
  });

  it('says so on Save & test (Grafana 13 validation), and blocks the save until one is chosen', async () => {
    const validation = new Validation();
    render(<Editor initial={settings({})} validation={validation} changes={[]} />);
    let valid: boolean | undefined;
    await act(async () => {
      valid = await validation.validate();
    });
    expect(valid).toBe(false);
    expect(validation.getErrors()).toEqual({ prometheusUid: MISSING_PROMETHEUS });
    expect(screen.getByText(MISSING_PROMETHEUS)).toBeInTheDocument();
  });

  it('passes validation once a Prometheus is set', async () => {
    const validation = new Validation();
    render(<Editor initial={settings({ prometheusUid: 'prom-eu' })} validation={validation} changes={[]} />);
    await expect(act(() => validation.validate())).resolves.toBe(true);
    expect(validation.isValid()).toBe(true);
    expect(screen.queryByText(MISSING_PROMETHEUS)).not.toBeInTheDocument();
  });

  it('says so after a save on older Grafana (the settings were saved: version above 1)', () => {
    render(<Editor initial={settings({}, 2)} changes={[]} />);
    expect(screen.getByText(MISSING_PROMETHEUS)).toBeInTheDocument();
  });

  it('forces a schema', async () => {
    const changes: unknown[] = [];
    render(<Editor initial={settings({ prometheusUid: 'prom-eu' })} changes={changes} />);
    await userEvent.click(screen.getByText('Flux Operator'));
    expect(changes.at(-1)).toEqual({ prometheusUid: 'prom-eu', schema: 'flux-operator' });
  });
});

describe('ConfigEditor: Advanced', () => {
  const advanced = () => screen.getByTestId(TEST_IDS.config.advanced);

  it('is closed when nothing in it is set, and asks Prometheus for label names only when opened', async () => {
    render(<Editor initial={settings({ prometheusUid: 'prom-eu' })} changes={[]} />);
    expect(advanced()).toHaveTextContent('Advanced');
    expect(screen.queryByTestId(TEST_IDS.config.clusterLabel)).not.toBeInTheDocument();
    expect(eu.asked).toBe(0);
    await userEvent.click(advanced());
    expect(screen.getByTestId(TEST_IDS.config.clusterLabel)).toBeInTheDocument();
    await waitFor(() => expect(eu.asked).toBe(1), { timeout: 5000 });
    // Each override says what it falls back to, from the core's own label lists.
    expect(screen.getByText(autoDetectedText('clusterLabel'))).toBeInTheDocument();
    expect(autoDetectedText('clusterLabel')).toBe(
      'Auto-detects the first present of cluster, k8s_cluster, cluster_name, kubernetes_cluster.'
    );
    expect(autoDetectedText('name')).toBe('Auto-detects name.');
  });

  it('is open when an override is set, showing it; an invalid one is named', async () => {
    render(
      <Editor
        initial={settings({ prometheusUid: 'prom-eu', clusterLabel: 'k8s_cluster', labels: { kind: 'resource kind' } })}
        changes={[]}
      />
    );
    expect(screen.getByTestId(TEST_IDS.config.clusterLabel)).toHaveValue('k8s_cluster');
    expect(screen.getByText(/"resource kind" is not a Prometheus label name/)).toBeInTheDocument();
    expect(screen.getAllByText(/is not a Prometheus label name/)).toHaveLength(1);
    await waitFor(() => expect(eu.asked).toBe(1), { timeout: 5000 });
  });

  it('shows a provisioned labels.cluster as the cluster label in effect; clearing it clears it', async () => {
    const changes: FluxDataSourceOptions[] = [];
    render(
      <Editor
        initial={settings({ prometheusUid: 'prom-eu', labels: { cluster: 'k8s_cluster', kind: 'kind' } })}
        changes={changes}
      />
    );
    await waitFor(() => expect(eu.asked).toBe(1), { timeout: 5000 });
    const cluster = screen.getByTestId(TEST_IDS.config.clusterLabel);
    expect(cluster).toHaveValue('k8s_cluster');
    // Escape on the closed combobox clears it, as its clear button does (whose click tests cannot reach).
    fireEvent.keyDown(cluster, { key: 'Escape' });
    expect(labelMappingOf(changes.at(-1)!)).toEqual({ kind: 'kind' });
    expect(cluster).toHaveValue('');
  });

  it('sets and clears the query timeout', async () => {
    const changes: Array<Record<string, unknown>> = [];
    render(<Editor initial={settings({ prometheusUid: 'prom-eu', timeoutSeconds: 30 })} changes={changes} />);
    await waitFor(() => expect(eu.asked).toBe(1), { timeout: 5000 });
    const timeout = screen.getByTestId(TEST_IDS.config.timeout);
    expect(timeout).toHaveAttribute('placeholder', '30');
    fireEvent.change(timeout, { target: { value: '90' } });
    expect(changes.at(-1)).toEqual({ prometheusUid: 'prom-eu', timeoutSeconds: 90 });
    fireEvent.change(timeout, { target: { value: '' } });
    expect(changes.at(-1)).toEqual({ prometheusUid: 'prom-eu', timeoutSeconds: undefined });
    fireEvent.change(timeout, { target: { value: '-5' } });
    expect(changes.at(-1)).toEqual({ prometheusUid: 'prom-eu', timeoutSeconds: undefined });
  });
});

it('turns the recording rules off and back to auto (the Advanced section opens when off)', async () => {
  const changes: Array<Record<string, unknown>> = [];
  render(<Editor initial={settings({ prometheusUid: 'prom-eu', recordingRules: 'off' })} changes={changes} />);
  const group = screen.getByTestId(TEST_IDS.config.recordingRules);
  expect(within(group).getByLabelText('Off')).toBeChecked();
  fireEvent.click(within(group).getByLabelText('Auto'));
  expect(changes.at(-1)).toEqual({ prometheusUid: 'prom-eu', recordingRules: undefined });
  fireEvent.click(within(group).getByLabelText('Off'));
  expect(changes.at(-1)).toEqual({ prometheusUid: 'prom-eu', recordingRules: 'off' });
});

describe('the label names offered', () => {
  /** A datasource that cannot list label names (not every Prometheus-compatible one can). */
  class NoLabelNames extends DataSourceApi {
    constructor() {
      super(settingsOf('plain'));
    }
    query(): Promise<DataQueryResponse> {
      return Promise.resolve({ data: [] });
    }
    testDatasource() {
      return Promise.resolve({ status: 'success', message: '' });
    }
  }

  it('are only names FluxGrid can paste into PromQL, sorted, once each', async () => {
    const utf8 = new LabelNamesDatasource('prom-3', ['zone', 'http.status', 'k8s_cluster', '0bad', 'zone', 'cluster']);
    setDataSourceSrv(new StaticDataSourceSrv().add(utf8, settingsOf('prom-3')));
    const { result } = renderHook(() => usePrometheusLabelNames('prom-3', true));
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current).toEqual({ names: ['cluster', 'k8s_cluster', 'zone'], loading: false, error: undefined });
  });

  it('say why when the datasource cannot list them, and are not asked for while closed', async () => {
    setDataSourceSrv(new StaticDataSourceSrv().add(new NoLabelNames(), settingsOf('plain')));
    const closed = renderHook(() => usePrometheusLabelNames('plain', false));
    expect(closed.result.current).toEqual({ names: [], loading: false });
    const { result } = renderHook(() => usePrometheusLabelNames('plain', true));
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.error).toBe('Could not read label names: Prometheus plain cannot list label names');
  });
});
