import { createDataFrame, DataFrame, dataFrameFromJSON, DataFrameType, FieldType } from '@grafana/data';
import fc from 'fast-check';

import { scanFrames, toMs, toSampleValue } from './frames';
import { normalizeFluxFrames, readFluxFrames } from './normalize';
import { ksmLabels, T0 } from './testing/frames';

describe('sample and time values', () => {
  it.each([
    [1, 1],
    [0, 0],
    [null, NaN],
    [undefined, NaN],
    [NaN, NaN],
    [Infinity, NaN],
    [-Infinity, NaN],
    ['1', 1],
    ['NaN', NaN],
    ['', NaN],
  ])('sample %p -> %p', (raw, expected) => {
    expect(toSampleValue(raw)).toBe(expected);
  });

  it('reads epoch ms, Dates and ISO strings', () => {
    expect(toMs(T0)).toBe(T0);
    expect(toMs(new Date(T0))).toBe(T0);
    expect(toMs(new Date(T0).toISOString())).toBe(T0);
    expect(toMs(String(T0))).toBe(T0);
    expect(toMs(null)).toBeNaN();
  });
});

describe('scanFrames', () => {
  it('turns each table row into a series, skipping empty label cells', () => {
    const frame = createDataFrame({
      refId: 'A',
      fields: [
        { name: 'Time', type: FieldType.time, values: [T0, T0] },
        { name: '__name__', type: FieldType.string, values: ['gotk_resource_info', 'gotk_resource_info'] },
        { name: 'name', type: FieldType.string, values: ['a', 'b'] },
        { name: 'ready', type: FieldType.string, values: ['True', ''] },
        { name: 'Value #A', type: FieldType.number, values: [1, 1] },
      ],
    });
    const { series } = scanFrames([frame]);
    expect(series.map((s) => [s.labels, s.start, s.end, s.fieldName])).toEqual([
      [{ __name__: 'gotk_resource_info', name: 'a', ready: 'True' }, 0, 1, 'Value #A'],
      [{ __name__: 'gotk_resource_info', name: 'b' }, 1, 2, 'Value #A'],
    ]);
  });

  it('reads every number field of a time series frame as its own series', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [T0, T0 + 1] },
        { name: 'a', type: FieldType.number, values: [1, 1], labels: { x: '1' } },
        { name: 'b', type: FieldType.number, values: [0, 1], labels: { x: '2' } },
      ],
    });
    const { series } = scanFrames([frame]);
    expect(series.map((s) => [s.fieldName, s.labels, s.end - s.start])).toEqual([
      ['a', { x: '1' }, 2],
      ['b', { x: '2' }, 2],
    ]);
  });

  it('says when a series samples at ascending (and evenly spaced) times, with the same query timing either way', () => {
    const frameAt = (times: unknown[], refId: string) =>
      createDataFrame({
        refId,
        fields: [
          { name: 'Time', type: FieldType.time, values: times },
          { name: 'Value', type: FieldType.number, values: times.map(() => 1), labels: { x: refId } },
        ],
      });
    const cases: Array<[times: unknown[], ascending: boolean, spacing: number, step: number, span: number]> = [
      [[T0, T0 + 60_000, T0 + 120_000], true, 60_000, 60_000, 120_000],
      [[T0], true, 0, Infinity, 0],
      [[T0, T0 + 60_000, T0 + 90_000], true, NaN, 30_000, 90_000],
      [[T0 + 0.5, T0 + 1.5], true, NaN, 1, 1],
      // A second time whose gap rounds to a whole step (1 + 5e-324 is 1) is not evenly spaced.
      [[-1, 5e-324], true, NaN, 1, 1],
      [[T0 + 120_000, T0, T0 + 60_000], false, NaN, 60_000, 120_000],
      [[T0, T0, T0 + 60_000], false, NaN, 60_000, 60_000],
      [[T0, NaN, T0 + 60_000], false, NaN, 60_000, 60_000],
      [[new Date(T0), new Date(T0 + 60_000)], false, NaN, 60_000, 60_000],
    ];
    cases.forEach(([times, ascending, spacing, step, span], i) => {
      const [series] = scanFrames([frameAt(times, `Q${i}`)]).series;
      expect([series.ascending, series.spacing]).toEqual([ascending, spacing]);
      expect([series.query.step, series.query.end - series.query.start]).toEqual([step, span]);
    });
  });

  it('reads any time field like the plain definitions of ascending, spacing, step and span (the evenly spaced pass included)', () => {
    // The definitions, spelled out: what the scan's passes (an evenly spaced one first) must agree with.
    const expected = (times: unknown[]) => {
      const numbers = times.map((t) => (typeof t === 'number' ? t : NaN));
      const ascending = numbers.every((t, i) => t > (i === 0 ? -Infinity : numbers[i - 1]));
      const gaps = numbers.slice(1).map((t, i) => t - numbers[i]);
      const even = gaps.every((gap) => gap === gaps[0]);
      const integers = numbers.every((t) => Math.floor(t) === t);
      const spacing = ascending && integers ? (gaps.length === 0 ? 0 : even ? gaps[0] : NaN) : NaN;
      const ms = times.map(toMs).filter((t) => !Number.isNaN(t));
      const sorted = [...ms].sort((a, b) => a - b);
      const step = Math.min(
        ...sorted
          .slice(1)
          .map((t, i) => t - sorted[i])
          .filter((gap) => gap > 0)
      );
      return { ascending, spacing, step, start: Math.min(...ms), end: Math.max(...ms), any: ms.length > 0 };
    };
    const safe = Number.MAX_SAFE_INTEGER;
    const start = fc.oneof(
      fc.constantFrom(T0, 0, -60_000, safe - 120, -safe, 2 ** 60, Infinity, -Infinity, NaN),
      fc.double({ noNaN: true, min: -1e6, max: 1e6 })
    );
    const step = fc.oneof(fc.constantFrom(60_000, 1, 0, -60_000, 60, 2 ** 60), fc.double({ min: 0, max: 100 }));
    const nudge = fc.option(fc.record({ at: fc.nat(6), by: fc.constantFrom<unknown>(1, 0.5, -1, 'x', NaN, null) }));
    fc.assert(
      fc.property(start, step, fc.integer({ min: 1, max: 7 }), nudge, (first, gap, n, change) => {
        const times: unknown[] = Array.from({ length: n }, (_, i) => first + i * gap);
        if (change && change.at < n) {
          times[change.at] = typeof change.by === 'number' ? (times[change.at] as number) + change.by : change.by;
        }
        const frame = createDataFrame({
          fields: [
            { name: 'Time', type: FieldType.time, values: times },
            { name: 'Value', type: FieldType.number, values: times.map(() => 1), labels: { x: '1' } },
          ],
        });
        const [series] = scanFrames([frame]).series;
        const { ascending, spacing, step, start: from, end: to, any } = expected(times);
        expect([series.ascending, series.spacing]).toEqual([ascending, spacing]);
        expect([series.query.step, series.query.start, series.query.end]).toEqual(
          any ? [step, from, to] : [Infinity, NaN, NaN]
        );
      }),
      // Cases it found: a second time whose gap rounds to a whole step, a first time of -0.
      {
        numRuns: 1000,
        examples: [
          [0, 5e-324, 2, { at: 0, by: -1 }],
          [-0, -60_000, 1, null],
        ],
      }
    );
  });

  it("names a one-series frame's series after its field and frame, read when asked ('' for a name that is no text)", () => {
    const frame = (name: unknown, fieldName: unknown): DataFrame =>
      ({
        name,
        fields: [
          { name: 'Time', type: FieldType.time, config: {}, values: [T0, T0 + 60_000] },
          { name: fieldName, type: FieldType.number, config: {}, values: [1, 0, 1], labels: { x: '1' } },
        ],
        length: 2,
      }) as DataFrame;
    const { series } = scanFrames([
      frame('fleet', 'gotk_resource_info'),
      frame(7, { toString: () => 'x' }),
      frame(undefined, ''),
    ]);
    expect(series.map((s) => [s.frameName, s.fieldName, s.frameIndex, s.start, s.end, s.labels])).toEqual([
      ['fleet', 'gotk_resource_info', 0, 0, 2, { x: '1' }],
      ['', '', 1, 0, 2, { x: '1' }],
      ['', '', 2, 0, 2, { x: '1' }],
    ]);
    // The names decide the metric of a series without `__name__` (schemas.ts): read on the series.
    const [named] = scanFrames([frame('gotk_resource_info', 'Value')]).series;
    expect([named.frameName, named.fieldName]).toEqual(['gotk_resource_info', 'Value']);
  });
});

describe('frames as they arrive over the wire', () => {
  it('reads a matrix frame decoded from JSON, with NaN entities', () => {
    // The shape Grafana's backend sends for a range query: NaN written as null plus an entity.
    const frame = dataFrameFromJSON({
      schema: {
        refId: 'A',
        meta: { type: DataFrameType.TimeSeriesMulti, custom: { resultType: 'matrix' } },
        fields: [
          { name: 'Time', type: FieldType.time },
          {
            name: 'Value',
            type: FieldType.number,
            labels: ksmLabels('Kustomization', 'wire', { ready: 'False' }),
          },
        ],
      },
      data: {
        values: [
          [T0, T0 + 60_000, T0 + 120_000],
          [1, null, 1],
        ],
        entities: [null, { NaN: [1] }],
      },
    });
    const [object] = normalizeFluxFrames([frame]);
    expect(object).toMatchObject({
      name: 'wire',
      state: 'Failed',
      since: T0,
      sinceIsLowerBound: true,
      observedAt: T0 + 120_000,
    });
  });
});

describe('malformed frames', () => {
  const labels = ksmLabels('Kustomization', 'ok', { ready: 'True' });
  const good = (): DataFrame => ({
    refId: 'A',
    length: 1,
    fields: [
      { name: 'Time', type: FieldType.time, config: {}, values: [T0] },
      { name: 'Value', type: FieldType.number, config: {}, values: [1], labels },
    ],
  });
  const hostile = (frame: Record<string, unknown>) => frame as unknown as DataFrame;

  it('skips a field without values, says so, and reads the rest', () => {
    const frame = good();
    frame.fields.push(hostile({ name: 'Broken', type: FieldType.number, config: {}, labels }) as never);
    const reading = readFluxFrames([frame]);
    expect(reading.objects.map((o) => o.name)).toEqual(['ok']);
    expect(reading.warnings).toEqual(['frame "A": field "Broken" without values ignored']);
  });

  it('lists a frame whose fields are not a list, or whose only time field has no values', () => {
    const noTimes = good();
    delete (noTimes.fields[0] as Partial<DataFrame['fields'][0]>).values;
    const reading = readFluxFrames([
      hostile({ name: 'object', fields: { 0: good().fields[0] } }),
      hostile({ name: 'text', fields: 'Time,Value' }),
      noTimes,
      hostile({ name: 'nulls', fields: [null, 5, 'x'] }),
      7 as unknown as DataFrame,
      good(),
    ]);
    expect(reading.objects.map((o) => o.name)).toEqual(['ok']);
    expect(reading.unusableFrames).toEqual([
      'frame "object" has no fields',
      'frame "text" has no fields',
      'frame "A" has no time field',
      'frame "nulls" has no numeric field',
      'frame #5 is not a data frame',
    ]);
    expect(() => readFluxFrames({} as unknown as DataFrame[])).not.toThrow();
  });

  it('reads the rows a frame holds, not the rows it claims', () => {
    const table = createDataFrame({
      refId: 'A',
      fields: [
        { name: 'Time', type: FieldType.time, values: [T0] },
        { name: 'name', type: FieldType.string, values: ['t'] },
        { name: 'customresource_kind', type: FieldType.string, values: ['Kustomization'] },
        { name: 'ready', type: FieldType.string, values: ['True'] },
        { name: '__name__', type: FieldType.string, values: ['gotk_resource_info'] },
        { name: 'Value #A', type: FieldType.number, values: [1] },
      ],
    });
    table.length = 1e7;
    const claimed = { ...good(), length: 1e7 };
    expect(scanFrames([table, claimed]).series).toHaveLength(2);
    expect(readFluxFrames([table, claimed]).objects.map((o) => o.name)).toEqual(['t', 'ok']);
  });

  it('reads cells and labels that are not text as absent, never calling their methods', () => {
    const trap = Object.create(null);
    const frame = createDataFrame({
      refId: 'A',
      fields: [
        { name: 'Time', type: FieldType.time, values: [T0, T0] },
        { name: 'name', type: FieldType.string, values: ['a', trap] },
        { name: 'customresource_kind', type: FieldType.string, values: ['Kustomization', 'Kustomization'] },
        { name: '__name__', type: FieldType.string, values: ['gotk_resource_info', 'gotk_resource_info'] },
        { name: 'Value #A', type: FieldType.number, values: [1, 1] },
      ],
    });
    const series = good();
    series.fields[1].labels = { ...labels, name: 5 as unknown as string, ready: trap };
    const strings = good();
    strings.fields[1].labels = 'name=x' as unknown as DataFrame['fields'][0]['labels'];
    const reading = readFluxFrames([frame, series, strings]);
    expect(reading.objects.map((o) => o.name)).toEqual(['a']);
    expect(reading.warnings).toEqual(['frame "A": 1 gotk_resource_info series without a "name" label were ignored']);
    expect(reading.unusableFrames).toEqual(['frame "A" (gotk_resource_info) has no "name" label']);
  });
});
