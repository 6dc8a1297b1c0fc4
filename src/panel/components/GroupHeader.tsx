import { css } from '@emotion/css';
import React from 'react';

import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';

import { FLUX_STATES } from '../../flux';
import type { HeaderRow } from '../layout';
import { STATE_GLYPHS, stateColor } from '../palette';
import { TEST_IDS } from '../testIds';

const LEVEL_NAMES = { cluster: 'Cluster', kind: 'Kind', namespace: 'Namespace' } as const;

interface GroupHeaderProps {
  row: HeaderRow;
}

/** A group's label and per-state counts; absolutely placed at its layout row. */
export const GroupHeader = React.memo(function GroupHeader({ row }: GroupHeaderProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const { group } = row;
  const total = group.objects.length;
  const counts = FLUX_STATES.filter((state) => (group.counts[state] ?? 0) > 0);
  const label = group.label || `(no ${group.level})`;
  return (
    <div
      role="row"
      className={styles.header}
      style={{ top: row.y, height: row.height, paddingLeft: theme.spacing(1 + row.depth * 2) }}
      data-testid={TEST_IDS.groupHeader}
    >
      <div
        role="rowheader"
        className={styles.content}
        aria-label={`${LEVEL_NAMES[group.level]} ${label}: ${total} objects, ${counts.map((s) => `${group.counts[s]} ${s}`).join(', ')}`}
      >
        <span className={row.depth === 0 ? styles.label : styles.subLabel} title={label}>
          {label}
        </span>
        <span className={styles.total}>{total}</span>
        {counts.map((state) => (
          <span key={state} className={styles.count} title={`${group.counts[state]} ${state}`}>
            <span style={{ color: stateColor(theme, state) }}>{STATE_GLYPHS[state]}</span>
            {group.counts[state]}
          </span>
        ))}
      </div>
    </div>
  );
});

const getStyles = (theme: GrafanaTheme2) => ({
  header: css({
    position: 'absolute',
    left: 0,
    right: 0,
    display: 'flex',
    alignItems: 'flex-end',
    paddingBottom: theme.spacing(0.5),
    pointerEvents: 'none',
    overflow: 'hidden',
  }),
  content: css({
    display: 'flex',
    alignItems: 'baseline',
    gap: theme.spacing(1),
    minWidth: 0,
    whiteSpace: 'nowrap',
  }),
  label: css({
    fontWeight: theme.typography.fontWeightMedium,
    fontSize: theme.typography.body.fontSize,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
  subLabel: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
  total: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  count: css({
    display: 'inline-flex',
    gap: 2,
    fontSize: theme.typography.bodySmall.fontSize,
    fontVariantNumeric: 'tabular-nums',
  }),
});
