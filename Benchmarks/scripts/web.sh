#!/usr/bin/env bash
# Web benchmark of issue 4: a bounded wrk run on loopback against `eduledger serve` (release) with
# the demo district on SQLite, logged in as the bureau administrator. Each round runs the
# hello-world route of the same framework (/healthz), the student detail API and the student
# detail page one after another, so their ratio is measured under the same conditions.
#   Benchmarks/scripts/web.sh [ROUNDS] [STUDENT_ID]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
student=${2:-2}
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install -y wrk)" >&2; exit 1; }

swift build -c release --product eduledger >/dev/null
bin="$(swift build -c release --show-bin-path)/eduledger"
work=$(mktemp -d /tmp/eduledger-web.XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
"$bin" serve --database "$work/demo.sqlite" --port "$port" --demo-mode >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 180); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 1; done

jar="$work/cookies"
curl -fsS -c "$jar" "$base/login" >/dev/null
token=$(awk '$6 == "eduledger_login" { print $7 }' "$jar")
curl -fsS -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$token" --data-urlencode "login=admin" \
  --data-urlencode "password=eduledger-demo-2026" --data-urlencode "next=/dashboard" "$base/login"
session=$(awk '$6 == "eduledger_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "login failed" >&2; exit 1; }

echo "machine: $(nproc) cores, $(uname -m); load: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
run() {
  wrk -t2 -c50 -d10s --latency -H "Cookie: eduledger_session=$session" "$base$1" |
    awk -v url="$1" '/Requests\/sec/ { rps = $2 } /^ +99%/ { p99 = $2 } /^ +50%/ { p50 = $2 } /Non-2xx/ { bad = $NF }
      END { printf "%-24s %10.0f req/s  p50 %-8s p99 %-8s%s\n", url, rps, p50, p99, (bad ? "  NON-2xx " bad : ""); print rps > rpsfile }' rpsfile="$work/rps"
}
for r in $(seq 1 "$rounds"); do
  echo "round $r"
  run /healthz; hello=$(cat "$work/rps")
  run "/api/v1/students/$student"; api=$(cat "$work/rps")
  run "/students/$student"; html=$(cat "$work/rps")
  awk -v h="$hello" -v a="$api" -v p="$html" 'BEGIN { if (h > 0) printf "  share of hello-world: API %.0f %%, HTML %.0f %%\n", 100*a/h, 100*p/h }'
done
