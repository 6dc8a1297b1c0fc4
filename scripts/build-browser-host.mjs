#!/usr/bin/env node
/**
 * Builds the test-only "Grafana host" page (tests/browser/host/) that loads the BUILT dist/ plugin
 * modules with SystemJS the way Grafana does. Test infrastructure only: nothing here ships.
 *
 *   node scripts/build-browser-host.mjs          # build if needed; last stdout line = output dir
 *   node scripts/build-browser-host.mjs --force  # rebuild even when cached
 *   FLUXGRID_GRAFANA_LINE=12.3 node scripts/build-browser-host.mjs
 *
 * Grafana lines: the host bundles the shared modules (@grafana/*, React, rxjs…) a Grafana hands
 * its plugins, and a dashboard runtime (@grafana/scenes). FLUXGRID_GRAFANA_LINE picks whose: unset
 * (or "13.1") the repository's own node_modules (what the plugin builds against); "12.3" or "13.2"
 * the install in tests/browser/grafana/<line>/ (scripts/setup.sh: npm ci --prefix).
 *
 * The output is cached in .cache/browser-host/<line>-<hash>/ where the hash covers the line's
 * package-lock.json, the host sources and this script: a second run with nothing changed returns at
 * once. Concurrent runs (several jest workers) wait for one another through a lock directory.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const hostDir = path.join(repo, 'tests', 'browser', 'host');
const cacheRoot = path.join(repo, '.cache', 'browser-host');
const force = process.argv.includes('--force');

const line = process.env.FLUXGRID_GRAFANA_LINE || '13.1';
const lineDir = line === '13.1' ? repo : path.join(repo, 'tests', 'browser', 'grafana', line);
const lineModules = path.join(lineDir, 'node_modules');
if (!fs.existsSync(path.join(lineDir, 'package.json'))) {
  console.error(
    `FLUXGRID_GRAFANA_LINE=${line}: no ${path.relative(repo, lineDir)}/package.json (lines: 13.1, 12.3, 13.2)`
  );
  process.exit(2);
}
if (!fs.existsSync(path.join(lineModules, '@grafana', 'data'))) {
  console.error(
    `FLUXGRID_GRAFANA_LINE=${line}: ${path.relative(repo, lineModules)} is not installed: run scripts/setup.sh`
  );
  process.exit(2);
}
/** A file of the line's @grafana/runtime that Grafana's app imports from source, or the empty stand-in. */
function runtimeInternal(rel) {
  const file = path.join(lineModules, '@grafana', 'runtime', 'dist', 'esm', rel);
  return fs.existsSync(file) ? file : path.join(hostDir, 'absent.ts');
}

function hashInputs() {
  const hash = createHash('sha256');
  const files = [
    path.join(lineDir, 'package-lock.json'),
    fileURLToPath(import.meta.url),
    ...fs
      .readdirSync(hostDir)
      .filter((f) => /\.(tsx?|html|css)$/.test(f))
      .sort()
      .map((f) => path.join(hostDir, f)),
  ];
  hash.update(line);
  for (const file of files) {
    hash.update(path.relative(repo, file));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withLock(fn) {
  const lock = path.join(cacheRoot, '.lock');
  fs.mkdirSync(cacheRoot, { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') {
        throw e;
      }
      // A lock older than 10 minutes belongs to a build that died.
      const age = Date.now() - fs.statSync(lock).mtimeMs;
      if (age > 10 * 60 * 1000) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > 10 * 60 * 1000) {
        throw new Error(`timed out waiting for ${lock}`);
      }
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

async function build(outDir) {
  const { default: webpack } = await import('webpack');
  const tmpDir = `${outDir}.tmp-${process.pid}`;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  const config = {
    // Production: React's production build and Grafana's production code paths, like a real
    // Grafana. Minifying ~15 MB of @grafana/ui costs a minute and buys nothing here: skip it.
    mode: 'production',
    devtool: false,
    context: repo,
    entry: { host: path.join(hostDir, 'index.tsx') },
    output: { path: tmpDir, filename: '[name].js', publicPath: '/host/' },
    target: 'web',
    // Async chunks (lazy parts of @grafana/ui) go into the same bundle: one request, one file.
    optimization: { minimize: false, splitChunks: false, runtimeChunk: false, concatenateModules: true },
    performance: { hints: false },
    // Module-level cache for rebuilds after a host source change. Invalidated when this script
    // (the config) or package-lock.json changes.
    cache: {
      type: 'filesystem',
      cacheDirectory: path.join(cacheRoot, 'webpack-cache'),
      name: `line-${line}`,
      buildDependencies: { config: [fileURLToPath(import.meta.url), path.join(lineDir, 'package-lock.json')] },
    },
    resolve: {
      // The line's packages first, for every importer (one React, one @grafana/data in the page).
      modules: [lineModules, 'node_modules'],
      alias: {
        // Not in @grafana/runtime's package exports; see tests/browser/host/internals.d.ts.
        'grafana-runtime-internal/PanelDataErrorView$': runtimeInternal('components/PanelDataErrorView.mjs'),
        'grafana-runtime-internal/dataSourceSettings$': runtimeInternal('services/dataSource/settings.mjs'),
        'grafana-runtime-internal/dataSourceInstances$': runtimeInternal('services/dataSource/dataSource.mjs'),
        // An optional peer of @grafana/prometheus that only its query editor's assistant button uses.
        '@grafana/assistant$': false,
      },
      extensions: ['.tsx', '.ts', '.mjs', '.js', '.json'],
      // Some of Grafana's dependencies still import Node core modules: none is needed in a browser.
      fallback: { fs: false, path: false, os: false, crypto: false, stream: false, buffer: false, util: false },
    },
    module: {
      // Keep webpack's AMD handling ON: UMD libraries (lodash, …) inside the bundle must not see
      // the global `define` that SystemJS' AMD extra installs for plugins.
      rules: [
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
        // @grafana/plugin-compat feature-tests @grafana/runtime's exports (`typeof x === 'function'`)
        // so that one build runs on several Grafana lines: an export a line lacks is expected.
        { test: /[\\/]@grafana[\\/]plugin-compat[\\/]/, type: 'javascript/auto', parser: { exportsPresence: false } },
        {
          test: /\.tsx?$/,
          include: hostDir,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                target: 'es2022',
                parser: { syntax: 'typescript', tsx: true },
                transform: { react: { runtime: 'automatic' } },
              },
            },
          },
        },
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        { test: /\.(png|jpe?g|gif|svg|woff2?|ttf|eot)$/, type: 'asset/resource' },
      ],
    },
    plugins: [
      new webpack.DefinePlugin({
        'process.env.NODE_ENV': JSON.stringify('production'),
        // The Grafana release whose shared modules the page runs (bootData's buildInfo.version).
        __FLUXGRID_GRAFANA_VERSION__: JSON.stringify(
          JSON.parse(fs.readFileSync(path.join(lineModules, '@grafana', 'data', 'package.json'), 'utf8')).version
        ),
      }),
      new webpack.ProvidePlugin({ process: [path.join(hostDir, 'process-shim.ts'), 'default'] }),
      // The code editor (Monaco) is never rendered by the host: keep its ~10 MB out of the bundle.
      new webpack.IgnorePlugin({ resourceRegExp: /^monaco-editor$/ }),
    ],
    stats: 'errors-warnings',
  };
  const started = Date.now();
  await new Promise((resolve, reject) => {
    webpack(config, (err, stats) => {
      if (err) {
        return reject(err);
      }
      if (stats.hasErrors()) {
        return reject(new Error(stats.toString({ all: false, errors: true, errorDetails: true })));
      }
      resolve(stats);
    });
  });
  fs.copyFileSync(path.join(hostDir, 'index.html'), path.join(tmpDir, 'index.html'));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const size = (fs.statSync(path.join(tmpDir, 'host.js')).size / 1e6).toFixed(1);
  fs.writeFileSync(path.join(tmpDir, 'build-info.json'), JSON.stringify({ seconds: Number(seconds), size }, null, 2));
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.renameSync(tmpDir, outDir);
  console.error(`browser host: built in ${seconds} s (host.js ${size} MB) -> ${path.relative(repo, outDir)}`);
}

async function main() {
  const key = `${line}-${hashInputs()}`;
  const outDir = path.join(cacheRoot, key);
  const done = () => fs.existsSync(path.join(outDir, 'host.js')) && fs.existsSync(path.join(outDir, 'index.html'));
  if (force || !done()) {
    await withLock(async () => {
      if (force || !done()) {
        await build(outDir);
      }
    });
    // Old outputs (other hashes) are dead weight.
    for (const entry of fs.readdirSync(cacheRoot)) {
      if ((entry.startsWith(`${line}-`) || /^[0-9a-f]{16}$/.test(entry)) && entry !== key) {
        fs.rmSync(path.join(cacheRoot, entry), { recursive: true, force: true });
      }
    }
  }
  console.log(outDir);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
