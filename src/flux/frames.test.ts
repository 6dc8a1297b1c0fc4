import { createDataFrame, dataFrameFromJSON, FieldType } from '@grafana/data';

import { scanFrames, toMs, toSampleValue } from './frames';
import { normalizeFluxFrames } from './normalize';
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
});

describe('frames as they arrive over the wire', () => {
  it('reads a matrix frame decoded from JSON, with NaN entities', () => {
    // The shape Grafana's backend sends for a range query: NaN written as null plus an entity.
    const frame = dataFrameFromJSON({
      schema: {
        refId: 'A',
        meta: { type: 'timeseries-multi' as never, custom: { resultType: 'matrix' } },
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
