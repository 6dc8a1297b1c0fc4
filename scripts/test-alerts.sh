#!/usr/bin/env bash
# Checks and unit-tests the alert rules in alerts/ with promtool (from apt: scripts/setup.sh).
#
# Counting: every rule file that `promtool check rules` accepts counts 1 passed (else 1 failed),
# and every test group (an entry of `tests:` in alerts/*.test.yaml) counts 1 passed, or 1 failed
# when promtool reports any failing eval in it (a test file that does not load fails all its
# groups). The last line is `alerts: N passed, M failed` for scripts/test.sh to sum.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
if ! command -v promtool >/dev/null; then
  echo "test-alerts: promtool not found (run scripts/setup.sh)" >&2
  echo "alerts: 0 passed, 1 failed"
  exit 1
fi

shopt -s nullglob
for rules in alerts/*.yaml; do
  case "$rules" in *.test.yaml) continue ;; esac
  if promtool check rules "$rules"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done

for tests in alerts/*.test.yaml; do
  groups=$(grep -cE '^  - name:' "$tests")
  output=$(cd "$(dirname "$tests")" && promtool test rules "$(basename "$tests")" 2>&1)
  status=$?
  echo "$output"
  if [ $status -eq 0 ]; then
    passed=$((passed + groups))
    continue
  fi
  # promtool prints "name: <group name>," once per failing eval: count distinct groups.
  bad=$(printf '%s\n' "$output" | sed -nE 's/^ +name: (.*),$/\1/p' | sort -u | wc -l)
  if [ "$bad" -eq 0 ] || [ "$bad" -gt "$groups" ]; then
    bad=$groups # the file did not load (or the output was not understood): every group failed
  fi
  passed=$((passed + groups - bad))
  failed=$((failed + bad))
done

echo "alerts: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
