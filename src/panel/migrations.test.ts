import type { PanelMigrationHandler } from '@grafana/data';

/** What Grafana hands a panel's migration handler. */
type PanelMigrationModel<T> = Parameters<PanelMigrationHandler<T>>[0];

import { migrateFluxGridPanel, migrateOptions } from './migrations';
import { plugin } from './module';
import saved010 from './testdata/panel-0.1.0.json';
import { DEFAULT_OPTIONS, FluxGridOptions } from './types';

/** A panel as Grafana hands it to the migration handler. */
function savedPanel(options: unknown, pluginVersion?: string): PanelMigrationModel<FluxGridOptions> {
  return {
    id: 4,
    type: saved010.type,
    title: saved010.title,
    options: options as FluxGridOptions,
    fieldConfig: { defaults: {}, overrides: [] },
    pluginVersion,
  };
}

describe('panel migrations', () => {
  it('is the handler Grafana calls for this panel', () => {
    expect(plugin.onPanelMigration).toBe(migrateFluxGridPanel);
  });

  it('upgrades the 0.1.0 panel of the provisioned dashboard to the current shape', async () => {
    // Snapshot of src/dashboards/flux-reconciliation.json's status panel as 0.1.0 saved it.
    expect(saved010.options).toEqual({
      groupBy: 'kind',
      subGroupBy: 'none',
      sortBy: 'severity',
      showSummary: true,
      showToolbar: true,
      problemsOnly: false,
      failingThreshold: '10m',
      cellSize: 16,
      includeDeleted: false,
    });
    const options = await migrateFluxGridPanel(savedPanel(saved010.options));
    expect(options).toEqual({ ...DEFAULT_OPTIONS, ...saved010.options, labels: DEFAULT_OPTIONS.labels });
    expect(Object.keys(options).sort()).toEqual(Object.keys(DEFAULT_OPTIONS).sort());
  });

  it('keeps what a 0.1.0 user chose', async () => {
    const options = await migrateFluxGridPanel(
      savedPanel(
        {
          groupBy: 'cluster',
          subGroupBy: 'namespace',
          sortBy: 'timeInState',
          showSummary: false,
          problemsOnly: true,
          failingThreshold: '$threshold',
          cellSize: 22,
          labels: { cluster: 'k8s_cluster' },
        },
        '0.1.0'
      )
    );
    expect(options).toMatchObject({
      groupBy: 'cluster',
      subGroupBy: 'namespace',
      sortBy: 'timeInState',
      showSummary: false,
      showToolbar: true,
      problemsOnly: true,
      failingThreshold: '$threshold',
      cellSize: 22,
      labels: { cluster: 'k8s_cluster', kind: '', namespace: '', name: '', reason: '' },
    });
  });

  it('fills missing options with defaults and clamps the cell size', () => {
    const options = migrateOptions({ cellSize: 500, labels: { cluster: 'c' } });
    expect(options.cellSize).toBe(48);
    expect(options.labels).toEqual({ cluster: 'c', kind: '', namespace: '', name: '', reason: '' });
    expect(options.failingThreshold).toBe('10m');
    expect(migrateOptions({ cellSize: 1 }).cellSize).toBe(6);
    expect(migrateOptions({ cellSize: '20' }).cellSize).toBe(20);
    expect(migrateOptions({ cellSize: 'big' }).cellSize).toBe(DEFAULT_OPTIONS.cellSize);
  });

  it('gives panels saved before tiles existed automatic tiles or cells, and keeps a forced choice', () => {
    expect(migrateOptions(saved010.options).display).toBe('auto');
    expect(migrateOptions({ display: 'cells' }).display).toBe('cells');
    expect(migrateOptions({ display: 'tiles' }).display).toBe('tiles');
    expect(migrateOptions({ display: 'names' }).display).toBe('auto');
  });

  it('replaces values of the wrong type or outside the choices with defaults', () => {
    expect(
      migrateOptions({ groupBy: 'owner', sortBy: 7, showSummary: 'yes', failingThreshold: 10, labels: 'kind' })
    ).toEqual(DEFAULT_OPTIONS);
    expect(migrateOptions(undefined)).toEqual(DEFAULT_OPTIONS);
    expect(migrateOptions(null)).toEqual(DEFAULT_OPTIONS);
    expect(migrateOptions([])).toEqual(DEFAULT_OPTIONS);
  });

  it('takes only own properties of hand-edited JSON', () => {
    const hostile = JSON.parse('{"__proto__": {"groupBy": "cluster"}, "labels": {"__proto__": {"kind": "x"}}}');
    const options = migrateOptions(hostile);
    expect(options.groupBy).toBe(DEFAULT_OPTIONS.groupBy);
    expect(options.labels).toEqual(DEFAULT_OPTIONS.labels);
    expect(({} as Record<string, unknown>).groupBy).toBeUndefined();
  });

  it('is idempotent: a current panel comes back unchanged', () => {
    const current: FluxGridOptions = {
      ...DEFAULT_OPTIONS,
      groupBy: 'namespace',
      labels: { ...DEFAULT_OPTIONS.labels, name: 'n' },
    };
    expect(migrateOptions(current)).toEqual(current);
    expect(migrateOptions(migrateOptions({ cellSize: 3 }))).toEqual(migrateOptions({ cellSize: 3 }));
  });
});
