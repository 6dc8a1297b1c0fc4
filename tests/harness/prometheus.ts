/**
 * Starts a real Prometheus (the Debian package's binary, see scripts/setup.sh) for tests and
 * benchmarks: own temp dir, free loopback port, optional OpenMetrics history backfilled with
 * `promtool tsdb create-blocks-from openmetrics` before start, optional scrape targets.
 *
 * Readiness is polled (`/-/ready`, then a trivial query), never slept for. A Prometheus that
 * exits or does not answer in time is reported with the tail of its log. Every server started here
 * is killed (by PID) when the test process exits, even if a test forgets `stop()`.
 */
import { execFile, spawn, type ChildProcess } from 'child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

import { killAndWait, tailOf, track, untrack } from './processes';
import { ruleGroupFiles } from './ruleGroups';
import { engineOf, startVictoriaMetrics } from './victoria-metrics';

export interface StartPrometheusOptions {
  /** OpenMetrics history to backfill (several texts: backfilled one after another). */
  openMetrics?: string | string[];
  /**
   * OpenMetrics files the caller already wrote (histories larger than one JS string: V8 strings
   * stop at ~512 MB), backfilled after `openMetrics` and left where they are (the caller removes them).
   */
  openMetricsFiles?: string[];
  /** host:port or URLs to scrape (`/metrics`), with honor_labels: true (see simulator/README.md). */
  scrapeTargets?: string[];
  scrapeIntervalSeconds?: number;
  /** More command line flags, e.g. `--web.enable-admin-api`. */
  extraArgs?: string[];
  /** Replaces the generated prometheus.yml entirely. */
  config?: string;
  /** Rule files to load (copied into the temp dir). */
  ruleFiles?: string[];
  /**
   * Recording rules to backfill over [startS, endS] from the history (`promtool tsdb
   * create-blocks-from rules` against this Prometheus, which is then restarted on the same TSDB
   * with the recorded blocks), one group after another (ruleGroups.ts): what Prometheus would have
   * recorded, had it evaluated them then.
   */
  backfillRules?: { files: string[]; startS: number; endS: number };
  /** Give up after this long (default 60 s), including the backfill. */
  timeoutMs?: number;
}

export interface PrometheusServer {
  /** http://127.0.0.1:PORT */
  url: string;
  pid: number;
  /** The TSDB directory (inside the temp dir). */
  dataDir: string;
  /** The whole temp dir (config, log, data). */
  workDir: string;
  /** Milliseconds spent in promtool backfill (history, recording rules) and from spawn to ready (for benchmarks). */
  timings: { backfillMs: number; rulesBackfillMs: number; startToReadyMs: number };
  /** Last lines of Prometheus' log. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? 'promtool';

/** A free loopback port: bind port 0, read it, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function run(command: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const why =
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? `${command} not found (run scripts/setup.sh)`
            : error.message;
        reject(new Error(`${command} ${args.join(' ')} failed: ${why}\n${tailOf(`${stdout}\n${stderr}`, 20)}`));
        return;
      }
      resolve({ stdout, stderr });
    });
  });
}

/**
 * Evaluates recording rules over [startS, endS] against a running Prometheus (at the rules' own
 * interval) and moves the blocks promtool writes into `dataDir`.
 */
async function backfillRecordingRules(
  url: string,
  rules: { files: string[]; startS: number; endS: number },
  workDir: string,
  dataDir: string,
  deadline: number
): Promise<void> {
  const outDir = path.join(workDir, 'rule-blocks');
  mkdirSync(outDir, { recursive: true });
  await run(
    PROMTOOL_BIN,
    [
      'tsdb',
      'create-blocks-from',
      'rules',
      '--quiet',
      `--url=${url}`,
      `--start=${rules.startS}`,
      `--end=${rules.endS}`,
      `--output-dir=${outDir}`,
      ...rules.files,
    ],
    Math.max(1000, deadline - Date.now())
  );
  for (const block of readdirSync(outDir)) {
    renameSync(path.join(outDir, block), path.join(dataDir, block));
  }
}

/** Writes OpenMetrics text to a file and turns it into TSDB blocks in `dataDir`. */
export async function backfillOpenMetrics(
  text: string,
  file: string,
  dataDir: string,
  timeoutMs: number
): Promise<void> {
  writeFileSync(file, text);
  await run(PROMTOOL_BIN, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, dataDir], timeoutMs);
  rmSync(file, { force: true });
}

function scrapeConfig(options: StartPrometheusOptions, ruleFiles: string[]): string {
  const interval = `${options.scrapeIntervalSeconds ?? 15}s`;
  const lines = ['global:', `  scrape_interval: ${interval}`, `  evaluation_interval: ${interval}`];
  if (ruleFiles.length > 0) {
    lines.push('rule_files:', ...ruleFiles.map((f) => `  - ${JSON.stringify(f)}`));
  }
  const targets = (options.scrapeTargets ?? []).map((t) =>
    t
      .replace(/^https?:\/\//, '')
      .replace(/\/metrics$/, '')
      .replace(/\/$/, '')
  );
  if (targets.length > 0) {
    lines.push(
      'scrape_configs:',
      '  - job_name: fluxgrid-simulator',
      // The simulator exposes the final labels (job, instance, pod, namespace, exported_namespace).
      '    honor_labels: true',
      `    scrape_interval: ${interval}`,
      '    static_configs:',
      `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`
    );
  }
  return lines.join('\n') + '\n';
}

async function waitUntilReady(
  url: string,
  child: ChildProcess,
  deadline: number,
  logTail: () => string
): Promise<void> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = signal ? `killed by ${signal}` : `exited with code ${code}`;
  });
  const probe = async (pathAndQuery: string, accept: (body: string) => boolean) => {
    for (;;) {
      if (exited) {
        throw new Error(`Prometheus ${exited} before it was ready. Log tail:\n${logTail()}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`Prometheus was not ready in time at ${url}. Log tail:\n${logTail()}`);
      }
      try {
        const response = await fetch(`${url}${pathAndQuery}`, { signal: AbortSignal.timeout(2000) });
        if (response.ok && accept(await response.text())) {
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await probe('/-/ready', () => true);
  await probe('/api/v1/query?query=1', (body) => body.includes('"status":"success"'));
}

/** Starts Prometheus; resolves once it answers queries. */
export async function startPrometheus(options: StartPrometheusOptions = {}): Promise<PrometheusServer> {
  // FLUXGRID_ENGINE=victoria-metrics: the same tests against VictoriaMetrics (victoria-metrics.ts).
  if (engineOf() === 'victoria-metrics') {
    return startVictoriaMetrics(options);
  }
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'fluxgrid-prometheus-'));
  const dataDir = path.join(workDir, 'data');
  const logFile = path.join(workDir, 'prometheus.log');
  const cleanup = () => rmSync(workDir, { recursive: true, force: true });
  try {
    const backfillStart = Date.now();
    const histories = options.openMetrics === undefined ? [] : ([] as string[]).concat(options.openMetrics);
    for (let i = 0; i < histories.length; i++) {
      await backfillOpenMetrics(
        histories[i],
        path.join(workDir, `history-${i}.om`),
        dataDir,
        Math.max(1000, deadline - Date.now())
      );
    }
    for (const file of options.openMetricsFiles ?? []) {
      await run(
        PROMTOOL_BIN,
        ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, dataDir],
        Math.max(1000, deadline - Date.now())
      );
    }
    const backfillMs = Date.now() - backfillStart;

    const ruleFiles = (options.ruleFiles ?? []).map((file, i) => {
      const copy = path.join(workDir, `rules-${i}-${path.basename(file)}`);
      writeFileSync(copy, readFileSync(file));
      return copy;
    });
    const configFile = path.join(workDir, 'prometheus.yml');
    writeFileSync(configFile, options.config ?? scrapeConfig(options, ruleFiles));

    const launch = async (): Promise<{ url: string; child: ChildProcess; startToReadyMs: number }> => {
      for (let attempt = 1; ; attempt++) {
        const port = await freePort();
        const url = `http://127.0.0.1:${port}`;
        const log = openSync(logFile, 'w');
        const spawnedAt = Date.now();
        const child = spawn(
          PROMETHEUS_BIN,
          [
            `--config.file=${configFile}`,
            `--storage.tsdb.path=${dataDir}`,
            `--web.listen-address=127.0.0.1:${port}`,
            // Scenario history may lie far in the past: never let retention delete it.
            '--storage.tsdb.retention.time=100y',
            ...(options.extraArgs ?? []),
          ],
          { stdio: ['ignore', log, log], detached: false }
        );
        closeSync(log);
        const spawnError = new Promise<never>((_, reject) =>
          child.once('error', (error: NodeJS.ErrnoException) =>
            reject(
              new Error(error.code === 'ENOENT' ? `${PROMETHEUS_BIN} not found (run scripts/setup.sh)` : error.message)
            )
          )
        );
        if (child.pid === undefined) {
          await spawnError;
        }
        track(child.pid!, workDir);
        try {
          await Promise.race([waitUntilReady(url, child, deadline, logTail), spawnError]);
        } catch (error) {
          await killAndWait(child);
          untrack(child.pid!);
          // Another process may have taken the port between freePort() and bind(): try once more.
          if (attempt < 3 && /address already in use/.test(logTail(50))) {
            continue;
          }
          throw error;
        }
        return { url, child, startToReadyMs: Date.now() - spawnedAt };
      }
    };
    const logTail = (lines = 30) => {
      try {
        return tailOf(readFileSync(logFile, 'utf8'), lines);
      } catch {
        return '(no log)';
      }
    };

    let server = await launch();
    let rulesBackfillMs = 0;
    if (options.backfillRules) {
      const rulesStart = Date.now();
      for (const group of ruleGroupFiles(options.backfillRules.files, workDir)) {
        await backfillRecordingRules(
          server.url,
          { ...options.backfillRules, files: [group] },
          workDir,
          dataDir,
          deadline
        );
        // Prometheus loads blocks written beside its own at start.
        await killAndWait(server.child);
        untrack(server.child.pid!);
        server = await launch();
      }
      rulesBackfillMs = Date.now() - rulesStart;
    }
    const { url, child, startToReadyMs } = server;
    const pid = child.pid!;
    return {
      url,
      pid,
      dataDir,
      workDir,
      timings: { backfillMs, rulesBackfillMs, startToReadyMs },
      logTail,
      async stop() {
        await killAndWait(child);
        untrack(pid);
        cleanup();
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** Runs an instant query; throws with Prometheus' error text. */
export async function queryPrometheus(
  url: string,
  query: string,
  timeSeconds?: number
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const params = new URLSearchParams({ query });
  if (timeSeconds !== undefined) {
    params.set('time', String(timeSeconds));
  }
  const response = await fetch(`${url}/api/v1/query?${params}`);
  const body = (await response.json()) as { status: string; error?: string; data?: { result: never[] } };
  if (body.status !== 'success') {
    throw new Error(`query ${query} failed: ${body.error}`);
  }
  return body.data!.result;
}
