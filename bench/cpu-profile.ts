/**
 * A Chromium CPU profile of one step of a browser benchmark (BENCH_PROFILE): written to
 * bench-results/<name>.cpuprofile (open it in Chrome DevTools) and summed up on stdout: the
 * functions with the most self time, and those of the code under study (`ours`) by inclusive time
 * (a function's callees counted once under recursion).
 */
import fs from 'node:fs';
import path from 'node:path';

import type { CDPSession } from 'playwright-core';

import { REPO } from '../tests/browser/support/host';

export async function profiled<T>(
  cdp: CDPSession,
  name: string,
  ours: (url: string) => boolean,
  run: () => Promise<T>
): Promise<T> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const result = await run();
  const { profile } = await cdp.send('Profiler.stop');
  const out = path.join(REPO, 'bench-results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, `${name}.cpuprofile`), JSON.stringify(profile));
  const ticks = new Map<number, number>();
  (profile.samples ?? []).forEach((id, i) => ticks.set(id, (ticks.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const whereOf = (id: number) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    return `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  for (const node of profile.nodes) {
    const where = whereOf(node.id);
    self.set(where, (self.get(where) ?? 0) + (ticks.get(node.id) ?? 0) / 1000);
  }
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parent.set(child, node.id);
    }
  }
  const inclusive = new Map<string, number>();
  for (const [id, us] of ticks) {
    const counted = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (!ours(byId.get(at)!.callFrame.url)) {
        continue;
      }
      const where = whereOf(at);
      if (!counted.has(where)) {
        counted.add(where);
        inclusive.set(where, (inclusive.get(where) ?? 0) + us / 1000);
      }
    }
  }
  const top = (times: Map<string, number>) =>
    [...times.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([where, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${where}`)
      .join('\n');
  process.stdout.write(
    `\nCPU profile ${name}: self time, top 30\n${top(self)}\nour functions, inclusive time, top 30\n${top(inclusive)}\n`
  );
  return result;
}
