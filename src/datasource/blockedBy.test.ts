/**
 * The Objects frame says "blocked by" per row, decided with the labels the rows do not carry, and
 * a panel reading the frame gets the same relations back.
 */
import { readBlockedBy, readFluxFrames, relate, summarizeCauses } from '../flux';
import { instantFrames, ksmLabels } from '../flux/testing/frames';
import { objectsFrame } from './output';

describe('objectsFrame blockedBy', () => {
  const objects = readFluxFrames(
    instantFrames([
      { labels: ksmLabels('GitRepository', 'flux-system', { ready: 'False' }), value: 1 },
      { labels: ksmLabels('Kustomization', 'apps', { ready: 'False', source_name: 'flux-system' }), value: 1 },
      { labels: ksmLabels('Kustomization', 'infra', { ready: 'True', source_name: 'flux-system' }), value: 1 },
    ])
  ).objects;

  it('is a "Blocked by" column with the source, empty when not blocked', () => {
    const frame = objectsFrame(objects, 'A');
    const field = frame.fields.find((f) => f.name === 'blockedBy')!;
    expect(field.config.displayName).toBe('Blocked by');
    const names = frame.fields.find((f) => f.name === 'name')!.values;
    expect(Object.fromEntries(names.map((n, i) => [n, field.values[i]]))).toEqual({
      'flux-system': '',
      apps: 'GitRepository apps/flux-system',
      infra: '',
    });
  });

  it('has a hidden Source object column for every related object', () => {
    const frame = objectsFrame(objects, 'A');
    const field = frame.fields.find((f) => f.name === 'sourceRef')!;
    expect(field.config).toMatchObject({ displayName: 'Source object', custom: { hidden: true } });
    expect(field.values).toEqual(['', 'GitRepository apps/flux-system', 'GitRepository apps/flux-system']);
  });

  it('gives a panel reading the frame the same causes', () => {
    const frame = objectsFrame(objects, 'A');
    const read = readFluxFrames([frame]).objects;
    const relations = relate(read, { declared: readBlockedBy([frame]) });
    expect(summarizeCauses(read, relations)).toEqual({ causes: 1, blocked: 1, otherFailures: 0 });
  });
});

describe('objectsFrame readyMessage', () => {
  it('is a Message column when the ready_message label is exported, absent otherwise', () => {
    const [failing] = readFluxFrames(
      instantFrames([
        { labels: ksmLabels('Kustomization', 'apps', { ready: 'False', ready_message: 'build failed' }), value: 1 },
      ])
    ).objects;
    const frame = objectsFrame([failing]);
    expect(frame.fields.find((f) => f.name === 'readyMessage')?.values).toEqual(['build failed']);
    failing.labels = {};
    expect(objectsFrame([failing]).fields.some((f) => f.name === 'readyMessage')).toBe(false);
  });
});
