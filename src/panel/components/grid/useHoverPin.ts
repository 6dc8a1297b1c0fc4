import React, { RefObject, useEffect, useState } from 'react';

import { GridLayout, hitTest } from '../../layout';

interface HoverPinInput {
  layout: GridLayout;
  focusIndex: number;
  focusCell: (index: number) => void;
  /** The grid and its tooltip: a pointer press outside it closes a pinned tooltip. */
  wrapperRef: RefObject<HTMLElement | null>;
}

/** The cell under the pointer, and the tooltip pinned to the focused cell by a click. */
export function useHoverPin({ layout, focusIndex, focusCell, wrapperRef }: HoverPinInput) {
  // A hover belongs to the layout it was measured on.
  const [hover, setHover] = useState<{ layout: GridLayout; index: number } | undefined>(undefined);
  const [pinnedState, setPinned] = useState(false);
  const hoverIndex = hover && hover.layout === layout ? hover.index : -1;
  const pinned = pinnedState && focusIndex >= 0;
  const setHoverIndex = (index: number) => setHover(index < 0 ? undefined : { layout, index });

  const cellAtPointer = (event: React.MouseEvent<HTMLElement>) => {
    const element = event.currentTarget;
    const rect = element.getBoundingClientRect();
    return hitTest(
      layout,
      event.clientX - rect.left + element.scrollLeft,
      event.clientY - rect.top + element.scrollTop
    );
  };

  const pointerHandlers = {
    onMouseMove: (event: React.MouseEvent<HTMLElement>) => {
      const index = cellAtPointer(event);
      if (index !== hoverIndex) {
        setHoverIndex(index);
      }
    },
    onMouseLeave: () => setHoverIndex(-1),
    onClick: (event: React.MouseEvent<HTMLElement>) => {
      const index = cellAtPointer(event);
      if (index < 0) {
        setPinned(false);
        return;
      }
      setPinned(!(pinned && index === focusIndex));
      focusCell(index);
    },
  };

  // A pinned tooltip closes on a press anywhere else.
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
  }, [pinned, wrapperRef]);

  return {
    hoverIndex,
    setHoverIndex,
    pinned,
    togglePinned: () => setPinned((value) => !value),
    unpin: () => setPinned(false),
    pointerHandlers,
  };
}
