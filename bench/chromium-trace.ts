/**
 * Where the wall time of one browser render goes, from a Chromium trace: the renderer's main
 * thread between two performance marks, by trace event (self time: an event's duration less its
 * children's), the time the main thread had no task (waiting for a frame, for another thread, for
 * the machine), and the busy time of the renderer's other threads (compositor, raster).
 * Used by bench/browser-panel.bench.ts (BENCH_TRACE=1).
 */
import type { Browser, Page } from 'playwright-core';

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
  'toplevel',
  'v8.execute',
  'v8',
  'blink',
  'cc',
  'gpu',
];

interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

export interface TraceBreakdown {
  windowMs: number;
  /** Main thread: time inside a task, and the time with no task running. */
  mainBusyMs: number;
  mainIdleMs: number;
  /** Main thread self time by event name, largest first. */
  mainSelf: Array<[string, number]>;
  /** Busy time of the renderer's other threads in the window, by thread name. */
  otherThreads: Array<[string, number]>;
}

/**
 * Traces `run`, then reads the window from the last performance mark (in the page) matching
 * `startMark` to the last matching `endMark`.
 */
export async function traced<T>(
  browser: Browser,
  page: Page,
  marks: { start: RegExp; end: RegExp },
  run: () => Promise<T>
): Promise<{ result: T; breakdown: TraceBreakdown }> {
  await browser.startTracing(page, { categories: CATEGORIES });
  const result = await run();
  const events: TraceEvent[] = JSON.parse((await browser.stopTracing()).toString('utf8')).traceEvents;
  const mark = (pattern: RegExp) => {
    const found = events.filter((e) => e.cat?.includes('user_timing') && pattern.test(e.name));
    if (found.length === 0) {
      throw new Error(`trace: no mark ${pattern}`);
    }
    return found[found.length - 1];
  };
  const start = mark(marks.start);
  const end = mark(marks.end);
  const pid = start.pid;
  const threadNames = new Map<number, string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && e.pid === pid) {
      threadNames.set(e.tid, e.args?.name ?? String(e.tid));
    }
  }
  const main = [...threadNames.entries()].find(([, name]) => name === 'CrRendererMain')?.[0];
  if (main === undefined) {
    throw new Error('trace: no renderer main thread');
  }
  const t0 = start.ts;
  const t1 = end.ts;
  const clip = (e: TraceEvent) => Math.max(0, Math.min(t1, e.ts + (e.dur ?? 0)) - Math.max(t0, e.ts));
  const byThread = new Map<number, TraceEvent[]>();
  for (const e of events) {
    if (e.pid === pid && e.ph === 'X' && (e.dur ?? 0) > 0 && e.ts < t1 && e.ts + e.dur! > t0) {
      const list = byThread.get(e.tid) ?? [];
      list.push(e);
      byThread.set(e.tid, list);
    }
  }
  // Self time per name: nested complete events on one thread, sorted by start (longer first).
  const selfTimes = (list: TraceEvent[]) => {
    const sorted = [...list].sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const self = new Map<string, number>();
    const stack: Array<{ e: TraceEvent; children: number }> = [];
    let topLevel = 0;
    const close = (frame: { e: TraceEvent; children: number }) => {
      self.set(frame.e.name, (self.get(frame.e.name) ?? 0) + Math.max(0, clip(frame.e) - frame.children));
      const parent = stack[stack.length - 1];
      if (parent) {
        parent.children += clip(frame.e);
      } else {
        topLevel += clip(frame.e);
      }
    };
    for (const e of sorted) {
      while (stack.length > 0 && stack[stack.length - 1].e.ts + stack[stack.length - 1].e.dur! <= e.ts) {
        close(stack.pop()!);
      }
      stack.push({ e, children: 0 });
    }
    while (stack.length > 0) {
      close(stack.pop()!);
    }
    return { self, topLevel };
  };
  const mainTimes = selfTimes(byThread.get(main) ?? []);
  const windowUs = t1 - t0;
  const ms = (us: number) => us / 1000;
  const breakdown: TraceBreakdown = {
    windowMs: ms(windowUs),
    mainBusyMs: ms(mainTimes.topLevel),
    mainIdleMs: ms(windowUs - mainTimes.topLevel),
    mainSelf: [...mainTimes.self.entries()]
      .map(([n, us]) => [n, ms(us)] as [string, number])
      .sort((a, b) => b[1] - a[1]),
    otherThreads: [...byThread.entries()]
      .filter(([tid]) => tid !== main)
      .map(([tid, list]) => [threadNames.get(tid) ?? String(tid), ms(selfTimes(list).topLevel)] as [string, number])
      .sort((a, b) => b[1] - a[1]),
  };
  return { result, breakdown };
}

export function formatBreakdown(name: string, b: TraceBreakdown, top = 15): string {
  const line = (label: string, v: number) => `| ${label} | ${v.toFixed(1)} |`;
  return [
    '',
    `Trace of one warm render, ${name}: ${b.windowMs.toFixed(1)} ms from root.render() to painted`,
    '| renderer main thread | ms |',
    '|---|---|',
    line('busy (in a task)', b.mainBusyMs),
    line('no task (waiting: next frame, other threads, the machine)', b.mainIdleMs),
    ...b.mainSelf.slice(0, top).map(([n, v]) => line(`self: ${n}`, v)),
    '',
    '| other renderer threads (busy in the window) | ms |',
    '|---|---|',
    ...b.otherThreads.slice(0, 6).map(([n, v]) => line(n, v)),
    '',
  ].join('\n');
}
