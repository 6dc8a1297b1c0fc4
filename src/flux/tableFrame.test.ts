/**
 * Table frames read by column (tableFrame.ts): the same reading as a frame per series carrying
 * each row's labels, whatever the column names and cells, with a labels record made only on demand.
 */
import { createDataFrame, DataFrame, FieldType } from '@grafana/data';

import { scanFrames } from './frames';
import { readFluxFrames } from './normalize';
import { TableSeries } from './tableFrame';
import { instantFrames, ksmLabels, Labels, operatorLabels, seriesFrame, STEP, T0, tableFrame } from './testing/frames';

/** A table frame from raw columns: names may repeat, cells may be any value. */
function rawTable(columns: Array<[name: string, cells: unknown[]]>, values: Array<number | null>, times?: number[]) {
  return createDataFrame({
    refId: 'A',
    meta: { preferredVisualisationType: 'table' },
    fields: [
      { name: 'Time', type: FieldType.time, values: times ?? values.map(() => T0) },
      ...columns.map(([name, cells]) => ({ name, type: FieldType.string, values: cells })),
      { name: 'Value', type: FieldType.number, values },
    ],
  });
}

describe('table frames read by column', () => {
  it('reads hostile and odd column names and cells as the record a frame per series carries', () => {
    const frame = rawTable(
      [
        ['__name__', ['flux_resource_info', 'flux_resource_info', 'flux_resource_info']],
        ['kind', ['Kustomization', 'HelmRelease', 'Kustomization']],
        ['name', ['a', 'b', 'c']],
        ['exported_namespace', ['apps', 'apps', '']],
        ['ready', ['True', 'False', 'Unknown']],
        // Object.prototype's names are labels like any other; `0` is an array-index name.
        ['__proto__', ['p', '', 'q']],
        ['constructor', ['', 'k', '']],
        ['0', ['zero', '', '']],
        // A number and a boolean cell read as their text; an object cell as no text.
        ['revision', [7, true, { toString: () => 'x' }]],
        // A later column of a name over an earlier one, unless its cell is empty.
        ['reason', ['Early', 'Early', 'Early']],
        ['reason', ['Late', '', 'Late']],
      ],
      [1, 1, 1]
    );
    const records: Labels[] = [
      { __name__: 'flux_resource_info', kind: 'Kustomization', name: 'a', exported_namespace: 'apps', ready: 'True' },
      { __name__: 'flux_resource_info', kind: 'HelmRelease', name: 'b', exported_namespace: 'apps', ready: 'False' },
      { __name__: 'flux_resource_info', kind: 'Kustomization', name: 'c', ready: 'Unknown' },
    ];
    const extra: Array<Array<[string, string]>> = [
      [
        ['__proto__', 'p'],
        ['0', 'zero'],
        ['revision', '7'],
        ['reason', 'Late'],
      ],
      [
        ['constructor', 'k'],
        ['revision', 'true'],
        ['reason', 'Early'],
      ],
      [
        ['__proto__', 'q'],
        ['reason', 'Late'],
      ],
    ];
    extra.forEach((pairs, i) =>
      pairs.forEach(([name, value]) =>
        Object.defineProperty(records[i], name, { value, enumerable: true, writable: true, configurable: true })
      )
    );
    const perSeries = instantFrames(records.map((labels) => ({ labels, value: 1 })));

    const fromTable = readFluxFrames([frame]);
    expect(fromTable.objects.map((o) => o.state)).toEqual(['Ready', 'Failed', 'Progressing']);
    // To the letter, names in the same order: the shown labels as a frame per series gives them.
    expect(JSON.stringify(fromTable)).toBe(JSON.stringify(readFluxFrames(perSeries)));
    const [a] = fromTable.objects;
    expect(Object.hasOwn(a.labels, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(a.labels)).toBe(Object.prototype);
    expect(fromTable.objects[1].labels.constructor).toBe('k');
    expect(Object.hasOwn(fromTable.objects[0].labels, 'constructor')).toBe(false);

    // Each series' record, when asked, is the row's.
    const series = scanFrames([frame]).series;
    expect(series.every((s) => s instanceof TableSeries)).toBe(true);
    series.forEach((s, i) => expect(JSON.stringify(s.labels)).toBe(JSON.stringify(records[i])));
  });

  it("takes a run of rows with the same labels as one series' samples, read as a frame per series", () => {
    // Rows series by series (a range table before any sort by time): 2 objects x 6 samples.
    const a = operatorLabels('Kustomization', 'a', { ready: 'False', reason: 'BuildFailed' });
    const aBefore = { ...a, ready: 'True', reason: 'ReconciliationSucceeded' };
    const b = operatorLabels('HelmRelease', 'b');
    const times = Array.from({ length: 6 }, (_, k) => T0 + k * STEP);
    const series: Array<{ labels: Labels; samples: Array<[number, number]> }> = [
      { labels: aBefore, samples: times.slice(0, 2).map((t) => [t, 1]) },
      { labels: a, samples: times.slice(2).map((t) => [t, 1]) },
      // b stops two steps early: gone at the end of the range.
      { labels: b, samples: times.slice(0, 4).map((t) => [t, 1]) },
    ];
    const table = tableFrame(
      series.flatMap((s) => s.samples.map(([time, value]) => ({ labels: s.labels, value, time })))
    );

    const scanned = scanFrames([table]).series;
    expect(scanned.map((s) => [s.start, s.end])).toEqual([
      [0, 2],
      [2, 6],
      [6, 10],
    ]);
    const fromTable = readFluxFrames([table], { includeDeleted: true });
    const fromSeries = readFluxFrames(
      series.map((s) => seriesFrame(s.labels, s.samples)),
      { includeDeleted: true }
    );
    expect(fromTable.objects).toEqual(fromSeries.objects);
    expect(fromTable.objects.map((o) => [o.name, o.state, o.since])).toEqual([
      ['a', 'Failed', times[2]],
      ['b', 'Deleted', times[3]],
    ]);
  });

  it('stops a series at the end of a shorter value column and counts skipped rows as before', () => {
    const frame = rawTable(
      [
        ['__name__', ['gotk_resource_info', 'gotk_resource_info', 'gotk_resource_info', 'gotk_resource_info']],
        ['customresource_kind', ['Kustomization', 'Kustomization', 'Kustomization', 'Kustomization']],
        ['name', ['a', 'a', '', '']],
        ['ready', ['True', 'True', 'True', 'True']],
      ],
      // Two values for four rows: a's rows hold them, the nameless rows none.
      [1, 1],
      [T0, T0 + STEP, T0, T0 + STEP]
    );
    const series = scanFrames([frame]).series;
    expect(series.map((s) => [s.start, s.end])).toEqual([
      [0, 2],
      [2, 2],
    ]);
    const reading = readFluxFrames([frame]);
    expect(reading.objects.map((o) => [o.name, o.observedAt])).toEqual([['a', T0 + STEP]]);
    // Two rows without a name: two series, as when every row was one.
    expect(reading.warnings).toEqual(['frame "A": 2 gotk_resource_info series without a "name" label were ignored']);
  });

  it('reads a number column with labels of its own under each row, as before', () => {
    const frame: DataFrame = createDataFrame({
      refId: 'A',
      fields: [
        { name: 'Time', type: FieldType.time, values: [T0] },
        { name: 'name', type: FieldType.string, values: ['a'] },
        { name: 'Value', type: FieldType.number, values: [1], labels: ksmLabels('Kustomization', 'field-name') },
      ],
    });
    const [object] = readFluxFrames([frame]).objects;
    expect(object.name).toBe('a');
    expect(object.kind).toBe('Kustomization');
    expect(scanFrames([frame]).series[0]).not.toBeInstanceOf(TableSeries);
  });
});
