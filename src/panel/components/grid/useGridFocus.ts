import React, { RefObject, useMemo, useRef, useState } from 'react';

import { FocusMove, moveFocus, revealScrollTop } from '../../focusMoves';
import type { GridLayout } from '../../layout';

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

/** The key press's move through the cells, if it is one (Ctrl/Cmd+Home/End: first/last). */
export function keyMove(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey'>): FocusMove | undefined {
  if ((event.ctrlKey || event.metaKey) && event.key === 'Home') {
    return 'First';
  }
  if ((event.ctrlKey || event.metaKey) && event.key === 'End') {
    return 'Last';
  }
  return Object.hasOwn(KEY_MOVES, event.key) ? KEY_MOVES[event.key] : undefined;
}

interface GridFocusInput {
  layout: GridLayout;
  scrollRef: RefObject<HTMLDivElement | null>;
  viewportHeight: number;
  setScroll: (top: number) => void;
}

/**
 * The keyboard-focused object. It is remembered by object key, so it survives refreshes and
 * re-sorting; the index is only a hint. Moving focus scrolls the cell into view.
 */
export function useGridFocus({ layout, scrollRef, viewportHeight, setScroll }: GridFocusInput) {
  const [focus, setFocus] = useState<{ key: string; index: number } | undefined>(undefined);
  const [hasFocus, setHasFocus] = useState(false);
  // Focus that arrives with a click lands on the clicked cell, not on the first one.
  const pointerFocusRef = useRef(false);

  const focusIndex = useMemo(() => {
    if (!focus) {
      return -1;
    }
    return layout.cells[focus.index]?.key === focus.key
      ? focus.index
      : layout.cells.findIndex((object) => object.key === focus.key);
  }, [focus, layout]);

  const focusCell = (index: number) => {
    if (index < 0 || index >= layout.cells.length) {
      return;
    }
    setFocus({ key: layout.cells[index].key, index });
    const element = scrollRef.current;
    if (element) {
      const top = revealScrollTop(layout, index, element.scrollTop, viewportHeight);
      if (top !== element.scrollTop) {
        element.scrollTop = top;
        setScroll(top);
      }
    }
  };

  /** Moves focus for a navigation key; returns false for any other key. */
  const moveByKey = (event: React.KeyboardEvent<HTMLElement>): boolean => {
    const move = keyMove(event);
    if (!move || layout.cells.length === 0) {
      return false;
    }
    event.preventDefault();
    const pageRows = Math.max(1, Math.floor(viewportHeight / layout.pitchY) - 1);
    focusCell(moveFocus(layout, focusIndex, move, pageRows));
    return true;
  };

  const focusHandlers = {
    onMouseDown: () => {
      pointerFocusRef.current = true;
    },
    onFocus: (event: React.FocusEvent<HTMLElement>) => {
      if (event.target !== event.currentTarget) {
        return;
      }
      setHasFocus(true);
      if (!pointerFocusRef.current && focusIndex < 0 && layout.cells.length > 0) {
        focusCell(0);
      }
      pointerFocusRef.current = false;
    },
    onBlur: (event: React.FocusEvent<HTMLElement>) => {
      if (event.target === event.currentTarget) {
        setHasFocus(false);
      }
    },
  };

  return { focusIndex, hasFocus, focusCell, moveByKey, focusHandlers };
}
