import { css, cx } from '@emotion/css';
import React from 'react';

import { GrafanaTheme2 } from '@grafana/data';
import { Button, Icon, useStyles2 } from '@grafana/ui';

import type { PanelMessage as Message } from '../model';
import { TEST_IDS } from '../testIds';

const MESSAGE_ICONS = {
  badOptions: 'exclamation-triangle',
  noData: 'info-circle',
  notFlux: 'info-circle',
  noObjects: 'info-circle',
  filteredOut: 'filter',
} as const;

interface PanelMessageProps {
  message: Message;
  onClearFilters?: () => void;
  /** A small panel: no big icon, the action before the details so it is never cut off. */
  compact?: boolean;
}

/** Shown instead of the grid, so the panel is never blank and always says what to do. */
export function PanelMessage({ message, onClearFilters, compact = false }: PanelMessageProps) {
  const styles = useStyles2(getStyles);
  const clear = message.kind === 'filteredOut' && onClearFilters && (
    <Button size="sm" variant="secondary" icon="times" onClick={onClearFilters} data-testid={TEST_IDS.clearFilters}>
      Clear filters
    </Button>
  );
  return (
    <div
      className={cx(styles.message, compact && styles.compact)}
      role="status"
      data-testid={TEST_IDS.message}
      data-kind={message.kind}
    >
      {!compact && <Icon name={MESSAGE_ICONS[message.kind]} size="xl" className={styles.icon} />}
      <div className={styles.title}>{message.title}</div>
      {compact && clear}
      {message.details.map((detail) => (
        <div key={detail} className={styles.detail}>
          {detail}
        </div>
      ))}
      {!compact && clear}
    </div>
  );
}

interface PanelWarningProps {
  text: string;
  /** One line, cut with an ellipsis; the whole text in the tooltip and the accessible name. */
  compact?: boolean;
}

export function PanelWarning({ text, compact = false }: PanelWarningProps) {
  const styles = useStyles2(getStyles);
  return (
    <div
      className={cx(styles.warning, compact && styles.warningCompact)}
      role="alert"
      title={compact ? text : undefined}
      data-testid={TEST_IDS.warning}
    >
      <Icon name="exclamation-triangle" />
      <span className={compact ? styles.oneLine : undefined}>{text}</span>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  message: css({
    flex: 1,
    minHeight: 0,
    overflow: 'auto',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(2),
    textAlign: 'center',
  }),
  compact: css({ justifyContent: 'flex-start', gap: theme.spacing(0.5), padding: theme.spacing(0.5) }),
  icon: css({ color: theme.colors.text.secondary }),
  title: css({ ...theme.typography.h5, margin: 0 }),
  detail: css({ color: theme.colors.text.secondary, maxWidth: 640, overflowWrap: 'anywhere' }),
  warning: css({
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 1),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.warning.transparent,
    color: theme.colors.text.primary,
    fontSize: theme.typography.bodySmall.fontSize,
    overflowWrap: 'anywhere',
  }),
  warningCompact: css({ flex: 'none', alignItems: 'center', padding: theme.spacing(0, 1) }),
  oneLine: css({ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 }),
});
