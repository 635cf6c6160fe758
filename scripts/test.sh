#!/usr/bin/env bash
# The whole test suite: client dependencies, build, then every test file.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh
# The type-check (src, and the tests and benchmarks, which tsx runs without checking) beside the bundle and
# the console's build: one core each, where `npm run build` then the check took 80 s one after the other.
npx tsc -p tsconfig.check.json &
check=$!
npm run build:bundle --silent
wait "$check"

# Every tier (test/tiers.ts): static, fast, client, slow; failures are repeated at the end.
exec node --import tsx scripts/test-run.ts all "$@"
