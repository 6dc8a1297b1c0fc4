import { createDataFrame, FieldType } from '@grafana/data';
import fc from 'fast-check';

import { scanFrames } from './frames';

import { LabelReader } from './labelReader';
import { cleanLabels, labelValue, reasonOf, resolveIdentity, revisionOf, SeriesLabels, sourceOf } from './labels';
import { TableSeries } from './tableFrame';
import { FluxLabelMapping } from './types';

describe('LabelReader (one pass) answers as the lookups do', () => {
  // Names the rules read, names of Object.prototype members, and any other.
  const NAMES = [
    ...['__name__', 'name', 'kind', 'customresource_kind', 'namespace', 'exported_namespace', 'cluster'],
    ...['k8s_cluster', 'ready', 'suspended', 'url', 'reason', 'ready_reason', 'revision', 'source_name'],
    ...['chart_name', 'endpoint', 'exported_endpoint', 'registry', 'type', 'status', 'my_kind'],
    ...['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'other'],
  ];
  const VALUES = ['', 'Bucket', 'FluxInstance', 'True', 'x', 'constructor', '__proto__'];
  const labelsArb = fc
    .array(fc.tuple(fc.constantFrom(...NAMES), fc.oneof(fc.constantFrom<unknown>(...VALUES), fc.constant(7))))
    .map((pairs) => {
      // Through JSON, as a decoded frame's labels are: `__proto__` becomes an own property.
      const json = `{${pairs.map(([n, v]) => `${JSON.stringify(n)}:${JSON.stringify(v)}`).join(',')}}`;
      return JSON.parse(json) as Record<string, string>;
    });
  const mappingArb = fc.record(
    {
      cluster: fc.constantFrom('k8s_cluster', 'constructor'),
      kind: fc.constantFrom('my_kind', 'toString'),
      namespace: fc.constantFrom('other', '__proto__'),
      name: fc.constantFrom('other', 'valueOf'),
      reason: fc.constantFrom('ready_reason', 'hasOwnProperty'),
    },
    { requiredKeys: [] }
  );

  it('identity, reason, source, revision, ready, suspended, url, type, status and the shown labels', () => {
    fc.assert(
      fc.property(labelsArb, mappingArb, (labels, mapping: FluxLabelMapping) => {
        const reader = new LabelReader(mapping);
        const shown = reader.read(labels, true)!;
        expect(shown).toEqual(cleanLabels(labels));
        expect(Object.getOwnPropertyDescriptors(shown)).toEqual(Object.getOwnPropertyDescriptors(cleanLabels(labels)));
        expect(reader.identity()).toEqual(resolveIdentity(labels, mapping));
        expect(reader.facts(shown)).toEqual({
          shown,
          labels,
          ready: labelValue(labels, 'ready'),
          suspended: labelValue(labels, 'suspended'),
          url: labelValue(labels, 'url'),
          reason: reasonOf(labels, mapping),
          revision: revisionOf(labels),
          source: sourceOf(labels),
        });
        for (const name of ['type', 'status']) {
          expect(reader.value(name)).toBe(labelValue(labels, name));
        }
        // The same written into records the reading reuses: the identity's, and the series' own.
        const into = { cluster: '?', kind: '?', namespace: '?', name: '?' };
        const identity = resolveIdentity(labels, mapping);
        const missing = reader.identityInto(into);
        expect(missing === undefined ? into : { missing }).toEqual(identity);
        const stale = 'from the series before';
        const series: SeriesLabels = {
          labels,
          shown: {},
          ready: stale,
          suspended: stale,
          url: stale,
          reason: stale,
          revision: stale,
          source: stale,
        };
        expect(reader.facts(shown, series)).toBe(series);
        expect({ ...series }).toEqual(reader.facts(shown));
        // A second series read by the same reader keeps nothing of the first.
        reader.read({}, false);
        expect(reader.identity()).toEqual(resolveIdentity({}, mapping));
      })
    );
  });

  it('one reader over many series: a label-name list read by the plan of an earlier series with the same names', () => {
    // Few name lists, so that plans are reused (and evicted, past eight lists), with values that
    // change from series to series: '' and non-strings are absent whatever the list's plan says.
    const namesArb = fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 9 });
    const seriesArb = fc
      .tuple(
        fc.array(namesArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.array(fc.oneof(fc.constantFrom<unknown>(...VALUES), fc.constant(7)))), {
          maxLength: 40,
        })
      )
      .map(([lists, picks]) =>
        picks.map(([pick, values]) => {
          const names = lists[pick % lists.length];
          const json = `{${names.map((n, i) => `${JSON.stringify(n)}:${JSON.stringify(values[i] ?? 'v')}`).join(',')}}`;
          return JSON.parse(json) as Record<string, string>;
        })
      );
    fc.assert(
      fc.property(
        seriesArb,
        mappingArb,
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        (all, mapping, shownOf) => {
          const reader = new LabelReader(mapping);
          all.forEach((labels, i) => {
            expect(reader.start(labels)).toBe(labelValue(labels, '__name__'));
            const shown = reader.pass(shownOf[i]);
            if (shownOf[i]) {
              expect(Object.getOwnPropertyDescriptors(shown)).toEqual(
                Object.getOwnPropertyDescriptors(cleanLabels(labels))
              );
              expect(reader.facts(shown!)).toMatchObject({
                reason: reasonOf(labels, mapping),
                source: sourceOf(labels),
              });
            } else {
              expect(shown).toBeUndefined();
            }
            expect(reader.identity()).toEqual(resolveIdentity(labels, mapping));
            for (const name of ['type', 'status', 'ready', 'suspended', 'url', 'revision']) {
              expect(reader.value(name)).toBe(labelValue(labels, name));
            }
          });
        }
      )
    );
  });

  it('a table read by column: each row as the reader reads the record a frame per series carries', () => {
    // Column names may repeat (a later non-empty cell wins), cells may be '', numbers or booleans.
    const tableArb = fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 12 }).chain((names) =>
      fc.tuple(
        fc.constant(names),
        fc.array(
          fc.array(fc.oneof(fc.constantFrom<unknown>(...VALUES), fc.constant(7), fc.constant(true)), {
            minLength: names.length,
            maxLength: names.length,
          }),
          { minLength: 1, maxLength: 8 }
        )
      )
    );
    fc.assert(
      fc.property(tableArb, mappingArb, ([names, rows], mapping: FluxLabelMapping) => {
        const frame = createDataFrame({
          fields: [
            { name: 'Time', type: FieldType.time, values: rows.map(() => 0) },
            ...names.map((name, c) => ({ name, type: FieldType.string, values: rows.map((row) => row[c]) })),
            { name: 'Value', type: FieldType.number, values: rows.map(() => 1) },
          ],
        });
        const table = scanFrames([frame]).series as TableSeries[];
        const reader = new LabelReader(mapping);
        const byRecord = new LabelReader(mapping);
        for (const series of table) {
          const labels = series.table.labelsAt(series.row);
          expect(reader.startRow(series)).toBe(byRecord.start(labels));
          expect(reader.pass(true)).toBeUndefined();
          const shown = byRecord.pass(true);
          const facts = reader.facts(undefined);
          // Made when asked: the same names, values, order and descriptors as the record's.
          const made = facts.shown ?? cleanLabels(facts.labels);
          expect(JSON.stringify(made)).toBe(JSON.stringify(shown));
          expect(Object.getOwnPropertyDescriptors(made)).toEqual(Object.getOwnPropertyDescriptors(shown));
          expect(facts.labels).toEqual(labels);
          const { shown: _shown, labels: _labels, ...values } = byRecord.facts(shown);
          expect({ ...values }).toEqual({
            ready: facts.ready,
            suspended: facts.suspended,
            url: facts.url,
            reason: facts.reason,
            revision: facts.revision,
            source: facts.source,
          });
          expect(reader.identity()).toEqual(byRecord.identity());
          for (const name of ['type', 'status']) {
            expect(reader.value(name)).toBe(byRecord.value(name));
          }
        }
      })
    );
  });
});
