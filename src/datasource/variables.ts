/**
 * Query variables: clusters, kinds, namespaces or names of the Flux objects matching the other
 * filters (which accept variables themselves, so variables can chain).
 */
import { CustomVariableSupport, DataQueryRequest, DataQueryResponse, FieldType, MetricFindValue } from '@grafana/data';
import { from, Observable } from 'rxjs';

import { catalogQuestion, FluxFilters, isVariableTarget, PromQLOptions, VARIABLE_TARGETS } from '../flux';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { interpolateFilter, TemplateSrvLike } from './interpolate';
import { errorMessage, FluxDatasourceError, Prometheus, runPromQL } from './prometheus';
import { FluxDatasourceApi, FluxVariableQuery, VariableContext } from './types';

/** Without a time range (a variable refreshed on dashboard load), the last hour up to now. */
const DEFAULT_WINDOW_MS = 3600_000;

/** The distinct clusters / kinds / namespaces / names of the objects matching the other filters. */
export async function listVariableValues(
  prom: Prometheus,
  options: PromQLOptions,
  templateSrv: TemplateSrvLike,
  query: FluxVariableQuery,
  context: VariableContext = {},
  request?: DataQueryRequest<FluxVariableQuery>
): Promise<string[]> {
  const target: unknown = query.target ?? 'names';
  if (!isVariableTarget(target)) {
    throw new FluxDatasourceError(
      `Unknown variable query "${String(target)}": FluxGrid lists ${VARIABLE_TARGETS.map((t) => `"${t}"`).join(', ')}.`
    );
  }
  const scoped = context.scopedVars ?? {};
  const filters: FluxFilters = {
    cluster: target === 'clusters' ? undefined : interpolateFilter(query.cluster, 'exact', templateSrv, scoped),
    kind: target === 'kinds' ? undefined : interpolateFilter(query.kind, 'exact', templateSrv, scoped),
    namespace: target === 'namespaces' ? undefined : interpolateFilter(query.namespace, 'exact', templateSrv, scoped),
    name: interpolateFilter(query.name, 'regex', templateSrv, scoped),
  };
  const toMs = context.range?.to.valueOf() ?? Date.now();
  const fromMs = context.range?.from.valueOf() ?? toMs - DEFAULT_WINDOW_MS;
  const window = { fromMs, toMs };
  const asked = catalogQuestion.valuesQueries(target, filters, options, window);
  return catalogQuestion.readValues(target, await runPromQL(prom, request, asked.exprs, window));
}

/** A variable query typed as text (`kinds`) or stored as an object. */
export function variableQueryOf(query: FluxVariableQuery | string): FluxVariableQuery {
  if (typeof query !== 'string') {
    return query;
  }
  const target = query.trim() || 'names';
  if (!isVariableTarget(target)) {
    throw new FluxDatasourceError(
      `Unknown variable query "${target}": FluxGrid lists ${VARIABLE_TARGETS.map((t) => `"${t}"`).join(', ')}.`
    );
  }
  return { refId: 'variable', target };
}

export function toMetricFindValues(values: string[]): MetricFindValue[] {
  return values.map((text) => ({ text, value: text }));
}

export class FluxVariableSupport extends CustomVariableSupport<FluxDatasourceApi, FluxVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: FluxDatasourceApi) {
    super();
  }

  query(request: DataQueryRequest<FluxVariableQuery>): Observable<DataQueryResponse> {
    const query = request.targets[0] ?? { refId: 'variable', target: 'names' };
    return from(
      this.datasource.variableValues(query, request, request).then(
        (values): DataQueryResponse => ({
          data: [
            {
              refId: query.refId,
              length: values.length,
              fields: [
                { name: 'text', type: FieldType.string, config: {}, values },
                { name: 'value', type: FieldType.string, config: {}, values },
              ],
            },
          ],
        }),
        (error: unknown): DataQueryResponse => ({
          data: [],
          errors: [{ refId: query.refId, message: errorMessage(error) }],
        })
      )
    );
  }
}
