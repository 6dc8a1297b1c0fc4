import { FieldType, toDataFrame } from '@grafana/data';

import { frameNotices } from './notices';

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
