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

export interface FluxgridHostApi {
  ready: boolean;
  errors: string[];
  grafanaVersion: string;
  loadPlugin(modulePath: string): Promise<LoadedPlugin>;
  render(req: RenderRequest): Promise<RenderResult>;
  renderConfigEditor(req: {
    modulePath?: string;
    jsonData?: Record<string, unknown>;
    theme?: 'dark' | 'light';
    waitFor?: string;
  }): Promise<{ commitMs: number; paintMs: number }>;
  unmount(): Promise<void>;
  /** onOptionsChange calls seen since the last call (and clears them). */
  optionChanges(): unknown[];
  afterPaint(): Promise<void>;
}
