#!/usr/bin/env bash
# Load test of the agent with wrk: a cached secret (/secretsmanager/get) and /ping, same connections
# and duration, one after the other in one run. Prints both rates, p99 latencies, non-2xx counts and
# the ratio (target on a 2-core machine at 64 connections: cached >= 70% of /ping, p99 < 5 ms, 0 non-2xx).
#
# Usage: scripts/load-agent.sh [--connections 64] [--duration 15s] [--threads 2] [--url URL --token TOKEN]
# Without --url it builds the CLI in Release and starts `secretary serve --dev` on a free port.
set -euo pipefail
cd "$(dirname "$0")/.."

connections=64 duration=15s threads=2 url="" token=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --connections) connections=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --url) url=$2; shift 2 ;;
    --token) token=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

agent_pid=""
work=$(mktemp -d)
cleanup() { [[ -n "$agent_pid" ]] && kill "$agent_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

if [[ -z "$url" ]]; then
  dotnet build -c Release src/Secretary.Cli -nologo -clp:ErrorsOnly >/dev/null
  token=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  env -u AWS_TOKEN -u AWS_SESSION_TOKEN -u AWS_CONTAINER_AUTHORIZATION_TOKEN AWS_TOKEN="$token" SECRETARY__LOGLEVEL=warn \
    dotnet src/Secretary.Cli/bin/Release/net10.0/Secretary.Cli.dll serve --dev --port 0 --emulator-port 0 \
    --unix-socket "$work/run/agent.sock" >"$work/agent.log" 2>&1 &
  agent_pid=$!
  for _ in $(seq 1 100); do
    url=$(sed -n 's/^agent: \(http[^ ]*\).*/\1/p' "$work/agent.log" | head -n 1)
    [[ -n "$url" ]] && break
    sleep 0.2
  done
  [[ -n "$url" ]] || { echo "the agent did not start:"; cat "$work/agent.log"; exit 1; }
fi

secret_url="$url/secretsmanager/get?secretId=surgicase/main"
header="X-Aws-Parameters-Secrets-Token: $token"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "$header" "$secret_url")
[[ "$status" == 200 ]] || { echo "warm-up read failed with $status" >&2; exit 1; }
wrk -t "$threads" -c "$connections" -d 3s -H "$header" "$secret_url" >/dev/null # JIT and connection warm-up

run() { # name url -> "rate p99_ms non2xx"
  local out
  out=$(wrk -t "$threads" -c "$connections" -d "$duration" --latency -H "$header" "$2")
  echo "$out" >"$work/$1.txt"
  local rate p99 non2xx
  rate=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  echo "$rate $(to_ms "$p99") ${non2xx:-0}"
}
to_ms() { # wrk prints 812.00us, 1.23ms, 1.01s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

read -r secret_rate secret_p99 secret_bad < <(run secret "$secret_url")
read -r ping_rate ping_p99 ping_bad < <(run ping "$url/ping")
ratio=$(awk -v a="$secret_rate" -v b="$ping_rate" 'BEGIN { printf "%.1f", 100 * a / b }')

echo "wrk: $threads threads, $connections connections, $duration each, on $(nproc) cores"
printf '| route | requests/s | p99 (ms) | non-2xx |\n|---|---:|---:|---:|\n'
printf '| /secretsmanager/get (cached) | %s | %s | %s |\n' "$secret_rate" "$secret_p99" "$secret_bad"
printf '| /ping | %s | %s | %s |\n' "$ping_rate" "$ping_p99" "$ping_bad"
echo "cached-secret rate = ${ratio}% of /ping"

# The same closed-loop client over TCP and over the Unix socket (wrk cannot reach a Unix socket).
if [[ -S "$work/run/agent.sock" ]]; then
  port=${url##*:}
  client() { dotnet run scripts/agent-load-client.cs -- "$@" --token "$token" --connections "$connections" --seconds "${duration%s}"; }
  client --tcp "$port" --path /ping >/dev/null # build and warm
  read -r tcp_ping tcp_ping_p99 tcp_ping_bad < <(client --tcp "$port" --path /ping)
  read -r tcp_rate tcp_p99 tcp_bad < <(client --tcp "$port" --path /secretsmanager/get?secretId=surgicase/main)
  read -r unix_ping unix_ping_p99 unix_ping_bad < <(client --unix "$work/run/agent.sock" --path /ping)
  read -r unix_rate unix_p99 unix_bad < <(client --unix "$work/run/agent.sock" --path /secretsmanager/get?secretId=surgicase/main)
  echo
  echo "one closed-loop client (scripts/agent-load-client.cs), $connections connections, $duration each"
  printf '| transport | route | requests/s | p99 (ms) | non-2xx |\n|---|---|---:|---:|---:|\n'
  printf '| TCP | /secretsmanager/get (cached) | %s | %s | %s |\n| TCP | /ping | %s | %s | %s |\n' "$tcp_rate" "$tcp_p99" "$tcp_bad" "$tcp_ping" "$tcp_ping_p99" "$tcp_ping_bad"
  printf '| Unix socket | /secretsmanager/get (cached) | %s | %s | %s |\n| Unix socket | /ping | %s | %s | %s |\n' "$unix_rate" "$unix_p99" "$unix_bad" "$unix_ping" "$unix_ping_p99" "$unix_ping_bad"
  awk -v a="$tcp_rate" -v b="$tcp_ping" -v c="$unix_rate" -v d="$unix_ping" 'BEGIN { printf "cached-secret rate = %.1f%% of /ping over TCP, %.1f%% over the Unix socket\n", 100 * a / b, 100 * c / d }'
fi
