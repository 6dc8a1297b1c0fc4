/**
 * Query variables: clusters, kinds, namespaces or names of the Flux objects matching the other
 * filters (which accept variables themselves, so variables can chain).
 */
import { CustomVariableSupport, DataQueryRequest, DataQueryResponse, FieldType } from '@grafana/data';
import { from, Observable } from 'rxjs';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { FluxDatasource } from './datasource';
import { FluxVariableQuery } from './types';

export class FluxVariableSupport extends CustomVariableSupport<FluxDatasource, FluxVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: FluxDatasource) {
    super();
  }

  query(request: DataQueryRequest<FluxVariableQuery>): Observable<DataQueryResponse> {
    const query = request.targets[0] ?? { refId: 'variable', target: 'names' };
    return from(
      this.datasource.variableValues(query, request).then(
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
        (error): DataQueryResponse => ({
          data: [],
          errors: [{ refId: query.refId, message: String(error?.message ?? error) }],
        })
      )
    );
  }
}
