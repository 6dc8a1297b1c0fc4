/**
 * The panel's label-mapping options. What "auto" tries is listed from the core's own label lists,
 * so the placeholders cannot drift from what the reader actually detects. (Not in module.tsx: a
 * plugin module exports `plugin` only.)
 */
import { CLUSTER_LABELS, KIND_LABELS, NAME_LABEL, NAMESPACE_LABELS, REASON_LABELS } from '../flux';

function labelField(key: 'cluster' | 'kind' | 'namespace' | 'name' | 'reason', name: string, auto: readonly string[]) {
  return {
    key,
    name,
    placeholder: `auto: ${auto.join(', ')}`,
    description:
      auto.length > 1
        ? `Empty: auto-detect, the first present of ${auto.join(', ')}`
        : `Empty: auto-detect (${auto[0]})`,
  };
}

export const LABEL_FIELDS = [
  labelField('cluster', 'Cluster label', CLUSTER_LABELS),
  labelField('kind', 'Kind label', KIND_LABELS),
  labelField('namespace', 'Namespace label', NAMESPACE_LABELS),
  labelField('name', 'Name label', [NAME_LABEL]),
  labelField('reason', 'Reason label', REASON_LABELS),
];
