/**
 * Helpers for the static checks of what FluxGrid ships to users: docker-compose.yaml,
 * provisioning/, src/dashboards/, deploy/ and the built dist/.
 */
import { execFileSync, spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

export const ROOT = path.resolve(__dirname, '..', '..');
export const DASHBOARDS_DIR = path.join(ROOT, 'src', 'dashboards');
export const PROVISIONING_DIR = path.join(ROOT, 'provisioning');

export function repoPath(...parts: string[]): string {
  return path.join(ROOT, ...parts);
}

export function readText(file: string): string {
  return fs.readFileSync(path.isAbsolute(file) ? file : repoPath(file), 'utf8');
}

export function readYaml<T = any>(file: string): T {
  return parseYaml(readText(file), { prettyErrors: true }) as T;
}

/** Every YAML document of a file, failing on the first syntax error. */
export function readYamlDocuments(file: string): any[] {
  return parseAllDocuments(readText(file)).map((doc) => {
    if (doc.errors.length > 0) {
      throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    }
    return doc.toJS();
  });
}

export function readJson<T = any>(file: string): T {
  return JSON.parse(readText(file)) as T;
}

/** Files under a directory (recursive), relative to the repository root, sorted. */
export function listFiles(dir: string, filter: (file: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = path.join(abs, entry.name);
      if (entry.isDirectory()) {
        walk(child);
      } else if (filter(child)) {
        out.push(path.relative(ROOT, child));
      }
    }
  };
  if (fs.existsSync(dir)) {
    walk(dir);
  }
  return out.sort();
}

export function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** A tool the project's scripts/setup.sh installs: fail with what to do when it is missing. */
export function requireCommand(command: string): void {
  if (!commandExists(command)) {
    throw new Error(`${command} is not installed: run \`bash scripts/setup.sh\` (installs it from apt)`);
  }
}

/** `docker-compose config` of the repository's compose file: the resolved model, as a parsed object. */
export function resolvedCompose(env: Record<string, string> = {}): any {
  requireCommand('docker-compose');
  const out = execFileSync('docker-compose', ['-f', 'docker-compose.yaml', 'config'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return parseYaml(out);
}

export { freePort } from '../harness/prometheus';

/**
 * Reads until `ok` holds or `seconds` pass, then returns the last reading (the test's assertion
 * says what was wrong with it): for a live fleet that has not reached the asked-for state yet.
 */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, seconds = 60): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    value = await read();
  }
  return value;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 250
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Dashboards
// ---------------------------------------------------------------------------------------------

export interface DashboardFile {
  file: string;
  json: any;
}

export function loadDashboards(): DashboardFile[] {
  return listFiles(DASHBOARDS_DIR, (f) => f.endsWith('.json')).map((file) => ({ file, json: readJson(file) }));
}

/** All panels, including those nested in collapsed rows. */
export function allPanels(dashboard: any): any[] {
  const out: any[] = [];
  for (const panel of dashboard.panels ?? []) {
    out.push(panel);
    for (const nested of panel.panels ?? []) {
      out.push(nested);
    }
  }
  return out;
}

export interface DatasourceRef {
  where: string;
  ref: any;
}

/** Every datasource reference in a dashboard: panels, targets, variables, annotations. */
export function datasourceRefs(dashboard: any): DatasourceRef[] {
  const refs: DatasourceRef[] = [];
  for (const panel of allPanels(dashboard)) {
    const where = `panel "${panel.title ?? panel.id}"`;
    if (panel.datasource !== undefined && panel.datasource !== null) {
      refs.push({ where, ref: panel.datasource });
    }
    for (const target of panel.targets ?? []) {
      if (target.datasource !== undefined && target.datasource !== null) {
        refs.push({ where: `${where} target ${target.refId}`, ref: target.datasource });
      }
    }
  }
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.datasource !== undefined && variable.datasource !== null) {
      refs.push({ where: `variable $${variable.name}`, ref: variable.datasource });
    }
  }
  for (const annotation of dashboard.annotations?.list ?? []) {
    if (annotation.datasource !== undefined && annotation.datasource !== null) {
      refs.push({ where: `annotation "${annotation.name}"`, ref: annotation.datasource });
    }
  }
  return refs;
}

/** `${name}`, `$name` or `[[name]]` when the whole string is one variable reference. */
export function variableName(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const m = /^\$\{([A-Za-z0-9_]+)(?::[a-z]+)?\}$|^\$([A-Za-z0-9_]+)$|^\[\[([A-Za-z0-9_]+)\]\]$/.exec(value);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

export interface PromQuery {
  dashboard: string;
  where: string;
  expr: string;
  /** Prometheus datasource variable or uid the query goes to. */
  datasourceUid?: string;
}

/** PromQL of every Prometheus target and Prometheus query variable of a dashboard. */
export function prometheusQueries(dashboard: DashboardFile): PromQuery[] {
  const promVars = new Set(
    (dashboard.json.templating?.list ?? [])
      .filter((v: any) => v.type === 'datasource' && v.query === 'prometheus')
      .map((v: any) => v.name)
  );
  const isProm = (ref: any) => ref && (ref.type === 'prometheus' || promVars.has(variableName(ref.uid) ?? ''));
  const out: PromQuery[] = [];
  for (const panel of allPanels(dashboard.json)) {
    for (const target of panel.targets ?? []) {
      const ref = target.datasource ?? panel.datasource;
      if (isProm(ref) && typeof target.expr === 'string' && !target.hide) {
        out.push({ dashboard: dashboard.file, where: `panel "${panel.title}" ${target.refId}`, expr: target.expr });
      }
    }
  }
  for (const variable of dashboard.json.templating?.list ?? []) {
    if (variable.type === 'query' && isProm(variable.datasource)) {
      const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
      out.push({ dashboard: dashboard.file, where: `variable $${variable.name}`, expr: query });
    }
  }
  return out;
}

/** Range selectors `[...]` in a PromQL expression (subqueries included). */
export function rangeSelectors(expr: string): string[] {
  return Array.from(expr.matchAll(/\[([^\]]+)\]/g), (m) => m[1]);
}
