/**
 * The @grafana/runtime services a Grafana frontend sets at boot, for the browser host.
 *
 * BackendSrv: really fetches. Grafana's own BackendSrv (app/core/services/backend_srv.ts) is not on
 * npm; this one keeps the contract its callers rely on: `fetch()` is a cold Observable over one
 * HTTP request (unsubscribing aborts it), a newer request with the same `requestId` cancels the
 * older one, JSON bodies are sent and read as JSON, and a non-2xx answer errors with a
 * FetchError-shaped `{status, statusText, data, config}`. The requests go to the page's own
 * origin (`/api/...`), which the host's static server hands to the Grafana backend stand-in
 * (tests/harness/grafana-backend.ts), as a browser talks to Grafana's server.
 *
 * TemplateSrv: what Grafana's TemplateSrv does in a scenes dashboard: interpolation is
 * `sceneGraph.interpolate` on the scene object in `scopedVars.__sceneObject`, else on the open
 * dashboard (Grafana keeps it in window.__grafanaSceneContext); its variables are listed as
 * Grafana's legacy variable models (what the query editor offers as `$name`).
 *
 * DataSourceSrv: the datasource instances of the page (Grafana's real PrometheusDatasource and
 * the FluxGrid datasource from dist/), looked up by uid, name or `${variable}`.
 */
import {
  LoadingState,
  VariableHide,
  VariableRefresh,
  type DataSourceApi,
  type DataSourceInstanceSettings,
  type DataSourceRef,
  type ScopedVars,
  type TimeRange,
  type TypedVariableModel,
  type VariableOption,
  type VariableWithMultiSupport,
} from '@grafana/data';
import type {
  BackendSrv,
  BackendSrvRequest,
  DataSourceSrv,
  FetchError,
  FetchResponse,
  GetDataSourceListFilters,
  TemplateSrv,
} from '@grafana/runtime';
import { VariableHide as SchemaVariableHide } from '@grafana/schema';
import {
  DataSourceVariable,
  QueryVariable,
  sceneGraph,
  type MultiValueVariableState,
  type SceneObject,
  type SceneVariable,
  type VariableValue,
} from '@grafana/scenes';
import { Observable, lastValueFrom } from 'rxjs';

// ---------------------------------------------------------------------------------------------
// BackendSrv

function urlOf(options: BackendSrvRequest): string {
  const url = new URL(options.url, window.location.origin);
  for (const [key, value] of Object.entries(options.params ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && v !== null) {
        url.searchParams.append(key, String(v));
      }
    }
  }
  return url.toString();
}

function bodyOf(options: BackendSrvRequest, headers: Headers): BodyInit | undefined {
  const data = options.data;
  if (data === undefined || data === null || options.method === 'GET') {
    return undefined;
  }
  if (typeof data === 'string' || data instanceof URLSearchParams || data instanceof FormData) {
    return data;
  }
  if (!headers.has('content-type')) {
    headers.set('content-type', 'application/json');
  }
  // Grafana's BackendSrv form-encodes an object body sent as a form (the Prometheus resources' POST).
  if (headers.get('content-type')?.startsWith('application/x-www-form-urlencoded')) {
    return new URLSearchParams(data);
  }
  return JSON.stringify(data);
}

async function readBody(res: Response, responseType?: string): Promise<unknown> {
  if (responseType === 'blob') {
    return res.blob();
  }
  if (responseType === 'arraybuffer') {
    return res.arrayBuffer();
  }
  const text = await res.text();
  if (responseType === 'text') {
    return text;
  }
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}

export class FetchingBackendSrv implements BackendSrv {
  /** In-flight requests by requestId, so that a newer one cancels the older (as Grafana's does). */
  private readonly inFlight = new Map<string, AbortController>();
  private readonly superseded = new WeakSet<AbortController>();
  /** Every request made, for tests ("the health check went to /api/datasources/uid/x/health"). */
  readonly log: Array<{ method: string; url: string; status?: number }> = [];

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((subscriber) => {
      const controller = new AbortController();
      if (options.requestId) {
        // Grafana's BackendSrv ends the older request without an answer (takeUntil), not with an error.
        const older = this.inFlight.get(options.requestId);
        if (older) {
          this.superseded.add(older);
          older.abort();
        }
        this.inFlight.set(options.requestId, controller);
      }
      const method = (options.method ?? 'GET').toUpperCase();
      const headers = new Headers(options.headers ?? {});
      const url = urlOf(options);
      const entry: { method: string; url: string; status?: number } = { method, url };
      this.log.push(entry);
      const body = bodyOf({ ...options, method }, headers);
      fetch(url, { method, headers, body, signal: controller.signal, credentials: 'same-origin' })
        .then(async (res) => {
          entry.status = res.status;
          const data = (await readBody(res, options.responseType)) as T;
          const response: FetchResponse<T> = {
            data,
            status: res.status,
            statusText: res.statusText,
            ok: res.ok,
            headers: res.headers,
            redirected: res.redirected,
            type: res.type,
            url: res.url,
            config: options,
          };
          if (!res.ok) {
            const error: FetchError = { status: res.status, statusText: res.statusText, data, config: options };
            subscriber.error(error);
            return;
          }
          subscriber.next(response);
          subscriber.complete();
        })
        .catch((error: Error) => {
          if (this.superseded.has(controller)) {
            subscriber.complete();
          } else if (!controller.signal.aborted) {
            // A network error: Grafana's BackendSrv reports it like an HTTP error without a status.
            const fetchError: FetchError = {
              status: 0,
              statusText: error.message,
              data: { message: error.message },
              config: options,
            };
            subscriber.error(fetchError);
          } else {
            const cancelled: FetchError = {
              status: -1,
              statusText: 'Request was aborted',
              data: { message: 'Request was aborted' },
              cancelled: true,
              config: options,
            };
            subscriber.error(cancelled);
          }
        })
        .finally(() => {
          if (options.requestId && this.inFlight.get(options.requestId) === controller) {
            this.inFlight.delete(options.requestId);
          }
        });
      return () => controller.abort();
    });
  }

  request<T>(options: BackendSrvRequest): Promise<T> {
    return lastValueFrom(this.fetch<T>(options)).then((r) => r.data);
  }
  datasourceRequest<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }
  get<T>(url: string, params?: BackendSrvRequest['params'], requestId?: string, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, url, params, requestId, method: 'GET' });
  }
  delete<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, url, data, method: 'DELETE' });
  }
  post<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, url, data, method: 'POST' });
  }
  patch<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, url, data, method: 'PATCH' });
  }
  put<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, url, data, method: 'PUT' });
  }
  chunked(): Observable<FetchResponse<Uint8Array | undefined>> {
    return new Observable((subscriber) =>
      subscriber.error(new Error('browser host: chunked requests are not served (no Grafana server streams here)'))
    );
  }
}

// ---------------------------------------------------------------------------------------------
// TemplateSrv

/** Grafana's variable syntax: $var, [[var]], [[var:fmt]], ${var}, ${var.field}, ${var:fmt}. */
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

const HIDE: Record<SchemaVariableHide, VariableHide> = {
  [SchemaVariableHide.dontHide]: VariableHide.dontHide,
  [SchemaVariableHide.hideLabel]: VariableHide.hideLabel,
  [SchemaVariableHide.hideVariable]: VariableHide.hideVariable,
  [SchemaVariableHide.inControlsMenu]: VariableHide.inControlsMenu,
};

/** A scene variable's value as a legacy option's: strings. */
const optionValue = (value: VariableValue): string | string[] =>
  Array.isArray(value) ? value.map((v) => String(v)) : String(value);

/** What a multi-value variable's legacy model holds: its selection as `current` (All stays `$__all`). */
function withOptions(state: MultiValueVariableState): Omit<VariableWithMultiSupport, 'type' | 'index'> {
  const { name, label, hide, skipUrlSync, description, value, text, options, isMulti, includeAll, allValue } = state;
  const selected = new Set(Array.isArray(value) ? value.map(String) : [String(value)]);
  return {
    name,
    label,
    id: name,
    rootStateKey: null,
    global: false,
    hide: HIDE[hide ?? SchemaVariableHide.dontHide],
    skipUrlSync: skipUrlSync ?? false,
    state: LoadingState.Done,
    error: null,
    description: description ?? null,
    current: { selected: true, value: optionValue(value), text: optionValue(text) },
    options: options.map((option): VariableOption => ({
      selected: selected.has(String(option.value)),
      value: String(option.value),
      text: option.label,
    })),
    query: '',
    multi: Boolean(isMulti),
    includeAll: Boolean(includeAll),
    allValue: allValue ?? null,
  };
}

/**
 * A scene variable as Grafana's TemplateSrv lists it (getVariablesCompatibility maps the scene's
 * variables to their legacy models), built field by field for the kinds the host's dashboards
 * use: a query and a datasource variable. Others are not listed (the host makes none).
 */
function legacyVariableModel(variable: SceneVariable, index: number): TypedVariableModel | undefined {
  if (variable instanceof QueryVariable) {
    const { datasource, query, definition, regex, regexApplyTo, refresh, sort } = variable.state;
    return {
      ...withOptions(variable.state),
      type: 'query',
      index,
      datasource,
      query,
      definition: definition ?? '',
      regex,
      regexApplyTo,
      refresh,
      sort,
    };
  }
  if (variable instanceof DataSourceVariable) {
    return {
      ...withOptions(variable.state),
      type: 'datasource',
      index,
      query: variable.state.pluginId,
      regex: variable.state.regex,
      refresh: VariableRefresh.onDashboardLoad,
    };
  }
  return undefined;
}

export class SceneTemplateSrv implements TemplateSrv {
  /** The open dashboard, like window.__grafanaSceneContext in Grafana. */
  scene: SceneObject | undefined;

  private sceneOf(scopedVars?: ScopedVars): SceneObject | undefined {
    const wrapped = scopedVars?.__sceneObject?.value as { valueOf(): SceneObject } | undefined;
    return wrapped?.valueOf() ?? this.scene;
  }

  getVariables(): TypedVariableModel[] {
    if (!this.scene) {
      return [];
    }
    return sceneGraph
      .getVariables(this.scene)
      .state.variables.flatMap((variable, index) => legacyVariableModel(variable, index) ?? []);
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    if (!target) {
      return target ?? '';
    }
    const scene = this.sceneOf(scopedVars);
    if (!scene) {
      return target;
    }
    return sceneGraph.interpolate(scene, target, scopedVars, format as Parameters<typeof sceneGraph.interpolate>[3]);
  }

  containsTemplate(target?: string): boolean {
    if (!target) {
      return false;
    }
    const names = new Set(this.getVariables().map((v) => v.name));
    for (const match of target.matchAll(VARIABLE)) {
      const name = match[1] ?? match[2] ?? match[4];
      if (name && (names.has(name) || name.startsWith('__'))) {
        return true;
      }
    }
    return false;
  }

  updateTimeRange(_timeRange: TimeRange): void {
    // Scenes read the time range from the scene's SceneTimeRange, not from here.
  }
}

// ---------------------------------------------------------------------------------------------
// DataSourceSrv

export class HostDataSourceSrv implements DataSourceSrv {
  private readonly settings = new Map<string, DataSourceInstanceSettings>();
  private readonly instances = new Map<string, DataSourceApi>();
  private readonly factories = new Map<string, () => DataSourceApi>();

  /** Set where @grafana/runtime has its own instance registry: instances then come from it. */
  delegate?: (ref: DataSourceRef | string | null | undefined, scopedVars?: ScopedVars) => Promise<DataSourceApi>;

  constructor(private readonly templateSrv: TemplateSrv) {}

  /** A datasource the page offers; `create` makes its instance on first use. */
  add(settings: DataSourceInstanceSettings, create: () => DataSourceApi): void {
    this.settings.set(settings.uid, settings);
    this.instances.delete(settings.uid);
    this.factories.set(settings.uid, create);
  }

  private uidOf(ref?: DataSourceRef | string | null, scopedVars?: ScopedVars): string | undefined {
    let key = typeof ref === 'string' ? ref : (ref?.uid ?? undefined);
    if (key === undefined || key === null || key === 'default') {
      const type = typeof ref === 'object' ? ref?.type : undefined;
      const all = [...this.settings.values()];
      return (type ? all.find((s) => s.type === type) : all.find((s) => s.isDefault))?.uid;
    }
    if (key.startsWith('$')) {
      key = this.templateSrv.replace(key, scopedVars);
    }
    if (this.settings.has(key)) {
      return key;
    }
    return [...this.settings.values()].find((s) => s.name === key)?.uid;
  }

  getInstanceSettings(ref?: DataSourceRef | string | null, scopedVars?: ScopedVars) {
    const uid = this.uidOf(ref, scopedVars);
    return uid ? this.settings.get(uid) : undefined;
  }

  async get(ref?: DataSourceRef | string | null, scopedVars?: ScopedVars): Promise<DataSourceApi> {
    const uid = this.uidOf(ref, scopedVars);
    if (this.delegate && uid) {
      return this.delegate(uid, scopedVars);
    }
    const create = uid ? this.factories.get(uid) : undefined;
    if (!uid || !create) {
      throw new Error(`Datasource ${JSON.stringify(ref)} was not found`);
    }
    let instance = this.instances.get(uid);
    if (!instance) {
      instance = create();
      this.instances.set(uid, instance);
    }
    return instance;
  }

  getList(filters: GetDataSourceListFilters = {}): DataSourceInstanceSettings[] {
    const want = filters.pluginId ?? filters.type;
    const types = Array.isArray(want) ? want : want ? [want] : undefined;
    return [...this.settings.values()].filter(
      (s) =>
        (!types || types.includes(s.type)) &&
        (!filters.metrics || s.meta.metrics) &&
        (!filters.annotations || s.meta.annotations) &&
        (!filters.filter || filters.filter(s))
    );
  }

  reload(): Promise<void> {
    return Promise.resolve();
  }

  registerRuntimeDataSource(): void {
    // Every instance of the page is registered through add().
  }
}
