import { css, cx } from '@emotion/css';
import React from 'react';

import { Field, GrafanaTheme2, LinkModel } from '@grafana/data';
import { IconButton, useStyles2, useTheme2 } from '@grafana/ui';

import type { FluxObject } from '../../flux';
import { DescribeContext, objectPath, tooltipRows } from '../describe';
import { handlesClick, openObjectLink } from '../links';
import { STATE_GLYPHS, stateColor } from '../palette';
import { TEST_IDS } from '../testIds';
import { ObjectRelationNotes } from './FluxRelations';

interface ObjectTooltipProps {
  id: string;
  object: FluxObject;
  context: DescribeContext;
  links: Array<LinkModel<Field>>;
  /** Pixel position inside the grid viewport. */
  left: number;
  top: number;
  /** Pinned by a click: links become clickable, a close button appears. */
  pinned: boolean;
  /** The object is the grid's keyboard-focused one, which Enter acts on: the hint mentions Enter. */
  showsFocused?: boolean;
  onClose: () => void;
}

/**
 * Laid out as Grafana's VizTooltip: a header naming the object, rows of what is known, a footer
 * of data links, and when pinned a close button and a pinned border; unpinned, a "click to pin"
 * hint. Plain text only: label values are untrusted and React escapes them.
 */
export function ObjectTooltip({
  id,
  object,
  context,
  links,
  left,
  top,
  pinned,
  showsFocused = false,
  onClose,
}: ObjectTooltipProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const sustained = context.sustained && object.state === 'Failed';
  return (
    <div
      id={id}
      role={pinned ? 'dialog' : 'tooltip'}
      aria-label={pinned ? `${object.kind} ${objectPath(object)}` : undefined}
      className={cx(styles.tooltip, pinned && styles.pinned)}
      style={{ left, top, pointerEvents: pinned ? 'auto' : 'none' }}
      data-testid={TEST_IDS.tooltip}
      data-key={object.key}
      data-pinned={pinned ? 'true' : 'false'}
      data-sustained={sustained ? 'true' : 'false'}
    >
      <div className={styles.header}>
        <span className={styles.swatch} style={{ background: stateColor(theme, object.state) }} aria-hidden>
          <span style={{ color: theme.colors.getContrastText(stateColor(theme, object.state)) }}>
            {STATE_GLYPHS[object.state]}
          </span>
        </span>
        <div className={styles.heading}>
          <div className={styles.kind}>{object.kind}</div>
          <div className={styles.title} data-testid={TEST_IDS.tooltipTitle}>
            {objectPath(object)}
          </div>
        </div>
        {pinned && (
          <IconButton
            name="times"
            size="sm"
            aria-label="Close"
            tooltip="Close (Esc)"
            className={styles.close}
            data-testid={TEST_IDS.tooltipClose}
            onClick={onClose}
          />
        )}
      </div>
      {sustained && <div className={styles.sustained}>Sustained failure</div>}
      <ObjectRelationNotes object={object} />
      <dl className={styles.rows}>
        {tooltipRows(object, context).map((row) => (
          <React.Fragment key={row.label}>
            <dt>{row.label}</dt>
            <dd>{row.value}</dd>
          </React.Fragment>
        ))}
      </dl>
      {links.length > 0 && (
        <div className={styles.footer}>
          {links.map((link, i) => (
            <a
              key={`${i}-${link.href}`}
              href={link.href}
              target={link.target}
              rel={link.target === '_blank' ? 'noopener noreferrer' : undefined}
              data-testid={TEST_IDS.tooltipLink}
              onClick={(event) => {
                // Ctrl/Cmd/Shift/Alt or a middle click asks the browser for a new tab or window:
                // left to it, as Grafana's own links do.
                const modified = event.ctrlKey || event.metaKey || event.shiftKey || event.altKey;
                if (!modified && event.button === 0 && handlesClick(link)) {
                  event.preventDefault();
                  openObjectLink(link, event.nativeEvent);
                }
              }}
            >
              {link.title || link.href}
            </a>
          ))}
        </div>
      )}
      {!pinned && (
        <div className={styles.hint}>
          {links.length === 0
            ? 'Click to pin'
            : showsFocused
              ? 'Click to pin and use the links; Enter opens the first'
              : 'Click to pin and use the links'}
        </div>
      )}
    </div>
  );
}

export const TOOLTIP_WIDTH = 320;

const getStyles = (theme: GrafanaTheme2) => ({
  tooltip: css({
    position: 'absolute',
    zIndex: theme.zIndex.tooltip,
    width: 'max-content',
    minWidth: 180,
    maxWidth: TOOLTIP_WIDTH,
    background: theme.colors.background.elevated,
    color: theme.colors.text.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z3,
    fontSize: theme.typography.bodySmall.fontSize,
    overflowWrap: 'anywhere',
  }),
  pinned: css({
    borderColor: theme.colors.primary.border,
    boxShadow: `${theme.shadows.z3}, 0 0 0 1px ${theme.colors.primary.border}`,
  }),
  header: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(1),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  swatch: css({
    flexShrink: 0,
    width: 18,
    height: 18,
    borderRadius: theme.shape.radius.default,
    display: 'inline-flex',
    alignItems: 'center',
    justifyContent: 'center',
    fontSize: 11,
    fontWeight: theme.typography.fontWeightBold,
  }),
  heading: css({ flex: 1, minWidth: 0 }),
  kind: css({ color: theme.colors.text.secondary }),
  title: css({ fontWeight: theme.typography.fontWeightMedium, fontSize: theme.typography.body.fontSize }),
  close: css({ alignSelf: 'flex-start', margin: 0 }),
  sustained: css({
    display: 'inline-block',
    margin: theme.spacing(1, 1, 0),
    padding: theme.spacing(0, 0.5),
    borderRadius: theme.shape.radius.default,
    background: theme.visualization.getColorByName('semi-dark-red'),
    color: theme.colors.getContrastText(theme.visualization.getColorByName('semi-dark-red')),
    fontWeight: theme.typography.fontWeightBold,
  }),
  rows: css({
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(1.5),
    rowGap: theme.spacing(0.25),
    margin: 0,
    padding: theme.spacing(1),
    dt: { color: theme.colors.text.secondary, fontWeight: 'normal' },
    dd: { margin: 0, fontWeight: theme.typography.fontWeightMedium },
  }),
  footer: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    padding: theme.spacing(1),
    borderTop: `1px solid ${theme.colors.border.medium}`,
    a: { color: theme.colors.text.link, '&:hover': { textDecoration: 'underline' } },
  }),
  hint: css({
    padding: theme.spacing(0.5, 1),
    borderTop: `1px solid ${theme.colors.border.weak}`,
    color: theme.colors.text.secondary,
  }),
});
