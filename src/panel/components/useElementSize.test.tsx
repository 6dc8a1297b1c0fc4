import { act, cleanup, render } from '@testing-library/react';
import React, { useRef } from 'react';

import { Size, useElementSize } from './useElementSize';

/** What each render of the probe saw. */
let seen: Array<{ size: Size; measuring: boolean }> = [];
let observed: Array<() => void> = [];

function Probe({ width, height }: { width: number; height: number }) {
  const ref = useRef<HTMLDivElement | null>(null);
  seen.push(useElementSize(ref, { width: 10, height: 20 }));
  return (
    <div
      ref={(element) => {
        ref.current = element;
        if (element) {
          // jsdom lays nothing out: the size the browser would measure.
          Object.defineProperty(element, 'clientWidth', { configurable: true, value: width });
          Object.defineProperty(element, 'clientHeight', { configurable: true, value: height });
        }
      }}
    />
  );
}

describe('useElementSize', () => {
  const original = globalThis.ResizeObserver;
  beforeEach(() => {
    seen = [];
    observed = [];
    globalThis.ResizeObserver = class {
      constructor(private callback: () => void) {}
      observe() {
        observed.push(this.callback);
      }
      unobserve() {}
      disconnect() {}
    } as unknown as typeof ResizeObserver;
  });
  afterEach(() => {
    cleanup();
    globalThis.ResizeObserver = original;
  });

  it('says it is measuring only in the render before the first measurement', () => {
    render(<Probe width={300} height={200} />);
    expect(seen).toEqual([
      { size: { width: 10, height: 20 }, measuring: true },
      { size: { width: 300, height: 200 }, measuring: false },
    ]);
  });

  it('uses the fallback for an element measured with no size (a hidden panel), and its size once it has one', () => {
    const { rerender } = render(<Probe width={0} height={0} />);
    expect(seen.at(-1)).toEqual({ size: { width: 10, height: 20 }, measuring: false });
    rerender(<Probe width={400} height={100} />);
    act(() => observed.forEach((callback) => callback()));
    expect(seen.at(-1)).toEqual({ size: { width: 400, height: 100 }, measuring: false });
  });

  it('never measures without ResizeObserver (jsdom): the fallback, never measuring', () => {
    globalThis.ResizeObserver = undefined as unknown as typeof ResizeObserver;
    render(<Probe width={300} height={200} />);
    expect(seen).toEqual([{ size: { width: 10, height: 20 }, measuring: false }]);
  });
});
