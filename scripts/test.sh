#!/usr/bin/env bash
# Installs everything and runs every check: type-check, lint, the OpenAPI
# spec check, the whole Jest suite, with the database suites on SQLite and on
# the local PostgreSQL 15, the browser tests (Playwright in Chromium) and,
# last, the plugins installed into a fresh Backstage app (scripts/adopt.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh

echo "== install"
yarn install --immutable

echo "== PostgreSQL"
scripts/ensure-postgres.sh
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"

echo "== type-check"
# Also writes the packages' declarations to dist-types/ for the API reports;
# a full build, as an incremental one can order the members of inferred types
# differently.
yarn tsc --incremental false

echo "== API reports"
# Fails when a plugin package's public API differs from its checked-in
# report*.api.md: run `yarn build:api-reports` and commit the reports.
yarn build:api-reports:only --ci

echo "== lint"
yarn backstage-cli repo lint

echo "== OpenAPI spec"
node scripts/generate-openapi.js --check

echo "== tests"
# Every database suite records the databases it ran on, so a suite that
# silently skipped PostgreSQL fails the run instead of passing.
export FAILED_MESSAGES_DATABASE_LOG
FAILED_MESSAGES_DATABASE_LOG="$(mktemp)"
results="$(mktemp)"
status=0
CI=true yarn backstage-cli repo test --ci --json --outputFile="$results" || status=$?
if [ "$status" -ne 0 ]; then
  # Jest's console summary can lose a failure's message under load; the JSON
  # results keep it, so the run's log always says which test failed and why.
  node -e '
    const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    for (const file of r.testResults) {
      if (file.status === "failed" && file.assertionResults.every(a => a.status !== "failed")) {
        console.error(`FAILED SUITE ${file.name}\n${file.message}`);
      }
      for (const a of file.assertionResults.filter(a => a.status === "failed")) {
        console.error(`FAILED ${file.name} > ${a.fullName}\n${a.failureMessages.join("\n")}`);
      }
    }
  ' "$results" >&2 || true
  exit "$status"
fi

ran="$(sort -u "$FAILED_MESSAGES_DATABASE_LOG" | paste -sd, - | sed 's/,/, /g')"
rm -f "$FAILED_MESSAGES_DATABASE_LOG"
echo "database suites: ${ran:-none}"
for id in SQLITE_3 POSTGRES_15; do
  case ", $ran, " in
    *", $id, "*) ;;
    *) echo "error: no database suite ran on $id" >&2; exit 1 ;;
  esac
done

echo "== browser tests"
# The production build of the app in Debian's Chromium (scripts/e2e.sh).
scripts/e2e.sh

echo "== adopter install"
# A fresh Backstage app installs the plugins as their READMEs say, and a
# reported failure is retried on its page (scripts/adopt.sh).
scripts/adopt.sh

# Last, so it is the run's closing line.
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  if (r.numTotalTests === 0) { console.error("error: no test ran"); process.exit(1); }
' "$results"
rm -f "$results"
