/**
 * Several statistics in one query, told apart by a label FluxGrid adds (`fluxgrid_stat`). The
 * stat names are each question's own; this is only how they are written and read.
 */
import { quote } from './escape';

const STAT_LABEL = 'fluxgrid_stat';

/** `expr` with every series labelled as statistic `name`. */
export function asStat(expr: string, name: string): string {
  return `label_replace(${expr}, "${STAT_LABEL}", ${quote(name)}, "", "")`;
}

/** The statistic a series of such an answer is ('' for none). */
export function statOf(labels: Record<string, string>): string {
  return Object.prototype.hasOwnProperty.call(labels, STAT_LABEL) ? labels[STAT_LABEL] : '';
}
