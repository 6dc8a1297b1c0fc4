/**
 * A variable's query as Grafana hands it: the object the variable editor saves, or text (`kinds`)
 * typed into a variable before it (and '' for a new variable). Read the same way by the editor,
 * by Grafana's variable runner (variables.ts) and by metricFindQuery.
 */
import { isVariableTarget, VARIABLE_TARGETS } from '../flux';
import { FluxDatasourceError } from './prometheus';
import { FluxVariableQuery } from './types';

/** The error for a target FluxGrid does not list (typed text, or a saved query from elsewhere). */
export function unknownVariableTarget(target: unknown): FluxDatasourceError {
  return new FluxDatasourceError(
    `Unknown variable query "${String(target)}": FluxGrid lists ${VARIABLE_TARGETS.map((t) => `"${t}"`).join(', ')}.`
  );
}

/** The query as an object: text names its target ('' lists names). Throws on a target FluxGrid does not list. */
export function variableQueryOf(query: FluxVariableQuery | string): FluxVariableQuery {
  if (typeof query !== 'string') {
    return query;
  }
  const target = query.trim() || 'names';
  if (!isVariableTarget(target)) {
    throw unknownVariableTarget(target);
  }
  return { refId: 'variable', target };
}
