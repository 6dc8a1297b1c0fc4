import { css } from '@emotion/css';
import { dateTime, getDefaultTimeRange, GrafanaTheme2, TimeRange } from '@grafana/data';
import { Alert, ClipboardButton, useStyles2 } from '@grafana/ui';
import React, { useEffect, useState } from 'react';

import type { FluxQueries } from '../../flux';

import { errorMessage } from '../prometheus';
import { FluxDatasourceApi, FluxQuery } from '../types';
import { TEST_IDS } from './testIds';

interface Props {
  datasource: FluxDatasourceApi;
  query: FluxQuery;
  range?: TimeRange;
}

/**
 * The PromQL FluxGrid sends for the query as it stands (variables resolved, the panel's range),
 * one block per query, from a dry run of the datasource itself; what it cannot build says why.
 */
export function PlannedPromQL({ datasource, query, range }: Props) {
  const styles = useStyles2(getStyles);
  const [planned, setPlanned] = useState<Planned | undefined>(undefined);
  // A range is a new object on every render; its bounds say whether it changed.
  const from = range?.from.valueOf();
  const to = range?.to.valueOf();
  useEffect(() => {
    let current = true;
    const window = from !== undefined && to !== undefined ? rangeOf(from, to) : getDefaultTimeRange();
    datasource.plannedQueries(query, window).then(
      (asks) => current && setPlanned({ query, asks }),
      (error: unknown) => current && setPlanned({ query, error: errorMessage(error) })
    );
    return () => {
      current = false;
    };
  }, [datasource, query, from, to]);

  if (!planned) {
    return null;
  }
  if (planned.error !== undefined) {
    return (
      <Alert severity="warning" title="No PromQL for this query" data-testid={TEST_IDS.query.promql}>
        {planned.error}
      </Alert>
    );
  }
  const asks = planned.asks ?? [];
  const count = asks.reduce((n, ask) => n + Object.keys(ask.exprs).length, 0);
  const text = asks
    .flatMap((ask) =>
      Object.entries(ask.exprs).map(([key, expr]) => `# ${key} (${ask.range ? 'range' : 'instant'})\n${expr}`)
    )
    .join('\n\n');
  return (
    <div className={styles.box} data-testid={TEST_IDS.query.promql} aria-busy={planned.query !== query}>
      <div className={styles.header}>
        <span>
          {count} {count === 1 ? 'query' : 'queries'} to Prometheus, variables resolved
        </span>
        <ClipboardButton icon="copy" size="sm" variant="secondary" fill="text" getText={() => text}>
          Copy
        </ClipboardButton>
      </div>
      {asks.map((ask, i) =>
        Object.entries(ask.exprs).map(([key, expr]) => (
          <div key={`${i}-${key}`}>
            <div className={styles.key}>
              {key} · {ask.range ? 'range' : 'instant'}
            </div>
            <pre className={styles.expr}>{expr}</pre>
          </div>
        ))
      )}
    </div>
  );
}

function rangeOf(fromMs: number, toMs: number): TimeRange {
  const from = dateTime(fromMs);
  const to = dateTime(toMs);
  return { from, to, raw: { from, to } };
}

interface Planned {
  /** The query these are for (a newer one may be on its way). */
  query: FluxQuery;
  asks?: FluxQueries[];
  error?: string;
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1),
    marginTop: theme.spacing(0.5),
    maxHeight: 360,
    overflow: 'auto',
  }),
  header: css({
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  key: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    marginTop: theme.spacing(1),
  }),
  expr: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    margin: 0,
    padding: theme.spacing(0.5, 1),
  }),
});
