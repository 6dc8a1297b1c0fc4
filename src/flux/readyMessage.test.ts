import { readFluxFrames } from './normalize';
import { readyMessageField, readyMessageOf, READY_MESSAGE_FIELD } from './readyMessage';
import { readObjectColumn } from './relationsFrame';
import { toFluxGridFrame } from './fluxgridFrame';
import { fluxObject, instantFrames, ksmLabels } from './testing/frames';

describe('ready message', () => {
  const message = 'kustomize build failed: accumulating resources from "./apps": <evil>&\n2nd line';
  const objects = readFluxFrames(
    instantFrames([
      { labels: ksmLabels('Kustomization', 'apps', { ready: 'False', ready_message: message }), value: 1 },
      { labels: ksmLabels('Kustomization', 'infra', { ready: 'True' }), value: 1 },
    ])
  ).objects;

  it('is read from the optional ready_message label, verbatim', () => {
    expect(objects.map((o) => readyMessageOf(o))).toEqual([message, undefined]);
    expect(readyMessageOf(fluxObject({ name: 'x', labels: Object.create(null) }))).toBeUndefined();
  });

  it('travels through the Objects frame to a panel that reads it', () => {
    const frame = toFluxGridFrame(objects);
    const field = readyMessageField(objects)!;
    expect(field.name).toBe(READY_MESSAGE_FIELD);
    frame.fields.push(field);
    const read = readFluxFrames([frame]).objects;
    const fromFrame = readObjectColumn([frame], READY_MESSAGE_FIELD);
    expect(read.map((o) => readyMessageOf(o, fromFrame))).toEqual([message, undefined]);
  });

  it('adds no column when no object has a message', () => {
    expect(readyMessageField([objects[1]])).toBeUndefined();
  });
});
