/**
 * A small stand-in for Grafana's TemplateSrv, for tests only: dashboard variables with a current
 * value (single, multi or All), `$var`, `${var}`, `${var:format}` and `[[var]]`, scoped variables,
 * and formatter functions called the way Grafana calls them (value, variable). A custom "All"
 * value is pasted unformatted, as Grafana does. An explicit format (`${var:regex}`) is used instead
 * of the caller's, as Grafana does; only the formats in {@link FORMATS} are known.
 */
import { CustomVariableModel, LoadingState, ScopedVars, VariableHide } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

export interface FakeVariable {
  name: string;
  /** Every option's value (what All expands to). */
  options: string[];
  /** The selection; '$__all' for All. */
  current: string | string[];
  /** A custom all value (pasted as is). */
  allValue?: string;
}

const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g;

const escapeRegex = (value: string) => value.replace(/[\\^$*+?.()|[\]{}\/]/g, '\\$&');

/** Some of Grafana's formats, as its format registry writes them. */
const FORMATS: Record<string, (values: string[]) => string> = {
  regex: (values) => (values.length === 1 ? escapeRegex(values[0]) : `(${values.map(escapeRegex).join('|')})`),
  pipe: (values) => values.join('|'),
  csv: (values) => values.join(','),
  raw: (values) => values.join(','),
  glob: (values) => (values.length === 1 ? values[0] : `{${values.join(',')}}`),
};

/**
 * What a formatter function is handed as the variable: a scenes dashboard's (Grafana 12.3+,
 * sceneInterpolator `formatValue`) names it without its selection; the pre-scenes TemplateSrv
 * handed the whole legacy model, its `current` included.
 */
export type FormatterModel = 'scenes' | 'legacy';

export class FakeTemplateSrv implements TemplateSrv {
  constructor(
    public variables: FakeVariable[] = [],
    private readonly formatterModel: FormatterModel = 'scenes'
  ) {}

  /** The variables as Grafana's TemplateSrv lists them (custom variables with their options). */
  getVariables(): CustomVariableModel[] {
    return this.variables.map((v, index): CustomVariableModel => ({
      type: 'custom',
      name: v.name,
      id: v.name,
      rootStateKey: null,
      global: false,
      hide: VariableHide.dontHide,
      skipUrlSync: false,
      index,
      state: LoadingState.Done,
      error: null,
      description: null,
      current: { selected: true, value: v.current, text: v.current },
      options: v.options.map((o) => ({ selected: v.current === o || v.current.includes(o), value: o, text: o })),
      query: v.options.join(','),
      multi: Array.isArray(v.current),
      includeAll: true,
      allValue: v.allValue ?? null,
    }));
  }

  containsTemplate(target?: string): boolean {
    return Boolean(target && new RegExp(VARIABLE.source).test(target));
  }

  updateTimeRange(): void {}

  replace(target?: string, scopedVars: ScopedVars = {}, format?: string | Function): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(VARIABLE, (match, plain, bracket, bracketFormat, braced, bracedFormat) => {
      const name: string = plain ?? bracket ?? braced;
      const explicitFormat: string | undefined = bracketFormat ?? bracedFormat;
      const scoped = scopedVars[name];
      const variable = this.variables.find((v) => v.name === name);
      if (scoped === undefined && !variable) {
        return match;
      }
      let value: unknown;
      const multi = Array.isArray(variable?.current);
      let model: unknown = !variable
        ? { name }
        : this.formatterModel === 'scenes'
          ? { name, type: 'custom', multi, includeAll: true }
          : { name, type: 'custom', current: { value: variable.current } };
      if (scoped !== undefined) {
        // As Grafana's TemplateSrv: the scoped value (a repeated panel's), formatted with the
        // dashboard variable's model, whose current may well be All.
        value = scoped.value;
        model = variable ? model : { name };
      } else {
        const all =
          variable!.current === '$__all' || (Array.isArray(variable!.current) && variable!.current.includes('$__all'));
        if (all && variable!.allValue !== undefined) {
          // Grafana formats it only for text, percentencode and queryparam (formats unknown here).
          return variable!.allValue;
        }
        value = all ? variable!.options : variable!.current;
      }
      if (explicitFormat !== undefined) {
        const formatValues = FORMATS[explicitFormat];
        if (!formatValues) {
          throw new Error(`FakeTemplateSrv does not know the format ${explicitFormat}`);
        }
        return formatValues(Array.isArray(value) ? value.map(String) : [String(value)]);
      }
      if (typeof format === 'function') {
        return format(value, model);
      }
      return Array.isArray(value) ? `{${value.join(',')}}` : String(value);
    });
  }
}
