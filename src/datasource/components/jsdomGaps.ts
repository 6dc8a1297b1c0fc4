/**
 * Browser APIs jsdom lacks that Grafana's pickers call while rendering (tests only; the browser
 * tests run the same editors in Chromium): a canvas to measure text, and IntersectionObserver.
 */
export function fillJsdomGaps(): void {
  Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', {
    configurable: true,
    value: () => ({ font: '', measureText: (text: string) => ({ width: text.length * 7 }) }),
  });
  class NoIntersections {
    readonly root = null;
    readonly rootMargin = '';
    readonly thresholds = [];
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  }
  Object.defineProperty(window, 'IntersectionObserver', { configurable: true, value: NoIntersections });
}
