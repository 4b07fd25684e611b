#!/usr/bin/env bash
# The test command: restore, build, run every test project, print one line "N passed, N failed".
# Exits non-zero when any test fails or a test project cannot run.
set -uo pipefail
cd "$(dirname "$0")"

scripts/install-test-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration=${CONFIGURATION:-Release}
results="$PWD/.test-results"
rm -rf "$results" && mkdir -p "$results"

if ! dotnet build Secretary.slnx -c "$configuration" -nologo -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0 failed=0 status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c "$configuration" --no-build -nologo \
    --blame-hang-timeout 5m \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || status=1
  trx="$results/$name.trx"
  if [[ -f "$trx" ]]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    [[ "${f:-0}" -gt 0 ]] && status=1
  else
    echo "$name produced no results (crashed or did not start)"
    failed=$((failed + 1))
    status=1
  fi
done

echo "$passed passed, $failed failed"
exit $status
