/**
 * The VictoriaMetrics harness: the same OpenMetrics history as Prometheus gets, imported with its
 * timestamps and answered through the Prometheus query API.
 *
 * @jest-environment node
 */
import { queryPrometheus } from './prometheus';
import { engineOf, openMetricsToImport, startVictoriaMetrics } from './victoria-metrics';

jest.setTimeout(60_000);

const T = 1736121600;

it('rewrites OpenMetrics lines (seconds) as the text format VictoriaMetrics imports (milliseconds)', () => {
  expect(
    openMetricsToImport(
      ['# TYPE x gauge', 'x{a="with space",b="}"} 1 1736121600.5', 'y 2 1736121630', '# EOF', ''].join('\n')
    )
  ).toBe('x{a="with space",b="}"} 1 1736121600500\ny 2 1736121630000\n');
});

it('FLUXGRID_ENGINE picks the engine, Prometheus by default', () => {
  expect(engineOf({})).toBe('prometheus');
  expect(engineOf({ FLUXGRID_ENGINE: 'victoria-metrics' })).toBe('victoria-metrics');
});

it('answers instant queries over the imported history, at its timestamps', async () => {
  const lines = ['# TYPE gotk_resource_info gauge'];
  for (let t = T; t <= T + 600; t += 60) {
    lines.push(`gotk_resource_info{name="podinfo",ready="${t < T + 300 ? 'True' : 'False'}"} 1 ${t}`);
  }
  lines.push('# EOF', '');
  const vm = await startVictoriaMetrics({ openMetrics: lines.join('\n') });
  try {
    const at = async (t: number) => (await queryPrometheus(vm.url, 'gotk_resource_info', t)).map((r) => r.metric.ready);
    expect(await at(T + 120)).toEqual(['True']);
    expect(await at(T + 600)).toEqual(['False']);
    const [sample] = await queryPrometheus(vm.url, 'timestamp(gotk_resource_info)', T + 600);
    expect(Number(sample.value[1])).toBe(T + 600);
  } finally {
    await vm.stop();
  }
});
