/**
 * A test-only stand-in for the part of Grafana's frontend that loads and renders plugins.
 *
 * What is REAL here (the same npm packages Grafana 13.1 ships, bundled by webpack from node_modules):
 *   - SystemJS 6 with the AMD extra and named-register extra: the loader Grafana uses for plugins.
 *   - The shared dependencies a plugin's `define([...])` asks for, registered by name the way
 *     Grafana's plugin loader does it (a `package:<name>` module in the SystemJS registry plus an
 *     import map entry <name> -> package:<name>): react, react-dom, react/jsx-runtime,
 *     @grafana/data, @grafana/ui, @grafana/runtime, rxjs, lodash, moment, @emotion/css, …
 *   - The plugin itself: the BUILT dist/ AMD modules, fetched over HTTP, evaluated by SystemJS.
 *   - Rendering: React 18 createRoot, Grafana's ThemeContext with the real dark/light themes,
 *     @grafana/ui GlobalStyles, PanelChrome and PanelContextProvider, and applyFieldOverrides on the
 *     frames (what Grafana's PanelQueryRunner does before a panel sees its data).
 *
 * Grafana's own frontend code at the seams with Grafana (see tests/browser/README.md):
 *   - @grafana/prometheus' PrometheusDatasource, constructed from real instance settings, talking
 *     through a BackendSrv that really fetches (services.ts) to the Grafana backend stand-in.
 *   - @grafana/scenes runs dashboards (dashboard.tsx): variables, query runners, annotations,
 *     VizPanel, pickers; TemplateSrv interpolates with sceneGraph.interpolate.
 *
 * What is STOOD IN (each is Grafana app code, not on npm, or needs a Grafana server):
 *   - window.grafanaBootData (see bootData.ts): the server renders it into index.html.
 *   - BackendSrv, TemplateSrv, DataSourceSrv and runRequest (services.ts, runRequest.ts): small
 *     versions of Grafana's app services with the same contracts.
 *   - The option editors (standardEditorsRegistry): Grafana's app registers its editor components
 *     (app/core/components/OptionsUI, not on npm). A PanelPlugin's options builder looks them up by
 *     id, so the ids are registered with a placeholder editor; the host never shows the panel editor.
 *   - PanelDataErrorView: Grafana's app registers its own (app/features/panel/components, not on
 *     npm) with setPanelDataErrorView; ours renders the same thing a viewer sees: the message, or
 *     "No data", centred in the panel (without the edit-mode visualization suggestions).
 *   - render(): one panel without a dashboard (frames handed in, no dashboard variables;
 *     `replaceVariables` is scenes' interpolation with the panel's time range and scoped variables);
 *     openDashboard() is the dashboard path.
 */
import './bootData';

import 'systemjs/dist/system.js';
import 'systemjs/dist/extras/amd.js';
import 'systemjs/dist/extras/named-register.js';

import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUIraw from '@grafana/ui';
import * as lodash from 'lodash';
// The host hands plugins Grafana's shared `moment`, as Grafana does; only plugin code must not import it.
// eslint-disable-next-line no-restricted-imports
import * as moment from 'moment';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';
import { setPanelDataErrorView } from 'grafana-runtime-internal/PanelDataErrorView';
import * as dsInstances from 'grafana-runtime-internal/dataSourceInstances';
import * as dsSettings from 'grafana-runtime-internal/dataSourceSettings';
import { PrometheusDatasource } from '@grafana/prometheus';

import { buildDashboard, panelInterpolator, type DashboardJson, type DashboardRuntime } from './dashboard';
import { bootPreview } from './preview';
import { runRequest, runRequestLog } from './runRequest';
import { FetchingBackendSrv, HostDataSourceSrv, SceneTemplateSrv } from './services';

import type {
  DatasourcesRequest,
  EditorRequest,
  FluxgridHostApi,
  LoadedPlugin,
  OpenDashboardRequest,
  RenderRequest,
  RenderResult,
} from './api';

const {
  AppPlugin,
  DataSourcePlugin,
  EventBusSrv,
  LoadingState,
  PanelPlugin,
  ThemeContext,
  applyFieldOverrides,
  dataFrameFromJSON,
  dateTime,
  getThemeById,
} = grafanaData;
const { GlobalStyles, PanelChrome, PanelContextProvider } = grafanaUIraw;

type AnyPlugin =
  InstanceType<typeof PanelPlugin> | InstanceType<typeof DataSourcePlugin> | InstanceType<typeof AppPlugin>;

// ---------------------------------------------------------------------------------------------
// Errors: everything that goes wrong is kept so the test can report it.
// ---------------------------------------------------------------------------------------------
const errors: string[] = [];
window.addEventListener('error', (e) => errors.push(`error: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => errors.push(`unhandledrejection: ${String(e.reason)}`));

// ---------------------------------------------------------------------------------------------
// Shared dependencies, registered the way Grafana's plugin loader registers them.
// ---------------------------------------------------------------------------------------------
// Grafana keeps the old import path @grafana/ui working for classes that moved to @grafana/data.
const grafanaUI = {
  ...grafanaUIraw,
  PanelPlugin: grafanaData.PanelPlugin,
  DataSourcePlugin: grafanaData.DataSourcePlugin,
  AppPlugin: grafanaData.AppPlugin,
  DataSourceApi: grafanaData.DataSourceApi,
};
const useDefault = (m: object) => ({ ...m, default: (m as any).default ?? m, __useDefault: true });

const sharedDependencies: Record<string, object> = {
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/ui': grafanaUI,
  // lodash and moment are handed to AMD modules as their default export (a function object).
  lodash: useDefault(lodash),
  moment: useDefault(moment),
  react: React,
  'react/jsx-runtime': jsxRuntime,
  'react-dom': ReactDOM,
  'react-dom/client': ReactDOMClient,
  rxjs,
  'rxjs/operators': rxjsOperators,
  emotion: emotionCss,
};

const System = (window as any).System;
const imports: Record<string, string> = {};
for (const [name, mod] of Object.entries(sharedDependencies)) {
  const id = `package:${name}`;
  System.set(id, mod);
  imports[name] = id;
}
System.addImportMap({ imports });

// Like Grafana: a module whose namespace says __useDefault (every AMD module) is imported as its
// default export, i.e. the AMD module's `exports` object.
const systemProto = System.constructor.prototype;
const originalImport = systemProto.import;
systemProto.import = function (...args: unknown[]) {
  return originalImport.apply(this, args).then((m: any) => (m && m.__useDefault ? m.default : m));
};
// Grafana fetches plugin code with fetch()+eval (loadingStrategy "fetch"), not <script> tags.
systemProto.shouldFetch = () => true;

// ---------------------------------------------------------------------------------------------
// Runtime services: what Grafana's app sets at boot (services.ts says what they do).
// ---------------------------------------------------------------------------------------------
const backendSrv = new FetchingBackendSrv();
grafanaRuntime.setBackendSrv(backendSrv);
const templateSrv = new SceneTemplateSrv();
grafanaRuntime.setTemplateSrv(templateSrv);
grafanaRuntime.setRunRequest(runRequest);
// Grafana's app-wide event bus (Grafana's appEvents): scenes' VizPanel publishes a panel-attention
// event on every pointer move over a panel, and throws without one.
grafanaRuntime.setAppEvents(new EventBusSrv());

const PROMETHEUS_META: grafanaData.DataSourcePluginMeta = {
  id: 'prometheus',
  name: 'Prometheus',
  type: grafanaData.PluginType.datasource,
  module: 'core:plugin/prometheus',
  baseUrl: 'public/plugins/prometheus',
  backend: true,
  metrics: true,
  alerting: true,
  annotations: true,
  info: {
    author: { name: 'Grafana Labs' },
    description: 'Open source time series database & alerting',
    links: [],
    logos: { small: '', large: '' },
    screenshots: [],
    updated: '',
    version: '',
  },
};
/** The user's Prometheus datasource, as Grafana's /api/frontend/settings lists it. */
const prometheusSettings: grafanaData.DataSourceInstanceSettings<grafanaData.DataSourceJsonData> = {
  id: 1,
  uid: 'prometheus',
  name: 'Prometheus',
  type: 'prometheus',
  meta: PROMETHEUS_META,
  url: '/api/datasources/proxy/uid/prometheus',
  access: 'proxy',
  readOnly: false,
  isDefault: true,
  jsonData: {
    httpMethod: 'POST',
    prometheusType: 'Prometheus',
    prometheusVersion: '2.42.0',
    timeInterval: '15s',
  } as grafanaData.DataSourceJsonData,
};

const dataSourceSrv = new HostDataSourceSrv(templateSrv);
grafanaRuntime.setDataSourceSrv(dataSourceSrv);
/** Grafana's core Prometheus plugin module: the datasource class of @grafana/prometheus. */
const prometheusPlugin = new DataSourcePlugin(PrometheusDatasource);
/** Any datasource plugin: the host hands each its own instance settings. */
type AnyDataSourcePlugin = grafanaData.DataSourcePlugin<any, any, any, any>;
const datasourcePlugins = new Map<string, AnyDataSourcePlugin>([['prometheus', prometheusPlugin]]);

function offerDataSource(settings: grafanaData.DataSourceInstanceSettings<any>, plugin: AnyDataSourcePlugin) {
  datasourcePlugins.set(settings.meta.id, plugin);
  dataSourceSrv.add(settings, () => {
    const instance = new plugin.DataSourceClass(settings);
    instance.components = plugin.components;
    return instance;
  });
  // Grafana >= 13 keeps a second registry in @grafana/runtime (what scenes reads through
  // @grafana/plugin-compat): fill it from the same settings, as Grafana does when settings change
  // (new settings, cached instances dropped: a datasource offered again gets a new instance).
  const all = Object.fromEntries(dataSourceSrv.getList().map((s) => [s.name, s]));
  if (dsSettings.syncDataSourceInstanceSettings) {
    dsSettings.syncDataSourceInstanceSettings({ datasources: all, defaultDatasource: 'Prometheus' });
  } else {
    dsSettings.initDataSourceInstanceSettings?.(all, 'Prometheus');
  }
}
offerDataSource(prometheusSettings, prometheusPlugin);
// One instance per datasource: the registry's (when this Grafana line has one) is the page's.
dsInstances.setDataSourcePluginImporter?.(async (meta: grafanaData.DataSourcePluginMeta) => {
  const plugin = datasourcePlugins.get(meta.id);
  if (!plugin) {
    throw new Error(`browser host: no datasource plugin ${meta.id}`);
  }
  return plugin;
});
if (dsInstances.getDataSourceInstance) {
  dataSourceSrv.delegate = (ref, scopedVars) => dsInstances.getDataSourceInstance!(ref, scopedVars);
}

const OPTION_EDITOR_IDS = [
  'boolean',
  'color',
  'dashboard-uid',
  'field-name',
  'multi-select',
  'number',
  'radio',
  'select',
  'slider',
  'strings',
  'text',
  'timezone',
  'unit',
  'links',
  'mappings',
  'thresholds',
  'custom',
];
const PlaceholderOptionEditor = () => null;
grafanaData.standardEditorsRegistry.setInit(() =>
  OPTION_EDITOR_IDS.map((id) => ({ id, name: id, editor: PlaceholderOptionEditor as any }))
);

function HostPanelDataErrorView({ message }: { message?: string }) {
  const theme = grafanaUIraw.useTheme2();
  return (
    <div
      data-testid="host-panel-data-error-view"
      style={{
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        height: '100%',
        width: '100%',
        textAlign: 'center',
        padding: theme.spacing(2),
        color: theme.colors.text.secondary,
        fontSize: theme.typography.h5.fontSize,
      }}
    >
      <div>{message || 'No data'}</div>
    </div>
  );
}
setPanelDataErrorView(HostPanelDataErrorView);

// ---------------------------------------------------------------------------------------------
// Loading plugins: like Grafana's importPluginModule + importPanelPlugin / importDataSourcePlugin.
// ---------------------------------------------------------------------------------------------
const loaded = new Map<string, { plugin: AnyPlugin; meta: any }>();
const panelsById = new Map<string, InstanceType<typeof PanelPlugin>>();
/** Where Grafana would find each plugin id's module (its plugin settings say so). */
const PANEL_MODULES: Record<string, string> = { 'fluxgrid-status-panel': '/dist/panel/module.js' };

// What scenes' VizPanel loads panel plugins through (Grafana's app sets it at boot).
grafanaRuntime.setPluginImportUtils({
  importPanelPlugin: async (id: string) => {
    const cached = panelsById.get(id);
    if (cached) {
      return cached;
    }
    if (!PANEL_MODULES[id]) {
      throw new Error(`browser host: no panel plugin ${id}`);
    }
    await loadPlugin(PANEL_MODULES[id]);
    return panelsById.get(id)!;
  },
  getPanelPluginFromCache: (id: string) => panelsById.get(id),
});

function pluginKind(plugin: unknown): LoadedPlugin['kind'] {
  if (plugin instanceof PanelPlugin) {
    return 'panel';
  }
  if (plugin instanceof DataSourcePlugin) {
    return 'datasource';
  }
  if (plugin instanceof AppPlugin) {
    return 'app';
  }
  return 'unknown';
}

async function loadPlugin(modulePath: string): Promise<LoadedPlugin> {
  const metaUrl = modulePath.replace(/module\.js$/, 'plugin.json');
  const meta = await fetch(metaUrl).then((r) => (r.ok ? r.json() : undefined));
  const exports = await System.import(modulePath);
  const plugin = exports?.plugin as AnyPlugin | undefined;
  const kind = pluginKind(plugin);
  const info = { ...(meta ?? {}), module: modulePath, baseUrl: modulePath.replace(/\/module\.js$/, '') };
  if (plugin instanceof AppPlugin) {
    plugin.init(info);
  } else if (plugin) {
    (plugin as any).meta = info;
  }
  if (plugin) {
    loaded.set(modulePath, { plugin, meta: info });
    if (plugin instanceof PanelPlugin && info.id) {
      panelsById.set(info.id, plugin);
    }
  }
  const result: LoadedPlugin = {
    kind,
    exportKeys: Object.keys(exports ?? {}),
    id: meta?.id,
    type: meta?.type,
  };
  if (plugin instanceof PanelPlugin) {
    result.hasPanelComponent = typeof plugin.panel === 'function' || typeof plugin.panel === 'object';
    result.defaults = plugin.defaults;
    result.optionPaths = optionPaths(plugin);
  }
  if (plugin instanceof DataSourcePlugin) {
    result.components = Object.keys(plugin.components).filter((k) => (plugin.components as any)[k]);
    result.hasDataSourceClass = typeof plugin.DataSourceClass === 'function';
  }
  return result;
}

function optionPaths(plugin: InstanceType<typeof PanelPlugin>): string[] {
  const supplier = plugin.getPanelOptionsSupplier();
  const builder = new grafanaData.PanelOptionsEditorBuilder();
  supplier(builder, { data: [] });
  return builder.getItems().map((i) => i.path);
}

function getPlugin(modulePath: string) {
  const entry = loaded.get(modulePath);
  if (!entry) {
    throw new Error(`${modulePath} is not loaded: call fluxgrid.loadPlugin first`);
  }
  return entry;
}

// ---------------------------------------------------------------------------------------------
// Rendering.
// ---------------------------------------------------------------------------------------------
class ErrorBoundary extends React.Component<{ children: React.ReactNode }, { error?: Error }> {
  state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  componentDidCatch(error: Error) {
    errors.push(`render: ${error.message}`);
  }
  render() {
    if (this.state.error) {
      return <pre data-testid="host-render-error">{String(this.state.error.stack ?? this.state.error)}</pre>;
    }
    return this.props.children;
  }
}

const root = ReactDOMClient.createRoot(document.getElementById('root')!);
const eventBus = new EventBusSrv();
let renderCount = 0;
const commitWaiters = new Map<number, () => void>();

/** Resolves the promise of one render() call once React has committed it to the DOM. */
function Committed({ id }: { id: number }) {
  React.useLayoutEffect(() => {
    commitWaiters.get(id)?.();
    commitWaiters.delete(id);
  }, [id]);
  return null;
}

function ThemedPage({ theme, children }: { theme: grafanaData.GrafanaTheme2; children: React.ReactNode }) {
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      {children}
    </ThemeContext.Provider>
  );
}

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
/** Resolves after the browser has painted the current frame (a task posted from rAF runs after paint). */
const afterPaint = () =>
  new Promise<void>((resolve) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(undefined);
    })
  );

// One theme object per name, like Grafana's single config.theme2: a new object on every render
// would re-render every theme consumer and re-inject the global styles.
const themes = { dark: getThemeById('dark'), light: getThemeById('light') };

function applyTheme(themeName: 'dark' | 'light') {
  const theme = themes[themeName];
  (grafanaRuntime.config as any).theme2 = theme;
  (grafanaRuntime.config as any).theme = theme.v1;
  (grafanaRuntime.config as any).bootData.user.lightTheme = theme.isLight;
  document.body.classList.toggle('theme-light', theme.isLight);
  document.body.classList.toggle('theme-dark', !theme.isLight);
  return theme;
}

/**
 * Renders `element` as a fresh mount (a new key per call: no state survives from the previous
 * render, like a panel whose dashboard was just opened) inside the long-lived themed page.
 */
async function commit(
  theme: grafanaData.GrafanaTheme2,
  element: React.ReactElement,
  waitFor?: string,
  timeoutMs = 10000
) {
  const id = ++renderCount;
  const committed = new Promise<void>((resolve) => commitWaiters.set(id, resolve));
  const t0 = performance.now();
  performance.mark(`fluxgrid-render-${id}-start`);
  root.render(
    <ThemedPage theme={theme}>
      <ErrorBoundary key={id}>
        {element}
        <Committed id={id} />
      </ErrorBoundary>
    </ThemedPage>
  );
  await committed;
  const commitMs = performance.now() - t0;
  if (waitFor) {
    while (!document.querySelector(waitFor)) {
      if (performance.now() - t0 > timeoutMs) {
        throw new Error(`render: ${waitFor} did not appear within ${timeoutMs} ms`);
      }
      await nextFrame();
    }
  }
  await afterPaint();
  const paintMs = performance.now() - t0;
  performance.mark(`fluxgrid-render-${id}-painted`);
  return { commitMs, paintMs };
}

/** A range as Grafana's time picker hands it on: absolute unless the request says how it was picked. */
function rangeOf(range: { from: number; to: number }, raw?: { from: string; to: string }): grafanaData.TimeRange {
  const from = dateTime(range.from);
  const to = dateTime(range.to);
  return { from, to, raw: raw ?? { from, to } };
}

/**
 * The saved options as the panel gets them: like Grafana loading a saved panel (scenes' VizPanel
 * and the older PanelModel alike), the plugin's migration handler runs when the saved
 * pluginVersion differs from the plugin's own, or when the plugin asks for it (shouldMigrate).
 */
async function migrated(plugin: InstanceType<typeof PanelPlugin>, req: RenderRequest) {
  const panel: grafanaData.PanelModel = {
    id: 1,
    type: plugin.meta.id,
    title: req.title,
    options: req.options ?? {},
    fieldConfig: { defaults: req.fieldConfig?.defaults ?? {}, overrides: [] },
    pluginVersion: req.pluginVersion,
  };
  const needsMigration = plugin.meta.info?.version !== req.pluginVersion || plugin.shouldMigrate?.(panel);
  return plugin.onPanelMigration && needsMigration ? plugin.onPanelMigration(panel) : panel.options;
}

async function render(req: RenderRequest): Promise<RenderResult> {
  const modulePath = req.modulePath ?? '/dist/panel/module.js';
  const { plugin } = getPlugin(modulePath);
  if (!(plugin instanceof PanelPlugin) || !plugin.panel) {
    throw new Error(`${modulePath} is not a panel plugin`);
  }
  const theme = applyTheme(req.theme ?? 'dark');
  const decodeStart = performance.now();
  const frames = (typeof req.frames === 'string' ? JSON.parse(req.frames) : (req.frames ?? [])).map(dataFrameFromJSON);
  const decodeMs = performance.now() - decodeStart;
  const timeRange = req.timeRange ? rangeOf(req.timeRange, req.rawTimeRange) : grafanaData.getDefaultTimeRange();
  const fieldConfig = {
    defaults: { ...plugin.fieldConfigDefaults.defaults, ...(req.fieldConfig?.defaults ?? {}) },
    overrides: (req.fieldConfig?.overrides ?? []) as grafanaData.ConfigOverrideRule[],
  };
  const replaceVariables = panelInterpolator(timeRange);
  // What Grafana's PanelQueryRunner.getData({ withFieldConfig: true }) does before the panel sees data.
  const overridesStart = performance.now();
  const series = applyFieldOverrides({
    data: frames,
    fieldConfig,
    fieldConfigRegistry: plugin.fieldConfigRegistry,
    replaceVariables,
    theme,
    timeZone: 'utc',
  });
  const overridesMs = performance.now() - overridesStart;
  const options = lodash.merge({}, plugin.defaults, await migrated(plugin, req));
  const width = req.width ?? 1000;
  const height = req.height ?? 600;
  const data = {
    series,
    state: (req.state as grafanaData.LoadingState) ?? LoadingState.Done,
    timeRange,
  };
  const Panel = plugin.panel as React.ComponentType<any>;
  const title = req.title ?? 'Flux objects';
  const panelContext = { eventsScope: 'global', eventBus };
  document.body.style.background = theme.colors.background.canvas;
  const element = (
    <PanelContextProvider value={panelContext as any}>
      <div data-testid="host-panel" style={{ width, height }}>
        <PanelChrome title={title} width={width} height={height}>
          {(innerWidth: number, innerHeight: number) => (
            <Panel
              id={1}
              data={data}
              timeRange={timeRange}
              timeZone="utc"
              options={options}
              transparent={false}
              width={innerWidth}
              height={innerHeight}
              fieldConfig={fieldConfig}
              renderCounter={renderCount}
              title={title}
              eventBus={eventBus}
              onOptionsChange={(o: object) => hostState.optionChanges.push(o)}
              onFieldConfigChange={() => undefined}
              replaceVariables={replaceVariables}
              onChangeTimeRange={() => undefined}
            />
          )}
        </PanelChrome>
      </div>
    </PanelContextProvider>
  );
  const timing = await commit(theme, element, req.waitFor, req.timeoutMs);
  return {
    ...timing,
    decodeMs,
    overridesMs,
    options,
    frameCount: series.length,
    theme: theme.isDark ? 'dark' : 'light',
  };
}

async function renderConfigEditor(req: {
  modulePath?: string;
  jsonData?: Record<string, unknown>;
  theme?: 'dark' | 'light';
  waitFor?: string;
}) {
  const modulePath = req.modulePath ?? '/dist/datasource/module.js';
  const { plugin, meta } = getPlugin(modulePath);
  if (!(plugin instanceof DataSourcePlugin) || !plugin.components.ConfigEditor) {
    throw new Error(`${modulePath} has no ConfigEditor`);
  }
  const theme = applyTheme(req.theme ?? 'dark');
  const ConfigEditor = plugin.components.ConfigEditor as React.ComponentType<any>;
  function Editor() {
    const [options, setOptions] = React.useState({
      id: 2,
      uid: 'fluxgrid',
      orgId: 1,
      name: 'FluxGrid',
      type: meta.id,
      typeName: meta.name,
      typeLogoUrl: '',
      access: 'proxy',
      url: '',
      user: '',
      database: '',
      basicAuth: false,
      basicAuthUser: '',
      isDefault: false,
      jsonData: req.jsonData ?? {},
      secureJsonFields: {},
      readOnly: false,
      withCredentials: false,
    });
    return (
      <div data-testid="host-config-editor">
        <ConfigEditor
          options={options}
          onOptionsChange={(o: any) => {
            hostState.optionChanges.push(o);
            setOptions(o);
          }}
        />
      </div>
    );
  }
  document.body.style.background = theme.colors.background.canvas;
  return commit(theme, <Editor />, req.waitFor);
}

const hostState = { optionChanges: [] as unknown[], editorRuns: 0 };

/**
 * A FluxGrid editor as Grafana's query editor row or variable editor renders it: the datasource
 * instance the dashboard uses (from the DataSourceSrv), the query kept in state and replaced on
 * every onChange, onRunQuery counted.
 */
async function renderEditor(which: 'query' | 'variable', req: EditorRequest) {
  const ds = await dataSourceSrv.get('fluxgrid');
  const variables = ds.variables as { editor?: React.ComponentType<any> } | undefined;
  const Editor = (which === 'query' ? ds.components?.QueryEditor : variables?.editor) as
    React.ComponentType<any> | undefined;
  if (!Editor) {
    throw new Error(`the FluxGrid datasource has no ${which} editor (call setupDatasources first)`);
  }
  const Shown: React.ComponentType<any> = Editor;
  const theme = applyTheme(req.theme ?? 'dark');
  const range = req.range ? rangeOf(req.range) : grafanaData.getDefaultTimeRange();
  function EditorHost() {
    const [query, setQuery] = React.useState(req.query);
    return (
      <div data-testid="host-query-editor" style={{ width: req.width ?? 900 }}>
        <Shown
          datasource={ds}
          query={query}
          range={range}
          onChange={(next: Record<string, unknown>) => {
            hostState.optionChanges.push(next);
            setQuery(next);
          }}
          onRunQuery={() => {
            hostState.editorRuns++;
          }}
        />
      </div>
    );
  }
  document.body.style.background = theme.colors.background.canvas;
  return commit(theme, <EditorHost />, req.waitFor);
}

// ---------------------------------------------------------------------------------------------
// Datasources and dashboards.
// ---------------------------------------------------------------------------------------------
async function setupDatasources(req: DatasourcesRequest = {}) {
  const modulePath = req.modulePath ?? '/dist/datasource/module.js';
  if (!loaded.has(modulePath)) {
    await loadPlugin(modulePath);
  }
  const { plugin, meta } = getPlugin(modulePath);
  if (!(plugin instanceof DataSourcePlugin)) {
    throw new Error(`${modulePath} is not a datasource plugin`);
  }
  const settings: grafanaData.DataSourceInstanceSettings<grafanaData.DataSourceJsonData> = {
    id: 2,
    uid: 'fluxgrid',
    name: 'FluxGrid',
    type: meta.id,
    meta,
    access: 'proxy',
    readOnly: false,
    isDefault: false,
    jsonData: req.fluxgridJsonData ?? { prometheusUid: 'prometheus' },
  };
  offerDataSource(settings, plugin);
}

async function testDatasource(uid: string) {
  const ds = await dataSourceSrv.get(uid);
  const result = await ds.testDatasource();
  return { status: String(result.status), message: String(result.message) };
}

let dashboard: DashboardRuntime | undefined;

function currentDashboard(): DashboardRuntime {
  if (!dashboard) {
    throw new Error('no dashboard is open: call fluxgrid.openDashboard first');
  }
  return dashboard;
}

async function openDashboard(req: OpenDashboardRequest) {
  const json: DashboardJson =
    typeof req.dashboard === 'string' ? await fetch(req.dashboard).then((r) => r.json()) : req.dashboard;
  const theme = applyTheme(req.theme ?? 'dark');
  dashboard = buildDashboard(json, {
    timeRange: req.timeRange,
    refresh: req.refresh,
    pluginPanelTypes: Object.keys(PANEL_MODULES),
  });
  templateSrv.scene = dashboard.scene;
  const scene = dashboard.scene;
  document.body.style.background = theme.colors.background.canvas;
  await commit(
    theme,
    <div data-testid="host-dashboard" style={{ width: req.width ?? 1240 }}>
      <scene.Component model={scene} />
    </div>,
    req.waitFor,
    req.timeoutMs
  );
}

const api: FluxgridHostApi = {
  ready: true,
  errors,
  loadPlugin,
  render,
  renderConfigEditor,
  renderQueryEditor: (req) => renderEditor('query', req),
  renderVariableEditor: (req) => renderEditor('variable', req),
  editorRuns: () => {
    const runs = hostState.editorRuns;
    hostState.editorRuns = 0;
    return runs;
  },
  unmount: () =>
    commit(themes[document.body.classList.contains('theme-light') ? 'light' : 'dark'], <></>).then(() => undefined),
  optionChanges: () => hostState.optionChanges.splice(0),
  afterPaint,
  grafanaVersion: grafanaRuntime.config.buildInfo.version,
  reactVersion: React.version,
  setupDatasources,
  testDatasource,
  openDashboard,
  dashboardState: () => currentDashboard().state(),
  setVariable: (name, value) => currentDashboard().setVariable(name, value),
  refreshDashboard: () => currentDashboard().refresh(),
  backendRequests: () => backendSrv.log.splice(0),
  queryRequests: () => runRequestLog.splice(0),
};
(window as any).fluxgrid = api;
document.documentElement.dataset.fluxgridHost = 'ready';

const params = new URLSearchParams(window.location.search);
if (params.has('preview')) {
  bootPreview(api, params).catch((error: Error) => errors.push(`preview: ${error.stack ?? error.message}`));
}
