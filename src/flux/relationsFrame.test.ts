import { toFluxGridFrame } from './fluxgridFrame';
import { readFluxFrames } from './normalize';
import { relate } from './relations';
import { blockedByField, readBlockedBy } from './relationsFrame';
import { instantFrames, ksmLabels } from './testing/frames';

describe('blockedBy through the Objects frame', () => {
  it('carries the datasource’s decisions to a panel that reads the frame', () => {
    const objects = readFluxFrames(
      instantFrames([
        { labels: ksmLabels('GitRepository', 'fleet', { ready: 'False', cluster: 'prod' }), value: 1 },
        {
          labels: ksmLabels('Kustomization', 'apps', { ready: 'False', cluster: 'prod', source_name: 'fleet' }),
          value: 1,
        },
        {
          labels: ksmLabels('Kustomization', 'ok', { ready: 'True', cluster: 'prod', source_name: 'fleet' }),
          value: 1,
        },
      ])
    ).objects;
    const relations = relate(objects);
    const frame = toFluxGridFrame(objects, 'A');
    frame.fields.push(blockedByField(objects, relations));
    // The panel side: the frame's objects have no labels, so nothing is related by labels …
    const read = readFluxFrames([frame]).objects;
    expect(relate(read).blockedBy.size).toBe(0);
    // … and everything by the declared field.
    const again = relate(read, { declared: readBlockedBy([frame]) });
    expect([...again.blockedBy.entries()].map(([k, v]) => [k.split('\u001f')[3], v.kind, v.name, v.cluster])).toEqual([
      ['apps', 'GitRepository', 'fleet', 'prod'],
    ]);
    expect(again.causes.size).toBe(1);
  });

  it('ignores frames that are not FluxGrid’s and unparsable values', () => {
    const frame = toFluxGridFrame([], 'A');
    expect(readBlockedBy([frame, { fields: [], length: 0 }])).toEqual(new Map());
  });
});
