/**
 * Child processes the harness starts (Prometheus, VictoriaMetrics): killed with their work
 * directories removed if the test process exits without stopping them, and stopped gracefully.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

const running = new Map<number, string>();
let exitHookInstalled = false;

/** Kill `pid` and remove `workDir` should the test process exit first. */
export function track(pid: number, workDir: string): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const [runningPid, dir] of running) {
        tryKill(runningPid, 'SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
  running.set(pid, workDir);
}

/** Stopped (or gone): nothing left to clean up at exit. */
export function untrack(pid: number): void {
  running.delete(pid);
}

/** The last `lines` lines of a log. */
export function tailOf(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child exited. */
export function killAndWait(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.pid && tryKill(child.pid, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.pid) {
      tryKill(child.pid, 'SIGTERM');
    }
  });
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
