import { toFluxGridFrame } from './fluxgridFrame';
import { readFluxFrames } from './normalize';
import { relate, sourceGroupOf } from './relations';
import { blockedByField, readBlockedBy, readSourceRefs, sourceRefField } from './relationsFrame';
import { groupObjects } from './summary';
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

describe('sourceRef through the Objects frame', () => {
  it('gives a panel reading the frame the same groups by source as the labels do', () => {
    const objects = readFluxFrames(
      instantFrames([
        { labels: ksmLabels('GitRepository', 'fleet', { ready: 'True' }), value: 1 },
        { labels: ksmLabels('Kustomization', 'apps', { ready: 'True', source_name: 'fleet' }), value: 1 },
        { labels: ksmLabels('Kustomization', 'infra', { ready: 'False', source_name: 'fleet' }), value: 1 },
        { labels: ksmLabels('Kustomization', 'alone', { ready: 'True' }), value: 1 },
      ])
    ).objects;
    const relations = relate(objects);
    const frame = toFluxGridFrame(objects, 'A');
    frame.fields.push(blockedByField(objects, relations), sourceRefField(objects, relations));
    const groups = (os: typeof objects, r: typeof relations) =>
      groupObjects(os, ['source'], { source: sourceGroupOf(r) }).map((g) => [
        g.label,
        g.objects.map((o) => o.name).sort(),
      ]);
    const read = readFluxFrames([frame]).objects;
    const fromFrame = relate(read, { declared: readBlockedBy([frame]), declaredSources: readSourceRefs([frame]) });
    expect(groups(read, fromFrame)).toEqual(groups(objects, relations));
    expect(groups(read, fromFrame)).toEqual([
      ['GitRepository apps/fleet', ['apps', 'fleet', 'infra']],
      ['(no source relation)', ['alone']],
    ]);
  });
});
