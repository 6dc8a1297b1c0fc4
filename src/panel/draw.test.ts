import { createTheme } from '@grafana/data';

import { fluxObject } from '../flux/testing/frames';
import { drawGrid, DrawParams, GridContext, sustainedNotch } from './draw';
import { computeLayout } from './layout';
import { createPalette } from './palette';

/** Records calls and style assignments of a 2D context. */
export function recordingContext() {
  const calls: Record<string, number> = {};
  const fills: Array<{ style: string; x: number; y: number }> = [];
  const state: Record<string, unknown> = {};
  const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
  const ctx = new Proxy(state, {
    get(target, prop: string) {
      if (prop in target) {
        return target[prop];
      }
      return (...args: number[]) => {
        count(prop);
        if (prop === 'fillRect') {
          fills.push({ style: String(target.fillStyle), x: args[0], y: args[1] });
        }
      };
    },
    set(target, prop: string, value) {
      target[prop] = value;
      count(`set:${prop}`);
      return true;
    },
  }) as unknown as GridContext;
  return { ctx, calls, fills };
}

const theme = createTheme();
const palette = createPalette(theme);

function params(partial: Partial<DrawParams>): DrawParams {
  const objects = Array.from({ length: 100 }, (_, i) =>
    fluxObject({ name: `o${i}`, state: i === 0 ? 'Failed' : i === 1 ? 'Failed' : 'Ready', since: 0 })
  );
  return {
    layout: computeLayout({ objects, groups: [], width: 194, cellSize: 16 }),
    scrollTop: 0,
    width: 194,
    height: 60,
    devicePixelRatio: 2,
    palette,
    focusIndex: -1,
    hoverIndex: -1,
    showFocus: false,
    isSustained: (o) => o.name === 'o0',
    ...partial,
  };
}

describe('drawGrid', () => {
  it('tolerates a missing context (jsdom, context loss)', () => {
    expect(drawGrid(undefined, params({}))).toBe(0);
  });

  it('draws only the rows in the viewport, scaled for the device pixel ratio', () => {
    const { ctx, calls, fills } = recordingContext();
    // height 60 at pitch 18 from y=8: rows at 8, 26, 44 (and none from 62)
    expect(drawGrid(ctx, params({}))).toBe(30);
    expect(calls.setTransform).toBe(1);
    expect((ctx as any).fillStyle).toBeDefined();
    expect(fills.filter((f) => f.style === palette.cells.Ready.fill)).toHaveLength(28);
  });

  it('draws a sustained failure in its own style with a corner mark, a fresh one plainly', () => {
    const { ctx, fills, calls } = recordingContext();
    drawGrid(ctx, params({}));
    expect(fills.find((f) => f.x === 8 && f.y === 8)?.style).toBe(palette.cells.Sustained.fill);
    expect(fills.find((f) => f.x === 26 && f.y === 8)?.style).toBe(palette.cells.Failed.fill);
    expect(palette.cells.Sustained.fill).not.toBe(palette.cells.Failed.fill);
    // No outline (focus and hover are outlines): the mark is one filled corner per sustained cell.
    expect(calls.strokeRect).toBeUndefined();
    expect(calls.fill).toBeGreaterThanOrEqual(1);
  });

  it.each([6, 8, 12, 16, 24, 48])('keeps a sustained failure mostly red at %i px', (size) => {
    // The corner triangle covers notch²/2 of size²: the red fill stays above 90% of the cell.
    const notch = sustainedNotch(size);
    expect(notch).toBeGreaterThanOrEqual(2);
    expect((notch * notch) / 2 / (size * size)).toBeLessThanOrEqual(0.1);
    const objects = [fluxObject({ name: 'late', state: 'Failed', since: 0 })];
    const layout = computeLayout({ objects, groups: [], width: 200, cellSize: size });
    const { ctx, calls } = recordingContext();
    drawGrid(ctx, params({ layout, isSustained: () => true }));
    expect(calls.strokeRect).toBeUndefined();
  });

  it('draws Ready cells as plain fills and keeps glyphs for the states that need attention', () => {
    const ready = Array.from({ length: 10 }, (_, i) => fluxObject({ name: `r${i}`, state: 'Ready' }));
    const layout = computeLayout({ objects: ready, groups: [], width: 200, cellSize: 16 });
    const plain = recordingContext();
    drawGrid(plain.ctx, params({ layout }));
    expect(plain.calls.stroke).toBeUndefined();
    const failed = recordingContext();
    const failing = ready.map((o) => ({ ...o, state: 'Failed' as const }));
    drawGrid(failed.ctx, params({ layout: computeLayout({ objects: failing, groups: [], width: 200, cellSize: 16 }) }));
    expect(failed.calls.stroke).toBe(1);
  });

  it('offsets by the scroll position and rings the focused cell', () => {
    const { ctx, calls, fills } = recordingContext();
    drawGrid(ctx, params({ scrollTop: 26, focusIndex: 15, showFocus: true }));
    expect(fills[0].y).toBe(0);
    expect(calls.strokeRect).toBe(1); // focus ring only; the sustained cell scrolled away
  });
});
