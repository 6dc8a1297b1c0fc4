import { css } from '@emotion/css';
import React, { useCallback, useId, useMemo, useRef, useState } from 'react';

import { Field, GrafanaTheme2, LinkModel } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';

import type { FluxGroup, FluxObject } from '../../flux';
import { chooseDisplay, DisplayOption, foldedGroups, isAllReady } from '../display';
import { computeLayout, GRID_PADDING, HeaderRow, visibleRowRanges } from '../layout';
import { openObjectLink } from '../links';
import { createPalette } from '../palette';
import { TEST_IDS } from '../testIds';
import { ActiveCell } from './grid/ActiveCell';
import { placeTooltip } from './grid/tooltipPlacement';
import { useGridDraw } from './grid/useGridDraw';
import { useGridFocus } from './grid/useGridFocus';
import { useGridScroll } from './grid/useGridScroll';
import { MoreBelow } from './grid/MoreBelow';
import { TileLabels } from './grid/TileLabels';
import { useHoverPin } from './grid/useHoverPin';
import { GroupHeader } from './GroupHeader';
import { ObjectTooltip, TOOLTIP_WIDTH } from './ObjectTooltip';
import { Size, useElementSize } from './useElementSize';

const NOTHING: FluxObject[] = [];
const NO_GROUPS: FluxGroup[] = [];

interface StatusGridProps {
  objects: FluxObject[];
  groups: FluxGroup[];
  cellSize: number;
  /** Labelled tiles, glyph cells, or chosen from the room there is. */
  display: DisplayOption;
  isSustained: (object: FluxObject) => boolean;
  nowMs: number;
  /** Size to lay out with before the grid is measured (and in jsdom). */
  fallbackSize: Size;
  getLinks: (object: FluxObject) => Array<LinkModel<Field>>;
  /** Accessible name of the grid. */
  label: string;
  /** Polite announcement when the shown objects change ("Showing 12 of 340 objects"). */
  status: string;
}

/**
 * The cells are drawn on one canvas covering the viewport; the scroll container above it holds
 * only a spacer of the layout's height and the group headers in view. Nothing per object lives
 * in React, so 50,000 objects cost a layout pass, not 50,000 elements. The hooks hold the moving
 * parts: painting (useGridDraw), scrolling, keyboard focus (useGridFocus), hover and pin.
 */
export const StatusGrid = React.memo(function StatusGrid(props: StatusGridProps) {
  const { cellSize, display, isSustained, nowMs, fallbackSize, getLinks } = props;
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const palette = useMemo(() => createPalette(theme), [theme]);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { size, measuring } = useElementSize(scrollRef, fallbackSize);
  // Nothing is laid out for the size guessed before the first measurement (see useElementSize).
  const objects = measuring ? NOTHING : props.objects;
  const groups = measuring ? NO_GROUPS : props.groups;
  // The plain cell layout tells whether the grid overflows, and is the layout itself when cells
  // are drawn and nothing is folded (a large fleet with a failure in every group): one pass.
  const cells = useMemo(
    () => computeLayout({ objects, groups, width: size.width, cellSize }),
    [objects, groups, size.width, cellSize]
  );
  const choice = useMemo(
    () => chooseDisplay({ objects, groups, width: size.width, height: size.height, cellSize, option: display, cells }),
    [objects, groups, size.width, size.height, cellSize, display, cells]
  );
  // Groups the viewer opened (false) or folded (true); never saved.
  const [viewerFolds, setViewerFolds] = useState<ReadonlyMap<string, boolean>>(new Map());
  const folded = useMemo(
    () => foldedGroups(groups, choice.autoFold, viewerFolds),
    [groups, choice.autoFold, viewerFolds]
  );
  const onToggleGroup = useCallback(
    (id: string, fold: boolean) => setViewerFolds((current) => new Map(current).set(id, fold)),
    []
  );
  const layout = useMemo(
    () =>
      choice.mode === 'cells' && folded.size === 0
        ? cells
        : computeLayout({ objects, groups, width: size.width, cellSize, mode: choice.mode, folded }),
    [objects, groups, size.width, cellSize, choice.mode, folded, cells]
  );
  const idPrefix = useId();
  const activeCellId = `${idPrefix}-active-cell`;
  const tooltipId = `${idPrefix}-tooltip`;

  const { scrollTop, scrollTopRef, setScroll } = useGridScroll();
  const { focusIndex, hasFocus, focusCell, moveByKey, focusHandlers } = useGridFocus({
    layout,
    scrollRef,
    viewportHeight: size.height,
    setScroll,
  });
  const { hoverIndex, setHoverIndex, pinned, togglePinned, unpin, pointerHandlers } = useHoverPin({
    layout,
    focusIndex,
    focusCell,
    wrapperRef,
  });
  const scheduleDraw = useGridDraw(
    canvasRef,
    {
      layout,
      width: size.width,
      height: size.height,
      devicePixelRatio: window.devicePixelRatio > 0 ? window.devicePixelRatio : 1,
      palette,
      focusIndex,
      hoverIndex,
      showFocus: hasFocus && focusIndex >= 0,
      isSustained,
    },
    scrollTopRef
  );

  const visibleRanges = useMemo(
    () => visibleRowRanges(layout, scrollTop, scrollTop + size.height),
    [layout, scrollTop, size.height]
  );
  const headers: HeaderRow[] = [];
  for (const [firstRow, lastRow] of visibleRanges) {
    for (let r = firstRow; r <= lastRow; r++) {
      const row = layout.rows[r];
      if (row.type === 'header') {
        headers.push(row);
      }
    }
  }

  const focused = focusIndex >= 0 ? layout.cells[focusIndex] : undefined;
  // The object whose tooltip was closed (close button, Escape): it stays closed while focus stays
  // on that object and the pointer is elsewhere, instead of coming back as the focus tooltip.
  const [closedKey, setClosedKey] = useState<string | undefined>(undefined);
  const closeTooltip = () => {
    unpin();
    setHoverIndex(-1);
    setClosedKey(focused?.key);
  };
  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    // Keys bubbling up from a control inside the grid (a group's fold button) are that control's.
    if (event.target !== event.currentTarget) {
      return;
    }
    if (moveByKey(event)) {
      setHoverIndex(-1);
      setClosedKey(undefined);
    } else if (event.key === 'Enter' && focused) {
      event.preventDefault();
      const [first] = getLinks(focused);
      if (first) {
        openObjectLink(first, event.nativeEvent);
      } else {
        togglePinned();
      }
    } else if (event.key === 'Escape') {
      closeTooltip();
    }
  };

  const focusTooltip = hasFocus && focused !== undefined && focused.key !== closedKey ? focusIndex : -1;
  const tooltipIndex = pinned ? focusIndex : hoverIndex >= 0 ? hoverIndex : focusTooltip;
  const tooltipObject = tooltipIndex >= 0 ? layout.cells[tooltipIndex] : undefined;
  const tooltipLinks = useMemo(() => (tooltipObject ? getLinks(tooltipObject) : []), [tooltipObject, getLinks]);
  const tooltipPlacement = useMemo(
    () => placeTooltip(layout, tooltipIndex, scrollTop, size, TOOLTIP_WIDTH),
    [layout, tooltipIndex, scrollTop, size]
  );

  return (
    <div className={styles.wrapper} ref={wrapperRef}>
      <canvas
        ref={canvasRef}
        className={styles.canvas}
        style={{ width: size.width, height: size.height }}
        aria-hidden
        data-testid={TEST_IDS.gridCanvas}
      />
      <div
        ref={scrollRef}
        className={styles.scroll}
        style={{ cursor: hoverIndex >= 0 ? 'pointer' : 'default' }}
        role="grid"
        tabIndex={0}
        aria-label={`${props.label}. Arrow keys move between objects, Enter opens the first data link, Escape closes the tooltip.`}
        aria-rowcount={layout.cellRowIndex.length}
        aria-colcount={layout.columns}
        aria-activedescendant={focused && hasFocus ? activeCellId : undefined}
        aria-describedby={tooltipObject ? tooltipId : undefined}
        data-testid={TEST_IDS.grid}
        data-cells={layout.cells.length + layout.foldedObjects}
        data-folded={layout.foldedObjects}
        data-mode={layout.mode}
        data-columns={layout.columns}
        data-lanes={layout.lanes.length}
        data-cell-size={layout.cellWidth}
        data-cell-height={layout.cellHeight}
        data-pitch={layout.pitchX}
        data-pitch-y={layout.pitchY}
        data-padding={GRID_PADDING}
        onScroll={(event) => {
          setScroll(event.currentTarget.scrollTop);
          setHoverIndex(-1);
          scheduleDraw();
        }}
        onKeyDown={onKeyDown}
        {...focusHandlers}
        {...pointerHandlers}
      >
        <div className={styles.spacer} style={{ height: layout.totalHeight }}>
          {layout.mode === 'tiles' && (
            <TileLabels
              layout={layout}
              ranges={visibleRanges}
              palette={palette}
              nowMs={nowMs}
              isSustained={isSustained}
            />
          )}
          {headers.map((row) => (
            <GroupHeader key={row.group.id} row={row} onToggle={isAllReady(row.group) ? onToggleGroup : undefined} />
          ))}
          {focused && (
            <ActiveCell
              id={activeCellId}
              layout={layout}
              index={focusIndex}
              object={focused}
              context={{ nowMs, sustained: isSustained(focused) }}
              className={styles.visuallyHidden}
            />
          )}
        </div>
      </div>
      <MoreBelow
        layout={layout}
        bottom={scrollTop + size.height}
        onReveal={(top) => {
          const element = scrollRef.current;
          if (element) {
            element.scrollTop = top;
            setScroll(element.scrollTop);
          }
        }}
      />
      {tooltipObject && tooltipPlacement && (
        <ObjectTooltip
          id={tooltipId}
          object={tooltipObject}
          context={{ nowMs, sustained: isSustained(tooltipObject) }}
          links={tooltipLinks}
          left={tooltipPlacement.left}
          top={tooltipPlacement.top}
          pinned={pinned}
          // Enter acts on the focused object, so only its tooltip may say what Enter does.
          showsFocused={hasFocus && tooltipIndex === focusIndex}
          onClose={closeTooltip}
        />
      )}
      <div aria-live="polite" className={styles.visuallyHidden} data-testid={TEST_IDS.announcer}>
        {props.status}
      </div>
    </div>
  );
});

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({
    position: 'relative',
    flex: 1,
    minHeight: 0,
    overflow: 'hidden',
  }),
  canvas: css({
    position: 'absolute',
    top: 0,
    left: 0,
    pointerEvents: 'none',
  }),
  scroll: css({
    position: 'absolute',
    inset: 0,
    overflowY: 'auto',
    overflowX: 'hidden',
    outline: 'none',
    '&:focus-visible': { boxShadow: `inset 0 0 0 1px ${theme.colors.primary.border}` },
  }),
  spacer: css({ position: 'relative', width: '100%' }),
  visuallyHidden: css({
    position: 'absolute',
    width: 1,
    height: 1,
    margin: -1,
    padding: 0,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: 0,
  }),
});
