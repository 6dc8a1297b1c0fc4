/**
 * From filter fields with template variables to {@link FilterValue}s for the PromQL builders.
 *
 * A filter like `team-$team` mixes the user's text with a variable's values. Grafana's
 * `replace(text, scopedVars, formatter)` hands us each variable's values through the formatter;
 * instead of pasting them into the text (where they could no longer be told from the user's
 * text), the formatter files them away and leaves a placeholder. Then:
 * - variable values are always literal: escaped for RE2, a multi-value becomes an alternation,
 *   All becomes "no filter" (or `.*` inside a longer pattern);
 * - the user's own text is an exact value for cluster/kind/namespace/state, and a regex for name.
 *
 * Two kinds of reference bypass the formatter in Grafana (the legacy TemplateSrv and scenes'
 * interpolation alike), so they are dealt with before `replace`: a variable whose All has a custom
 * value (pasted unformatted: we put the All placeholder there ourselves), and an explicit format,
 * `${ns:regex}` (used instead of the formatter: it is dropped, the values stay values).
 */
import { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

import { alternation, escapeRegex, FilterValue, MATCH_NOTHING } from '../flux';

/** What we need of Grafana's TemplateSrv. */
export type TemplateSrvLike = Pick<TemplateSrv, 'replace' | 'getVariables'>;

const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;
const ALL_VALUE = '$__all';
/** Custom "All" values people set on variables; Grafana pastes them unformatted. */
const ALL_LITERALS: ReadonlySet<string> = new Set(['.*', '.+', '*', ALL_VALUE]);

/**
 * A reference to a variable in Grafana's syntaxes: `$name`; `[[name]]` and `[[name:format]]`;
 * `${name}`, `${name.path}` (a field path: everything up to the format or the end) and
 * `${name:format}`. Groups: plain name; bracket name, its format; braced name, its path, its format.
 */
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)([^:}]*)(?::([^}]+))?\}/g;

type Captured = { all: true } | { all: false; values: string[] };

type Selection = { value?: unknown } | undefined;

/** The dashboard variable `name` as the TemplateSrv lists it. */
function listedVariable(templateSrv: TemplateSrvLike, name: string) {
  return templateSrv.getVariables().find((v) => v.name === name);
}

/**
 * Whether Grafana hands us a variable's All. A scoped value (a repeated panel's, `{ns: 'a'}`) is
 * what it says, even though Grafana formats it with the dashboard variable's model, whose
 * current is All: only the dashboard's own selection is read from the model. A scenes dashboard
 * (Grafana 12.3+) names the variable without its selection: that is then read from the
 * variable's legacy model, as the TemplateSrv lists it (`current`, like the pre-scenes model's).
 */
function isAllSelected(templateSrv: TemplateSrvLike, variable: unknown, scopedVars: ScopedVars): boolean {
  const model: { name?: unknown; current?: Selection } | undefined =
    typeof variable === 'object' && variable !== null ? variable : undefined;
  const name = typeof model?.name === 'string' ? model.name : undefined;
  if (name !== undefined && Object.hasOwn(scopedVars, name)) {
    return false;
  }
  let current = model?.current;
  if (!current && name !== undefined) {
    const listed = listedVariable(templateSrv, name);
    current = listed && 'current' in listed ? listed.current : undefined;
  }
  const value = current && 'value' in current ? current.value : undefined;
  return value === ALL_VALUE || (Array.isArray(value) && value.includes(ALL_VALUE));
}

/**
 * Whether Grafana pastes the custom All value of variable `name` instead of formatting it: its All
 * is selected (by {@link isAllSelected}'s rule: not for a scoped value) and it has an All value.
 */
function pastesCustomAll(templateSrv: TemplateSrvLike, name: string, scopedVars: ScopedVars): boolean {
  const listed = listedVariable(templateSrv, name);
  const allValue = listed && 'allValue' in listed ? listed.allValue : undefined;
  return typeof allValue === 'string' && allValue !== '' && isAllSelected(templateSrv, listed, scopedVars);
}

function asStrings(value: unknown): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

/** How the user's own text in a field is meant. */
export type FilterMode = 'exact' | 'regex';

/**
 * The filter a field asks for; undefined for "no filter" (empty, or All). A field may hold
 * several entries (the editors' multi-selects): it then asks for any of them, and one entry that
 * is All (or empty of text) leaves the field unfiltered.
 */
export function interpolateFilter(
  field: string | readonly string[] | undefined,
  mode: FilterMode,
  templateSrv: TemplateSrvLike,
  scopedVars: ScopedVars = {}
): FilterValue | undefined {
  if (typeof field !== 'string' && field !== undefined) {
    return anyOf(field.map((entry) => interpolateEntry(entry, mode, templateSrv, scopedVars)));
  }
  return interpolateEntry(field, mode, templateSrv, scopedVars);
}

/** The union of several entries' filters (undefined: an entry without a filter). */
function anyOf(filters: Array<FilterValue | undefined>): FilterValue | undefined {
  if (filters.length === 0 || filters.some((f) => f === undefined)) {
    return undefined;
  }
  const defined = filters.filter((f): f is FilterValue => f !== undefined);
  if (defined.length === 1) {
    return defined[0];
  }
  if (defined.every((f) => f.type !== 'regex')) {
    const values = defined.flatMap((f) => (f.type === 'equals' ? [f.value] : f.type === 'oneOf' ? f.values : []));
    return { type: 'oneOf', values: Array.from(new Set(values)) };
  }
  const patterns = defined.map((f) =>
    f.type === 'regex'
      ? `(?:${f.pattern})`
      : f.type === 'equals'
        ? escapeRegex(f.value)
        : f.values.length === 0
          ? MATCH_NOTHING
          : alternation(f.values)
  );
  return { type: 'regex', pattern: patterns.join('|') };
}

function interpolateEntry(
  text: string | undefined,
  mode: FilterMode,
  templateSrv: TemplateSrvLike,
  scopedVars: ScopedVars
): FilterValue | undefined {
  const template = (text ?? '').replace(/[\uE000\uE001]/g, '').trim();
  if (template === '') {
    return undefined;
  }
  const captured: Captured[] = [];
  const capture = (ref: Captured) => OPEN + (captured.push(ref) - 1) + CLOSE;
  const formatter = (value: unknown, variable?: unknown) => {
    const all = isAllSelected(templateSrv, variable, scopedVars) || asStrings(value).includes(ALL_VALUE);
    return capture(all ? { all: true } : { all: false, values: asStrings(value) });
  };
  // What would bypass the formatter: a custom All becomes our All, an explicit format is dropped.
  const prepared = template.replace(
    VARIABLE,
    (match, plain?: string, bracket?: string, bracketFormat?: string, braced?: string, path = '', format?: string) => {
      const name = (plain ?? bracket ?? braced)!;
      if (pastesCustomAll(templateSrv, name, scopedVars)) {
        return capture({ all: true });
      }
      const known = Object.hasOwn(scopedVars, name) || listedVariable(templateSrv, name) !== undefined;
      if (!known || (bracketFormat === undefined && format === undefined)) {
        return match;
      }
      return bracket !== undefined ? `[[${name}]]` : `\${${name}${path}}`;
    }
  );
  const replaced = templateSrv.replace(prepared, scopedVars, formatter);

  // Split into the user's text and captured variables.
  const parts: Array<{ text: string } | { ref: Captured }> = [];
  let last = 0;
  for (const match of replaced.matchAll(PLACEHOLDER)) {
    if (match.index! > last) {
      parts.push({ text: replaced.slice(last, match.index) });
    }
    parts.push({ ref: captured[Number(match[1])] });
    last = match.index! + match[0].length;
  }
  if (last < replaced.length) {
    parts.push({ text: replaced.slice(last) });
  }

  if (parts.length === 1 && 'text' in parts[0]) {
    const literal = parts[0].text;
    if (ALL_LITERALS.has(literal)) {
      return undefined;
    }
    return mode === 'exact' ? { type: 'equals', value: literal } : { type: 'regex', pattern: literal };
  }
  if (parts.length === 1 && 'ref' in parts[0]) {
    const ref = parts[0].ref;
    return ref.all ? undefined : { type: 'oneOf', values: ref.values };
  }
  const pattern = parts
    .map((part) => {
      if ('text' in part) {
        return mode === 'exact' ? escapeRegex(part.text) : part.text;
      }
      if (part.ref.all) {
        return '.*';
      }
      return part.ref.values.length === 0 ? MATCH_NOTHING : alternation(part.ref.values);
    })
    .join('');
  return { type: 'regex', pattern };
}

/** Does `value` pass `filter`? (For filters applied after the fact, e.g. on derived states.) */
export function filterAccepts(filter: FilterValue | undefined, value: string, caseInsensitive = false): boolean {
  if (!filter) {
    return true;
  }
  const same = (a: string, b: string) => (caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b);
  switch (filter.type) {
    case 'equals':
      return same(filter.value, value);
    case 'oneOf':
      return filter.values.some((v) => same(v, value));
    case 'regex':
      try {
        return new RegExp(`^(?:${filter.pattern})$`, caseInsensitive ? 'i' : '').test(value);
      } catch {
        return false;
      }
  }
}
