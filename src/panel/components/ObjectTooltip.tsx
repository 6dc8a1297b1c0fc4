import { css } from '@emotion/css';
import React from 'react';

import { Field, GrafanaTheme2, LinkModel } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';

import type { FluxObject } from '../../flux';
import { DescribeContext, objectTitle, tooltipRows } from '../describe';
import { handlesClick, openObjectLink } from '../links';
import { STATE_GLYPHS, stateColor } from '../palette';
import { TEST_IDS } from '../testIds';

interface ObjectTooltipProps {
  id: string;
  object: FluxObject;
  context: DescribeContext;
  links: Array<LinkModel<Field>>;
  /** Pixel position inside the grid viewport. */
  left: number;
  top: number;
  /** Pinned by a click: links become clickable. */
  pinned: boolean;
}

/** Plain text only: label values are untrusted and React escapes them. */
export function ObjectTooltip({ id, object, context, links, left, top, pinned }: ObjectTooltipProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const sustained = context.sustained && object.state === 'Failed';
  return (
    <div
      id={id}
      role="tooltip"
      className={styles.tooltip}
      style={{ left, top, pointerEvents: pinned ? 'auto' : 'none' }}
      data-testid={TEST_IDS.tooltip}
      data-sustained={sustained ? 'true' : 'false'}
    >
      <div className={styles.title}>
        <span style={{ color: stateColor(theme, object.state) }} aria-hidden>
          {STATE_GLYPHS[object.state]}
        </span>{' '}
        {objectTitle(object)}
      </div>
      {sustained && <div className={styles.sustained}>Sustained failure</div>}
      <dl className={styles.rows}>
        {tooltipRows(object, context).map((row) => (
          <React.Fragment key={row.label}>
            <dt>{row.label}</dt>
            <dd>{row.value}</dd>
          </React.Fragment>
        ))}
      </dl>
      {links.length > 0 && (
        <div className={styles.links}>
          {links.map((link, i) => (
            <a
              key={`${i}-${link.href}`}
              href={link.href}
              target={link.target}
              rel={link.target === '_blank' ? 'noopener noreferrer' : undefined}
              data-testid={TEST_IDS.tooltipLink}
              onClick={(event) => {
                if (handlesClick(link)) {
                  event.preventDefault();
                  openObjectLink(link, event.nativeEvent);
                }
              }}
            >
              {link.title || link.href}
            </a>
          ))}
          {!pinned && <div className={styles.hint}>Click the cell to use links, Enter opens the first</div>}
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
    maxWidth: TOOLTIP_WIDTH,
    padding: theme.spacing(1),
    background: theme.components.tooltip.background,
    color: theme.components.tooltip.text,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    fontSize: theme.typography.bodySmall.fontSize,
    overflowWrap: 'anywhere',
  }),
  title: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(0.5) }),
  sustained: css({
    display: 'inline-block',
    marginBottom: theme.spacing(0.5),
    padding: theme.spacing(0, 0.5),
    borderRadius: theme.shape.radius.default,
    background: theme.visualization.getColorByName('semi-dark-red'),
    color: theme.colors.getContrastText(theme.visualization.getColorByName('semi-dark-red')),
    fontWeight: theme.typography.fontWeightBold,
  }),
  rows: css({
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(1),
    rowGap: theme.spacing(0.25),
    margin: 0,
    dt: { color: theme.colors.text.secondary, fontWeight: 'normal' },
    dd: { margin: 0 },
  }),
  links: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.25),
    marginTop: theme.spacing(0.75),
    paddingTop: theme.spacing(0.5),
    borderTop: `1px solid ${theme.colors.border.weak}`,
    a: { color: theme.colors.text.link },
  }),
  hint: css({ color: theme.colors.text.secondary }),
});
