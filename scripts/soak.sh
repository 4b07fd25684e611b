#!/usr/bin/env bash
# Soak: the agent (secretary serve --dev, Release build) under wrk for MINUTES (default 10) on loopback, with a
# rotation in the emulator every ROTATE_SECONDS (default 5) through the AWS CLI, sampling the agent's RSS and open
# file descriptors every SAMPLE_SECONDS (default 5). Prints requests, errors (non-2xx, socket errors), memory at start
# (after WARMUP_SECONDS, default 60) and end, RSS at each minute, and the versions readers saw.
#   scripts/soak.sh [minutes]
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=${1:-10}
[[ "$minutes" =~ ^[0-9]+$ && "$minutes" -ge 1 && "$minutes" -le 240 ]] || { echo "usage: scripts/soak.sh [minutes 1..240]" >&2; exit 2; }
rotate_every=${ROTATE_SECONDS:-5}
sample_every=${SAMPLE_SECONDS:-5}
warmup=${WARMUP_SECONDS:-60}
connections=${CONNECTIONS:-8}
threads=${THREADS:-1}
secret=surgicase/main

for tool in wrk aws curl dotnet; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is required" >&2; exit 2; }
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Secretary.Cli -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null

work=$(mktemp -d)
agent_pid=""
cleanup() {
  [[ -n "$agent_pid" ]] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
  if [[ -n "${KEEP:-}" ]]; then echo "soak: files kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

token="soak-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s' "$token" >"$work/token"
chmod 600 "$work/token"
dotnet exec src/Secretary.Cli/bin/Release/net10.0/Secretary.Cli.dll serve --dev --port 0 --emulator-port 0 \
  --token-file "$work/token" --ttl 5 >"$work/agent.log" 2>&1 &
agent_pid=$!

for _ in $(seq 1 600); do
  grep -q '^emulator: ' "$work/agent.log" 2>/dev/null && break
  kill -0 "$agent_pid" 2>/dev/null || { echo "soak: the agent exited:" >&2; cat "$work/agent.log" >&2; exit 1; }
  sleep 0.1
done
agent=$(sed -n 's/^agent: //p' "$work/agent.log" | head -n 1)
emulator=$(sed -n 's/^emulator: //p' "$work/agent.log" | head -n 1)
[[ -n "$agent" && -n "$emulator" ]] || { echo "soak: no agent/emulator address" >&2; cat "$work/agent.log" >&2; exit 1; }
case "$agent$emulator" in *127.0.0.1*127.0.0.1*) ;; *) echo "soak: loopback only ($agent, $emulator)" >&2; exit 1 ;; esac
url="$agent/secretsmanager/get?secretId=$secret"
echo "soak: agent $agent (pid $agent_pid), emulator $emulator, $minutes min, rotation every ${rotate_every}s"

rss() { awk '/^VmRSS/ {print $2}' "/proc/$agent_pid/status"; }
fds() { ls "/proc/$agent_pid/fd" | wc -l; }

# Sampler: seconds, RSS kB, open fds.
(
  start=$SECONDS
  while kill -0 "$agent_pid" 2>/dev/null; do
    echo "$((SECONDS - start)) $(rss) $(fds)" >>"$work/samples"
    sleep "$sample_every"
  done
) &
sampler=$!

# Rotator: a new AWSCURRENT through the AWS CLI, then one read through the agent to record the version served.
(
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
  unset AWS_PROFILE AWS_SESSION_TOKEN
  while kill -0 "$agent_pid" 2>/dev/null; do
    sleep "$rotate_every"
    if aws --endpoint-url "$emulator" secretsmanager rotate-secret --secret-id "$secret" --output text --query VersionId >>"$work/rotations" 2>>"$work/rotate-errors"; then :; fi
    { curl -s -H "X-Aws-Parameters-Secrets-Token: $token" "$url" || true; } | { grep -o '"VersionId":"[^"]*"' || echo failed; } >>"$work/served"
  done
) &
rotator=$!

wrk -t"$threads" -c"$connections" -d"${minutes}m" --timeout 10s -H "X-Aws-Parameters-Secrets-Token: $token" "$url" >"$work/wrk.txt" 2>&1 || true
kill "$rotator" "$sampler" 2>/dev/null || true
wait "$rotator" "$sampler" 2>/dev/null || true

requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
non2xx=$(awk -F': ' '/Non-2xx or 3xx responses/ {print $2}' "$work/wrk.txt")
socket=$(sed -n 's/.*Socket errors: //p' "$work/wrk.txt")
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
latency=$(awk '/^    Latency/ {print $2 " avg, " $3 " stdev, " $4 " max"}' "$work/wrk.txt")
count() { if [[ -f "$1" ]]; then grep -c "$2" "$1" || true; else echo 0; fi; }
rotations=$(count "$work/rotations" .)
rotate_errors=$(count "$work/rotate-errors" error)
probes=$(count "$work/served" .)
versions=$( (sort -u "$work/served" 2>/dev/null || true) | grep -c . || true)
start_sample=$(awk -v w="$warmup" '$1 >= w {print; exit}' "$work/samples")
end_sample=$(tail -n 1 "$work/samples")
min_rss=$(awk -v w="$warmup" '$1 >= w {print $2}' "$work/samples" | sort -n | head -n 1)
max_rss=$(awk -v w="$warmup" '$1 >= w {print $2}' "$work/samples" | sort -n | tail -n 1)
max_fds=$(awk '{print $3}' "$work/samples" | sort -n | tail -n 1)
alive=yes; kill -0 "$agent_pid" 2>/dev/null || alive=no

echo "== soak results ($minutes min, $connections connections, $threads wrk thread(s))"
echo "requests: ${requests:-0} (${rps:-0}/s), latency ${latency:-n/a}"
echo "errors: non-2xx ${non2xx:-0}, socket errors ${socket:-none}"
echo "rotations: $rotations (failed: $rotate_errors); the probe after each rotation saw $versions distinct versions in $probes reads"
echo "memory after ${warmup}s warm-up: RSS $(awk '{print $2}' <<<"$start_sample") kB, fds $(awk '{print $3}' <<<"$start_sample")"
echo "memory at end: RSS $(awk '{print $2}' <<<"$end_sample") kB, fds $(awk '{print $3}' <<<"$end_sample")"
echo "after warm-up: RSS min $min_rss kB, max $max_rss kB; fds max $max_fds"
echo "RSS each minute (kB):"
awk '{m = int($1 / 60); if (!(m in seen)) {seen[m] = 1; printf "  minute %d: %s kB, %s fds\n", m, $2, $3}}' "$work/samples"
echo "agent alive at end: $alive"
grep -c 'CANARY-' "$work/agent.log" >/dev/null 2>&1 && echo "WARNING: a canary appeared in the agent log" || true
[[ "${non2xx:-0}" == 0 && -z "${socket:-}" && "$alive" == yes ]]
