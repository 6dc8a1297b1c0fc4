import { Checker, describe as describeValue, formatPath } from './checker';

/** A checker whose "file" puts every key path on line 7, except the top level. */
function checker(): Checker {
  return new Checker('f.yaml', (parts) => (parts.length === 0 ? undefined : 7));
}

describe('Checker', () => {
  it('writes key paths the way a reader finds them', () => {
    expect(formatPath([])).toBe('(top level)');
    expect(formatPath(['fleet', 'named', 2, 'kind'])).toBe('fleet.named[2].kind');
  });

  it('names the file, line and key path of each problem, and keeps them all', () => {
    const check = checker();
    check.problem(['a'], 'first');
    check.problem([], 'second');
    expect(check.problems).toEqual(['f.yaml:7: a: first', 'f.yaml: (top level): second']);
  });

  it('returns typed values and reports what it got otherwise', () => {
    const check = checker();
    expect(check.string('x', ['s'])).toBe('x');
    expect(check.integer(3, ['n'], 1, 5)).toBe(3);
    expect(check.boolean(true, ['b'])).toBe(true);
    expect(check.duration('1h30m', ['d'])).toBe(5400);
    expect(check.oneOf('b', ['o'], ['a', 'b'] as const, 'letter')).toBe('b');
    expect(check.problems).toEqual([]);

    expect(check.string(1, ['s'])).toBeUndefined();
    expect(check.integer(6, ['n'], 1, 5)).toBeUndefined();
    expect(check.mapping([], ['m'])).toBeUndefined();
    expect(check.list({}, ['l'])).toBeUndefined();
    expect(check.duration('soon', ['d'])).toBeUndefined();
    expect(check.oneOf('c', ['o'], ['a', 'b'] as const, 'letter')).toBeUndefined();
    expect(check.problems).toEqual([
      'f.yaml:7: s: expected a string, got 1',
      'f.yaml:7: n: expected a whole number from 1 to 5, got 6',
      'f.yaml:7: m: expected a mapping, got a list',
      'f.yaml:7: l: expected a list, got a mapping',
      'f.yaml:7: d: expected a duration like 30s, 10m or 1h30m, got "soon"',
      'f.yaml:7: o: unknown letter "c" (expected one of a, b)',
    ]);
  });

  it('treats absent and null as not given, without a problem', () => {
    const check = checker();
    expect(check.string(undefined, ['s'])).toBeUndefined();
    expect(check.mapping(null, ['m'])).toBeUndefined();
    expect(check.problems).toEqual([]);
  });

  it('reports unknown keys with the keys it knows', () => {
    const check = checker();
    check.knownKeys({ seed: 1, sed: 2 }, ['fleet'], ['seed']);
    expect(check.problems).toEqual(['f.yaml:7: fleet.sed: unknown key "sed" (expected one of seed)']);
  });

  it('describes values for messages', () => {
    expect([describeValue('x'), describeValue([]), describeValue(null), describeValue({}), describeValue(2)]).toEqual([
      '"x"',
      'a list',
      'null',
      'a mapping',
      '2',
    ]);
  });
});
