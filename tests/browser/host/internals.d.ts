/** The @grafana/data version of the Grafana line the host was built for (scripts/build-browser-host.mjs). */
declare const __FLUXGRID_GRAFANA_VERSION__: string;

/**
 * @grafana/runtime 13 keeps setPanelDataErrorView out of its package exports (Grafana's app imports
 * it from source). scripts/build-browser-host.mjs aliases this name to the installed file, so the
 * host sets the same module-level variable the public PanelDataErrorView export reads.
 */
declare module 'grafana-runtime-internal/PanelDataErrorView' {
  import type { ComponentType } from 'react';
  export function setPanelDataErrorView(view: ComponentType<{ message?: string }>): void;
}

/**
 * Grafana >= 13's datasource registry in @grafana/runtime (services/dataSource/), which Grafana's
 * app fills at boot and scenes reads through @grafana/plugin-compat. Aliased to the installed
 * files by scripts/build-browser-host.mjs, or to an empty module where the line has none (12.3).
 */
declare module 'grafana-runtime-internal/dataSourceSettings' {
  import type { DataSourceInstanceSettings } from '@grafana/data';
  export const initDataSourceInstanceSettings:
    ((settings: Record<string, DataSourceInstanceSettings>, defaultName: string) => void) | undefined;
  /** What Grafana calls when datasource settings change: new settings, the instance cache cleared. */
  export const syncDataSourceInstanceSettings:
    | ((settings: { datasources: Record<string, DataSourceInstanceSettings>; defaultDatasource: string }) => void)
    | undefined;
}
declare module 'grafana-runtime-internal/dataSourceInstances' {
  // Each `declare module` has imports of its own.
  // eslint-disable-next-line no-duplicate-imports
  import type { DataSourceApi, DataSourcePluginMeta, DataSourceRef, ScopedVars, DataSourcePlugin } from '@grafana/data';
  export const setDataSourcePluginImporter:
    ((importer: (meta: DataSourcePluginMeta) => Promise<DataSourcePlugin<any, any, any, any>>) => void) | undefined;
  export const getDataSourceInstance:
    ((ref: DataSourceRef | string | null | undefined, scopedVars?: ScopedVars) => Promise<DataSourceApi>) | undefined;
}
