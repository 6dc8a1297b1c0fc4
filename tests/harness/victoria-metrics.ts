/**
 * Starts a real VictoriaMetrics single-node server (Debian's `victoria-metrics`, see
 * scripts/setup.sh) with the same interface as startPrometheus (tests/harness/prometheus.ts): own
 * temp dir, free loopback port, the same OpenMetrics history, imported through its
 * `/api/v1/import/prometheus` endpoint (timestamps rewritten from seconds to milliseconds) and
 * flushed before the first query. FLUXGRID_ENGINE=victoria-metrics makes startPrometheus start
 * this instead, so the datasource integration suite runs unchanged against a second engine.
 *
 * Flags, and why:
 * - `-search.latencyOffset=0s`: by default the newest 30 s are hidden from queries (for data still
 *   arriving); the history here is complete.
 * - `-search.disableCache`: its rollup cache assumes samples arrive in time order, not backfilled.
 * - `-retentionPeriod=100y`: scenario history lies in the past.
 * - `-search.maxQueryLen` stays at its default (16 KB): FluxGrid's queries must fit in it.
 * Recording rules to backfill are evaluated by `vmalert` in replay mode over the imported history
 * and written back (what vmalert would have recorded). Scrape targets and live rule files (vmagent /
 * vmalert) are not supported here: asked for, it throws.
 */
import { execFile, spawn, type ChildProcess } from 'child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

import { killAndWait, tailOf, track, untrack } from './processes';
import { freePort, type PrometheusServer, type StartPrometheusOptions } from './prometheus';
import { ruleGroupFiles } from './ruleGroups';

export const VICTORIA_METRICS_BIN = process.env.VICTORIA_METRICS_BIN ?? 'victoria-metrics';
export const VMALERT_BIN = process.env.VMALERT_BIN ?? 'vmalert';

/**
 * vmalert's replay: the rules evaluated over [startS, endS] against `url` at each group's interval,
 * the results written back to it.
 */
function replayRules(url: string, rules: { files: string[]; startS: number; endS: number }, timeoutMs: number) {
  const iso = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const args = [
    ...rules.files.map((file) => `-rule=${file}`),
    `-datasource.url=${url}`,
    `-remoteWrite.url=${url}`,
    `-replay.timeFrom=${iso(rules.startS)}`,
    `-replay.timeTo=${iso(rules.endS)}`,
    '-replay.disableProgressBar',
    // Its query step (default 5m) would step the replay past most changes: the rules' own interval.
    '-datasource.queryStep=0',
  ];
  return new Promise<void>((resolve, reject) =>
    execFile(VMALERT_BIN, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`vmalert replay failed: ${error.message}\n${tailOf(`${stdout}\n${stderr}`, 20)}`))
        : resolve()
    )
  );
}

/** The engine the integration tests run against (FLUXGRID_ENGINE), Prometheus by default. */
export function engineOf(env: NodeJS.ProcessEnv = process.env): 'prometheus' | 'victoria-metrics' {
  return env.FLUXGRID_ENGINE === 'victoria-metrics' ? 'victoria-metrics' : 'prometheus';
}

/**
 * OpenMetrics text (timestamps in seconds, `# EOF`) as the Prometheus text format VictoriaMetrics
 * imports (timestamps in milliseconds). The value and timestamp are the last two tokens: label
 * values may hold spaces, never after the closing brace.
 */
export function openMetricsToImport(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const m = /^(.*[^ ]) ([^ ]+) ([0-9.eE+-]+)$/.exec(line);
    out.push(m ? `${m[1]} ${m[2]} ${Math.round(Number(m[3]) * 1000)}` : line);
  }
  return out.join('\n') + '\n';
}

async function expectOk(response: Response, what: string): Promise<void> {
  if (!response.ok) {
    throw new Error(`VictoriaMetrics ${what}: HTTP ${response.status} ${await response.text()}`);
  }
}

async function waitUntilReady(url: string, child: ChildProcess, deadline: number, logTail: () => string) {
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = signal ? `killed by ${signal}` : `exited with code ${code}`;
  });
  for (;;) {
    if (exited) {
      throw new Error(`VictoriaMetrics ${exited} before it was ready. Log tail:\n${logTail()}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`VictoriaMetrics was not ready in time at ${url}. Log tail:\n${logTail()}`);
    }
    try {
      const response = await fetch(`${url}/api/v1/query?query=1`, { signal: AbortSignal.timeout(2000) });
      if (response.ok && (await response.text()).includes('"status":"success"')) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts VictoriaMetrics with the history imported; resolves once it answers queries over it. */
export async function startVictoriaMetrics(options: StartPrometheusOptions = {}): Promise<PrometheusServer> {
  if (
    options.scrapeTargets?.length ||
    options.ruleFiles?.length ||
    options.openMetricsFiles?.length ||
    options.config
  ) {
    throw new Error(
      'startVictoriaMetrics: scrape targets, rule files, OpenMetrics files and a Prometheus config are not supported (vmagent/vmalert); run this test on Prometheus'
    );
  }
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'fluxgrid-victoria-metrics-'));
  const dataDir = path.join(workDir, 'data');
  const logFile = path.join(workDir, 'victoria-metrics.log');
  const logTail = (lines = 30) => {
    try {
      return tailOf(readFileSync(logFile, 'utf8'), lines);
    } catch {
      return '(no log)';
    }
  };
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const log = openSync(logFile, 'w');
    const spawnedAt = Date.now();
    const child = spawn(
      VICTORIA_METRICS_BIN,
      [
        `-storageDataPath=${dataDir}`,
        `-httpListenAddr=127.0.0.1:${port}`,
        '-retentionPeriod=100y',
        '-search.latencyOffset=0s',
        '-search.disableCache',
        ...(options.extraArgs ?? []),
      ],
      { stdio: ['ignore', log, log] }
    );
    closeSync(log);
    const spawnError = new Promise<never>((_, reject) =>
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            error.code === 'ENOENT' ? `${VICTORIA_METRICS_BIN} not found (run scripts/setup.sh)` : error.message
          )
        )
      )
    );
    if (child.pid === undefined) {
      rmSync(workDir, { recursive: true, force: true });
      await spawnError;
    }
    const pid = child.pid!;
    track(pid, workDir);
    const stop = async () => {
      await killAndWait(child);
      untrack(pid);
      rmSync(workDir, { recursive: true, force: true });
    };
    try {
      await Promise.race([waitUntilReady(url, child, deadline, logTail), spawnError]);
      const startToReadyMs = Date.now() - spawnedAt;
      const importStart = Date.now();
      const histories = options.openMetrics === undefined ? [] : ([] as string[]).concat(options.openMetrics);
      for (const history of histories) {
        const response = await fetch(`${url}/api/v1/import/prometheus`, {
          method: 'POST',
          body: openMetricsToImport(history),
        });
        await expectOk(response, 'import');
      }
      // Imported samples become searchable after a flush (otherwise within seconds).
      await expectOk(await fetch(`${url}/internal/force_flush`), 'force_flush');
      const backfillMs = Date.now() - importStart;
      const rulesStart = Date.now();
      // Group by group (ruleGroups.ts), each searchable before the next reads it.
      for (const group of options.backfillRules ? ruleGroupFiles(options.backfillRules.files, workDir) : []) {
        await replayRules(url, { ...options.backfillRules!, files: [group] }, Math.max(1000, deadline - Date.now()));
        await expectOk(await fetch(`${url}/internal/force_flush`), 'force_flush');
      }
      const rulesBackfillMs = Date.now() - rulesStart;
      return {
        url,
        pid,
        dataDir,
        workDir,
        timings: { backfillMs, rulesBackfillMs, startToReadyMs },
        logTail,
        stop,
      };
    } catch (error) {
      await killAndWait(child);
      untrack(pid);
      if (attempt < 3 && /address already in use/.test(logTail(50))) {
        continue;
      }
      rmSync(workDir, { recursive: true, force: true });
      throw error;
    }
  }
}
