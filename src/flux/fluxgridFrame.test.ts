import { FieldType } from '@grafana/data';

import { FLUXGRID_FIELDS, readFluxGridFrame, toFluxGridFrame } from './fluxgridFrame';
import { readFluxFrames } from './normalize';
import { fluxObject, T0 } from './testing/frames';

describe('FluxGrid objects frame', () => {
  it('round-trips objects through the frame', () => {
    const objects = [
      fluxObject({
        name: 'a',
        cluster: 'prod',
        state: 'Failed',
        reason: 'BuildFailed',
        revision: 'main@sha1:1',
        source: 'repo',
        since: T0,
        reconcile: { count: 3, lastReconcileAt: T0 + 1 },
      }),
      fluxObject({ name: 'b', state: 'Suspended', suspended: true }),
    ];
    const frame = toFluxGridFrame(objects, 'A');
    expect(frame.meta?.custom?.fluxgrid).toEqual({ version: 1 });
    expect(frame.fields.map((f) => f.name)).toEqual([...FLUXGRID_FIELDS]);
    const read = readFluxFrames([frame]).objects;
    expect(read.map((o) => o.key)).toEqual(objects.map((o) => o.key));
    expect(read[0]).toMatchObject({
      state: 'Failed',
      reason: 'BuildFailed',
      revision: 'main@sha1:1',
      source: 'repo',
      since: T0,
      schema: 'fluxgrid',
      reconcile: { lastReconcileAt: T0 + 1 },
    });
    expect(read[1]).toMatchObject({ state: 'Suspended', suspended: true });
    expect(read[1].since).toBeUndefined();
  });

  it('carries sinceIsLowerBound ("at least since"), as an extra field after the contract\'s', () => {
    const objects = [
      fluxObject({ name: 'a', since: T0, sinceIsLowerBound: true }),
      fluxObject({ name: 'b', since: T0 + 5, sinceIsLowerBound: false }),
      fluxObject({ name: 'c' }),
    ];
    const frame = toFluxGridFrame(objects);
    expect(frame.fields.map((f) => f.name)).toEqual([...FLUXGRID_FIELDS, 'sinceIsLowerBound']);
    const read = readFluxGridFrame(frame).objects;
    expect(read.map((o) => [o.name, o.since, o.sinceIsLowerBound])).toEqual([
      ['a', T0, true],
      ['b', T0 + 5, false],
      ['c', undefined, undefined],
    ]);
  });

  it('hides Deleted rows unless asked', () => {
    const frame = toFluxGridFrame([fluxObject({ name: 'gone', state: 'Deleted' })]);
    expect(readFluxFrames([frame]).objects).toEqual([]);
    expect(readFluxFrames([frame], { includeDeleted: true }).objects).toHaveLength(1);
  });

  it('reads the optional extras and skips rows without kind or name', () => {
    const frame = toFluxGridFrame([fluxObject({ name: 'a' }), fluxObject({ name: '' })]);
    frame.fields.push(
      { name: 'ready', type: FieldType.string, config: {}, values: ['True', 'False'] },
      { name: 'reconcileCount', type: FieldType.number, config: {}, values: [4, null] },
      { name: 'reconcileMeanSeconds', type: FieldType.number, config: {}, values: [1.5, null] }
    );
    const { objects } = readFluxGridFrame(frame);
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({ ready: 'True', reconcile: { count: 4, meanSeconds: 1.5 } });
  });
});

describe('malformed FluxGrid frames', () => {
  it('lists a frame whose fields are not a list, or whose required field has no values', () => {
    const broken = toFluxGridFrame([fluxObject({ name: 'a' })]);
    delete (broken.fields[2] as Partial<(typeof broken.fields)[0]>).values;
    const notAList = { ...toFluxGridFrame([fluxObject({ name: 'b' })]), fields: 'kind,name' } as never;
    const reading = readFluxFrames([broken, notAList]);
    expect(reading.objects).toEqual([]);
    expect(reading.unusableFrames).toEqual([
      'frame "Objects" (FluxGrid objects) has a "name" field without values',
      'frame "Objects" (FluxGrid objects) has no "kind" field',
    ]);
  });

  it('skips an optional field without values, says so, and reads the rows', () => {
    const frame = toFluxGridFrame([fluxObject({ name: 'a', reason: 'R' })]);
    delete (frame.fields.find((f) => f.name === 'reason') as Partial<(typeof frame.fields)[0]>).values;
    const reading = readFluxFrames([frame]);
    expect(reading.objects.map((o) => [o.name, o.reason])).toEqual([['a', undefined]]);
    expect(reading.warnings).toEqual(['frame "Objects": FluxGrid fields without values ignored: "reason"']);
  });
});
