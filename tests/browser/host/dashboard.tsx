/**
 * A shipped dashboard JSON run by @grafana/scenes, the runtime Grafana's own dashboards run on:
 * SceneTimeRange, a SceneVariableSet of DataSourceVariable + QueryVariables (chained through
 * their queries, refreshed by scenes), a SceneQueryRunner per panel, an AnnotationsDataLayer per
 * annotation, VizPanel rendering the panel plugin (options, field config, replaceVariables,
 * PanelChrome all scenes' code), variable pickers, time picker and refresh picker.
 *
 * Not run (Grafana app code, not on npm): Grafana's core panels (stat, table, state-timeline…):
 * their queries run through their SceneQueryRunner and a labelled stand-in lists what came back;
 * the built-in "Annotations & Alerts" layer (Grafana's own annotation store); dashboard links.
 */
import {
  DataSourceRef,
  FieldType,
  LoadingState,
  PanelPlugin,
  PluginType,
  VariableRefresh,
  VariableSort,
  type AnnotationQuery,
  type DataFrame,
  type InterpolateFunction,
  type PanelProps,
  type TimeRange,
} from '@grafana/data';
import {
  DataSourceVariable,
  EmbeddedScene,
  QueryVariable,
  SceneControlsSpacer,
  SceneDataLayerControls,
  SceneDataLayerSet,
  SceneFlexLayout,
  SceneGridItem,
  SceneGridLayout,
  SceneQueryRunner,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  SceneVariableSet,
  VariableValueSelectors,
  VizPanel,
  dataLayers,
  registerRuntimePanelPlugin,
  sceneGraph,
  type SceneDataQuery,
  type SceneVariable,
} from '@grafana/scenes';
import React from 'react';

import type { DashboardState } from './api';

/** The parts of a dashboard JSON model the host reads. */
export interface DashboardJson {
  uid?: string;
  title?: string;
  refresh?: string;
  time?: { from: string; to: string };
  annotations?: { list?: Array<AnnotationQuery & { builtIn?: number }> };
  templating?: { list?: Array<Record<string, any>> };
  panels?: Array<{
    id: number;
    type: string;
    title?: string;
    description?: string;
    datasource?: DataSourceRef;
    targets?: SceneDataQuery[];
    gridPos?: { x: number; y: number; w: number; h: number };
    options?: Record<string, unknown>;
    fieldConfig?: { defaults: Record<string, unknown>; overrides: any[] };
    maxDataPoints?: number;
    /** The plugin version the panel was saved with: scenes runs the migration handler when it differs. */
    pluginVersion?: string;
  }>;
}

export interface OpenDashboardOptions {
  /** Overrides the dashboard's time range (e.g. absolute ISO times of a fixture). */
  timeRange?: { from: string; to: string };
  /** Overrides the dashboard's auto-refresh ('' = off). */
  refresh?: string;
  /** Only these panel types are drawn by their plugin; others get the query stand-in. */
  pluginPanelTypes: string[];
}

/** Grafana's core panels are app code: this stand-in shows what their queries returned. */
export const CORE_PANEL_STAND_IN = 'fluxgrid-host-core-panel-stand-in';

function CorePanelStandIn({ data, options }: PanelProps<{ coreType?: string }>) {
  const rows = data.series.reduce((n: number, f: DataFrame) => n + f.length, 0);
  return (
    <div data-testid="host-core-panel-stand-in" style={{ padding: 8, fontSize: 12 }}>
      <div>
        Grafana&apos;s <b>{options.coreType}</b> panel is part of Grafana&apos;s app (not on npm): this preview shows
        what its FluxGrid query returned.
      </div>
      <div data-testid="host-core-panel-result">
        {data.state === LoadingState.Error
          ? `Error: ${data.errors?.map((e) => e.message).join('; ')}`
          : `${data.series.length} frame(s), ${rows} row(s): ${data.series
              .map((f) =>
                f.fields
                  .filter((x) => x.type !== FieldType.time)
                  .map((x) => x.name)
                  .join(', ')
              )
              .join(' | ')}`}
      </div>
    </div>
  );
}

let standInRegistered = false;
function registerCorePanelStandIn() {
  if (standInRegistered) {
    return;
  }
  const plugin = new PanelPlugin<{ coreType?: string }>(CorePanelStandIn);
  plugin.meta = {
    id: CORE_PANEL_STAND_IN,
    name: 'Core panel stand-in',
    type: PluginType.panel,
    module: '',
    baseUrl: '',
    info: {
      author: { name: 'FluxGrid browser host' },
      description: '',
      links: [],
      logos: { small: '', large: '' },
      screenshots: [],
      updated: '',
      version: '',
    },
    sort: 0,
  };
  registerRuntimePanelPlugin({ pluginId: CORE_PANEL_STAND_IN, plugin });
  standInRegistered = true;
}

const REFRESH: Record<number, VariableRefresh> = {
  0: VariableRefresh.never,
  1: VariableRefresh.onDashboardLoad,
  2: VariableRefresh.onTimeRangeChanged,
};
const SORT: Record<number, VariableSort> = Object.fromEntries(
  Object.values(VariableSort)
    .filter((v): v is VariableSort => typeof v === 'number')
    .map((v) => [v, v])
);

function variableOf(model: Record<string, any>): SceneVariable {
  const common = {
    name: model.name,
    label: model.label,
    description: model.description,
    hide: model.hide,
    skipUrlSync: true,
  };
  const multi = {
    isMulti: Boolean(model.multi),
    includeAll: Boolean(model.includeAll),
    allValue: model.allValue || undefined,
    value: model.current?.value ?? '',
    text: model.current?.text ?? '',
    defaultToAll: Boolean(model.includeAll),
  };
  switch (model.type) {
    case 'datasource':
      return new DataSourceVariable({ ...common, ...multi, pluginId: model.query, regex: model.regex ?? '' });
    case 'query':
      return new QueryVariable({
        ...common,
        ...multi,
        datasource: model.datasource ?? null,
        query: model.query,
        regex: model.regex ?? '',
        refresh: REFRESH[model.refresh ?? 1],
        sort: SORT[model.sort ?? 0] ?? VariableSort.disabled,
        definition: model.definition,
      });
    default:
      throw new Error(
        `browser host: variable "${model.name}" is of type "${model.type}"; the host runs datasource and query variables`
      );
  }
}

/** One annotation frame's events, as a person reads them on hover (time, title, text, tags). */
function annotationItems(frame: DataFrame): DashboardState['annotations'][number]['items'] {
  const column = (name: string) => frame.fields.find((f) => f.name === name)?.values;
  const times = column('time');
  const titles = column('title');
  const texts = column('text');
  const tags = column('tags');
  return Array.from({ length: frame.length }, (_, i) => ({
    time: Number(times?.[i]),
    title: String(titles?.[i] ?? ''),
    text: String(texts?.[i] ?? ''),
    tags: Array.isArray(tags?.[i]) ? tags[i].map(String) : [],
  }));
}

/**
 * Grafana's interpolation for one panel rendered without a dashboard (the host's render()): scenes'
 * own `sceneGraph.interpolate`, on a scene that holds only the panel's time range, so scoped
 * variables (a data link's `${__flux.name}`, `${__value.raw}`), formats and `${__url_time_range}`
 * work as on a dashboard without variables.
 */
export function panelInterpolator(range: TimeRange): InterpolateFunction {
  const raw = (t: TimeRange['raw']['from']) => (typeof t === 'string' ? t : t.toISOString());
  const scene = new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: raw(range.raw.from), to: raw(range.raw.to), timeZone: 'utc' }),
    body: new SceneFlexLayout({ children: [] }),
  });
  return (value, scopedVars, format) =>
    sceneGraph.interpolate(scene, value, scopedVars, format as Parameters<typeof sceneGraph.interpolate>[3]);
}

export interface DashboardRuntime {
  scene: EmbeddedScene;
  state(): DashboardState;
  setVariable(name: string, value: string | string[]): void;
  refresh(): void;
}

export function buildDashboard(json: DashboardJson, opts: OpenDashboardOptions): DashboardRuntime {
  registerCorePanelStandIn();
  const runners = new Map<number, { runner: SceneQueryRunner; type: string; title: string }>();
  const items = (json.panels ?? []).map((panel) => {
    const runner = new SceneQueryRunner({
      datasource: panel.datasource,
      queries: panel.targets ?? [],
      maxDataPoints: panel.maxDataPoints,
    });
    runners.set(panel.id, { runner, type: panel.type, title: panel.title ?? '' });
    const drawn = opts.pluginPanelTypes.includes(panel.type);
    const body = new VizPanel({
      key: `panel-${panel.id}`,
      pluginId: drawn ? panel.type : CORE_PANEL_STAND_IN,
      title: panel.title ?? '',
      description: panel.description,
      options: drawn ? (panel.options ?? {}) : { coreType: panel.type },
      fieldConfig: drawn ? (panel.fieldConfig ?? { defaults: {}, overrides: [] }) : { defaults: {}, overrides: [] },
      pluginVersion: drawn ? panel.pluginVersion : undefined,
      $data: runner,
    });
    const pos = panel.gridPos ?? { x: 0, y: 0, w: 24, h: 8 };
    return new SceneGridItem({ x: pos.x, y: pos.y, width: pos.w, height: pos.h, body });
  });
  const layers = (json.annotations?.list ?? [])
    .filter((a) => !a.builtIn)
    .map(
      (query) =>
        new dataLayers.AnnotationsDataLayer({
          name: query.name,
          query,
          isEnabled: query.enable,
          isHidden: query.hide,
        })
    );
  const variables = (json.templating?.list ?? []).map(variableOf);
  const timeRange = new SceneTimeRange({
    from: opts.timeRange?.from ?? json.time?.from ?? 'now-1h',
    to: opts.timeRange?.to ?? json.time?.to ?? 'now',
    timeZone: 'utc',
  });
  const refresh = opts.refresh ?? json.refresh ?? '';
  const scene = new EmbeddedScene({
    $timeRange: timeRange,
    $variables: new SceneVariableSet({ variables }),
    $data: new SceneDataLayerSet({ layers }),
    controls: [
      new VariableValueSelectors({}),
      new SceneDataLayerControls(),
      new SceneControlsSpacer(),
      new SceneTimePicker({}),
      new SceneRefreshPicker({ refresh, intervals: ['5s', '10s', '30s', '1m', '5m'] }),
    ],
    body: new SceneGridLayout({ children: items, isDraggable: false, isResizable: false }),
  });

  return {
    scene,
    state(): DashboardState {
      const range = timeRange.state.value;
      return {
        timeRange: { from: range.from.valueOf(), to: range.to.valueOf() },
        variables: sceneGraph.getVariables(scene).state.variables.map((v) => {
          const s = v.state as Record<string, any>;
          return {
            name: v.state.name,
            // The variable's own state: All stays "$__all", as the dashboard saves it.
            value: s.value ?? (v.getValue() as string | string[]),
            text: s.text ?? v.getValueText?.() ?? '',
            options: (s.options ?? []).map((o: { value: string }) => String(o.value)),
            loading: Boolean(s.loading),
            error: s.error ? String(s.error?.message ?? s.error) : undefined,
          };
        }),
        panels: [...runners.entries()].map(([id, { runner, type, title }]) => {
          const data = runner.state.data;
          return {
            id,
            type,
            title,
            state: data?.state ?? 'NotStarted',
            frames: data?.series.length ?? 0,
            rows: data?.series.reduce((n, f) => n + f.length, 0) ?? 0,
            errors: (data?.errors ?? (data?.error ? [data.error] : [])).map((e) => e.message ?? String(e)),
            annotations: data?.annotations?.reduce((n, f) => n + f.length, 0) ?? 0,
            requestId: data?.request?.requestId,
            // What the panel's query runner interpolated for its targets (the request Grafana sends).
            targets: (data?.request?.targets ?? []).map((t) => ({ ...t })),
          };
        }),
        annotations: layers.map((layer) => {
          const data = layer.state.data;
          // A layer publishes its events as series with dataTopic annotations (scenes merges them
          // into every panel's data.annotations).
          const frames = [...(data?.series ?? []), ...(data?.annotations ?? [])];
          return {
            name: layer.state.name,
            state: data?.state ?? 'NotStarted',
            events: frames.reduce((n, f) => n + f.length, 0),
            errors: (data?.errors ?? (data?.error ? [data.error] : [])).map((e) => e.message ?? String(e)),
            items: frames.flatMap(annotationItems),
          };
        }),
      };
    },
    setVariable(name, value) {
      const variable = sceneGraph.lookupVariable(name, scene);
      if (!variable || !('changeValueTo' in variable)) {
        throw new Error(`browser host: no variable "${name}" to change`);
      }
      (variable as QueryVariable).changeValueTo(value, value, true);
    },
    refresh() {
      timeRange.onRefresh();
    },
  };
}
