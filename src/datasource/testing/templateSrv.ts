/**
 * A small stand-in for Grafana's TemplateSrv, for tests only: dashboard variables with a current
 * value (single, multi or All), `$var`, `${var}`, `${var:format}` and `[[var]]`, scoped variables,
 * and formatter functions called the way Grafana calls them (value, variable). A custom "All"
 * value is pasted unformatted, as Grafana does.
 */
import { ScopedVars } from '@grafana/data';

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

export class FakeTemplateSrv {
  constructor(public variables: FakeVariable[] = []) {}

  getVariables() {
    return this.variables.map((v) => ({ name: v.name, type: 'query', current: { value: v.current, text: v.current } }));
  }

  replace(target?: string, scopedVars: ScopedVars = {}, format?: string | Function): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(VARIABLE, (match, plain, bracket, _bracketFormat, braced) => {
      const name: string = plain ?? bracket ?? braced;
      const scoped = scopedVars[name];
      const variable = this.variables.find((v) => v.name === name);
      if (scoped === undefined && !variable) {
        return match;
      }
      let value: unknown;
      let model: unknown = variable ? { name, type: 'query', current: { value: variable.current } } : { name };
      if (scoped !== undefined) {
        value = scoped.value;
        model = { name };
      } else {
        const all =
          variable!.current === '$__all' || (Array.isArray(variable!.current) && variable!.current.includes('$__all'));
        if (all && variable!.allValue !== undefined) {
          return variable!.allValue;
        }
        value = all ? variable!.options : variable!.current;
      }
      if (typeof format === 'function') {
        return format(value, model);
      }
      return Array.isArray(value) ? `{${value.join(',')}}` : String(value);
    });
  }
}
