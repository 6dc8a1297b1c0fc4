import { FieldType, toDataFrame } from '@grafana/data';

import { frameNotices, queryFailures } from './notices';

const frame = (notices: Array<{ severity: 'info' | 'warning' | 'error'; text: string }>) =>
  toDataFrame({ fields: [{ name: 'Time', type: FieldType.time, values: [1] }], meta: { notices } });

describe('frameNotices', () => {
  it('keeps warnings and errors, once each, and drops info and empty texts', () => {
    expect(
      frameNotices([
        frame([
          { severity: 'warning', text: 'PromQL info: partial response' },
          { severity: 'info', text: 'Step adjusted' },
        ]),
        frame([
          { severity: 'warning', text: 'PromQL info: partial response' },
          { severity: 'error', text: 'series limit reached ' },
          { severity: 'warning', text: '  ' },
        ]),
        toDataFrame({ fields: [] }),
      ])
    ).toEqual(['PromQL info: partial response', 'series limit reached']);
  });
});

describe('queryFailures', () => {
  it("reads Grafana's errors per query, once each, with a message even when the error has none", () => {
    expect(
      queryFailures({
        errors: [
          { refId: 'A', message: 'invalid regex ' },
          { refId: 'A', message: 'invalid regex' },
          { refId: 'B', data: { message: 'bad_data: parse error' } },
          { status: 504, statusText: 'Gateway Timeout' },
          { refId: 'C' },
        ],
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        error: { refId: 'A', message: 'invalid regex' },
      })
    ).toEqual([
      { refId: 'A', message: 'invalid regex' },
      { refId: 'B', message: 'bad_data: parse error' },
      { refId: undefined, message: 'Gateway Timeout' },
      { refId: 'C', message: 'the datasource gave no error message' },
    ]);
  });

  it('falls back to the older single data.error, and is empty without errors', () => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    expect(queryFailures({ error: { refId: 'A', message: 'timeout' } })).toEqual([{ refId: 'A', message: 'timeout' }]);
    expect(queryFailures({ errors: [] })).toEqual([]);
    expect(queryFailures({})).toEqual([]);
  });
});
