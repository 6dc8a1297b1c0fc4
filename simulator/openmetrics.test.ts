/** @jest-environment node */
import fc from 'fast-check';
import {
  escapeLabelValue,
  formatLabels,
  formatTimestamp,
  formatValue,
  OpenMetricsWriter,
  scenarioToOpenMetrics,
} from './openmetrics';
import { parseScenario } from './scenario';
import { FAMILIES, FLUX_DURATION_BUCKETS } from './series';

/** Reads a label set back the way the text formats define it (the inverse of formatLabels). */
function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (const m of text.matchAll(re)) {
    out[m[1]] = m[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return out;
}

describe('escaping', () => {
  it('escapes backslash, double quote and line feed like prom-client', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(formatLabels({ a: 'x"y', b: '', c: 'C:\\path' })).toBe('{a="x\\"y",c="C:\\\\path"}');
    expect(formatLabels({})).toBe('');
  });

  it('round-trips any label value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string(), (a, b) => {
        const labels = { first: a, second: b };
        const back = parseLabels(formatLabels(labels));
        expect(back).toEqual(Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== '')));
      })
    );
  });

  it('refuses invalid label names', () => {
    expect(() => formatLabels({ 'bad-name': 'x' })).toThrow('invalid label name "bad-name"');
  });

  it('formats values and timestamps in seconds', () => {
    expect([formatValue(Infinity), formatValue(-Infinity), formatValue(NaN), formatValue(0.5)]).toEqual([
      '+Inf',
      '-Inf',
      'NaN',
      '0.5',
    ]);
    expect(formatTimestamp(Date.parse('2025-01-06T00:00:30.250Z'))).toBe('1736121630.25');
  });
});

describe('OpenMetricsWriter', () => {
  it('groups families (TYPE/HELP once, samples contiguous) and ends with # EOF', () => {
    const writer = new OpenMetricsWriter();
    for (const t of [0, 30_000]) {
      writer.at(t);
      writer.gauge(FAMILIES.resourceInfo, { name: 'a' }, 1);
      writer.counter(FAMILIES.reconcileTotal, { controller: 'kustomization', result: 'success' }, t / 1000);
      writer.gauge(FAMILIES.goInfo, { version: 'go1' }, 1);
    }
    expect(writer.toString()).toBe(
      [
        '# TYPE gotk_resource_info gauge',
        '# HELP gotk_resource_info The current state of a Flux resource.',
        'gotk_resource_info{name="a"} 1 0',
        'gotk_resource_info{name="a"} 1 30',
        '# TYPE controller_runtime_reconcile counter',
        '# HELP controller_runtime_reconcile Total number of reconciliations per controller',
        'controller_runtime_reconcile_total{controller="kustomization",result="success"} 0 0',
        'controller_runtime_reconcile_total{controller="kustomization",result="success"} 30 30',
        '# TYPE go_info gauge',
        '# HELP go_info Information about the Go environment.',
        'go_info{version="go1"} 1 0',
        'go_info{version="go1"} 1 30',
        '# EOF',
        '',
      ].join('\n')
    );
  });

  it('writes histograms with cumulative buckets, +Inf = count, _sum and _count', () => {
    const writer = new OpenMetricsWriter().at(1000);
    const counts = FLUX_DURATION_BUCKETS.map((_, i) => Math.min(i, 3));
    writer.histogram(FAMILIES.reconcileDuration, { name: 'x' }, counts, 12.5, 4);
    const lines = writer.toString().split('\n');
    expect(lines).toContain('gotk_reconcile_duration_seconds_bucket{name="x",le="0.01"} 0 1');
    // ExponentialBucketsRange(0.01, 1800, 10) at full precision, as client_golang exposes it.
    expect(lines).toContain('gotk_reconcile_duration_seconds_bucket{name="x",le="0.038363583488692544"} 1 1');
    expect(lines).toContain('gotk_reconcile_duration_seconds_bucket{name="x",le="1799.9999999999982"} 3 1');
    expect(lines).toContain('gotk_reconcile_duration_seconds_bucket{name="x",le="+Inf"} 4 1');
    expect(lines).toContain('gotk_reconcile_duration_seconds_sum{name="x"} 12.5 1');
    expect(lines).toContain('gotk_reconcile_duration_seconds_count{name="x"} 4 1');
  });
});

describe('scenarioToOpenMetrics', () => {
  const scenario = parseScenario(
    `
schemas: [legacy-2.0, kube-state-metrics, flux-operator]
step: 60s
duration: 30m
fleet:
  clusters: [eu, us]
  named: [Kustomization/apps/podinfo, Kustomization/apps/old, Alert/apps/slack]
timeline:
  - {at: 2m, action: fail, object: eu/Kustomization/apps/old}
  - {at: 5m, action: delete, object: eu/Kustomization/apps/old}
  - {at: 5m, action: suspend, object: us/Kustomization/apps/podinfo}
  - {at: 8m, action: resume, object: us/Kustomization/apps/podinfo}
`,
    'om.yaml'
  );
  const text = scenarioToOpenMetrics(scenario);
  const lines = text.split('\n');
  const samples = (prefix: string, where: Record<string, string>, at?: number) =>
    lines.filter((l) => {
      if (!l.startsWith(prefix + '{')) {
        return false;
      }
      const labels = parseLabels(l.slice(prefix.length, l.indexOf('} ') + 1));
      const ts = Number(l.split(' ').pop());
      return (
        Object.entries(where).every(([k, v]) => labels[k] === v) &&
        (at === undefined || ts === scenario.startMs / 1000 + at)
      );
    });

  it('is a valid file shape: families never interleave, # EOF last', () => {
    expect(text.endsWith('# EOF\n')).toBe(true);
    const familyOfLine = lines
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/[{ ]/)[0].replace(/_(bucket|sum|count|total)$/, ''));
    const order = familyOfLine.filter((f, i) => i === 0 || familyOfLine[i - 1] !== f);
    expect(new Set(order).size).toBe(order.length);
    expect(lines.filter((l) => l.startsWith('# TYPE')).length).toBe(new Set(order).size);
  });

  it('writes the labels of a real PodMonitor scrape, with a cluster label for several clusters', () => {
    const [line] = samples('gotk_reconcile_condition', { name: 'podinfo', status: 'True', cluster: 'eu' }, 0);
    expect(parseLabels(line)).toMatchObject({
      cluster: 'eu',
      exported_namespace: 'apps',
      namespace: 'flux-system',
      job: 'flux-system/flux-system',
      app: 'kustomize-controller',
      kind: 'Kustomization',
      type: 'Ready',
    });
    expect(parseLabels(line).pod).toMatch(/^kustomize-controller-[0-9a-f]{9}-[a-z0-9]{5}$/);
  });

  it('legacy-2.0: a deleted object keeps every series, Deleted=1; the stale False=1 only from a second pod', () => {
    // fluxcd/pkg runtime/metrics/recorder.go (Flux 2.0): one pod's recorder is one-hot, so Deleted=1
    // replaces its False=1; only another pod (the previous leader) still exports False=1.
    const pods = (status: string, t: number) =>
      Object.fromEntries(
        samples('gotk_reconcile_condition', { name: 'old', cluster: 'eu', status }, t).map((l) => [
          parseLabels(l).pod,
          l.split(' ')[1],
        ])
      );
    const before = pods('False', 240);
    expect(Object.values(before)).toEqual(['1']);
    const [leader] = Object.keys(before);
    expect([pods('True', 240), pods('Deleted', 240)]).toEqual([{ [leader]: '0' }, { [leader]: '0' }]);
    for (const t of [600, 1800]) {
      const deleted = pods('Deleted', t);
      const stale = pods('False', t);
      expect(deleted[leader]).toBe('1');
      expect(stale[leader]).toBe('0');
      const others = Object.keys(stale).filter((pod) => pod !== leader);
      expect(others).toHaveLength(1);
      expect(others[0]).toMatch(/^kustomize-controller-/);
      expect(stale[others[0]]).toBe('1');
      expect(deleted[others[0]]).toBe('0');
    }
  });

  it('kube-state-metrics: no series after deletion, `suspended` absent until set, lowercase; Alert without `ready`', () => {
    expect(samples('gotk_resource_info', { name: 'old', cluster: 'eu' }, 600)).toEqual([]);
    const podinfo = (t: number) => parseLabels(samples('gotk_resource_info', { name: 'podinfo', cluster: 'us' }, t)[0]);
    expect(podinfo(0).suspended).toBeUndefined();
    expect(podinfo(360).suspended).toBe('true');
    expect(podinfo(600).suspended).toBe('false');
    expect(podinfo(0)).toMatchObject({
      customresource_group: 'kustomize.toolkit.fluxcd.io',
      customresource_kind: 'Kustomization',
      customresource_version: 'v1',
      ready: 'True',
      source_name: 'flux-system',
      namespace: 'monitoring',
      job: 'kube-state-metrics',
    });
    expect(podinfo(0).revision).toMatch(/^main@sha1:[0-9a-f]{40}$/);
    const alert = parseLabels(samples('gotk_resource_info', { name: 'slack', cluster: 'eu' }, 0)[0]);
    expect(alert.ready).toBeUndefined();
  });

  it('flux-operator: reason and capitalised suspended; Alert reported with ready forced to True', () => {
    const [line] = samples('flux_resource_info', { name: 'old', cluster: 'eu' }, 240);
    expect(parseLabels(line)).toMatchObject({
      ready: 'False',
      reason: 'BuildFailed',
      suspended: 'False',
      kind: 'Kustomization',
    });
    // flux-operator internal/reporter/metrics.go: Alert and Provider get ready="True", no reason.
    const alert = parseLabels(samples('flux_resource_info', { name: 'slack', cluster: 'eu' }, 0)[0]);
    expect(alert).toMatchObject({ kind: 'Alert', ready: 'True', suspended: 'False' });
    expect(alert.reason).toBeUndefined();
  });

  it('reconcile histograms only grow, and controller metrics carry realistic labels', () => {
    const counts = samples('gotk_reconcile_duration_seconds_count', { name: 'podinfo', cluster: 'eu' }).map((l) =>
      Number(l.split(' ')[1])
    );
    expect(counts.length).toBe(31);
    expect(counts.every((c, i) => i === 0 || c >= counts[i - 1])).toBe(true);
    expect(counts[30]).toBeGreaterThanOrEqual(5);
    for (const family of [
      'controller_runtime_reconcile_total',
      'controller_runtime_reconcile_time_seconds_bucket',
      'workqueue_depth',
      'workqueue_longest_running_processor_seconds',
      'rest_client_requests_total',
      'process_cpu_seconds_total',
      'go_memstats_alloc_bytes',
      'go_info',
    ]) {
      expect(
        samples(family, { app: 'kustomize-controller', namespace: 'flux-system', cluster: 'us' }).length
      ).toBeGreaterThan(0);
    }
    expect(parseLabels(samples('rest_client_requests_total', { app: 'helm-controller' })[0])).toMatchObject({
      code: '200',
      method: 'GET',
      host: '10.96.0.1:443',
    });
    expect(
      samples('controller_runtime_reconcile_total', { controller: 'kustomization', result: 'success' }).length
    ).toBeGreaterThan(0);
  });

  it('writes one schema when asked and refuses two legacy variants at once', () => {
    const only = scenarioToOpenMetrics(scenario, { schema: 'flux-operator', reconcileMetrics: false });
    expect(only).toContain('flux_resource_info{');
    expect(only).not.toContain('gotk_');
    expect(() => scenarioToOpenMetrics(scenario, { schema: ['legacy-2.0', 'legacy-2.4'] })).toThrow(
      /share gotk_reconcile_condition/
    );
  });

  it('duplicates every series per Prometheus replica and per kube-state-metrics replica', () => {
    const ha = parseScenario(
      `
schemas: [kube-state-metrics]
duration: 1m
replicas: {kubeStateMetrics: 2, prometheus: 2}
metrics: {reconcileDuration: false, controllers: false}
fleet: {named: [Kustomization/apps/podinfo]}
`,
      'ha.yaml'
    );
    const infoLines = scenarioToOpenMetrics(ha)
      .split('\n')
      .filter((l) => l.startsWith('gotk_resource_info{') && l.endsWith(` ${ha.startMs / 1000}`));
    const sets = infoLines.map((l) => parseLabels(l));
    expect(sets).toHaveLength(4);
    expect(new Set(sets.map((s) => `${s.replica}/${s.pod}`)).size).toBe(4);
  });
});
