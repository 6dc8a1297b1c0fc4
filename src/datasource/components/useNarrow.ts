import { useLayoutEffect, useRef, useState } from 'react';

/** Below this width the query type's radio row (five or more options) no longer fits on one line. */
export const NARROW_EDITOR_PX = 700;

/**
 * Whether the element is narrower than `limit` px, followed as it resizes (a query editor's
 * width changes with the panel editor's split and Explore's panes, not with the window).
 */
export function useNarrow<T extends HTMLElement>(limit = NARROW_EDITOR_PX) {
  const ref = useRef<T>(null);
  const [narrow, setNarrow] = useState(false);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) {
      return;
    }
    const measure = (width: number) => setNarrow(width > 0 && width < limit);
    measure(element.getBoundingClientRect().width);
    if (typeof ResizeObserver === 'undefined') {
      return;
    }
    // Measured in the next frame: switching between the select and the radio row inside the
    // observer's own callback would resize what it observes ("ResizeObserver loop" errors).
    let frame = 0;
    const observer = new ResizeObserver((entries) => {
      const width = entries[0]?.contentRect.width ?? 0;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => measure(width));
    });
    observer.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [limit]);
  return { ref, narrow };
}
