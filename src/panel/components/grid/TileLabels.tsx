import { css } from '@emotion/css';
import React from 'react';

import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import type { FluxObject } from '../../../flux';
import { tileCaption } from '../../describe';
import { GRID_PADDING, GridLayout } from '../../layout';
import { GridPalette, STATE_GLYPHS } from '../../palette';
import { TEST_IDS } from '../../testIds';

interface TileLabelsProps {
  layout: GridLayout;
  /** Rows in view: one inclusive range per lane (visibleRowRanges). */
  ranges: Array<[number, number]>;
  palette: GridPalette;
  nowMs: number;
  isSustained: (object: FluxObject) => boolean;
}

/**
 * The text of the tiles in view: glyph, name and time in state over the canvas fills. React text
 * nodes, so a name is always text (label values are untrusted). Only rows in view exist in the
 * DOM; the canvas keeps painting, hit-testing and focus, so tiles cost what cells cost.
 * aria-hidden: screen readers hear the focused object through the grid's active cell.
 */
export function TileLabels({ layout, ranges, palette, nowMs, isSustained }: TileLabelsProps) {
  const styles = useStyles2(getStyles);
  const labels: React.ReactNode[] = [];
  for (const r of ranges.flatMap(([first, last]) => Array.from({ length: last - first + 1 }, (_, i) => first + i))) {
    const row = layout.rows[r];
    if (row?.type !== 'cells') {
      continue;
    }
    for (let c = 0; c < row.count; c++) {
      const object = layout.cells[row.start + c];
      const style = palette.cells[object.state === 'Failed' && isSustained(object) ? 'Sustained' : object.state];
      labels.push(
        <div
          key={object.key}
          className={styles.tile}
          style={{
            left: row.x + GRID_PADDING + c * layout.pitchX,
            top: row.y,
            width: layout.cellWidth,
            height: layout.cellHeight,
            color: style.glyph,
          }}
          data-testid={TEST_IDS.tile}
          data-key={object.key}
        >
          <div className={styles.name}>
            <span className={styles.glyph}>{STATE_GLYPHS[object.state]}</span>
            <span className={styles.text} data-testid={TEST_IDS.tileName}>
              {object.name}
            </span>
          </div>
          <div className={styles.caption}>{tileCaption(object, nowMs)}</div>
        </div>
      );
    }
  }
  return (
    <div aria-hidden className={styles.layer}>
      {labels}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  layer: css({ position: 'absolute', inset: 0, pointerEvents: 'none' }),
  tile: css({
    position: 'absolute',
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'center',
    padding: theme.spacing(0, 1),
    overflow: 'hidden',
    lineHeight: 1.25,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  name: css({ display: 'flex', gap: theme.spacing(0.5), minWidth: 0, fontWeight: theme.typography.fontWeightMedium }),
  glyph: css({ flex: 'none', fontWeight: theme.typography.fontWeightBold }),
  text: css({ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
  caption: css({ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', opacity: 0.85 }),
});
