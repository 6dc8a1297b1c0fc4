/**
 * jest stand-in for `@grafana/assistant`, an optional peer of `@grafana/prometheus` that is not
 * installed: only the Prometheus query editor's header imports it (a button), never the datasource.
 */
export function QueryWithAssistantButton(): null {
  return null;
}
