/**
 * The panel's label-mapping settings checked before the core reads with them. A setting is a label
 * name typed by whoever edits the dashboard; it is looked up in every series' labels, so it must
 * be a Prometheus label name and must not be a name every JavaScript object answers to
 * (`constructor`, `toString`, `__proto__`): reading one of those would turn kind or name into a
 * function and merge every object into one.
 */
import { isLabelName } from '../flux';
import { LABEL_FIELDS } from './labelFields';
import type { LabelMappingOptions } from './types';

const BUILT_IN_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** The setting's problem, or undefined when it can be used (empty means auto-detect). */
export function labelSettingProblem(fieldName: string, raw: string | undefined): string | undefined {
  const value = (raw ?? '').trim();
  if (value === '') {
    return undefined;
  }
  // Checked first: the built-in names are valid label names, and the core may reject them too.
  if (BUILT_IN_NAMES.has(value)) {
    return `${fieldName} '${value}' cannot be used: it is a built-in JavaScript property name. Clear it to auto-detect, or copy the label to another name with relabelling.`;
  }
  if (!isLabelName(value)) {
    return `${fieldName} '${value}' is not a Prometheus label name (letters, digits and _, not starting with a digit): correct it under Label mapping, or clear it to auto-detect.`;
  }
  return undefined;
}

/** Every unusable label setting, in the editor's order. */
export function labelSettingProblems(labels: LabelMappingOptions): string[] {
  const problems: string[] = [];
  for (const field of LABEL_FIELDS) {
    const problem = labelSettingProblem(field.name, Object.hasOwn(labels, field.key) ? labels[field.key] : '');
    if (problem) {
      problems.push(problem);
    }
  }
  return problems;
}
