/**
 * Instance settings of a Prometheus datasource, as Grafana hands them to a datasource class, for
 * the test doubles that stand in for one where no real Prometheus is needed (editors, request
 * shapes). Anything touching PromQL uses Grafana's real PrometheusDatasource instead (tests/harness).
 */
import { DataSourceInstanceSettings, DataSourceJsonData } from '@grafana/data';

import { fluxGridPluginMeta } from './fluxDatasource';

export function prometheusInstanceSettings(
  { uid = 'prom', name = 'Prometheus' }: { uid?: string; name?: string } = {},
  jsonData: DataSourceJsonData = {}
): DataSourceInstanceSettings {
  return {
    id: 1,
    uid,
    type: 'prometheus',
    name,
    meta: { ...fluxGridPluginMeta, id: 'prometheus', name: 'Prometheus' },
    readOnly: false,
    access: 'proxy',
    jsonData,
  };
}
