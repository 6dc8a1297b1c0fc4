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
  TimeRange,
} from '@grafana/data';
import { DataSourceSrv, getDataSourceSrv, getTemplateSrv, TemplateSrv } from '@grafana/runtime';
import { from, Observable } from 'rxjs';

import {
  durationsQuestion,
  FilterValue,
  FLUX_STATES,
  FluxAnswers,
  FluxFilters,
  FluxObject,
  FluxQueries,
  FluxState,
  historyQuestion,
  objectsQuestion,
  PromQLOptions,
  RecordingCoverage,
  recordingRulesQuestion,
  rolloutsQuestion,
  toRolloutFrame,
} from '../flux';
import { filterAccepts, interpolateFilter, TemplateSrvLike } from './interpolate';
import { objectsFrame, reconcileDurationFrame, stateChangesFrame, stateHistoryFrames, summaryFrame } from './output';
import {
  DEFAULT_LIMIT,
  DEFAULT_QUERY,
  FluxDataSourceOptions,
  FluxDatasourceApi,
  FluxQuery,
  FluxQueryType,
  FluxVariableQuery,
  labelMappingOf,
  VariableContext,
} from './types';
import { checkHealth } from './health';
import { ResourcesMemo } from './prometheusResources';
import { migrateQuery } from './migrations';
import {
  errorMessage,
  findPrometheus,
  FluxDatasourceError,
  forQuery,
  Prometheus,
  PromQLWindow,
  runPromQL,
  scrapeIntervalSecondsOf,
  withNotices,
} from './prometheus';
import { variableQueryOf } from './variableQuery';
import { FluxVariableSupport, listVariableValues, toMetricFindValues } from './variables';

export { FluxDatasourceError } from './prometheus';
export type { PrometheusTarget } from './prometheus';

/** What one FluxGrid query needs to run, once variables are resolved. */
interface Resolved {
  query: FluxQuery;
  type: FluxQueryType;
  filters: FluxFilters;
  /** undefined: every state. */
  states?: ReadonlySet<FluxState>;
  fromMs: number;
  toMs: number;
  /** The request's interval (the panel's step), for the questions that show states over time. */
  intervalMs?: number;
}

export class FluxDatasource extends DataSourceApi<FluxQuery, FluxDataSourceOptions> implements FluxDatasourceApi {
  readonly settings: FluxDataSourceOptions;
  annotations: AnnotationSupport<FluxQuery>;

  /**
   * Grafana's template and datasource services by default (as PrometheusDatasource takes its
   * TemplateSrv); tests hand in their own instead of mocking @grafana/runtime.
   */
  constructor(
    instanceSettings: DataSourceInstanceSettings<FluxDataSourceOptions>,
    private readonly templateSrv: TemplateSrv = getTemplateSrv(),
    private readonly dataSourceSrv: DataSourceSrv = getDataSourceSrv()
  ) {
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
  prometheus(): Promise<Prometheus> {
    return findPrometheus(
      this.dataSourceSrv,
      this.settings.prometheusUid,
      this,
      this.settings.timeoutSeconds,
      this.resources
    );
  }

  /** Run PromQL through the Prometheus datasource; frames by the keys of `exprs` (prometheus.ts). */
  runPromQL(
    prom: Prometheus,
    request: DataQueryRequest<FluxQuery> | undefined,
    exprs: Record<string, string>,
    options: PromQLWindow
  ): Promise<Record<string, DataFrame[]>> {
    const plan = this.plans.get(prom);
    if (plan) {
      // A dry run: keep what would be asked, answer every key with nothing.
      plan.push({ exprs, range: Boolean(options.range) });
      return Promise.resolve(Object.fromEntries(Object.keys(exprs).map((key) => [key, []])));
    }
    return runPromQL(prom, request, exprs, options);
  }

  /** Dry runs in progress (plannedQueries), by the Prometheus handle they run on. */
  private readonly plans = new WeakMap<Prometheus, FluxQueries[]>();

  /** Whether the Prometheus datasource's resources answered this datasource lately. */
  private readonly resources = new ResourcesMemo();

  /**
   * The PromQL a query sends as it stands, for the query editor: the query run dry over `range`
   * (variables resolved, the same questions in the same order), every answer empty. Throws what
   * running it would (no Prometheus, a bad state filter, invalid label settings).
   */
  async plannedQueries(query: FluxQuery, range: TimeRange, scopedVars: ScopedVars = {}): Promise<FluxQueries[]> {
    const request: DataQueryRequest<FluxQuery> = {
      requestId: `fluxgrid-plan-${query.refId}`,
      app: 'fluxgrid-query-editor',
      interval: '1m',
      intervalMs: 60_000,
      range,
      scopedVars,
      targets: [query],
      timezone: 'utc',
      startTime: Date.now(),
    };
    const dry = forQuery(await this.prometheus());
    const plan: FluxQueries[] = [];
    this.plans.set(dry, plan);
    await this.runQuery(dry, request, this.resolve(migrateQuery(query), request, this.templateSrv));
    return plan;
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
    const results = await Promise.all(
      targets.map(async (saved) => {
        const query = migrateQuery(saved);
        // Each query collects the warnings of its own Prometheus answers.
        const own = forQuery(prom);
        try {
          const frames = await this.runQuery(own, request, this.resolve(query, request, this.templateSrv));
          return { frames: withNotices(frames, own.notices, query.refId) };
        } catch (error) {
          const failure: DataQueryError = { refId: query.refId, message: errorMessage(error) };
          return { error: failure };
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
      intervalMs: request.intervalMs,
    };
  }

  private async runQuery(prom: Prometheus, request: DataQueryRequest<FluxQuery>, r: Resolved): Promise<DataFrame[]> {
    const refId = r.query.refId;
    switch (r.type) {
      case 'objects':
        return [objectsFrame(await this.objects(prom, request, atWholeSeconds(r), { withTimes: true }), refId)];
      case 'summary': {
        const objects = await this.objects(prom, request, atWholeSeconds(r), { withTimes: false });
        return [summaryFrame(objects, r.query.summaryBy ?? 'state', refId)];
      }
      case 'reconcileDuration':
        return [reconcileDurationFrame(await this.reconcileDuration(prom, request, atWholeSeconds(r)), refId)];
      case 'stateHistory':
        return stateHistoryFrames(await this.history(prom, request, r, historyQuestion.read), refId);
      case 'stateChanges':
        return [stateChangesFrame(await this.history(prom, request, r, historyQuestion.readChanges), refId)];
      case 'rollout':
        return [toRolloutFrame(await this.rollout(prom, request, r), refId)];
      default:
        throw new FluxDatasourceError(`Unknown query type "${String(r.type)}"`);
    }
  }

  /** Asks Prometheus what a question's {@link FluxQueries} say, answers by the same keys. */
  private ask(
    prom: Prometheus,
    request: DataQueryRequest<FluxQuery> | undefined,
    r: Resolved,
    queries: FluxQueries
  ): Promise<FluxAnswers> {
    return this.runPromQL(prom, request, queries.exprs, {
      fromMs: r.fromMs,
      toMs: r.toMs,
      range: queries.range,
      intervalSeconds: queries.minStepSeconds,
      refId: r.query.refId,
    });
  }

  /** Objects (and Summary): the core's objects question, see src/flux/questions/objects.ts. */
  async objects(
    prom: Prometheus,
    request: DataQueryRequest<FluxQuery> | undefined,
    r: Resolved,
    opts: { withTimes: boolean }
  ): Promise<FluxObject[]> {
    const options = this.promqlOptions;
    const recorded = opts.withTimes ? await this.recordingCoverage(prom, request, r) : undefined;
    const params = { withTimes: opts.withTimes, states: r.states, recorded };
    let answers = await this.ask(prom, request, r, objectsQuestion.queries(r.filters, options, r, params));
    const more = objectsQuestion.followUp(answers, options, params);
    if (more) {
      answers = { ...answers, ...(await this.ask(prom, request, r, more)) };
    }
    return objectsQuestion.read(answers, r, options, params);
  }

  /** FluxGrid's recording rules when they can answer for this range (recordingRules.ts), else undefined. */
  private async recordingCoverage(
    prom: Prometheus,
    request: DataQueryRequest<FluxQuery> | undefined,
    r: Resolved
  ): Promise<RecordingCoverage | undefined> {
    if (this.settings.recordingRules === 'off') {
      return undefined;
    }
    const coverage = recordingRulesQuestion.read(await this.ask(prom, request, r, recordingRulesQuestion.queries(r)));
    return recordingRulesQuestion.unusable(coverage, r, this.promqlOptions.labels ?? {}) ? undefined : coverage;
  }

  /** Reconcile duration: src/flux/questions/durations.ts. */
  private async reconcileDuration(prom: Prometheus, request: DataQueryRequest<FluxQuery>, r: Resolved) {
    const options = this.promqlOptions;
    const params = { limit: Number(r.query.limit) || DEFAULT_LIMIT, states: r.states };
    const answers = await this.ask(prom, request, r, durationsQuestion.queries(r.filters, options, r, params));
    return durationsQuestion.read(answers, r, options, params);
  }

  /** State history and State changes: src/flux/questions/history.ts. */
  private async history<T>(
    prom: Prometheus,
    request: DataQueryRequest<FluxQuery>,
    r: Resolved,
    read: (answers: FluxAnswers, window: Resolved, params: { states?: ReadonlySet<FluxState> }) => T
  ): Promise<T> {
    const window = { ...r, scrapeIntervalSeconds: scrapeIntervalSecondsOf(prom) };
    const answers = await this.ask(prom, request, r, historyQuestion.queries(r.filters, this.promqlOptions, window));
    return read(answers, r, { states: r.states });
  }

  /** Rollout: one object name across clusters, src/flux/questions/rollouts.ts. */
  private async rollout(prom: Prometheus, request: DataQueryRequest<FluxQuery>, r: Resolved) {
    const options = this.promqlOptions;
    const answers = await this.ask(prom, request, r, rolloutsQuestion.queries(r.filters, options, r));
    return rolloutsQuestion.read(answers, r, options);
  }

  // -------------------------------------------------------------------------------------------
  // Variables

  /** The distinct clusters / kinds / namespaces / names of the objects matching the other filters. */
  async variableValues(
    query: FluxVariableQuery,
    context?: VariableContext,
    request?: DataQueryRequest<FluxVariableQuery>
  ): Promise<string[]> {
    const prom = await this.prometheus();
    return listVariableValues(prom, this.promqlOptions, this.templateSrv, query, context, request);
  }

  async metricFindQuery(query: FluxVariableQuery | string, options?: VariableContext): Promise<MetricFindValue[]> {
    return toMetricFindValues(await this.variableValues(variableQueryOf(query), options));
  }

  // -------------------------------------------------------------------------------------------
  // Health

  async testDatasource(): Promise<TestDataSourceResponse> {
    try {
      // Invalid label settings are named before anything is asked of Prometheus.
      const options = this.promqlOptions;
      return await checkHealth(await this.prometheus(), options, this.settings, Date.now());
    } catch (error) {
      return { status: 'error', message: errorMessage(error) };
    }
  }
}

/**
 * The window of a question asked at one instant, at whole seconds: Grafana's "now" has
 * milliseconds, which Prometheus repeats in every sample it answers (`[1736125200.123,"1"]`, 4
 * bytes a series: 80 KB of an Objects refresh at 10k objects) and FluxGrid in every `@` literal.
 * Range questions keep the panel's own range (incremental querying caches by it).
 */
function atWholeSeconds(r: Resolved): Resolved {
  return { ...r, fromMs: Math.floor(r.fromMs / 1000) * 1000, toMs: Math.floor(r.toMs / 1000) * 1000 };
}

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
