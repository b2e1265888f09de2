#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need, lints, type-checks, runs
# vitest, and ends with one plain line "N passed, N failed" taken from vitest's own JSON report.
set -euo pipefail
cd "$(dirname "$0")/.."

# 1. Node packages, exactly as locked.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

# 2. Debian packages the tests drive for real (Prometheus for the metrics readers, Chromium for the HTML report).
missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
# Chromium renders the HTML report in its test (headless, driven by playwright-core; never downloaded).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $(printf "%s\n" "${missing[@]}" | sort -u) >/dev/null
fi

# 3. Lint and types.
echo "== lint"
npx biome check .
npx tsc --noEmit

# 4. Tests.
echo "== vitest"
report=$(mktemp)
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + (r.numRuntimeErrorTestSuites ? 1 : 0)} failed`);
  if (r.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
' "$report" || status=1
rm -f "$report"
exit $status
