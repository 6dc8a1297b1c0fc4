/**
 * A FluxGrid datasource for tests and benchmarks: the instance settings Grafana would hand the
 * plugin, with only `jsonData` (and, optionally, uid and name) varying.
 */
import { DataSourceInstanceSettings, PluginType } from '@grafana/data';

import { FluxDatasource } from '../datasource';
import type { FluxDataSourceOptions } from '../types';

export const FLUXGRID_DATASOURCE_TYPE = 'fluxgrid-status-datasource';

export function createFluxDatasource(
  jsonData: FluxDataSourceOptions,
  { uid = 'fluxgrid', name = 'FluxGrid' }: { uid?: string; name?: string } = {}
): FluxDatasource {
  const settings = {
    id: 2,
    uid,
    type: FLUXGRID_DATASOURCE_TYPE,
    name,
    meta: {
      id: FLUXGRID_DATASOURCE_TYPE,
      name: 'FluxGrid',
      type: PluginType.datasource,
      info: {} as never,
      module: '',
      baseUrl: '',
    },
    readOnly: false,
    access: 'proxy',
    jsonData,
  } as unknown as DataSourceInstanceSettings<FluxDataSourceOptions>;
  return new FluxDatasource(settings);
}
