import { css } from '@emotion/css';
import React, { useMemo } from 'react';

import { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';

import { FluxGroup, PROBLEM_STATES } from '../../../flux';
import { GridLayout } from '../../layout';
import { TEST_IDS } from '../../testIds';

interface MoreBelowProps {
  layout: GridLayout;
  /** Content y of the viewport's bottom edge. */
  bottom: number;
  /** Scroll so that content y `top` is at the top of the viewport. */
  onReveal: (top: number) => void;
}

const hasProblems = (group: FluxGroup) => PROBLEM_STATES.some((state) => (group.counts[state] ?? 0) > 0);

/**
 * "3 more groups below, 1 with problems": a grid that ends at the panel's edge must not look
 * complete. A click scrolls to the next group with problems (or the next group).
 */
export function MoreBelow({ layout, bottom, onReveal }: MoreBelowProps) {
  const styles = useStyles2(getStyles);
  const tops = useMemo(
    () =>
      layout.rows.flatMap((row) =>
        row.type === 'header' && row.depth === 0 ? [{ y: row.y, problems: hasProblems(row.group) }] : []
      ),
    [layout]
  );
  const below = tops.filter((top) => top.y >= bottom - 4);
  if (below.length === 0) {
    return null;
  }
  const problems = below.filter((top) => top.problems);
  const target = problems[0] ?? below[0];
  const text = `${below.length} more ${below.length === 1 ? 'group' : 'groups'} below${
    problems.length > 0 ? `, ${problems.length} with problems` : ''
  }`;
  return (
    <button
      type="button"
      className={styles.cue}
      data-testid={TEST_IDS.moreBelow}
      data-problems={problems.length}
      onClick={() => onReveal(Math.max(0, target.y - 4))}
    >
      <Icon name="arrow-down" size="sm" />
      {text}
    </button>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  cue: css({
    position: 'absolute',
    // Bottom right: group headers and the first cells of a row are on the left.
    bottom: theme.spacing(0.5),
    right: theme.spacing(2),
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    maxWidth: 'calc(100% - 16px)',
    padding: theme.spacing(0.25, 1),
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.background.primary,
    boxShadow: theme.shadows.z2,
    color: theme.colors.text.primary,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    cursor: 'pointer',
    '&:hover': { background: theme.colors.action.hover },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.border}` },
  }),
});
