/**
 * Escaping, proven against a real Prometheus: objects whose names and namespaces are hostile
 * (quotes, backslashes, newlines, regex metacharacters, Grafana variable syntax, unicode) are
 * backfilled next to decoys that a widened match would catch. Every hostile value, as a literal
 * matcher, as a regex alternation, and through the datasource as a variable value and as a typed
 * exact filter, must match its own object and nothing else.
 *
 * @jest-environment node
 */
import { startGrafanaRuntime, type GrafanaRuntime } from '../harness/grafana-runtime';

import fc from 'fast-check';
import { lastValueFrom } from 'rxjs';
import { DataFrame, dateTime } from '@grafana/data';

import { FluxDatasource } from '../../src/datasource/datasource';
import { createFluxDatasource } from '../../src/datasource/testing/fluxDatasource';
import { FakeTemplateSrv } from '../../src/datasource/testing/templateSrv';
import type { FluxQuery } from '../../src/datasource/types';
import { alternation, quote } from '../../src/flux';
import { formatLabels } from '../../simulator/openmetrics';
import { queryPrometheus, startPrometheus, type PrometheusServer } from '../harness/prometheus';

/** Grafana's template service, shared by FluxGrid and Grafana's Prometheus datasource as in Grafana. */
const templateSrv = new FakeTemplateSrv();

jest.setTimeout(120_000);

const HANDPICKED = [
  '.*',
  '.+',
  'a|b',
  'a',
  'b',
  '"',
  '\\',
  '\\"',
  'x\ny',
  '$ns',
  '${ns}',
  '[[ns]]',
  '(',
  ')',
  '[a-z]+',
  '^a$',
  'a{2}',
  'é漢🚀',
  'a\\|b',
  '"} or vector(1) #',
];

/** Generated hostile values (fixed seed: the same set every run, so a failure reproduces). */
const hostileChar = fc.constantFrom(...'"\\\n.*+?|()[]{}^$/-=~`\', ab漢🚀é'.split(/(?:)/u));
const generated = fc.sample(
  fc.array(hostileChar, { minLength: 1, maxLength: 12 }).map((c) => c.join('')),
  { numRuns: 60, seed: 4242 }
);
const VALUES = Array.from(new Set([...HANDPICKED, ...generated])).filter((v) => v.trim() !== '');
/** Values that a widened match would catch (".*" matches all of them). */
const DECOYS = ['anything', 'ab', 'a', 'b', 'ns', 'x'];

const NOW_S = Math.floor(Date.now() / 1000 / 60) * 60 - 600;

function history(): string {
  const lines = ['# TYPE flux_resource_info gauge'];
  const objects = [...VALUES, ...DECOYS.filter((d) => !VALUES.includes(d))];
  for (const [i, value] of objects.entries()) {
    const labels = formatLabels({
      kind: 'Kustomization',
      name: value,
      exported_namespace: value,
      ready: 'True',
      suspended: 'False',
      uid: `u${i}`,
    });
    for (let t = NOW_S - 600; t <= NOW_S; t += 30) {
      lines.push(`flux_resource_info${labels} 1 ${t}`);
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

let prometheus: PrometheusServer;
let grafana: GrafanaRuntime;
let ds: FluxDatasource;

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetrics: history() });
  grafana = await startGrafanaRuntime({ prometheusUrl: prometheus.url, templateSrv });
  ds = createFluxDatasource(
    { prometheusUid: 'prom', schema: 'flux-operator' },
    { templateSrv, dataSourceSrv: grafana.dataSourceSrv }
  );
});
afterAll(async () => {
  await grafana?.close();
  await prometheus?.stop();
});

async function names(expr: string): Promise<string[]> {
  return (await queryPrometheus(prometheus.url, expr, NOW_S)).map((r) => r.metric.name).sort();
}

async function datasourceNames(query: Partial<FluxQuery>): Promise<string[]> {
  const to = dateTime(NOW_S * 1000);
  const from = dateTime(NOW_S * 1000 - 600_000);
  const response = await lastValueFrom(
    ds.query({
      requestId: 'escaping',
      interval: '15s',
      intervalMs: 15_000,
      range: { from, to, raw: { from, to } },
      scopedVars: {},
      targets: [{ refId: 'A', queryType: 'objects', ...query }],
      timezone: 'utc',
      app: 'dashboard',
      startTime: Date.now(),
    })
  );
  expect(response.errors ?? []).toEqual([]);
  const frame = response.data[0] as DataFrame;
  return (frame.fields.find((f) => f.name === 'name')!.values as string[]).slice().sort();
}

it('has every hostile object in Prometheus', async () => {
  const all = await names('flux_resource_info');
  for (const value of VALUES) {
    expect(all).toContain(value);
  }
});

it.each(VALUES.map((v) => [JSON.stringify(v), v]))(
  '%s as an exact matcher matches only itself',
  async (_label, value) => {
    expect(await names(`flux_resource_info{name=${quote(value)}}`)).toEqual([value]);
  }
);

it.each(VALUES.map((v) => [JSON.stringify(v), v]))(
  '%s inside a regex alternation matches only itself',
  async (_label, value) => {
    expect(await names(`flux_resource_info{name=~${quote(alternation([value, 'no-such-object']))}}`)).toEqual([value]);
  }
);

it('a multi-value alternation of every hostile value matches exactly those objects', async () => {
  expect(await names(`flux_resource_info{name=~${quote(alternation(VALUES))}}`)).toEqual([...VALUES].sort());
});

describe('through the datasource', () => {
  afterEach(() => {
    templateSrv.variables = [];
  });

  it.each(VALUES.map((v) => [JSON.stringify(v), v]))(
    '%s as a variable value in the name regex and the namespace',
    async (_label, value) => {
      templateSrv.variables = [{ name: 'v', options: [value], current: value }];
      expect(await datasourceNames({ name: '$v' })).toEqual([value]);
      expect(await datasourceNames({ namespace: '${v}' })).toEqual([value]);
    }
  );

  // Typed text is trimmed (Kubernetes names have no spaces), and `.*`/`.+` typed alone mean "any".
  it.each(VALUES.filter((v) => !['.*', '.+', '*'].includes(v) && v === v.trim()).map((v) => [JSON.stringify(v), v]))(
    '%s typed as an exact namespace',
    async (_label, value) => {
      // Typed text with $ or [[ ]] is taken for a variable that does not exist and kept as is.
      expect(await datasourceNames({ namespace: value })).toEqual([value]);
    }
  );

  it('a multi-value variable of hostile values matches exactly those', async () => {
    const picked = VALUES.slice(0, 8);
    templateSrv.variables = [{ name: 'v', options: VALUES, current: picked }];
    expect(await datasourceNames({ name: '$v' })).toEqual([...picked].sort());
  });

  it("values that read like another dashboard variable stay literal through Grafana's Prometheus datasource", async () => {
    // Grafana's Prometheus datasource interpolates the PromQL FluxGrid hands it once more, with
    // the same dashboard variables: `ns` exists and must not be pasted into the escaped values.
    const lookalikes = ['$ns', '${ns}', '[[ns]]'];
    templateSrv.variables = [
      { name: 'v', options: lookalikes, current: lookalikes },
      { name: 'ns', options: ['anything'], current: 'anything' },
    ];
    expect(await datasourceNames({ name: '$v' })).toEqual([...lookalikes].sort());
    expect(await datasourceNames({ namespace: '$v' })).toEqual([...lookalikes].sort());
  });
});
