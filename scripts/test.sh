#!/usr/bin/env bash
# The whole test suite: client dependencies, build, then every test file.
# Tests run one file at a time because each one starts its own server.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh
npm run build
# The tests and benchmarks are type-checked too: tsx runs them without checking.
npx tsc -p tsconfig.check.json

shopt -s globstar nullglob
files=(test/**/*.test.ts)
if ((${#files[@]} == 0)); then
  echo "test.sh: no test files found under test/" >&2
  exit 1
fi

log="$(mktemp -t polystack-test.XXXXXX)"
set +e
node --import tsx --test --test-concurrency=1 "${files[@]}" | tee "$log"
code=${PIPESTATUS[0]}
# CI keeps only the end of this output: repeat each failure there, with its location and error.
if ((code != 0)); then
  echo "test.sh: failing tests (exit $code):"
  awk '/^ *not ok /{n=14} n>0{print; n--}' "$log"
fi
rm -f "$log"
exit "$code"
