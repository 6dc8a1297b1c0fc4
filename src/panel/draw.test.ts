import { createTheme } from '@grafana/data';

import { fluxObject } from '../flux/testing/frames';
import { drawGrid, DrawParams, GridContext } from './draw';
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

  it('draws a sustained failure in its own style with a border, a fresh one plainly', () => {
    const { ctx, fills, calls } = recordingContext();
    drawGrid(ctx, params({}));
    expect(fills.find((f) => f.x === 8 && f.y === 8)?.style).toBe(palette.cells.Sustained.fill);
    expect(fills.find((f) => f.x === 26 && f.y === 8)?.style).toBe(palette.cells.Failed.fill);
    expect(palette.cells.Sustained.fill).not.toBe(palette.cells.Failed.fill);
    expect(calls.strokeRect).toBe(1); // the sustained border
  });

  it('offsets by the scroll position and rings the focused cell', () => {
    const { ctx, calls, fills } = recordingContext();
    drawGrid(ctx, params({ scrollTop: 26, focusIndex: 15, showFocus: true }));
    expect(fills[0].y).toBe(0);
    expect(calls.strokeRect).toBe(1); // focus ring only; the sustained cell scrolled away
  });
});
