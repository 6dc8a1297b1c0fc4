import { css } from '@emotion/css';
import React from 'react';

import { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2, useTheme2 } from '@grafana/ui';

import { FLUX_STATES, type GroupBy } from '../../flux';
import type { HeaderRow } from '../layout';
import { STATE_GLYPHS, stateColor } from '../palette';
import { TEST_IDS } from '../testIds';

const LEVEL_NAMES: Record<GroupBy, string> = {
  cluster: 'Cluster',
  kind: 'Kind',
  namespace: 'Namespace',
  source: 'Source',
  revision: 'Revision',
};

interface GroupHeaderProps {
  row: HeaderRow;
  /** Set for an all-Ready group: folds it into this row, or opens it. */
  onToggle?: (groupId: string, fold: boolean) => void;
}

/**
 * A group's label and per-state counts; absolutely placed at its layout row. An all-Ready group
 * gets a button that folds it into this row (its count is all there is to see) or opens it.
 */
export const GroupHeader = React.memo(function GroupHeader({ row, onToggle }: GroupHeaderProps) {
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
      style={{
        top: row.y,
        left: row.x,
        width: row.width,
        height: row.height,
        paddingLeft: theme.spacing(1 + row.depth * 2),
      }}
      data-testid={TEST_IDS.groupHeader}
      data-folded={row.folded}
    >
      <div
        role="rowheader"
        className={styles.content}
        aria-label={`${LEVEL_NAMES[group.level]} ${label}: ${total} objects, ${counts.map((s) => `${group.counts[s]} ${s}`).join(', ')}${row.folded ? ', folded' : ''}`}
      >
        {onToggle && (
          <button
            type="button"
            className={styles.toggle}
            aria-expanded={!row.folded}
            aria-label={`${row.folded ? 'Show' : 'Fold'} the ${total} Ready objects of ${label}`}
            title={row.folded ? 'Show these objects' : 'Fold into a count'}
            data-testid={TEST_IDS.groupToggle}
            onClick={() => onToggle(group.id, !row.folded)}
          >
            <Icon name={row.folded ? 'angle-right' : 'angle-down'} />
          </button>
        )}
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
    // left and width come from the row: its lane (column of groups).
    position: 'absolute',
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
  toggle: css({
    pointerEvents: 'auto',
    display: 'inline-flex',
    alignSelf: 'center',
    padding: 0,
    border: 'none',
    background: 'none',
    color: theme.colors.text.secondary,
    cursor: 'pointer',
    borderRadius: theme.shape.radius.default,
    '&:hover': { color: theme.colors.text.primary, background: theme.colors.action.hover },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.border}` },
  }),
  count: css({
    display: 'inline-flex',
    gap: 2,
    fontSize: theme.typography.bodySmall.fontSize,
    fontVariantNumeric: 'tabular-nums',
  }),
});
