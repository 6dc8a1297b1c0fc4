/**
 * Every PromQL query in the shipped dashboards, run against a REAL Prometheus that scrapes the live
 * Flux fleet simulator with the committed provisioning/prometheus/prometheus.yml, returns data.
 *
 * This is the docker compose environment minus Docker and Grafana: the simulator runs as a child
 * process (`npm run simulate`'s entry point), Prometheus from apt (tests/harness/prometheus.ts).
 * Grafana's macros and the dashboards' variables are replaced the way Grafana would.
 */
import { loadDashboards, prometheusQueries, type PromQuery } from './lib';
import { startLiveFleet, type LiveFleet } from './live';

/** A fleet with every Flux kind, so every controller reports controller-runtime metrics. */
const SCENARIO = 'simulator/scenarios/healthy.yaml';
const SCRAPE_SECONDS = 1;
/** What Grafana makes of $__rate_interval: max(4 x scrape interval, step + scrape interval). */
const RATE_INTERVAL = `${Math.max(4 * SCRAPE_SECONDS, 5 + SCRAPE_SECONDS)}s`;

let fleet: LiveFleet | undefined;
const promApi = (pathAndQuery: string) => fleet!.api(pathAndQuery);

/**
 * Values of a `label_values(selector, label)` variable query, as Grafana's Prometheus datasource
 * resolves it (series matching the selector, distinct values of the label).
 */
async function labelValues(query: string): Promise<string[]> {
  const m = /^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(query.trim());
  if (!m) {
    throw new Error(`unsupported variable query: ${query}`);
  }
  const data: string[] = await promApi(`/api/v1/label/${m[2]}/values?match[]=${encodeURIComponent(m[1])}`);
  return data.sort();
}

/** Replace Grafana macros and the dashboard's variables (multi-value: regex alternation, like Grafana). */
function interpolate(expr: string, variables: Record<string, string[]>): string {
  return expr
    .replace(/\$__rate_interval|\$\{__rate_interval\}/g, RATE_INTERVAL)
    .replace(/\$__interval|\$\{__interval\}/g, `${SCRAPE_SECONDS * 5}s`)
    .replace(/\$__range|\$\{__range\}/g, '5m')
    .replace(/\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z0-9_]+)/g, (whole, a, b) => {
      const name = a ?? b;
      const values = variables[name];
      if (!values) {
        throw new Error(`no value for $${name} in ${expr}`);
      }
      return values.length === 1 ? values[0] : `(${values.join('|')})`;
    });
}

beforeAll(async () => {
  // 10x speed: counters that only move on reconciles (rest_client_requests_total) appear sooner.
  fleet = await startLiveFleet({ scenario: SCENARIO, speed: 10, scrapeIntervalSeconds: SCRAPE_SECONDS });
}, 180_000);

afterAll(async () => {
  await fleet?.stop();
});

const dashboards = loadDashboards();
/**
 * Dashboards with PromQL panels whose query variables are all Prometheus ones (resolved here with
 * label_values). One whose variables are FluxGrid queries (flux-object.json) needs the FluxGrid
 * datasource to resolve them: tests/static/dashboard-object.test.ts runs it through Grafana's
 * PrometheusDatasource.
 */
const isQueryVariable = (v: any) => v.type === 'query';
const withPromQueries = dashboards.filter((d) => {
  const promVariables = prometheusQueries(d).filter((q) => q.where.startsWith('variable')).length;
  const queryVariables = (d.json.templating?.list ?? []).filter(isQueryVariable).length;
  return prometheusQueries(d).length > 0 && promVariables === queryVariables;
});

describe.each(withPromQueries.map((d) => [d.file, d] as const))(
  'PromQL of %s against the live simulator',
  (_file, dashboard) => {
    const queries = prometheusQueries(dashboard);
    const variableQueries = queries.filter((q) => q.where.startsWith('variable'));
    const panelQueries = queries.filter((q) => q.where.startsWith('panel'));

    /** Resolve the query variables in dashboard order (later ones may use earlier ones). */
    async function resolveVariables(): Promise<Record<string, string[]>> {
      const values: Record<string, string[]> = {};
      for (const variable of dashboard.json.templating.list) {
        if (variable.type === 'query') {
          const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
          values[variable.name] = await labelValues(interpolate(query, values));
        } else if (variable.type === 'custom') {
          values[variable.name] = String(variable.query)
            .split(',')
            .map((s: string) => s.trim());
        }
      }
      return values;
    }

    it('every query variable has values, and the defaults are among them', async () => {
      const values = await resolveVariables();
      for (const q of variableQueries) {
        const name = q.where.replace('variable $', '');
        expect({ variable: name, values: values[name].length > 0 }).toEqual({ variable: name, values: true });
        const variable = dashboard.json.templating.list.find((v: any) => v.name === name);
        for (const current of [].concat(variable.current?.value ?? [])) {
          if (current !== '$__all') {
            expect(values[name]).toContain(current);
          }
        }
      }
    });

    it('every panel query returns data over the last minute', async () => {
      type Failure = { where: string; expr: string; problem: string };
      const attempt = async (): Promise<Failure[]> => {
        const values = await resolveVariables();
        const end = Math.floor(Date.now() / 1000);
        const failures: Failure[] = [];
        const run = async (q: PromQuery) => {
          const expr = interpolate(q.expr, values);
          try {
            const data = await promApi(
              `/api/v1/query_range?query=${encodeURIComponent(expr)}&start=${end - 60}&end=${end}&step=5`
            );
            if (data.result.length === 0) {
              failures.push({ where: q.where, expr, problem: 'no data' });
            }
          } catch (error) {
            failures.push({ where: q.where, expr, problem: String(error) });
          }
        };
        await Promise.all(panelQueries.map(run));
        return failures;
      };
      // A query error fails at once; "no data" is retried while the simulated fleet gets going
      // (counters such as rest_client_requests_total start at the first reconcile).
      let failures = await attempt();
      const deadline = Date.now() + 60_000;
      while (failures.length > 0 && failures.every((f) => f.problem === 'no data') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1000));
        failures = await attempt();
      }
      expect(failures).toEqual([]);
      expect(panelQueries.length).toBeGreaterThan(0);
    }, 90_000);

    it('controller-runtime queries see only Flux controllers', async () => {
      const values = await resolveVariables();
      if (values.controller) {
        for (const controller of values.controller) {
          expect(controller).toMatch(
            /^(kustomization|helmrelease|gitrepository|ocirepository|helmrepository|helmchart|bucket|alert|provider|receiver|imagerepository|imagepolicy|imageupdateautomation|artifactgenerator)$/
          );
        }
        expect(values.namespace).toContain('flux-system');
      }
    });
  }
);
