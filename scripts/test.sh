#!/usr/bin/env bash
# The whole test suite: client dependencies, build, then every test file.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh
npm run build
# The tests and benchmarks are type-checked too: tsx runs them without checking.
npx tsc -p tsconfig.check.json

# Every tier (test/tiers.ts): static, fast, client, slow; failures are repeated at the end.
exec node --import tsx scripts/test-run.ts all
