import { css } from '@emotion/css';
import React, { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';

import { Field, GrafanaTheme2, LinkModel } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';

import type { FluxGroup, FluxObject } from '../../flux';
import { announceObject } from '../describe';
import { drawGrid, DrawParams } from '../draw';
import {
  cellPosition,
  computeLayout,
  FocusMove,
  GRID_PADDING,
  GridLayout,
  HeaderRow,
  hitTest,
  moveFocus,
  revealScrollTop,
  visibleRowRange,
} from '../layout';
import { openObjectLink } from '../links';
import { createPalette } from '../palette';
import { TEST_IDS } from '../testIds';
import { GroupHeader } from './GroupHeader';
import { ObjectTooltip, TOOLTIP_WIDTH } from './ObjectTooltip';
import { Size, useElementSize } from './useElementSize';

interface StatusGridProps {
  objects: FluxObject[];
  groups: FluxGroup[];
  cellSize: number;
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

const KEY_MOVES: Record<string, FocusMove> = {
  ArrowLeft: 'ArrowLeft',
  ArrowRight: 'ArrowRight',
  ArrowUp: 'ArrowUp',
  ArrowDown: 'ArrowDown',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
};

/**
 * The cells are drawn on one canvas covering the viewport; the scroll container above it holds
 * only a spacer of the layout's height and the group headers in view. Nothing per object lives
 * in React, so 50,000 objects cost a layout pass, not 50,000 elements.
 */
export function StatusGrid(props: StatusGridProps) {
  const { objects, groups, cellSize, isSustained, nowMs, fallbackSize, getLinks } = props;
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const palette = useMemo(() => createPalette(theme), [theme]);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const size = useElementSize(scrollRef, fallbackSize);
  const layout = useMemo(
    () => computeLayout({ objects, groups, width: size.width, cellSize }),
    [objects, groups, size.width, cellSize]
  );

  const [scrollTop, setScrollTop] = useState(0);
  // Focus is remembered by object key, so it survives refreshes and re-sorting; the index is a hint.
  const [focus, setFocus] = useState<{ key: string; index: number } | undefined>(undefined);
  // A hover belongs to the layout it was measured on.
  const [hover, setHover] = useState<{ layout: GridLayout; index: number } | undefined>(undefined);
  const [hasFocus, setHasFocus] = useState(false);
  const [pinnedState, setPinned] = useState(false);
  const scrollTopRef = useRef(0);
  const pointerFocusRef = useRef(false);
  const idPrefix = useId();
  const activeCellId = `${idPrefix}-active-cell`;
  const tooltipId = `${idPrefix}-tooltip`;

  const focusIndex = useMemo(() => {
    if (!focus) {
      return -1;
    }
    return layout.cells[focus.index]?.key === focus.key
      ? focus.index
      : layout.cells.findIndex((object) => object.key === focus.key);
  }, [focus, layout]);
  const hoverIndex = hover && hover.layout === layout ? hover.index : -1;
  const pinned = pinnedState && focusIndex >= 0;
  const setHoverIndex = (index: number) => setHover(index < 0 ? undefined : { layout, index });

  // Drawing happens outside React: the frame reads the parameters of the latest render.
  const drawParams = useRef<Omit<DrawParams, 'scrollTop'> | undefined>(undefined);
  const frameRef = useRef(0);
  const drawCountRef = useRef(0);
  const drawFrame = useCallback(() => {
    frameRef.current = 0;
    const canvas = canvasRef.current;
    const params = drawParams.current;
    if (!canvas || !params) {
      return;
    }
    const backingWidth = Math.max(1, Math.round(params.width * params.devicePixelRatio));
    const backingHeight = Math.max(1, Math.round(params.height * params.devicePixelRatio));
    if (canvas.width !== backingWidth) {
      canvas.width = backingWidth;
    }
    if (canvas.height !== backingHeight) {
      canvas.height = backingHeight;
    }
    const drawn = drawGrid(canvas.getContext('2d'), { ...params, scrollTop: scrollTopRef.current });
    drawCountRef.current++;
    canvas.dataset.drawnCells = String(drawn);
    canvas.dataset.draws = String(drawCountRef.current);
  }, []);
  const scheduleDraw = useCallback(() => {
    if (frameRef.current === 0) {
      frameRef.current = requestAnimationFrame(drawFrame);
    }
  }, [drawFrame]);
  useEffect(() => () => cancelAnimationFrame(frameRef.current), []);
  useLayoutEffect(() => {
    drawParams.current = {
      layout,
      width: size.width,
      height: size.height,
      devicePixelRatio: window.devicePixelRatio > 0 ? window.devicePixelRatio : 1,
      palette,
      focusIndex,
      hoverIndex,
      showFocus: hasFocus && focusIndex >= 0,
      isSustained,
    };
    scheduleDraw();
  });

  const setScroll = useCallback((top: number) => {
    scrollTopRef.current = top;
    setScrollTop(top);
  }, []);

  const [firstRow, lastRow] = useMemo(
    () => visibleRowRange(layout, scrollTop, scrollTop + size.height),
    [layout, scrollTop, size.height]
  );
  const headers: HeaderRow[] = [];
  for (let r = firstRow; r <= lastRow; r++) {
    const row = layout.rows[r];
    if (row.type === 'header') {
      headers.push(row);
    }
  }

  const focusCell = (index: number) => {
    if (index < 0 || index >= layout.cells.length) {
      return;
    }
    setFocus({ key: layout.cells[index].key, index });
    const element = scrollRef.current;
    if (element) {
      const top = revealScrollTop(layout, index, element.scrollTop, size.height);
      if (top !== element.scrollTop) {
        element.scrollTop = top;
        setScroll(top);
      }
    }
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (layout.cells.length === 0) {
      return;
    }
    let move: FocusMove | undefined = KEY_MOVES[event.key];
    if ((event.ctrlKey || event.metaKey) && event.key === 'Home') {
      move = 'First';
    } else if ((event.ctrlKey || event.metaKey) && event.key === 'End') {
      move = 'Last';
    }
    if (move) {
      event.preventDefault();
      const pageRows = Math.max(1, Math.floor(size.height / layout.pitch) - 1);
      setHoverIndex(-1);
      focusCell(moveFocus(layout, focusIndex, move, pageRows));
      return;
    }
    const focused = layout.cells[focusIndex];
    if (event.key === 'Enter' && focused) {
      event.preventDefault();
      const [first] = getLinks(focused);
      if (first) {
        openObjectLink(first, event.nativeEvent);
      } else {
        setPinned((value) => !value);
      }
    } else if (event.key === 'Escape') {
      setPinned(false);
      setHoverIndex(-1);
    }
  };

  const cellAtPointer = (event: React.MouseEvent<HTMLDivElement>) => {
    const element = event.currentTarget;
    const rect = element.getBoundingClientRect();
    return hitTest(
      layout,
      event.clientX - rect.left + element.scrollLeft,
      event.clientY - rect.top + element.scrollTop
    );
  };

  const onMouseMove = (event: React.MouseEvent<HTMLDivElement>) => {
    const index = cellAtPointer(event);
    if (index !== hoverIndex) {
      setHoverIndex(index);
    }
  };

  const onClick = (event: React.MouseEvent<HTMLDivElement>) => {
    const index = cellAtPointer(event);
    if (index < 0) {
      setPinned(false);
      return;
    }
    setPinned(!(pinned && index === focusIndex));
    focusCell(index);
  };

  // A pinned tooltip closes on a click anywhere else.
  useEffect(() => {
    if (!pinned) {
      return;
    }
    const onPointerDown = (event: MouseEvent) => {
      if (!wrapperRef.current?.contains(event.target as Node)) {
        setPinned(false);
      }
    };
    document.addEventListener('mousedown', onPointerDown);
    return () => document.removeEventListener('mousedown', onPointerDown);
  }, [pinned]);

  const focused = focusIndex >= 0 ? layout.cells[focusIndex] : undefined;
  const tooltipIndex = pinned ? focusIndex : hoverIndex >= 0 ? hoverIndex : hasFocus ? focusIndex : -1;
  const tooltipObject = tooltipIndex >= 0 ? layout.cells[tooltipIndex] : undefined;
  const tooltipLinks = useMemo(() => (tooltipObject ? getLinks(tooltipObject) : []), [tooltipObject, getLinks]);
  const tooltipPlacement = useMemo(() => {
    const position = tooltipIndex >= 0 ? cellPosition(layout, tooltipIndex) : undefined;
    if (!position) {
      return undefined;
    }
    const top = position.y - scrollTop;
    let left = position.x + cellSize + 6;
    if (left + TOOLTIP_WIDTH > size.width && position.x - TOOLTIP_WIDTH - 6 >= 0) {
      left = position.x - TOOLTIP_WIDTH - 6;
    }
    return { left: Math.max(0, left), top: Math.max(0, Math.min(top, size.height - 40)) };
  }, [layout, tooltipIndex, scrollTop, cellSize, size.width, size.height]);

  const cellRowCount = layout.cellRowIndex.length;
  const focusedPosition = focused ? cellPosition(layout, focusIndex) : undefined;

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
        aria-rowcount={cellRowCount}
        aria-colcount={layout.columns}
        aria-activedescendant={focused && hasFocus ? activeCellId : undefined}
        aria-describedby={tooltipObject ? tooltipId : undefined}
        data-testid={TEST_IDS.grid}
        data-cells={layout.cells.length}
        data-columns={layout.columns}
        data-cell-size={layout.cellSize}
        data-pitch={layout.pitch}
        data-padding={GRID_PADDING}
        onScroll={(event) => {
          setScroll(event.currentTarget.scrollTop);
          setHoverIndex(-1);
          scheduleDraw();
        }}
        onKeyDown={onKeyDown}
        onMouseDown={() => {
          pointerFocusRef.current = true;
        }}
        onFocus={(event) => {
          if (event.target !== event.currentTarget) {
            return;
          }
          setHasFocus(true);
          if (!pointerFocusRef.current && focusIndex < 0 && layout.cells.length > 0) {
            focusCell(0);
          }
          pointerFocusRef.current = false;
        }}
        onBlur={(event) => {
          if (event.target === event.currentTarget) {
            setHasFocus(false);
          }
        }}
        onMouseMove={onMouseMove}
        onMouseLeave={() => setHoverIndex(-1)}
        onClick={onClick}
      >
        <div className={styles.spacer} style={{ height: layout.totalHeight }}>
          {headers.map((row) => (
            <GroupHeader key={row.group.id} row={row} />
          ))}
          {focused && focusedPosition && (
            <div
              role="row"
              className={styles.visuallyHidden}
              aria-rowindex={rowNumber(layout.cellRowIndex, focusedPosition.rowIndex)}
            >
              <div
                role="gridcell"
                id={activeCellId}
                aria-colindex={Math.round((focusedPosition.x - GRID_PADDING) / layout.pitch) + 1}
                aria-selected={true}
                data-testid={TEST_IDS.activeCell}
                data-key={focused.key}
              >
                {announceObject(focused, { nowMs, sustained: isSustained(focused) })}
              </div>
            </div>
          )}
        </div>
      </div>
      {tooltipObject && tooltipPlacement && (
        <ObjectTooltip
          id={tooltipId}
          object={tooltipObject}
          context={{ nowMs, sustained: isSustained(tooltipObject) }}
          links={tooltipLinks}
          left={tooltipPlacement.left}
          top={tooltipPlacement.top}
          pinned={pinned}
        />
      )}
      <div aria-live="polite" className={styles.visuallyHidden} data-testid={TEST_IDS.announcer}>
        {props.status}
      </div>
    </div>
  );
}

/** 1-based position of a layout row among the cell rows (aria-rowindex). */
function rowNumber(cellRowIndex: Int32Array, rowIndex: number): number {
  return cellRowIndex.indexOf(rowIndex) + 1;
}

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
