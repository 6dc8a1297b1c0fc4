import { css, cx } from '@emotion/css';
import React from 'react';

import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';

import { FLUX_STATES, FluxState } from '../../flux';
import { STATE_GLYPHS, stateColor } from '../palette';
import { TEST_IDS } from '../testIds';

interface SummaryBarProps {
  counts: Record<FluxState, number>;
  selected: FluxState[];
  sustainedFailures: number;
  /** The threshold as typed ('10m'), for the sustained count's label; undefined when off. */
  thresholdLabel?: string;
  /** Deleted is only listed when deleted objects are shown. */
  includeDeleted: boolean;
  onToggle: (state: FluxState) => void;
  /** A small panel: one line of glyphs and counts (the state names stay in the accessible names). */
  compact?: boolean;
}

/** Counts per state; each count is a button filtering the grid to that state. */
export function SummaryBar({
  counts,
  selected,
  sustainedFailures,
  thresholdLabel,
  includeDeleted,
  onToggle,
  compact = false,
}: SummaryBarProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const states = FLUX_STATES.filter((state) => state !== 'Deleted' || includeDeleted);
  return (
    <div
      className={cx(styles.bar, compact && styles.compact)}
      role="group"
      aria-label="Objects by state"
      data-testid={TEST_IDS.summary}
    >
      {states.map((state) => {
        const pressed = selected.includes(state);
        const count = counts[state] ?? 0;
        const sustained = state === 'Failed' && sustainedFailures > 0 && thresholdLabel;
        return (
          <button
            key={state}
            type="button"
            className={cx(styles.button, pressed && styles.pressed, count === 0 && styles.empty)}
            style={{ borderLeftColor: stateColor(theme, state) }}
            aria-pressed={pressed}
            aria-label={`${state}: ${count}${sustained ? `, ${sustainedFailures} failing longer than ${thresholdLabel}` : ''}. ${
              pressed ? 'Show all states' : `Show only ${state}`
            }`}
            title={`${state} ${count}: ${pressed ? 'click to show all states' : `click to show only ${state} objects`}`}
            data-testid={TEST_IDS.summaryButton(state)}
            onClick={() => onToggle(state)}
          >
            <span className={styles.glyph} style={{ color: stateColor(theme, state) }} aria-hidden>
              {STATE_GLYPHS[state]}
            </span>
            {!compact && <span className={styles.label}>{state}</span>}
            <span className={styles.count}>{count}</span>
            {sustained && !compact && (
              <span className={styles.sustained} aria-hidden>
                {sustainedFailures} for &gt;{thresholdLabel}
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
  }),
  compact: css({
    flexWrap: 'nowrap',
    overflow: 'hidden',
    minWidth: 0,
    flex: '1 1 auto',
    '& > button': { flex: 'none', padding: theme.spacing(0, 0.75), gap: theme.spacing(0.5) },
  }),
  button: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    padding: theme.spacing(0.25, 1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderLeftWidth: 4,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    color: theme.colors.text.primary,
    fontSize: theme.typography.bodySmall.fontSize,
    cursor: 'pointer',
    '&:hover': { background: theme.colors.action.hover },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.border}`, outlineOffset: 1 },
  }),
  pressed: css({
    background: theme.colors.action.selected,
    borderColor: theme.colors.primary.border,
    fontWeight: theme.typography.fontWeightMedium,
  }),
  empty: css({ color: theme.colors.text.secondary }),
  glyph: css({ fontWeight: theme.typography.fontWeightBold }),
  label: css({}),
  count: css({ fontWeight: theme.typography.fontWeightBold, fontVariantNumeric: 'tabular-nums' }),
  sustained: css({ color: theme.colors.error.text, fontSize: theme.typography.bodySmall.fontSize }),
});
