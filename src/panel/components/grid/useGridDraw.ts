import { RefObject, useCallback, useEffect, useLayoutEffect, useRef } from 'react';

import { drawGrid, DrawParams } from '../../draw';

/**
 * Paints the canvas outside React, at most once per animation frame. Every render hands over the
 * latest parameters; scrolling only calls `scheduleDraw` (the frame reads `scrollTopRef`), so a
 * scroll costs a paint, not a render.
 */
export function useGridDraw(
  canvasRef: RefObject<HTMLCanvasElement | null>,
  params: Omit<DrawParams, 'scrollTop'>,
  scrollTopRef: RefObject<number>
): () => void {
  const paramsRef = useRef<Omit<DrawParams, 'scrollTop'> | undefined>(undefined);
  const frameRef = useRef(0);
  const drawCountRef = useRef(0);
  const drawFrame = useCallback(() => {
    frameRef.current = 0;
    const canvas = canvasRef.current;
    const latest = paramsRef.current;
    if (!canvas || !latest) {
      return;
    }
    const backingWidth = Math.max(1, Math.round(latest.width * latest.devicePixelRatio));
    const backingHeight = Math.max(1, Math.round(latest.height * latest.devicePixelRatio));
    if (canvas.width !== backingWidth) {
      canvas.width = backingWidth;
    }
    if (canvas.height !== backingHeight) {
      canvas.height = backingHeight;
    }
    const drawn = drawGrid(canvas.getContext('2d'), { ...latest, scrollTop: scrollTopRef.current ?? 0 });
    drawCountRef.current++;
    // Read by the browser tests to know a frame was painted and how much of the grid it covered.
    canvas.dataset.drawnCells = String(drawn);
    canvas.dataset.draws = String(drawCountRef.current);
  }, [canvasRef, scrollTopRef]);
  const scheduleDraw = useCallback(() => {
    if (frameRef.current === 0) {
      frameRef.current = requestAnimationFrame(drawFrame);
    }
  }, [drawFrame]);
  useEffect(() => () => cancelAnimationFrame(frameRef.current), []);
  useLayoutEffect(() => {
    paramsRef.current = params;
    scheduleDraw();
  });
  return scheduleDraw;
}
