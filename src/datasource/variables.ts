/**
 * Query variables: clusters, kinds, namespaces or names of the Flux objects matching the other
 * filters (which accept variables themselves, so variables can chain).
 */
import { CustomVariableSupport, DataQueryRequest, DataQueryResponse, FieldType, MetricFindValue } from '@grafana/data';
import { from, Observable } from 'rxjs';

import { catalogQuestion, FluxFilters, isVariableTarget, PromQLOptions } from '../flux';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { interpolateFilter, TemplateSrvLike } from './interpolate';
import { errorMessage, Prometheus, runPromQL } from './prometheus';
import { FluxDatasourceApi, FluxVariableQuery, VariableContext } from './types';
import { unknownVariableTarget, variableQueryOf } from './variableQuery';

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
    throw unknownVariableTarget(target);
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

export function toMetricFindValues(values: string[]): MetricFindValue[] {
  return values.map((text) => ({ text, value: text }));
}

export class FluxVariableSupport extends CustomVariableSupport<FluxDatasourceApi, FluxVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: FluxDatasourceApi) {
    super();
  }

  query(request: DataQueryRequest<FluxVariableQuery>): Observable<DataQueryResponse> {
    // The variable's query as saved, which may be text (variableQuery.ts).
    const saved: FluxVariableQuery | string = request.targets[0] ?? '';
    const refId = typeof saved === 'string' ? 'variable' : saved.refId;
    const values = Promise.resolve(saved).then((q) =>
      this.datasource.variableValues(variableQueryOf(q), request, request)
    );
    return from(
      values.then(
        (values): DataQueryResponse => ({
          data: [
            {
              refId,
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
          errors: [{ refId, message: errorMessage(error) }],
        })
      )
    );
  }
}
