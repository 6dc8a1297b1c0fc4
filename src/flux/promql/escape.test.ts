import fc from 'fast-check';

import { hostile, unquoteGo } from '../testing/promql';
import { alternation, escapeLabelValue, escapeRegex, quote } from './escape';

describe('escapeLabelValue', () => {
  it('reads back exactly as the value (Go/PromQL string rules)', () => {
    fc.assert(fc.property(hostile, (value) => unquoteGo(escapeLabelValue(value)) === value));
  });

  it('never leaves a quote, newline, $ or [[ for a parser or Grafana to trip on', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const escaped = escapeLabelValue(value);
        return (
          !/(^|[^\\])(\\\\)*"/.test(escaped) &&
          !escaped.includes('\n') &&
          !escaped.includes('$') &&
          !escaped.includes('[[')
        );
      })
    );
  });

  it('spells the usual escapes', () => {
    expect(quote('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(quote('$ns')).toBe('"\\x24ns"');
    expect(quote('[[x]]')).toBe('"[\\x5bx]]"');
    expect(quote('[^|]')).toBe('"[^|]"');
  });
});

describe('escapeRegex', () => {
  it('matches the value and only the value', () => {
    fc.assert(
      fc.property(hostile, hostile, (value, other) => {
        const re = new RegExp(`^(?:${escapeRegex(value)})$`, 'su');
        return re.test(value) && (other === value || !re.test(other));
      })
    );
  });

  it('cannot be widened by .* or a|b', () => {
    const dotStar = new RegExp(`^(?:${escapeRegex('.*')})$`);
    expect(dotStar.test('anything')).toBe(false);
    expect(dotStar.test('.*')).toBe(true);
    const either = new RegExp(`^(?:${escapeRegex('a|b')})$`);
    expect(either.test('a')).toBe(false);
    expect(either.test('a|b')).toBe(true);
  });

  it('alternation matches exactly the given values', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 5 }), hostile, (values, other) => {
        const re = new RegExp(`^(?:${alternation(values)})$`, 'su');
        return values.every((v) => re.test(v)) && (values.includes(other) || !re.test(other));
      })
    );
  });
});
