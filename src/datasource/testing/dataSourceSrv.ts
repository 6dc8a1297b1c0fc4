/**
 * Grafana's DataSourceSrv over a fixed set of datasource instances, for tests: found by uid or
 * name, the first one as the default, Grafana's plain-object rejection for an unknown uid.
 * (`DataSourceWithBackend.query` asks it for every target's instance settings, so each instance
 * keeps the settings it was built from.)
 */
import { DataSourceApi, DataSourceInstanceSettings, DataSourceRef } from '@grafana/data';
import type { DataSourceSrv } from '@grafana/runtime';

interface Entry {
  ds: DataSourceApi<any, any>;
  settings: DataSourceInstanceSettings;
}

export class StaticDataSourceSrv implements DataSourceSrv {
  private readonly byUid = new Map<string, Entry>();

  /** `settings` default to what the instance itself knows (uid, name, type, meta). */
  add(ds: DataSourceApi<any, any>, settings?: DataSourceInstanceSettings): this {
    const own: DataSourceInstanceSettings = settings ?? {
      id: ds.id,
      uid: ds.uid,
      type: ds.type,
      name: ds.name,
      meta: ds.meta,
      readOnly: false,
      access: 'proxy',
      jsonData: {},
    };
    this.byUid.set(own.uid, { ds, settings: own });
    return this;
  }

  private find(ref?: DataSourceRef | string | null): Entry | undefined {
    const key = typeof ref === 'string' ? ref : ref?.uid;
    const all = Array.from(this.byUid.values());
    if (!key) {
      return all[0]; // Grafana: the default datasource
    }
    return this.byUid.get(key) ?? all.find((e) => e.settings.name === key);
  }

  get(ref?: DataSourceRef | string | null): Promise<DataSourceApi> {
    const entry = this.find(ref);
    if (!entry) {
      // Grafana's DatasourceSrv rejects with a plain object, not an Error.
      const key = typeof ref === 'string' ? ref : ref?.uid;
      return Promise.reject({ message: `Datasource ${key} was not found` });
    }
    return Promise.resolve(entry.ds);
  }
  getInstanceSettings(ref?: DataSourceRef | string | null): DataSourceInstanceSettings | undefined {
    return this.find(ref)?.settings;
  }
  getList(): DataSourceInstanceSettings[] {
    return Array.from(this.byUid.values(), (e) => e.settings);
  }
  async reload(): Promise<void> {}
  registerRuntimeDataSource(): void {
    throw new Error('runtime datasources are not used in these tests');
  }
}
