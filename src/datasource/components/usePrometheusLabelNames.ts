import { MetricFindValue } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { useEffect, useState } from 'react';

import { isLabelName } from '../../flux';

export interface LabelNames {
  names: string[];
  loading: boolean;
  /** Why the names could not be read (shown as the pickers' "no options" text). */
  error?: string;
}

interface Answer {
  uid: string;
  names: string[];
  error?: string;
}

/**
 * The label names the chosen Prometheus datasource knows (its label names resource, through
 * the datasource's own getTagKeys), read when the uid changes and only while `enabled`.
 */
export function usePrometheusLabelNames(uid: string | undefined, enabled: boolean): LabelNames {
  const [answer, setAnswer] = useState<Answer | undefined>(undefined);
  useEffect(() => {
    if (!enabled || !uid) {
      return;
    }
    let current = true;
    readLabelNames(uid).then(
      (names) => current && setAnswer({ uid, names }),
      (error: unknown) =>
        current &&
        setAnswer({
          uid,
          names: [],
          error: `Could not read label names: ${error instanceof Error ? error.message : String(error)}`,
        })
    );
    return () => {
      current = false;
    };
  }, [uid, enabled]);
  if (answer && answer.uid === uid) {
    return { names: answer.names, error: answer.error, loading: false };
  }
  return { names: [], loading: enabled && Boolean(uid) };
}

async function readLabelNames(uid: string): Promise<string[]> {
  const ds = await getDataSourceSrv().get(uid);
  if (!ds.getTagKeys) {
    throw new Error(`${ds.name} cannot list label names`);
  }
  const answer: MetricFindValue[] | { data: MetricFindValue[] } = await ds.getTagKeys({ filters: [] });
  const values = Array.isArray(answer) ? answer : answer.data;
  // Prometheus 3 accepts any UTF-8 label name; FluxGrid pastes names into PromQL bare, so only
  // the classic ones are offered.
  const names = values.map((v) => String(v.value ?? v.text)).filter(isLabelName);
  return Array.from(new Set(names)).sort();
}
