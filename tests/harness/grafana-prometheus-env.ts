/**
 * Lets `@grafana/data`, `@grafana/runtime` (and through it `@grafana/ui`) load in jest's **node**
 * environment. Test code only.
 *
 * Why: those packages touch browser globals at import time (`window.addEventListener` in
 * @grafana/data's Store, `document` in nano-css, `devicePixelRatio`/`matchMedia` and a
 * `dispatchEvent(new CustomEvent())` in uPlot). Integration tests must stay in the node
 * environment (real sockets, real processes, Node's own `fetch`), so instead of switching the
 * environment we give the process a jsdom window for the globals Node lacks.
 *
 * Import this module BEFORE any `@grafana/*` import (ES imports run in order).
 * It does nothing when a `window` already exists (jsdom test environment).
 */
import { JSDOM } from 'jsdom';

const g = globalThis as Record<string, unknown>;

if (typeof g.window === 'undefined') {
  const dom = new JSDOM('<!doctype html><html><body></body></html>', {
    url: 'http://localhost/',
    pretendToBeVisual: true,
  });
  const w = dom.window as unknown as Record<string, any>;
  for (const key of Object.getOwnPropertyNames(w)) {
    // Keep Node's own fetch, URL, AbortController, TextEncoder, timers...; but DOM events must be
    // jsdom's, or jsdom's dispatchEvent rejects them (uPlot dispatches one at import time).
    if (key in g && key !== 'Event' && key !== 'CustomEvent') {
      continue;
    }
    Object.defineProperty(g, key, {
      configurable: true,
      get: () => w[key],
      set: (v) => {
        w[key] = v;
      },
    });
  }
  // jsdom implements neither (same stubs as the scaffold's .config/jest-setup.js).
  w.matchMedia = (media: string) => ({
    matches: false,
    media,
    onchange: null,
    addListener() {},
    removeListener() {},
    addEventListener() {},
    removeEventListener() {},
    dispatchEvent: () => false,
  });
  Object.defineProperty(g, 'matchMedia', { configurable: true, get: () => w.matchMedia });
  w.HTMLCanvasElement.prototype.getContext = () => null;
}

export {};
