/**
 * The FluxGrid datasource: Flux-aware questions, answered by the user's own Prometheus datasource.
 *
 * No backend and no second copy of Prometheus URLs or credentials: every query is rewritten into
 * PromQL targets that name the configured Prometheus datasource, and handed to it through
 * Grafana's datasource service (Grafana would otherwise route them to this backend-less plugin).
 */
import {
  AnnotationSupport,
  DataFrame,
  DataQueryError,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  MetricFindValue,
  ScopedVars,
  TestDataSourceResponse,
} from '@grafana/data';
import { getDataSourceSrv, getTemplateSrv } from '@grafana/runtime';
import { from, lastValueFrom, Observable } from 'rxjs';

import { readFluxFrames } from '../flux/normalize';
import {
  coreMappingOf,
  duration,
  FilterValue,
  FluxFilters,
  ID,
  lastReconcileQuery,
  labelValuesQuery,
  metricFamiliesQuery,
  objectCountQuery,
  objectsStateQuery,
  PromQLOptions,
  reconcileDurationQuery,
  schemasOf,
  sinceQuery,
  STAT_LABEL,
  STATE_SERIES_STAT,
  StateSchema,
  stateSeries,
  stateSeriesCountQuery,
  subqueryStep,
} from '../flux/promql';
import { severityOf } from '../flux/state';
import { sortObjects } from '../flux/summary';
import { FLUX_METRICS, FLUX_STATES, FluxObject, FluxState } from '../flux/types';
import { currentState, durationRows, keyOf, lastSamples, stateChanges, stateTimelines, valuesByObject } from './decode';
import { filterAccepts, interpolateFilter, TemplateSrvLike } from './interpolate';
import * as messages from './messages';
import { objectsFrame, reconcileDurationFrame, stateChangesFrame, stateHistoryFrames, summaryFrame } from './output';
import {
  DEFAULT_LIMIT,
  DEFAULT_QUERY,
  FluxDataSourceOptions,
  FluxQuery,
  FluxQueryType,
  FluxVariableQuery,
  FluxVariableTarget,
  labelMappingOf,
} from './types';
import { FluxVariableSupport } from './variables';

/** A Prometheus panel target, as Grafana's Prometheus datasource takes it. */
export interface PrometheusTarget {
  refId: string;
  expr: string;
  instant: boolean;
  range: boolean;
  format: 'time_series';
  datasource: { type: string; uid: string };
  /** Min step, e.g. "30s" (range queries). */
  interval?: string;
}

/** An error whose message is meant for the user as is. */
export class FluxDatasourceError extends Error {}

interface Prometheus {
  ds: DataSourceApi;
  ref: { type: string; uid: string };
}

/** What one FluxGrid query needs to run, once variables are resolved. */
interface Resolved {
  query: FluxQuery;
  type: FluxQueryType;
  filters: FluxFilters;
  /** undefined: every state. */
  states?: ReadonlySet<FluxState>;
  fromMs: number;
  toMs: number;
}

function errorMessage(error: unknown): string {
  if (typeof error === 'string') {
    return error;
  }
  const e = error as { data?: { message?: string; error?: string }; message?: string; statusText?: string } | undefined;
  return e?.data?.message || e?.data?.error || e?.message || e?.statusText || 'unknown error';
}

export class FluxDatasource extends DataSourceApi<FluxQuery, FluxDataSourceOptions> {
  readonly settings: FluxDataSourceOptions;
  annotations: AnnotationSupport<FluxQuery>;

  constructor(instanceSettings: DataSourceInstanceSettings<FluxDataSourceOptions>) {
    super(instanceSettings);
    this.settings = instanceSettings.jsonData ?? {};
    this.variables = new FluxVariableSupport(this);
    this.annotations = {
      getDefaultQuery: () => ({ queryType: 'stateChanges' }),
      prepareQuery: (anno) => ({ refId: 'Anno', ...(anno.target ?? {}), queryType: 'stateChanges' }),
    };
  }

  get promqlOptions(): PromQLOptions {
    return { schema: this.settings.schema ?? 'auto', labels: labelMappingOf(this.settings) };
  }

  getDefaultQuery(): Partial<FluxQuery> {
    return { ...DEFAULT_QUERY };
  }

  filterQuery(query: FluxQuery): boolean {
    return !query.hide;
  }

  // -------------------------------------------------------------------------------------------
  // Delegation

  /** The configured Prometheus datasource, or an error that says what to fix. */
  async prometheus(): Promise<Prometheus> {
    const uid = this.settings.prometheusUid?.trim();
    if (!uid) {
      // getDataSourceSrv().get('') would quietly hand back the default datasource.
      throw new FluxDatasourceError(messages.NO_PROMETHEUS);
    }
    let ds: DataSourceApi;
    try {
      // The stable API through Grafana 12.3-13 (its successor lives in @grafana/runtime/unstable).
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      ds = await getDataSourceSrv().get(uid);
    } catch {
      throw new FluxDatasourceError(messages.prometheusNotFound(uid));
    }
    if (!ds) {
      throw new FluxDatasourceError(messages.prometheusNotFound(uid));
    }
    // Prometheus and its compatible cousins (Amazon/Azure managed Prometheus) take the same targets.
    if (!ds.type?.includes('prometheus') || ds.uid === this.uid) {
      throw new FluxDatasourceError(messages.notPrometheus(ds.name, ds.type));
    }
    return { ds, ref: { type: ds.type, uid: ds.uid } };
  }

  /**
   * Run PromQL through the Prometheus datasource; frames by our refId. Any error (in the response
   * or thrown) becomes a FluxDatasourceError carrying Prometheus' message.
   */
  async runPromQL(
    prom: Prometheus,
    request: DataQueryRequest<FluxQuery> | undefined,
    exprs: Record<string, string>,
    options: { range?: boolean; fromMs: number; toMs: number; intervalSeconds?: number; refId?: string }
  ): Promise<Record<string, DataFrame[]>> {
    // Prefixed with the FluxGrid target's refId: several targets of one panel run side by side, and
    // their Prometheus sub-queries (and requests) must not be taken for one another.
    const prefix = options.refId ? `${options.refId}-` : '';
    const targets: PrometheusTarget[] = Object.entries(exprs).map(([key, expr]) => ({
      refId: prefix + key,
      expr,
      instant: !options.range,
      range: Boolean(options.range),
      format: 'time_series',
      datasource: prom.ref,
      ...(options.intervalSeconds ? { interval: duration(options.intervalSeconds) } : {}),
    }));
    const delegated = {
      ...(request ?? {}),
      requestId: `${request?.requestId ?? 'fluxgrid'}-${targets.map((t) => t.refId).join('-')}`,
      targets,
      range: {
        ...(request?.range ?? {}),
        from: (request?.range?.from ?? new Date(options.fromMs)) as never,
        to: (request?.range?.to ?? new Date(options.toMs)) as never,
        raw: request?.range?.raw ?? {
          from: new Date(options.fromMs).toISOString(),
          to: new Date(options.toMs).toISOString(),
        },
      },
      interval: request?.interval ?? '15s',
      intervalMs: request?.intervalMs ?? 15000,
      maxDataPoints: request?.maxDataPoints ?? 1000,
      scopedVars: request?.scopedVars ?? {},
      timezone: request?.timezone ?? 'utc',
      app: request?.app ?? 'fluxgrid',
      startTime: Date.now(),
    } as unknown as DataQueryRequest;
    let response: DataQueryResponse;
    try {
      response = await lastValueFrom(prom.ds.query(delegated) as Observable<DataQueryResponse>);
    } catch (error) {
      throw new FluxDatasourceError(messages.prometheusFailed(prom.ds.name, errorMessage(error)));
    }
    // `error` is what older Prometheus datasources set; newer ones set `errors`.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const errors: DataQueryError[] = [...(response.errors ?? []), ...(response.error ? [response.error] : [])];
    if (errors.length) {
      const unique = Array.from(new Set(errors.map((e) => e.message || e.data?.message || 'unknown error')));
      throw new FluxDatasourceError(messages.prometheusFailed(prom.ds.name, unique.join('; ')));
    }
    const byRef: Record<string, DataFrame[]> = Object.fromEntries(Object.keys(exprs).map((k) => [k, []]));
    for (const frame of (response.data ?? []) as DataFrame[]) {
      const refId = frame.refId ?? '';
      const key = prefix && refId.startsWith(prefix) ? refId.slice(prefix.length) : refId;
      (byRef[key] ??= []).push(frame);
    }
    return byRef;
  }

  // -------------------------------------------------------------------------------------------
  // Queries

  query(request: DataQueryRequest<FluxQuery>): Observable<DataQueryResponse> {
    return from(this.runRequest(request));
  }

  private async runRequest(request: DataQueryRequest<FluxQuery>): Promise<DataQueryResponse> {
    const targets = request.targets.filter((t) => this.filterQuery(t));
    if (!targets.length) {
      return { data: [] };
    }
    let prom: Prometheus;
    try {
      prom = await this.prometheus();
    } catch (error) {
      const message = errorMessage(error);
      return { data: [], errors: targets.map((t) => ({ refId: t.refId, message })) };
    }
    const templateSrv = getTemplateSrv() as unknown as TemplateSrvLike;
    const results = await Promise.all(
      targets.map(async (query) => {
        try {
          return { frames: await this.runQuery(prom, request, this.resolve(query, request, templateSrv)) };
        } catch (error) {
          return { error: { refId: query.refId, message: errorMessage(error) } as DataQueryError };
        }
      })
    );
    const data = results.flatMap((r) => r.frames ?? []);
    const errors = results.flatMap((r) => (r.error ? [r.error] : []));
    return errors.length ? { data, errors } : { data };
  }

  private resolve(query: FluxQuery, request: DataQueryRequest<FluxQuery>, templateSrv: TemplateSrvLike): Resolved {
    const scoped: ScopedVars = request.scopedVars ?? {};
    const filters: FluxFilters = {
      cluster: interpolateFilter(query.cluster, 'exact', templateSrv, scoped),
      kind: interpolateFilter(query.kind, 'exact', templateSrv, scoped),
      namespace: interpolateFilter(query.namespace, 'exact', templateSrv, scoped),
      name: interpolateFilter(query.name, 'regex', templateSrv, scoped),
    };
    const stateFilter = interpolateFilter(query.state, 'exact', templateSrv, scoped);
    checkStateFilter(stateFilter);
    const states = stateFilter ? new Set(FLUX_STATES.filter((s) => filterAccepts(stateFilter, s, true))) : undefined;
    return {
      query,
      type: query.queryType ?? 'objects',
      filters,
      states,
      fromMs: request.range.from.valueOf(),
      toMs: request.range.to.valueOf(),
    };
  }

  private async runQuery(prom: Prometheus, request: DataQueryRequest<FluxQuery>, r: Resolved): Promise<DataFrame[]> {
    const refId = r.query.refId;
    switch (r.type) {
      case 'objects': {
        const objects = await this.objects(prom, request, r, { withTimes: true });
        return [objectsFrame(objects, refId)];
      }
      case 'summary': {
        const objects = await this.objects(prom, request, r, { withTimes: false });
        return [summaryFrame(objects, r.query.summaryBy ?? 'state', refId)];
      }
      case 'reconcileDuration':
        return [await this.reconcileDuration(prom, request, r)];
      case 'stateHistory': {
        const timelines = await this.timelines(prom, request, r);
        const filtered = r.states
          ? timelines.filter((t) => t.states.some((s) => s !== null && r.states!.has(s)))
          : timelines;
        const rank = (s: FluxState | null) => (s === null ? FLUX_STATES.length : severityOf(s));
        filtered.sort(
          (a, b) =>
            rank(currentState(a)) - rank(currentState(b)) ||
            a.cluster.localeCompare(b.cluster) ||
            a.kind.localeCompare(b.kind) ||
            a.namespace.localeCompare(b.namespace) ||
            a.name.localeCompare(b.name)
        );
        return stateHistoryFrames(filtered, refId);
      }
      case 'stateChanges': {
        const changes = stateChanges(await this.timelines(prom, request, r));
        const filtered = r.states
          ? changes.filter((c) => r.states!.has(c.to) || (c.from !== null && r.states!.has(c.from)))
          : changes;
        return [stateChangesFrame(filtered, refId)];
      }
      default:
        throw new FluxDatasourceError(`Unknown query type "${String(r.type)}"`);
    }
  }

  /**
   * Objects: at most three Prometheus queries, each answering one row per object —
   * the raw state series (decoded by the core), since when each object is in its state, and when
   * it last reconciled (both computed in PromQL over the dashboard range).
   */
  async objects(
    prom: Prometheus,
    request: DataQueryRequest<FluxQuery> | undefined,
    r: Resolved,
    opts: { withTimes: boolean }
  ): Promise<FluxObject[]> {
    const options = this.promqlOptions;
    const windowSeconds = Math.max(60, (r.toMs - r.fromMs) / 1000);
    const step = subqueryStep(windowSeconds);
    const exprs: Record<string, string> = { state: objectsStateQuery(r.filters, options) };
    if (opts.withTimes) {
      exprs.since = sinceQuery(r.filters, options, windowSeconds, step);
      // Folded in: whether any state series exists at all, unfiltered (see `stateless` below).
      exprs.lastReconcile = `${lastReconcileQuery(r.filters, options, windowSeconds, step)} or ${stateSeriesCountQuery(options)}`;
    }
    const frames = await this.runPromQL(prom, request, exprs, { fromMs: r.fromMs, toMs: r.toMs, refId: r.query.refId });
    // objectsStateQuery rewrites the kind / namespace / name overrides into the default labels.
    const reading = readFluxFrames(frames.state, { labels: coreMappingOf(options.labels ?? {}) });
    let objects = reading.objects;
    if (opts.withTimes) {
      const windowStart = r.toMs - windowSeconds * 1000;
      const since = valuesByObject(frames.since);
      const lastReconcile = valuesByObject(frames.lastReconcile);
      const known = new Set<string>();
      for (const object of objects) {
        known.add(object.key);
        // Sample times (seconds). At the window start (or, through Prometheus' lookback, before
        // it): in this state at least since the window start.
        const sinceMs = (since.get(object.key)?.value ?? 0) * 1000;
        object.sinceIsLowerBound = sinceMs <= windowStart + step * 1000;
        object.since = object.sinceIsLowerBound ? windowStart : Math.min(sinceMs, r.toMs);
        const reconciled = lastReconcile.get(object.key);
        if (reconciled && reconciled.value > 0) {
          object.reconcile = {
            ...(object.reconcile ?? { count: 0 }),
            lastReconcileAt: Math.min(reconciled.value * 1000, r.toMs),
          };
        }
      }
      // No state metric at all (Flux >= 2.5 without kube-state-metrics or the operator), yet the
      // controllers report reconciles: show the objects that reconciled within the range as Unknown
      // (as the core does) rather than nothing. Decided from whether the configured schemas have any
      // state series at all, not from the filtered answer: when state metrics exist, the reconcile
      // counters of deleted (or filtered-out) objects live on until the controller restarts, and
      // Alert/Provider have counters that some schemas have no state series for.
      const stateless = !lastSamples(frames.lastReconcile).some(
        (sample) => sample.labels[STAT_LABEL] === STATE_SERIES_STAT && sample.value > 0
      );
      for (const [key, { ref, value }] of lastReconcile) {
        if (stateless && value > 0 && !known.has(key)) {
          objects.push({
            key,
            ...ref,
            state: 'Unknown',
            suspended: false,
            // Not a state schema's: derived by the datasource from the reconcile counters alone.
            schema: 'fluxgrid',
            observedAt: r.toMs,
            labels: Object.fromEntries(Object.entries(ref).filter(([, v]) => v !== '')),
            reconcile: { count: 0, lastReconcileAt: Math.min(value * 1000, r.toMs) },
          });
        }
      }
    }
    if (r.states) {
      objects = objects.filter((o) => r.states!.has(o.state));
    }
    return sortObjects(objects, 'severity');
  }

  private async reconcileDuration(
    prom: Prometheus,
    request: DataQueryRequest<FluxQuery>,
    r: Resolved
  ): Promise<DataFrame> {
    const windowSeconds = Math.max(60, (r.toMs - r.fromMs) / 1000);
    const limit = Math.max(1, Math.floor(Number(r.query.limit) || DEFAULT_LIMIT));
    const options = this.promqlOptions;
    if (!r.states) {
      const frames = await this.runPromQL(
        prom,
        request,
        { durations: reconcileDurationQuery(r.filters, options, windowSeconds, limit) },
        { ...r, refId: r.query.refId }
      );
      return reconcileDurationFrame(durationRows(frames.durations, limit), r.query.refId);
    }
    // A state filter needs each object's state: rank all matching objects, keep those in the states.
    const [frames, objects] = await Promise.all([
      this.runPromQL(
        prom,
        request,
        { durations: reconcileDurationQuery(r.filters, options, windowSeconds, 1_000_000) },
        { ...r, refId: r.query.refId }
      ),
      this.objects(prom, request, r, { withTimes: false }),
    ]);
    const wanted = new Set(objects.map((o) => o.key));
    const rows = durationRows(frames.durations, Number.MAX_SAFE_INTEGER).filter((row) =>
      wanted.has(keyOf(rowLabels(row)))
    );
    return reconcileDurationFrame(rows.slice(0, limit), r.query.refId);
  }

  private async timelines(prom: Prometheus, request: DataQueryRequest<FluxQuery>, r: Resolved) {
    const frames = await this.runPromQL(
      prom,
      request,
      { states: stateSeries(r.filters, this.promqlOptions) },
      { ...r, range: true, refId: r.query.refId }
    );
    return stateTimelines(frames.states);
  }

  // -------------------------------------------------------------------------------------------
  // Variables

  /** The distinct clusters / kinds / namespaces / names of the objects matching the other filters. */
  async variableValues(query: FluxVariableQuery, request?: DataQueryRequest<FluxVariableQuery>): Promise<string[]> {
    const prom = await this.prometheus();
    const templateSrv = getTemplateSrv() as unknown as TemplateSrvLike;
    const scoped = request?.scopedVars ?? {};
    const target: FluxVariableTarget = query.target ?? 'names';
    if (!VARIABLE_TARGETS.includes(target)) {
      throw new FluxDatasourceError(
        `Unknown variable query "${String(target)}": FluxGrid lists ${VARIABLE_TARGETS.map((t) => `"${t}"`).join(', ')}.`
      );
    }
    const filters: FluxFilters = {
      cluster: target === 'clusters' ? undefined : interpolateFilter(query.cluster, 'exact', templateSrv, scoped),
      kind: target === 'kinds' ? undefined : interpolateFilter(query.kind, 'exact', templateSrv, scoped),
      namespace: target === 'namespaces' ? undefined : interpolateFilter(query.namespace, 'exact', templateSrv, scoped),
    };
    const toMs = request?.range?.to?.valueOf() ?? Date.now();
    const fromMs = request?.range?.from?.valueOf() ?? toMs - 3600_000;
    const frames = await this.runPromQL(
      prom,
      request as never,
      { values: labelValuesQuery(target, filters, this.promqlOptions) },
      { fromMs, toMs }
    );
    const label = { clusters: ID.cluster, kinds: ID.kind, namespaces: ID.namespace, names: ID.name }[target];
    const values = new Set<string>();
    for (const sample of lastSamples(frames.values)) {
      const value = sample.labels[label];
      if (value) {
        values.add(value);
      }
    }
    return Array.from(values).sort((a, b) => a.localeCompare(b));
  }

  async metricFindQuery(
    query: FluxVariableQuery | string,
    options?: { range?: DataQueryRequest['range']; scopedVars?: ScopedVars }
  ): Promise<MetricFindValue[]> {
    const q: FluxVariableQuery =
      typeof query === 'string'
        ? { refId: 'variable', target: (query.trim() as FluxVariableTarget) || 'names' }
        : query;
    const values = await this.variableValues(q, options as DataQueryRequest<FluxVariableQuery>);
    return values.map((text) => ({ text, value: text }));
  }

  // -------------------------------------------------------------------------------------------
  // Health

  async testDatasource(): Promise<TestDataSourceResponse> {
    try {
      // Invalid label settings are named before anything is asked of Prometheus.
      const options = this.promqlOptions;
      const prom = await this.prometheus();
      const toMs = Date.now();
      const window = { fromMs: toMs - 3600_000, toMs };
      const families = await this.runPromQL(prom, undefined, { families: metricFamiliesQuery() }, window);
      const found: StateSchema[] = [];
      let reconcileCounters = false;
      for (const sample of lastSamples(families.families)) {
        const schema = messages.METRIC_SCHEMA[sample.labels.__name__];
        if (schema && sample.value > 0 && !found.includes(schema)) {
          found.push(schema);
        }
        if (sample.labels.__name__ === FLUX_METRICS.reconcileDurationCount && sample.value > 0) {
          reconcileCounters = true;
        }
      }
      if (!found.length) {
        return {
          status: 'error',
          message: reconcileCounters
            ? messages.onlyReconcileCounters(prom.ds.name)
            : messages.noFluxMetrics(prom.ds.name),
        };
      }
      const wanted = schemasOf(this.settings.schema).filter((s) => found.includes(s));
      if (!wanted.length) {
        return {
          status: 'error',
          message: messages.forcedSchemaMissing(prom.ds.name, this.settings.schema as StateSchema, found),
        };
      }
      const counts = await this.runPromQL(prom, undefined, { counts: objectCountQuery(options) }, window);
      let objects = 0;
      let clusters = 0;
      for (const sample of lastSamples(counts.counts)) {
        if (sample.labels[STAT_LABEL] === 'objects') {
          objects = sample.value;
        } else if (sample.labels[STAT_LABEL] === 'clusters') {
          clusters = sample.value;
        }
      }
      if (objects === 0) {
        // The families are there, yet no series has a kind and a name where FluxGrid looks.
        return { status: 'error', message: messages.noObjectsResolved(prom.ds.name, wanted) };
      }
      // Report the schemas in the order they win (richest first).
      return { status: 'success', message: messages.healthy(objects, clusters, wanted) };
    } catch (error) {
      return { status: 'error', message: errorMessage(error) };
    }
  }
}

const VARIABLE_TARGETS: readonly FluxVariableTarget[] = ['clusters', 'kinds', 'namespaces', 'names'];

/** A state filter may only name FluxStates (an empty selection, matching nothing, is fine). */
function checkStateFilter(filter: FilterValue | undefined): void {
  const values = !filter
    ? []
    : filter.type === 'equals'
      ? [filter.value]
      : filter.type === 'oneOf'
        ? filter.values
        : [];
  const unknown = values.filter((v) => !FLUX_STATES.some((s) => s.toLowerCase() === v.toLowerCase()));
  if (unknown.length) {
    throw new FluxDatasourceError(
      `Unknown state ${unknown.map((v) => `"${v}"`).join(', ')} in the state filter: the states are ${FLUX_STATES.join(', ')}.`
    );
  }
}

function rowLabels(row: { cluster: string; kind: string; namespace: string; name: string }): Record<string, string> {
  return { [ID.cluster]: row.cluster, [ID.kind]: row.kind, [ID.namespace]: row.namespace, [ID.name]: row.name };
}
