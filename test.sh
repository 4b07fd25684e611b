#!/usr/bin/env bash
# The test command: restore, build, pack the packages into a local feed, publish the native (AOT) binary and the Lambda
# layer, run every test project, run the process-level agent and emulator tests again against the native binary, and
# print one line "N passed, N failed". Exits non-zero when any test fails or a step or test project cannot run.
set -uo pipefail
cd "$(dirname "$0")"

scripts/install-test-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration=${CONFIGURATION:-Release}
results="$PWD/.test-results"
artifacts="$PWD/artifacts"
native="$artifacts/native"
rm -rf "$results" "$artifacts/feed" "$native" "$artifacts/secretary-layer.zip" && mkdir -p "$results" "$artifacts"

if ! dotnet build Secretary.slnx -c "$configuration" -nologo -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0 failed=0 status=0

# A step that is not a test project (pack, native publish) failing counts as one failed test.
step_failed() {
  echo "$1 FAILED"
  failed=$((failed + 1))
  status=1
}

# run_tests PROJECT NAME [FILTER]: runs one test project, adds its TRX counters to the totals.
run_tests() {
  local project=$1 name=$2 filter=${3:-}
  local args=(--logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results")
  [[ -n "$filter" ]] && args+=(--filter "$filter")
  echo "== $name"
  dotnet test "$project" -c "$configuration" --no-build -nologo --blame-hang-timeout 5m "${args[@]}" || status=1
  local trx="$results/$name.trx"
  if [[ -f "$trx" ]]; then
    local counters p f t
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    [[ "${f:-0}" -gt 0 ]] && status=1
    if [[ -n "$filter" && "${t:-0}" -eq 0 ]]; then
      step_failed "$name: the filter '$filter' matched no tests"
    fi
  else
    echo "$name produced no results (crashed or did not start)"
    failed=$((failed + 1))
    status=1
  fi
}

# The packages, in a local feed: tests/Secretary.Packaging.Tests opens each one and installs the tool from it.
export SECRETARY_PACKAGE_FEED="$artifacts/feed"
echo "== pack -> artifacts/feed"
dotnet pack Secretary.slnx -c "$configuration" --no-build -nologo -clp:ErrorsOnly -o "$SECRETARY_PACKAGE_FEED" >"$results/pack.log" 2>&1 \
  || { cat "$results/pack.log"; step_failed "dotnet pack"; }

# The native binary: Native AOT, trim and AOT warnings are errors. Then the Lambda layer built from it.
export SECRETARY_LAYER_ZIP="$artifacts/secretary-layer.zip"
echo "== native publish -> artifacts/native/secretary"
if dotnet publish src/Secretary.Cli -r linux-x64 -c "$configuration" -p:PublishAot=true -nologo -o "$native" >"$results/native-publish.log" 2>&1; then
  ls -l "$native/secretary"
  deploy/lambda/build-layer.sh --binary "$native/secretary" --output "$SECRETARY_LAYER_ZIP" || step_failed "the Lambda layer build"
else
  echo "Native AOT publish failed. Trim/AOT diagnostics per file (full log: .test-results/native-publish.log):"
  grep -oE '[^ ]+\.cs\([0-9,]+\): ([A-Za-z ]+ )?(error|warning) IL[0-9]+' "$results/native-publish.log" \
    | sed -E "s#^$PWD/##; s#\(([0-9]+)(,[0-9]+)?\): .*(IL[0-9]+)\$#:\1 \3#" | sort -u -V | sed 's/^/  /'
  grep -E ': error ' "$results/native-publish.log" | grep -v ' IL[0-9]' | sort -u | head -n 20
  step_failed "native publish"
fi

for project in tests/*/*.csproj; do
  run_tests "$project" "$(basename "$project" .csproj)"
done

# The process-level tests again, with SECRETARY_CLI naming the native binary instead of `dotnet Secretary.Cli.dll`:
# every feature the agent and the emulator offer must work in the AOT build too.
native_runs=(
  "tests/Conformance/Conformance.csproj|"
  "tests/Secretary.Agent.Tests/Secretary.Agent.Tests.csproj|FullyQualifiedName~.DevModeTests|FullyQualifiedName~.ServeProcessTests|FullyQualifiedName~.LambdaExtensionTests"
  "tests/Secretary.Tests/Secretary.Tests.csproj|FullyQualifiedName~.CliTests"
  "tests/Secretary.Aws.Tests/Secretary.Aws.Tests.csproj|FullyQualifiedName~.CliAndCredentialsTests"
  "tests/Secretary.Redis.Tests/Secretary.Redis.Tests.csproj|FullyQualifiedName~.AgentFleetTests|FullyQualifiedName~.PropagationTests"
)
if [[ -x "$native/secretary" ]]; then
  for run in "${native_runs[@]}"; do
    project=${run%%|*}
    SECRETARY_CLI="$native/secretary" run_tests "$project" "$(basename "$project" .csproj).native" "${run#*|}"
  done
else
  step_failed "the native test runs (no native binary)"
fi

echo "$passed passed, $failed failed"
exit $status
