/**
 * What Grafana's plugin validator (@grafana/plugin-validator) checks before a catalog review, asserted
 * against the built dist/. The validator itself downloads a Go binary at first run, which this
 * machine cannot do, so its checks are restated here.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import semver from 'semver';

import { listFiles, readJson, readText, repoPath, ROOT } from './lib';

const DIST = repoPath('dist');
const ID_PATTERN = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/;
const MIN_GRAFANA = '12.3.0';

/**
 * Why dist/ does not reflect the sources these checks are about (metadata, dashboards, README,
 * CHANGELOG, LICENSE), or undefined when it does. Contents are compared, not times: webpack
 * leaves unchanged files untouched.
 */
function staleness(): string | undefined {
  if (!fs.existsSync(path.join(DIST, 'plugin.json'))) {
    return 'dist/plugin.json is missing';
  }
  for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE']) {
    const built = path.join(DIST, file);
    if (!fs.existsSync(built) || fs.readFileSync(built, 'utf8') !== readText(file)) {
      return `dist/${file} differs from ${file}`;
    }
  }
  const sources = listFiles(
    repoPath('src'),
    (f) => path.basename(f) === 'plugin.json' || /src\/dashboards\/[^/]+\.json$/.test(f)
  );
  for (const source of sources) {
    const built = path.join(DIST, path.relative('src', source));
    if (!fs.existsSync(built)) {
      return `${path.relative(ROOT, built)} is missing`;
    }
    const expected = readJson(source);
    const actual = JSON.parse(fs.readFileSync(built, 'utf8'));
    if (actual.info && expected.info) {
      // The build fills in %VERSION% and %TODAY%.
      actual.info.version = expected.info.version;
      actual.info.updated = expected.info.updated;
    }
    // ...and records the build mode (.config/webpack/BuildModeWebpackPlugin.ts).
    delete actual.buildMode;
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      return `${path.relative(ROOT, built)} differs from ${source}`;
    }
  }
  return undefined;
}

/**
 * Build dist/ when it is missing or stale. `npm test` builds before jest, so there this is a
 * no-op; it matters when this file is run alone.
 */
function ensureFreshDist(): void {
  const why = staleness();
  if (why === undefined) {
    return;
  }
  try {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe', timeout: 600_000 });
  } catch (error: any) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`${why}, and \`npm run build\` failed:\n${output}`);
  }
  const still = staleness();
  if (still !== undefined) {
    throw new Error(`after \`npm run build\`: ${still}`);
  }
}

function sentences(text: string): number {
  return text
    .trim()
    .split(/(?<=[.!?])\s+/)
    .filter((s) => s.length > 0).length;
}

/** The app's plugin.json and every nested plugin.json in dist/, relative to dist/. */
function distPluginJsons(): string[] {
  return listFiles(DIST, (f) => path.basename(f) === 'plugin.json').map((f) => path.relative('dist', f));
}

describe('catalog readiness (plugin validator checks, against dist/)', () => {
  let app: any;
  let nested: Array<{ file: string; json: any }>;
  const packageVersion: string = readJson('package.json').version;

  beforeAll(() => {
    ensureFreshDist();
    app = readJson('dist/plugin.json');
    nested = distPluginJsons()
      .filter((f) => f !== 'plugin.json')
      .map((file) => ({ file, json: readJson(path.join('dist', file)) }));
  }, 600_000);

  const everyPlugin = () => [{ file: 'plugin.json', json: app }, ...nested];

  it('the root plugin is an app whose id and type agree', () => {
    expect(app.type).toBe('app');
    expect(app.id).toMatch(ID_PATTERN);
    expect(app.id.endsWith('-app')).toBe(true);
  });

  it('every plugin id matches the catalog pattern and ends with its type', () => {
    for (const { file, json } of everyPlugin()) {
      expect({ file, id: json.id }).toEqual({ file, id: expect.stringMatching(ID_PATTERN) });
      expect({ file, suffix: json.id.split('-').pop() }).toEqual({ file, suffix: json.type });
    }
  });

  it('all plugins share the organisation prefix of the app', () => {
    const org = app.id.split('-')[0];
    for (const { json } of nested) {
      expect(json.id.split('-')[0]).toBe(org);
    }
  });

  it('the app declares every nested plugin in includes (type and path)', () => {
    const includes = app.includes.filter((i: any) => i.type !== 'dashboard' && i.type !== 'page');
    const declared = includes.map((i: any) => ({ type: i.type, path: i.path }));
    const built = nested.map(({ file, json }) => ({ type: json.type, path: file }));
    expect(declared.sort((a: any, b: any) => a.path.localeCompare(b.path))).toEqual(
      built.sort((a, b) => a.path.localeCompare(b.path))
    );
    expect(nested.map((n) => n.json.type).sort()).toEqual(['datasource', 'panel']);
  });

  it('every included dashboard is in dist/ with a uid and a title', () => {
    const dashboards = app.includes.filter((i: any) => i.type === 'dashboard');
    expect(dashboards.length).toBeGreaterThanOrEqual(2);
    for (const include of dashboards) {
      const json = readJson(path.join('dist', include.path));
      expect(json.uid).toBeTruthy();
      expect(json.title).toBeTruthy();
      expect(include.name).toBeTruthy();
    }
  });

  it.each(['name', 'description', 'keywords', 'author', 'logos', 'links', 'version', 'updated'])(
    'every plugin has info metadata: %s',
    (key) => {
      for (const { file, json } of everyPlugin()) {
        const info = key === 'name' ? json : json.info;
        expect({ file, present: info?.[key] !== undefined && info?.[key] !== '' }).toEqual({ file, present: true });
      }
    }
  );

  it('descriptions are at most two sentences, names human-readable, keywords present', () => {
    for (const { file, json } of everyPlugin()) {
      expect({ file, sentences: sentences(json.info.description) <= 2 }).toEqual({ file, sentences: true });
      expect(json.info.description.length).toBeGreaterThan(20);
      expect(json.name).not.toMatch(/^[a-z0-9-]+$/);
      expect(json.name).not.toMatch(/template/i);
      expect(json.info.keywords.length).toBeGreaterThanOrEqual(3);
      expect(json.info.author.name).toBeTruthy();
    }
  });

  it('the app has links with names and http(s) urls', () => {
    expect(app.info.links.length).toBeGreaterThan(0);
    for (const { json } of everyPlugin()) {
      for (const link of json.info.links) {
        expect(link.name).toBeTruthy();
        expect(new URL(link.url).protocol).toMatch(/^https?:$/);
      }
    }
  });

  it('logos and screenshots exist in dist/', () => {
    for (const { file, json } of everyPlugin()) {
      const dir = path.join(DIST, path.dirname(file));
      for (const logo of [json.info.logos.small, json.info.logos.large]) {
        expect({ file, logo, exists: fs.existsSync(path.join(dir, logo)) }).toEqual({ file, logo, exists: true });
      }
      for (const shot of json.info.screenshots ?? []) {
        expect(shot.name).toBeTruthy();
        expect({ file, shot: shot.path, exists: fs.existsSync(path.join(dir, shot.path)) }).toEqual({
          file,
          shot: shot.path,
          exists: true,
        });
      }
    }
  });

  // Catalog review asks for at least one screenshot; the browser tests write them to src/img/screenshots.
  it('the app lists screenshots, including every image in src/img/screenshots', () => {
    const listed = (app.info.screenshots ?? []).map((s: { path: string }) => path.join('src', s.path));
    expect(listed.length).toBeGreaterThanOrEqual(1);
    for (const image of listFiles(repoPath('src', 'img', 'screenshots'), (f) => /\.(png|jpe?g|gif|webp)$/.test(f))) {
      expect(listed).toContain(image);
    }
  });

  it('versions are filled in and equal package.json; updated is a date', () => {
    expect(semver.valid(packageVersion)).toBe(packageVersion);
    for (const { file, json } of everyPlugin()) {
      expect({ file, version: json.info.version }).toEqual({ file, version: packageVersion });
      expect(json.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(fs.readFileSync(path.join(DIST, 'plugin.json'), 'utf8')).not.toMatch(/%VERSION%|%TODAY%/);
  });

  it('grafanaDependency is >=12.3.0-0 (with the -0 suffix) on every plugin', () => {
    for (const { file, json } of everyPlugin()) {
      const dependency: string = json.dependencies?.grafanaDependency;
      expect({ file, dependency }).toEqual({ file, dependency: expect.stringMatching(/^>=\d+\.\d+\.\d+-0$/) });
      expect(semver.minVersion(dependency)!.version.replace(/-0$/, '')).toBe(MIN_GRAFANA);
    }
  });

  it('ships module.js with its source map for every plugin', () => {
    for (const { file } of everyPlugin()) {
      const dir = path.join(DIST, path.dirname(file));
      expect({ file, js: fs.existsSync(path.join(dir, 'module.js')) }).toEqual({ file, js: true });
      expect({ file, map: fs.existsSync(path.join(dir, 'module.js.map')) }).toEqual({ file, map: true });
    }
  });

  it('README.md in dist/ is written for users, not the template', () => {
    const readme = fs.readFileSync(path.join(DIST, 'README.md'), 'utf8');
    expect(readme).toBe(readText('README.md'));
    expect(readme).not.toMatch(/Grafana app plugin template|This template is a starting point|npm run server/);
    expect(readme).toMatch(/^# FluxGrid/m);
    expect(readme).toMatch(/docker compose up/);
    expect(readme.length).toBeGreaterThan(3000);
  });

  it('CHANGELOG.md in dist/ has an entry for this version', () => {
    const changelog = fs.readFileSync(path.join(DIST, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(new RegExp(`^## \\[?${packageVersion.replace(/\./g, '\\.')}\\]?`, 'm'));
  });

  it('LICENSE in dist/ is Apache-2.0, as package.json says', () => {
    expect(readJson('package.json').license).toBe('Apache-2.0');
    expect(fs.readFileSync(path.join(DIST, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
  });
});
