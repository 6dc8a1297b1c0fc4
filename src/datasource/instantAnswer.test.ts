import { FieldType } from '@grafana/data';

import { readFluxFrames } from '../flux/normalize';
import { readInstantAnswer, sampleValue } from './instantAnswer';

const T = 1736125200;

const vector = (result: unknown, extra: Record<string, unknown> = {}) => ({
  status: 'success',
  data: { resultType: 'vector', result },
  ...extra,
});

const info = (name: string, ready: string) => ({
  metric: {
    __name__: 'gotk_resource_info',
    customresource_kind: 'Kustomization',
    exported_namespace: 'apps',
    name,
    ready,
    suspended: 'false',
  },
  value: [T, '1'],
});

describe('readInstantAnswer', () => {
  it("gives one frame per series as Grafana's backend does: Time in ms, the value field named after the metric", () => {
    const answer = readInstantAnswer(vector([info('podinfo', 'True')]), 'A-state');
    expect(answer).toEqual({
      status: 'success',
      frames: [
        {
          refId: 'A-state',
          length: 1,
          fields: [
            { name: 'Time', type: FieldType.time, config: {}, values: [T * 1000] },
            {
              name: 'gotk_resource_info',
              type: FieldType.number,
              config: {},
              labels: info('podinfo', 'True').metric,
              values: [1],
            },
          ],
        },
      ],
      warnings: [],
      infos: [],
      skipped: 0,
    });
  });

  it('reads into the same objects and states as the core reads from any frames', () => {
    const answer = readInstantAnswer(vector([info('podinfo', 'True'), info('broken', 'False')]), 'A');
    const frames = answer?.status === 'success' ? answer.frames : [];
    const objects = readFluxFrames(frames).objects.map((o) => [o.name, o.state]);
    expect(objects.sort()).toEqual([
      ['broken', 'Failed'],
      ['podinfo', 'Ready'],
    ]);
  });

  it("words Prometheus' errors as Grafana's backend does", () => {
    expect(readInstantAnswer({ status: 'error', errorType: 'bad_data', error: 'parse error' }, 'A')).toEqual({
      status: 'error',
      message: 'bad_data: parse error',
    });
    expect(readInstantAnswer({ status: 'error' }, 'A')).toEqual({ status: 'error', message: 'unknown error' });
  });

  it('keeps the warnings and infos (Thanos, Mimir partial answers; PromQL infos), text only', () => {
    const answer = readInstantAnswer(vector([], { warnings: ['partial response', 7, ''], infos: ['a hint'] }), 'A');
    expect(answer).toMatchObject({ status: 'success', frames: [], warnings: ['partial response'], infos: ['a hint'] });
  });

  it("is no answer when the body is not Prometheus' envelope (a proxy's page, Grafana's own error)", () => {
    for (const body of [undefined, null, '<html>Bad Gateway</html>', [], { message: 'Failed to call resource' }]) {
      expect(readInstantAnswer(body, 'A')).toBeUndefined();
    }
    expect(readInstantAnswer({ status: 'success', data: { resultType: 'matrix', result: [] } }, 'A')).toBeUndefined();
  });

  it('skips malformed series and counts them, never a frame with a wrong value or labels', () => {
    const answer = readInstantAnswer(
      vector([
        info('ok', 'True'),
        { metric: { name: 7 }, value: [T, '1'] },
        { metric: 'name', value: [T, '1'] },
        { metric: { name: 'x' }, value: [T] },
        { metric: { name: 'x' }, value: ['now', '1'] },
        { metric: { name: 'x' }, value: [T, 'one'] },
        { metric: { name: 'x' }, value: [T, ''] },
        null,
      ]),
      'A'
    );
    expect(answer).toMatchObject({ status: 'success', skipped: 7 });
    expect(answer?.status === 'success' && answer.frames.map((f) => f.fields[1].labels?.name)).toEqual(['ok']);
  });

  it('keeps hostile label names as own labels, never through the prototype', () => {
    const body = JSON.parse(
      `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__proto__":"x","constructor":"y","name":"n"},"value":[${T},"1"]}]}}`
    );
    const answer = readInstantAnswer(body, 'A');
    const labels = answer?.status === 'success' ? answer.frames[0].fields[1].labels : undefined;
    expect(labels && Object.keys(labels)).toEqual(['__proto__', 'constructor', 'name']);
    expect(labels && Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(answer?.status === 'success' && answer.frames[0].fields[1].name).toBe('Value');
  });

  it('reads a scalar as one frame without labels', () => {
    const answer = readInstantAnswer({ status: 'success', data: { resultType: 'scalar', result: [T, '3'] } }, 'A');
    expect(answer?.status === 'success' && answer.frames[0].fields[1].values).toEqual([3]);
  });
});

describe('sampleValue', () => {
  it("reads Prometheus' sample strings", () => {
    expect(sampleValue('1')).toBe(1);
    expect(sampleValue('1e+06')).toBe(1e6);
    expect(sampleValue('-0.5')).toBe(-0.5);
    expect(sampleValue('+Inf')).toBe(Infinity);
    expect(sampleValue('-Inf')).toBe(-Infinity);
    expect(sampleValue('NaN')).toBeNaN();
    expect(sampleValue('1.5e-07')).toBe(1.5e-7);
    expect(sampleValue('1736125200.123')).toBe(1736125200.123);
    for (const bad of ['', ' ', ' 1', 'one', '0x10', 'Infinity', '1e', '.', 1, null, undefined]) {
      expect(sampleValue(bad)).toBeUndefined();
    }
  });
});
