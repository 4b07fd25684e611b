#!/usr/bin/env bash
# Side-by-side figures of the agent's builds, whole process, medians of several runs: size, start to first served
# secret (and the CPU time the process used to get there, which the machine's load does not stretch), idle RSS (and
# of it the private, anonymous part: RSS also counts the binary's clean file-backed pages),
# peak RSS under wrk load, cached-GET throughput.
#
#   scripts/measure-native.sh --build NAME=COMMAND [--build NAME=COMMAND ...] [--runs 7] [--load-runs 3]
#                             [--duration 15s] [--connections 64] [--threads 2]
#
# COMMAND starts the CLI, for example:
#   --build native=artifacts/native/secretary
#   --build jit="dotnet src/Secretary.Cli/bin/Release/net10.0/Secretary.Cli.dll"
#   --build single=artifacts/single/secretary
# Every build reads from the same emulator process (the JIT CLI, started here) through the AWS store, the production
# path: start to first secret includes one GetSecretValue round trip. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."

builds=() runs=7 load_runs=3 duration=15s connections=64 threads=2
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) builds+=("$2"); shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --load-runs) load_runs=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "measure-native.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ ${#builds[@]} -gt 0 ]] || { echo "measure-native.sh: give at least one --build NAME=COMMAND" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }
now_ms() { date +%s%3N; }
rss_mb() { awk -v k="$2" '$1 == k":" {printf "%.1f\n", $2/1024}' "/proc/$1/status"; }
private_mb() { awk '$1 == "Anonymous:" {printf "%.1f\n", $2/1024}' "/proc/$1/smaps_rollup"; }

jit_cli=src/Secretary.Cli/bin/Release/net10.0/Secretary.Cli.dll
[[ -f "$jit_cli" ]] || dotnet build src/Secretary.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
emulator_port=$(free_port)
dotnet "$jit_cli" emulator --port "$emulator_port" --seed samples/dev-secrets.json >"$work/emulator.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$emulator_port/_emulator/health" >/dev/null && break; sleep 0.05; done

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 SECRETARY_TOKEN=measure-token-0123456789
header="X-Aws-Parameters-Secrets-Token: $SECRETARY_TOKEN"

# The agents run in an empty directory: the host's file watcher on the content root (the working directory) walks
# every directory below it at start, which would measure the size of this checkout instead of the agent.
mkdir -p "$work/cwd"
absolute() { local word; for word in $1; do [[ -e "$word" ]] && word=$(realpath "$word"); printf '%s ' "$word"; done; }

# start_agent COMMAND PORT: starts the agent on the emulator; prints its pid.
start_agent() {
  local command
  command=$(absolute "$1")
  # shellcheck disable=SC2086 # COMMAND is a command line
  (cd "$work/cwd" && exec $command serve --store aws --region us-east-1 --endpoint-url "http://127.0.0.1:$emulator_port" --port "$2" >>"$work/agent.log" 2>&1) &
  echo $!
}
cpu_ms() { awk '{print ($14 + $15) * 10}' "/proc/$1/stat"; } # user + system time so far (clock ticks of 10 ms)

# wait_first_secret PORT: polls until the cached secret is served (200).
wait_first_secret() {
  for _ in $(seq 1 4000); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "$header" "http://127.0.0.1:$1/secretsmanager/get?secretId=surgicase/main")" == 200 ]] && return 0
  done
  echo "the agent did not serve a secret; log:" >&2; tail -n 20 "$work/agent.log" >&2; return 1
}

size_mb() { # COMMAND: the native file, or the framework-dependent app folder without symbols and docs
  local file=${1##* }
  if [[ "$1" == dotnet* ]]; then
    find "$(dirname "$file")" -maxdepth 1 -type f ! -name '*.pdb' ! -name '*.xml' -printf '%s\n' | awk '{s+=$1} END {printf "%.1f (+ shared runtime)\n", s/1048576}'
  else
    stat -c %s "$file" | awk '{printf "%.1f\n", $1/1048576}'
  fi
}

# Rounds interleave the builds, so a change in the machine's load falls on all of them alike.
for spec in "${builds[@]}"; do
  name=${spec%%=*}
  : >"$work/$name.start"; : >"$work/$name.cpu"; : >"$work/$name.idle"; : >"$work/$name.private"; : >"$work/$name.peak"; : >"$work/$name.rate"
done

for _ in $(seq 1 "$runs"); do
  for spec in "${builds[@]}"; do
    name=${spec%%=*} command=${spec#*=}
    port=$(free_port)
    t0=$(now_ms)
    pid=$(start_agent "$command" "$port")
    pids+=("$pid")
    wait_first_secret "$port"
    echo $(( $(now_ms) - t0 )) >>"$work/$name.start"
    cpu_ms "$pid" >>"$work/$name.cpu"
    sleep 3 # settle: the figure is the resident set of an agent that has served and is idle
    rss_mb "$pid" VmRSS >>"$work/$name.idle"
    private_mb "$pid" >>"$work/$name.private"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done

for _ in $(seq 1 "$load_runs"); do
  for spec in "${builds[@]}"; do
    name=${spec%%=*} command=${spec#*=}
    port=$(free_port)
    pid=$(start_agent "$command" "$port")
    pids+=("$pid")
    wait_first_secret "$port"
    url="http://127.0.0.1:$port/secretsmanager/get?secretId=surgicase/main"
    wrk -t "$threads" -c "$connections" -d 3s -H "$header" "$url" >/dev/null # warm-up (the JIT's tiers, connections)
    wrk -t "$threads" -c "$connections" -d "$duration" -H "$header" "$url" >"$work/wrk.txt"
    grep -q 'Non-2xx' "$work/wrk.txt" && { echo "non-2xx answers under load:" >&2; cat "$work/wrk.txt" >&2; exit 1; }
    awk '/^Requests\/sec:/ {printf "%.0f\n", $2}' "$work/wrk.txt" >>"$work/$name.rate"
    rss_mb "$pid" VmHWM >>"$work/$name.peak"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done

echo "| build | size (MB) | start to first secret (ms) | CPU time to it (ms) | idle RSS (MB) | of it private (MB) | peak RSS under load (MB) | cached GET (req/s) |"
echo "|---|---|---|---|---|---|---|---|"
for spec in "${builds[@]}"; do
  name=${spec%%=*} command=${spec#*=}
  echo "| $name | $(size_mb "$command") | $(median <"$work/$name.start") | $(median <"$work/$name.cpu") | $(median <"$work/$name.idle") | $(median <"$work/$name.private") | $(median <"$work/$name.peak") | $(median <"$work/$name.rate") |"
done
echo
echo "runs: $runs starts and $load_runs loads per build, interleaved; loads of $duration (wrk -t$threads -c$connections, after a 3 s warm-up); $(nproc) cores; load average at the start: $load_start, at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
