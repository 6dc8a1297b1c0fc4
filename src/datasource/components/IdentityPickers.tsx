import type { TimeRange } from '@grafana/data';
import React, { useLayoutEffect, useRef } from 'react';

import type { FilterField, FluxDatasourceApi, FluxQuery } from '../types';
import { FilterPicker } from './FilterPicker';
import { filterEntries, filterFieldOf, IDENTITY_FILTERS, type IdentityKey, narrowingOf } from './filterValues';

interface Props {
  datasource: FluxDatasourceApi;
  /** The editor's identity fields: each narrows what the others offer. */
  query: Pick<FluxQuery, IdentityKey>;
  /** The pickers to show, in IDENTITY_FILTERS' order (a variable listing kinds has no kind picker). */
  keys?: readonly IdentityKey[];
  testIds: Record<IdentityKey, string>;
  /** `$name` of each dashboard variable. */
  variables: string[];
  range?: TimeRange;
  onChange: (key: IdentityKey, field: FilterField | undefined) => void;
}

/**
 * The cluster, kind and namespace pickers of the query and variable editors, each offering the
 * values the datasource's own variable query lists, narrowed by the other two.
 */
export function IdentityPickers({ datasource, query, keys, testIds, variables, range, onChange }: Props) {
  // The latest range, read when a picker opens (a relative range moves with every refresh).
  const rangeRef = useRef(range);
  useLayoutEffect(() => {
    rangeRef.current = range;
  });
  return (
    <>
      {IDENTITY_FILTERS.filter((f) => !keys || keys.includes(f.key)).map((f) => {
        const narrowBy = narrowingOf(query, f.key);
        return (
          <FilterPicker
            key={f.key}
            label={f.label}
            tooltip={f.tooltip}
            testId={testIds[f.key]}
            entries={filterEntries(query[f.key])}
            variables={variables}
            loadKey={JSON.stringify(narrowBy)}
            load={() =>
              datasource.variableValues(
                { refId: 'FluxGridEditor', target: f.target, ...narrowBy },
                { range: rangeRef.current }
              )
            }
            onChange={(entries) => onChange(f.key, filterFieldOf(entries))}
          />
        );
      })}
    </>
  );
}
