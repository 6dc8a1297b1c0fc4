#!/usr/bin/env node
/**
 * Builds the test-only "Grafana host" page (tests/browser/host/) that loads the BUILT dist/ plugin
 * modules with SystemJS the way Grafana does. Test infrastructure only: nothing here ships.
 *
 *   node scripts/build-browser-host.mjs          # build if needed; last stdout line = output dir
 *   node scripts/build-browser-host.mjs --force  # rebuild even when cached
 *
 * The output is cached in .cache/browser-host/<hash>/ where the hash covers package-lock.json, the
 * host sources and this script: a second run with nothing changed returns at once. Concurrent runs
 * (several jest workers) wait for one another through a lock directory.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const hostDir = path.join(repo, 'tests', 'browser', 'host');
const cacheRoot = path.join(repo, '.cache', 'browser-host');
const force = process.argv.includes('--force');

function hashInputs() {
  const hash = createHash('sha256');
  const files = [
    path.join(repo, 'package-lock.json'),
    fileURLToPath(import.meta.url),
    ...fs
      .readdirSync(hostDir)
      .filter((f) => /\.(tsx?|html|css)$/.test(f))
      .sort()
      .map((f) => path.join(hostDir, f)),
  ];
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
      buildDependencies: { config: [fileURLToPath(import.meta.url), path.join(repo, 'package-lock.json')] },
    },
    resolve: {
      alias: {
        // Not in @grafana/runtime's package exports; see tests/browser/host/internals.d.ts.
        'grafana-runtime-internal/PanelDataErrorView$': path.join(
          path.dirname(require.resolve('@grafana/runtime/package.json')),
          'dist/esm/components/PanelDataErrorView.mjs'
        ),
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
      new webpack.DefinePlugin({ 'process.env.NODE_ENV': JSON.stringify('production') }),
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
  const key = hashInputs();
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
      if (/^[0-9a-f]{16}$/.test(entry) && entry !== key) {
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
