/**
 * A FluxGrid datasource for tests and benchmarks: the instance settings Grafana would hand the
 * plugin, with only `jsonData` (and, optionally, uid and name) varying, and the template and
 * datasource services handed in (no module mocks).
 */
import { DataSourceInstanceSettings, DataSourcePluginMeta, PluginType } from '@grafana/data';
import type { DataSourceSrv, TemplateSrv } from '@grafana/runtime';

import { FluxDatasource } from '../datasource';
import type { FluxDataSourceOptions } from '../types';

export const FLUXGRID_DATASOURCE_TYPE = 'fluxgrid-status-datasource';

export const fluxGridPluginMeta: DataSourcePluginMeta<FluxDataSourceOptions> = {
  id: FLUXGRID_DATASOURCE_TYPE,
  name: 'FluxGrid',
  type: PluginType.datasource,
  module: 'public/plugins/fluxgrid-status-datasource/module.js',
  baseUrl: 'public/plugins/fluxgrid-status-datasource',
  annotations: true,
  metrics: true,
  info: {
    author: { name: 'FluxGrid' },
    description: 'Flux CD reconciliation status from Prometheus',
    links: [],
    logos: { small: '', large: '' },
    screenshots: [],
    updated: '',
    version: '',
  },
};

export interface FluxDatasourceServices {
  templateSrv?: TemplateSrv;
  dataSourceSrv?: DataSourceSrv;
}

export function fluxInstanceSettings(
  jsonData: FluxDataSourceOptions,
  { uid = 'fluxgrid', name = 'FluxGrid' }: { uid?: string; name?: string } = {}
): DataSourceInstanceSettings<FluxDataSourceOptions> {
  return {
    id: 2,
    uid,
    type: FLUXGRID_DATASOURCE_TYPE,
    name,
    meta: fluxGridPluginMeta,
    readOnly: false,
    access: 'proxy',
    jsonData,
  };
}

export function createFluxDatasource(
  jsonData: FluxDataSourceOptions,
  { uid, name, templateSrv, dataSourceSrv }: { uid?: string; name?: string } & FluxDatasourceServices = {}
): FluxDatasource {
  // Without services: Grafana's own (getTemplateSrv(), getDataSourceSrv()), as in Grafana.
  return new FluxDatasource(fluxInstanceSettings(jsonData, { uid, name }), templateSrv, dataSourceSrv);
}
