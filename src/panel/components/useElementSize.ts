import { RefObject, useLayoutEffect, useState } from 'react';

export interface Size {
  width: number;
  height: number;
}

/** An element measured with no size (display: none). */
const UNSIZED: Size = { width: 0, height: 0 };

/**
 * The element's client size (excluding scrollbars), tracked with ResizeObserver. Until measured,
 * or where ResizeObserver is missing (jsdom), `fallback` is used. `measuring` is true only for the
 * first render in a browser: its layout effect measures and React renders again before anything
 * is painted, so a caller can skip costly work sized for `fallback` (a 100k-object layout) then.
 * An element with no size (a hidden panel) is measured as nothing: `fallback` from then on.
 */
export function useElementSize(ref: RefObject<HTMLElement | null>, fallback: Size): { size: Size; measuring: boolean } {
  const [size, setSize] = useState<Size | null>(null);
  useLayoutEffect(() => {
    if (typeof ResizeObserver === 'undefined') {
      return;
    }
    const element = ref.current;
    const measure = () => {
      const width = element?.clientWidth ?? 0;
      const height = element?.clientHeight ?? 0;
      if (width > 0 && height > 0) {
        setSize((previous) =>
          previous && previous.width === width && previous.height === height ? previous : { width, height }
        );
      } else {
        // Measured, with no size yet: keep what was measured before, else say so.
        setSize((previous) => previous ?? UNSIZED);
      }
    };
    measure();
    if (!element) {
      return;
    }
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return {
    size: size === null || size === UNSIZED ? fallback : size,
    measuring: size === null && typeof ResizeObserver !== 'undefined',
  };
}
