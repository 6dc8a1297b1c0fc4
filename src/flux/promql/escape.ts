/**
 * Escaping for PromQL: label values into double-quoted strings, literal values into RE2 patterns.
 *
 * - A label value goes into a double-quoted PromQL string: `\` `"` and control characters are
 *   escaped Go-style (`\\`, `\"`, `\n`, `\xNN`). `$` is written `\x24`, and the second `[` of `[[` `\x5b`:
 *   Grafana's Prometheus datasource runs template interpolation over the expression once more, and a
 *   label value such as `$namespace` or `[[x]]` must not be taken for a dashboard variable there.
 *   The same holds for FluxGrid's own strings (the `$1` of label_replace): every string goes through
 *   {@link quote}.
 * - A value inside a regex matcher is first quoted for RE2 (every metacharacter escaped, as Go's
 *   `regexp.QuoteMeta`), then string-escaped. A value like `.*` or `a|b` then matches only itself.
 */

/** The body of a double-quoted PromQL string holding `value` exactly. */
export function escapeLabelValue(value: string): string {
  let out = '';
  let previous = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    switch (char) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      // Grafana's Prometheus datasource interpolates the expression again: keep `$x`, `${x}` and
      // `[[x]]` in label values from looking like dashboard variables.
      case '$':
        out += '\\x24';
        break;
      case '[':
        // Only `[[` reads as a variable; a lone `[` (regex classes) stays readable.
        out += previous === '[' ? '\\x5b' : '[';
        break;
      default:
        if (code < 0x20 || code === 0x7f) {
          out += '\\x' + code.toString(16).padStart(2, '0');
        } else {
          out += char;
        }
    }
    previous = char;
  }
  return out;
}

/** `value` as a PromQL string literal, quotes included. */
export function quote(value: string): string {
  return '"' + escapeLabelValue(value) + '"';
}

/** RE2 metacharacters (Go's regexp.QuoteMeta set). */
const REGEX_META = /[\\.+*?()|[\]{}^$]/g;

/** `value` as an RE2 pattern that matches exactly `value` (before string escaping). */
export function escapeRegex(value: string): string {
  return value.replace(REGEX_META, '\\$&');
}

/** An RE2 pattern matching exactly one of `values` (Prometheus anchors the whole pattern). */
export function alternation(values: readonly string[]): string {
  if (values.length === 1) {
    return escapeRegex(values[0]);
  }
  return '(?:' + values.map(escapeRegex).join('|') + ')';
}

/** A regex that matches no label value at all (not even the empty one): an empty multi-value. */
export const MATCH_NOTHING = '(?:$.^)';

/** Seconds as a PromQL duration. */
export function duration(seconds: number): string {
  return `${Math.max(1, Math.round(seconds))}s`;
}
