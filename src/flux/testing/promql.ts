/**
 * Test helpers for PromQL: Go's string rules (the reading side of escaping), hostile label values,
 * RE2 patterns as JS regexes, and a check that a query is one balanced expression. Test code only.
 */
import fc from 'fast-check';

/**
 * PromQL's string literal rules are Go's (strconv.Unquote); this is the reading side, so the
 * property "unquote(escape(v)) === v" checks escaping against the grammar, not against itself.
 */
export function unquoteGo(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '"' || c === '\n') {
      throw new Error(`unescaped ${JSON.stringify(c)} at ${i}`);
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case '\\':
        out += '\\';
        break;
      case '"':
        out += '"';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'x':
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
        break;
      default:
        throw new Error(`unknown escape \\${e}`);
    }
  }
  return out;
}

/** Hostile label values: quotes, backslashes, newlines, regex metacharacters, Grafana variable syntax, unicode. */
const hostileChar = fc.oneof(
  fc.constantFrom(
    '"',
    '\\',
    '\n',
    '\r',
    '\t',
    '\u0000',
    '\u007f',
    '.',
    '*',
    '+',
    '?',
    '|',
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '^',
    '$',
    '/',
    '-',
    ',',
    '=',
    '~',
    '`',
    "'"
  ),
  fc.constantFrom('é', 'ß', '漢', '🚀', '\u2028', '\u00a0'),
  fc.string({ maxLength: 1, minLength: 1 })
);
export const hostile = fc.array(hostileChar, { maxLength: 24 }).map((chars) => chars.join(''));

/** JS has no inline (?i:…) before Node 23: spell it out for the state-rule tests. */
export function toJsRegex(re2: string): RegExp {
  const spelled = re2.replace(/\(\?i:([a-z]+)\)/g, (_m, word: string) =>
    word
      .split('')
      .map((ch) => `[${ch}${ch.toUpperCase()}]`)
      .join('')
  );
  return new RegExp(`^(?:${spelled})$`, 's');
}

/**
 * Walks a PromQL expression outside its double-quoted strings (escapes skipped), calling `visit`
 * with each character's index and the parenthesis depth before it; `visit` may return the index
 * to go on from, or false to stop. Says whether the walk ended outside a string.
 */
function scan(expr: string, visit: (i: number, depth: number) => number | false | void): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (inString) {
      if (c === '\\') {
        i++;
      } else if (c === '"') {
        inString = false;
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    const next = visit(i, depth);
    if (next === false) {
      return false;
    }
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (typeof next === 'number') {
      i = next;
    }
  }
  return !inString;
}

/** Parentheses balanced outside strings: the query is one expression, no value broke out of its string. */
export function balanced(expr: string): boolean {
  let depth = 0;
  const closed = scan(expr, (i, before) => {
    depth = before + (expr[i] === '(' ? 1 : expr[i] === ')' ? -1 : 0);
    return depth < 0 ? false : undefined;
  });
  return closed && depth === 0;
}

/** The operands and operators of an expression at its top level (outside parentheses and strings). */
export function topLevel(expr: string): { operands: string[]; operators: string[] } {
  const operands: string[] = [];
  const operators: string[] = [];
  const operator = /^ (or|unless|and)(?: on\([^)]*\))? /;
  let start = 0;
  scan(expr, (i, depth) => {
    const c = expr[i];
    if (depth !== 0 || c === '(' || c === ')') {
      return undefined;
    }
    const match = operator.exec(expr.slice(i));
    if (!match) {
      return undefined;
    }
    operands.push(expr.slice(start, i));
    operators.push(match[0].trim());
    start = i + match[0].length;
    return start - 1;
  });
  operands.push(expr.slice(start));
  return { operands, operators };
}

/** `(x)` → `x` when the outer parentheses enclose the whole expression. */
export function unwrap(expr: string): string {
  const inner = expr.slice(1, -1);
  return expr.startsWith('(') && expr.endsWith(')') && balanced(inner) ? inner : expr;
}

/**
 * The regex of every label copy of a query (`label_replace(e, dst, "$1", src, regex)`, the `$`
 * written `\x24`), unescaped, to test it the way RE2 reads it.
 */
export function labelCopyPatterns(expr: string): string[] {
  const copy = /, "\\x241", "[A-Za-z0-9_]+", "((?:[^"\\]|\\.)*)"\)/g;
  return Array.from(expr.matchAll(copy), (match) => unquoteGo(match[1]));
}

/**
 * An RE2 pattern as Prometheus anchors it, as a JS regex with RE2's defaults: `.` does not match
 * `\n` unless the pattern starts with `(?s)` (Node 20 has no inline flags), `(?i:word)` spelled out.
 */
export function re2AsJs(pattern: string): RegExp {
  const dotAll = pattern.includes('(?s)');
  const body = toJsRegex(pattern.replace(/\(\?s\)/g, ''))
    .source.replace(/^\^\(\?:/, '')
    .replace(/\)\$$/, '');
  return new RegExp(`^(?:${body})$`, dotAll ? 's' : '');
}

export interface InstantSeries {
  labels: Record<string, string>;
  value: number;
}

/**
 * A stand-in for Prometheus that evaluates only the plainest PromQL: `or` over vector selectors
 * (`metric{l="v", l=~"re", …}`, optionally `== 1`), at one instant, as the Objects state query
 * is. Anything else throws, so a test cannot silently evaluate a query it does not understand.
 */
export function evaluateSelectorUnion(expr: string, series: InstantSeries[]): InstantSeries[] {
  const { operands, operators } = topLevel(expr);
  if (operators.some((op) => op !== 'or')) {
    throw new Error(`not a plain union: ${expr}`);
  }
  const out: InstantSeries[] = [];
  const seen = new Set<string>();
  for (const operand of operands.map((o) => unwrap(o.trim()))) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?(?:\{(.*)\})?( == 1)?$/.exec(operand);
    if (!match || (!match[1] && !match[2])) {
      throw new Error(`not a vector selector: ${operand}`);
    }
    const [, metric, body, equalsOne] = match;
    const matchers = Array.from(
      (body ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"((?:[^"\\]|\\.)*)"/g),
      (m) => ({
        label: m[1],
        op: m[2],
        value: unquoteGo(m[3]),
      })
    );
    for (const s of series) {
      const value = (label: string) => (Object.hasOwn(s.labels, label) ? s.labels[label] : '');
      const ok =
        (metric === undefined || value('__name__') === metric) &&
        (!equalsOne || s.value === 1) &&
        matchers.every(({ label, op, value: v }) => {
          const actual = value(label);
          const re = () => new RegExp(`^(?:${v})$`, 's');
          return op === '='
            ? actual === v
            : op === '!='
              ? actual !== v
              : op === '=~'
                ? re().test(actual)
                : !re().test(actual);
        });
      const key = JSON.stringify(s.labels);
      // `or` keeps the left side's series for the same label set (names included here).
      if (ok && !seen.has(key)) {
        seen.add(key);
        out.push(s);
      }
    }
  }
  return out;
}
