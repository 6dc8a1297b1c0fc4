/** The `window.fluxgrid` API the browser host exposes to tests (types shared by host and tests). */
import type { DataFrameJSON } from '@grafana/data';

export interface LoadedPlugin {
  kind: 'panel' | 'datasource' | 'app' | 'unknown';
  /** Keys of the AMD module's exports (a Grafana plugin module exports `plugin`). */
  exportKeys: string[];
  id?: string;
  type?: string;
  hasPanelComponent?: boolean;
  /** PanelPlugin option defaults, as Grafana computes them from the options builder. */
  defaults?: Record<string, unknown>;
  optionPaths?: string[];
  /** DataSourcePlugin components present (ConfigEditor, QueryEditor, …). */
  components?: string[];
  hasDataSourceClass?: boolean;
}

export interface RenderRequest {
  /** dataFrameToJSON output, as an array or as its JSON text (cheaper for large data). */
  frames?: DataFrameJSON[] | string;
  options?: Record<string, unknown>;
  fieldConfig?: { defaults?: Record<string, unknown>; overrides?: unknown[] };
  theme?: 'dark' | 'light';
  width?: number;
  height?: number;
  title?: string;
  state?: 'Done' | 'Loading' | 'Error' | 'Streaming' | 'NotStarted';
  timeRange?: { from: number; to: number };
  /**
   * The range as the dashboard's time picker holds it (e.g. now-30m / now). Default: `timeRange`
   * itself, absolute, as Grafana keeps a range picked as absolute times.
   */
  rawTimeRange?: { from: string; to: string };
  /**
   * The `pluginVersion` the panel was saved with. As when Grafana loads a saved panel, the
   * panel's migration handler runs on `options` when it differs from the loaded plugin's version
   * (always, when unset: a panel saved before versions were written).
   */
  pluginVersion?: string;
  /** Default /dist/panel/module.js */
  modulePath?: string;
  /** CSS selector to wait for (polling every frame) before measuring paint. */
  waitFor?: string;
  timeoutMs?: number;
}

export interface RenderResult {
  /** From root.render() to React's commit (ms). */
  commitMs: number;
  /** From root.render() to the first paint after `waitFor` appeared (ms). */
  paintMs: number;
  /** JSON.parse + dataFrameFromJSON of the frames, before root.render() (ms). */
  decodeMs: number;
  /** applyFieldOverrides, as Grafana's query runner does before the panel sees data (ms). */
  overridesMs: number;
  options: Record<string, unknown>;
  frameCount: number;
  theme: 'dark' | 'light';
}

/** What an open dashboard shows (scenes' state, read by the host). */
export interface DashboardState {
  timeRange: { from: number; to: number };
  variables: Array<{
    name: string;
    value: string | string[];
    text: string | string[];
    options: string[];
    loading: boolean;
    error?: string;
  }>;
  panels: Array<{
    id: number;
    type: string;
    title: string;
    state: string;
    frames: number;
    rows: number;
    errors: string[];
    /** Annotation events the panel received with its data (from the dashboard's layers). */
    annotations: number;
    requestId?: string;
    targets: Array<Record<string, unknown>>;
  }>;
  annotations: Array<{
    name: string;
    state: string;
    events: number;
    errors: string[];
    /** The layer's events as scenes made them from the datasource's frame (time in epoch ms). */
    items: Array<{ time: number; title: string; text: string; tags: string[] }>;
  }>;
}

export interface OpenDashboardRequest {
  /** A dashboard JSON model, or the URL the page fetches it from (e.g. /dashboards/flux-reconciliation.json). */
  dashboard: string | Record<string, unknown>;
  /** Overrides the dashboard's time range, e.g. absolute ISO times of a fixture. */
  timeRange?: { from: string; to: string };
  /** Overrides the dashboard's auto-refresh ('' = off). */
  refresh?: string;
  theme?: 'dark' | 'light';
  width?: number;
  /** CSS selector to wait for before resolving. */
  waitFor?: string;
  timeoutMs?: number;
}

/** A FluxGrid query or variable editor, rendered with the page's FluxGrid datasource instance. */
export interface EditorRequest {
  /** The query the editor starts from (the editor's onChange replaces it, as in Grafana). */
  query: Record<string, unknown>;
  /** Width of the editor's box in px; default 900. */
  width?: number;
  theme?: 'dark' | 'light';
  /** CSS selector to wait for before resolving. */
  waitFor?: string;
  /** The dashboard's time range (epoch ms); default Grafana's default (last 6 hours). */
  range?: { from: number; to: number };
}

/** The FluxGrid datasource instance the page offers (uid "fluxgrid"), over the Prometheus one (uid "prometheus"). */
export interface DatasourcesRequest {
  /** The FluxGrid datasource's jsonData; default { prometheusUid: 'prometheus' }. */
  fluxgridJsonData?: Record<string, unknown>;
  /** Default /dist/datasource/module.js */
  modulePath?: string;
}

export interface FluxgridHostApi {
  ready: boolean;
  errors: string[];
  /** The Grafana release whose shared modules the page runs (FLUXGRID_GRAFANA_LINE). */
  grafanaVersion: string;
  /** The React the page hands plugins. */
  reactVersion: string;
  loadPlugin(modulePath: string): Promise<LoadedPlugin>;
  render(req: RenderRequest): Promise<RenderResult>;
  renderConfigEditor(req: {
    modulePath?: string;
    jsonData?: Record<string, unknown>;
    theme?: 'dark' | 'light';
    waitFor?: string;
  }): Promise<{ commitMs: number; paintMs: number }>;
  /**
   * The FluxGrid datasource's QueryEditor (after setupDatasources), given the page's instance, so it
   * talks to Prometheus through Grafana's PrometheusDatasource. onChange calls go to optionChanges().
   */
  renderQueryEditor(req: EditorRequest): Promise<{ commitMs: number; paintMs: number }>;
  /** The FluxGrid datasource's variable query editor (its CustomVariableSupport editor), likewise. */
  renderVariableEditor(req: EditorRequest): Promise<{ commitMs: number; paintMs: number }>;
  /** onRunQuery calls of the editors since the last call (and resets the count). */
  editorRuns(): number;
  unmount(): Promise<void>;
  /** onOptionsChange calls seen since the last call (and clears them). */
  optionChanges(): unknown[];
  afterPaint(): Promise<void>;
  /** Loads the FluxGrid datasource from dist/ and offers it (uid "fluxgrid") beside Prometheus. */
  setupDatasources(req?: DatasourcesRequest): Promise<void>;
  /** A datasource's Save & test, through its real testDatasource(). */
  testDatasource(uid: string): Promise<{ status: string; message: string }>;
  /** Runs a dashboard JSON through @grafana/scenes and renders it. */
  openDashboard(req: OpenDashboardRequest): Promise<void>;
  dashboardState(): DashboardState;
  /** As a person choosing values in a variable picker. */
  setVariable(name: string, value: string | string[]): void;
  /** As a person pressing the dashboard's refresh button. */
  refreshDashboard(): void;
  /** The HTTP requests the BackendSrv made (method, URL, status) since the last call (and clears them). */
  backendRequests(): Array<{ method: string; url: string; status?: number }>;
  /** The runRequest calls made since the last call (and clears them). */
  queryRequests(): Array<{ requestId: string; targets: unknown[]; errors?: string[]; rows?: number }>;
}
