/**
 * @jest-environment jsdom
 */
// jsdom because @grafana/data (createTheme, rangeUtil) reads `window` when loaded.

/**
 * Status panel hot path at fleet scale: reading frames, the view model (filter/sort/group), the
 * layout pass, hit-testing and one draw of the viewport against a fake 2D context that counts
 * calls. Prints figures; asserts nothing about time (real-Chromium frame timings live in
 * tests/browser).
 */
import { createTheme, DataFrame, FieldType } from '@grafana/data';

import { readFluxFrames, sortObjects } from '../src/flux';
import { drawGrid, GridContext } from '../src/panel/draw';
import { T_END } from '../src/panel/testing/fixtures';
import { moveFocus } from '../src/panel/focusMoves';
import { computeLayout, hitTest, visibleRowRanges } from '../src/panel/layout';
import { buildViewModel } from '../src/panel/model';
import { groupLevels } from '../src/panel/options';
import { createPalette } from '../src/panel/palette';

const KINDS = ['Kustomization', 'HelmRelease', 'GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart'];
const READY = ['True', 'True', 'True', 'True', 'True', 'True', 'True', 'False', 'Unknown'];

/** n flux_resource_info instant series, one frame each, as Grafana's Prometheus datasource returns them. */
function operatorFrames(n: number): DataFrame[] {
  const frames: DataFrame[] = [];
  for (let i = 0; i < n; i++) {
    const ready = READY[(i * 7) % READY.length];
    frames.push({
      length: 1,
      fields: [
        { name: 'Time', type: FieldType.time, config: {}, values: [T_END] },
        {
          name: 'Value',
          type: FieldType.number,
          config: {},
          values: [1],
          labels: {
            __name__: 'flux_resource_info',
            cluster: `cluster-${i % 4}`,
            kind: KINDS[i % KINDS.length],
            exported_namespace: `team-${(i >> 2) % 50}`,
            name: `app-${i}`,
            ready,
            reason: ready === 'False' ? 'BuildFailed' : ready === 'Unknown' ? 'Progressing' : 'ReconciliationSucceeded',
            suspended: i % 97 === 0 ? 'True' : 'False',
            revision: `main@sha1:${(i * 2654435761).toString(16)}`,
          },
        },
      ],
    });
  }
  return frames;
}

/** A plain object (not a Proxy) so the count itself costs about what a real call dispatch does. */
function countingContext() {
  const calls: Record<string, number> = {
    fillRect: 0,
    strokeRect: 0,
    stroke: 0,
    fill: 0,
    fillText: 0,
    moveTo: 0,
    lineTo: 0,
    arc: 0,
  };
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    lineCap: 'butt',
    lineJoin: 'miter',
    font: '',
    textAlign: 'start',
    textBaseline: 'alphabetic',
    setTransform() {},
    clearRect() {},
    beginPath() {},
    closePath() {},
    fillRect() {
      calls.fillRect++;
    },
    strokeRect() {
      calls.strokeRect++;
    },
    stroke() {
      calls.stroke++;
    },
    fill() {
      calls.fill++;
    },
    fillText() {
      calls.fillText++;
    },
    moveTo() {
      calls.moveTo++;
    },
    lineTo() {
      calls.lineTo++;
    },
    arc() {
      calls.arc++;
    },
  } as unknown as GridContext;
  return { ctx, calls };
}

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

describe('status panel at fleet scale', () => {
  const palette = createPalette(createTheme());
  const viewport = { width: 1200, height: 800 };

  for (const n of [10_000, 50_000]) {
    it(`${n} objects`, () => {
      const frames = operatorFrames(n);
      const heapBefore = process.memoryUsage().heapUsed;
      const [reading, readMs] = time(() => readFluxFrames(frames));
      expect(reading.objects).toHaveLength(n);

      const lines: string[] = [
        `\n== ${n} objects (${frames.length} frames) ==`,
        `readFluxFrames           ${ms(readMs)}`,
      ];
      for (const [label, groupBy, subGroupBy] of [
        ['ungrouped', 'none', 'none'],
        ['by cluster > kind', 'cluster', 'kind'],
        ['by namespace', 'namespace', 'none'],
      ] as const) {
        const input = {
          reading,
          hasData: true,
          filters: { states: [], search: '', problemsOnly: false, sortBy: 'severity' as const },
          levels: groupLevels({ groupBy, subGroupBy }),
          threshold: { ms: 600_000 },
          nowMs: T_END,
        };
        const [sorted, sortMs] = time(() => sortObjects(reading.objects, 'severity'));
        const [view, viewMs] = time(() => buildViewModel({ ...input, sorted }));
        const [, searchMs] = time(() =>
          buildViewModel({ ...input, sorted, filters: { ...input.filters, search: 'team-1' } })
        );
        for (const cellSize of [16, 8]) {
          const [layout, layoutMs] = time(() =>
            computeLayout({ objects: view.objects, groups: view.groups, width: viewport.width, cellSize })
          );
          const { ctx, calls } = countingContext();
          const scrolls = 20;
          let drawn = 0;
          const [, drawMs] = time(() => {
            for (let s = 0; s < scrolls; s++) {
              const scrollTop = ((layout.totalHeight - viewport.height) * s) / scrolls;
              drawn += drawGrid(ctx, {
                layout,
                scrollTop,
                ...viewport,
                devicePixelRatio: 2,
                palette,
                focusIndex: 5,
                hoverIndex: 6,
                showFocus: true,
                isSustained: view.isSustained,
              });
            }
          });
          let hits = 0;
          const [, hitMs] = time(() => {
            for (let i = 0; i < 100_000; i++) {
              hits += hitTest(layout, (i * 37) % viewport.width, (i * 7919) % layout.totalHeight) >= 0 ? 1 : 0;
            }
          });
          const [, keyMs] = time(() => {
            let index = 0;
            for (let i = 0; i < 10_000; i++) {
              index = moveFocus(layout, index, i % 3 === 0 ? 'ArrowDown' : 'ArrowRight');
            }
          });
          const inView = visibleRowRanges(layout, 0, viewport.height).reduce(
            (n, [first, last]) => n + last - first + 1,
            0
          );
          lines.push(
            `${label.padEnd(18)} cell ${String(cellSize).padStart(2)}px: sort ${ms(sortMs)}, view ${ms(viewMs)}, search keystroke ${ms(searchMs)}, layout ${ms(layoutMs)} ` +
              `(${layout.rows.length} rows, ${layout.columns} cols, ${layout.lanes.length} lanes, ${layout.totalHeight}px tall, ${inView} rows in view); ` +
              `draw ${ms(drawMs / scrolls)}/frame, ${Math.round(drawn / scrolls)} cells/frame, ` +
              `${Math.round(calls.fillRect / scrolls)} fillRect, ${Math.round(calls.stroke / scrolls)} stroke, ${Math.round(
                calls.fill / scrolls
              )} fill, ${Math.round(calls.fillText / scrolls)} fillText, ${Math.round((calls.moveTo + calls.lineTo + calls.arc) / scrolls)} path ops/frame; ` +
              `hit-test ${((hitMs * 1000) / 100_000).toFixed(2)} µs (${hits} hits), key move ${((keyMs * 1000) / 10_000).toFixed(2)} µs`
          );
        }
      }
      lines.push(
        `heap after reading + view + layout: +${mb(process.memoryUsage().heapUsed - heapBefore)} (no forced GC)`
      );
      console.log(lines.join('\n'));
    });
  }
});
