import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { FluxDatasource } from './datasource';
import { FluxDataSourceOptions, FluxQuery } from './types';

export const plugin = new DataSourcePlugin<FluxDatasource, FluxQuery, FluxDataSourceOptions>(FluxDatasource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
