import { useCallback, useRef, useState } from 'react';

/**
 * The grid's scroll offset, twice: as state for what React renders (headers in view, tooltip
 * position) and as a ref the canvas reads when it paints, so a paint never waits for a render.
 */
export function useGridScroll() {
  const [scrollTop, setScrollTop] = useState(0);
  const scrollTopRef = useRef(0);
  const setScroll = useCallback((top: number) => {
    scrollTopRef.current = top;
    setScrollTop(top);
  }, []);
  return { scrollTop, scrollTopRef, setScroll };
}
