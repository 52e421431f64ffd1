#!/usr/bin/env bash
# Casework benchmark of issue 9: a district's year of casework (5 000 cases, 30 000 steps by
# default, seeded with `eduledger cases seed-bench` on the demo district, SQLite), served by
# `eduledger serve` (release) on loopback, logged in as 信访办 (xfb) and 安全办 (aqb).
#   1. queues and rates: each URL fetched RUNS times with curl, median and max of time_total;
#   2. creating a case and taking a step (assign) through the JSON API with wrk, 50 connections,
#      --latency: once saturated (no think time) and once as 50 users with ~1 s think time.
#   Benchmarks/scripts/casework.sh [CASES] [STEPS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
cases=${1:-5000}
steps=${2:-30000}
runs=${3:-20}
for tool in wrk sqlite3 curl; do command -v $tool >/dev/null || { echo "$tool not installed" >&2; exit 1; }; done

swift build -c release --product eduledger >/dev/null
bin="$(swift build -c release --show-bin-path)/eduledger"
work=$(mktemp -d /tmp/eduledger-cases.XXXXXX)
db="$work/bench.sqlite"
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%Y-%m-%dT%H:%MZ)"
"$bin" demo --database "$db" >/dev/null
echo "seed: $("$bin" cases seed-bench --database "$db" --cases "$cases" --steps "$steps")  (load $(load))"
sqlite3 "$db" "SELECT '  in the database: ' || (SELECT COUNT(*) FROM cases) || ' cases, ' || (SELECT COUNT(*) FROM case_steps) || ' steps'"

port=$(( 20000 + RANDOM % 20000 ))
"$bin" serve --database "$db" --port "$port" --demo-mode >"$work/serve.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 180); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 1; done

login() {  # login → "session csrf"
  local jar="$work/jar-$1"
  curl -fsS -c "$jar" "$base/login" >/dev/null
  local token; token=$(awk '$6 == "eduledger_login" { print $7 }' "$jar")
  curl -fsS -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$token" --data-urlencode "login=$1" \
    --data-urlencode "password=eduledger-demo-2026" --data-urlencode "next=/dashboard" "$base/login"
  local session; session=$(awk '$6 == "eduledger_session" { print $7 }' "$jar")
  [ -n "$session" ] || { echo "login $1 failed" >&2; exit 1; }
  local csrf; csrf=$(curl -fsS -H "Cookie: eduledger_session=$session" "$base/api/v1/me" | sed -E 's/.*"csrfToken":"([0-9a-f]+)".*/\1/')
  echo "$session $csrf"
}
read -r xfb xfb_csrf <<<"$(login xfb)"
read -r aqb _ <<<"$(login aqb)"

stats() {  # seconds, one a line → "median max" in ms
  sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "median %6.1f ms  max %6.1f ms", t[int((NR + 1) / 2)], t[NR] }'
}
time_url() {  # session url → "median max" in ms over $runs fetches
  for _ in $(seq 1 "$runs"); do
    curl -fsS -o /dev/null -w '%{time_total}\n' -H "Cookie: eduledger_session=$1" "$base$2"
  done | stats
}
echo "queues and rates ($runs fetches each; load $(load)):"
for url in "/cases?kind=petition" "/cases?kind=petition&open=1" "/cases?due=1" "/api/v1/cases?kind=petition&limit=50" \
           "/api/v1/cases?open=1&limit=50" "/dashboard"; do
  printf "  %-44s %s\n" "信访办 $url" "$(time_url "$xfb" "$url")"
done
for url in "/cases?kind=hazard" "/cases?due=1" "/cases/campaigns"; do
  printf "  %-44s %s\n" "安全办 $url" "$(time_url "$aqb" "$url")"
done
# The rates: the first fetch builds the whole indicator snapshot (the logins wrote audit lines);
# then cached; after a casework write only the casework figures are recomputed.
rates="/api/v1/indicators/values?category=%E6%A1%88%E4%BB%B6%E5%8A%9E%E7%90%86&year=2025"
printf "  %-44s %s\n" "rates, cold (whole snapshot built)" "$(runs=1 time_url "$xfb" "$rates")"
printf "  %-44s %s\n" "rates, cached" "$(time_url "$xfb" "$rates")"
after_write() {  # a case opened through the API, then the rates fetched; $runs times
  for _ in $(seq 1 "$runs"); do
    curl -fsS -o /dev/null -H "Cookie: eduledger_session=$xfb" -H "X-CSRF-Token: $xfb_csrf" -H "Content-Type: application/json" \
      --data '{"kind":"petition","fields":{"petitioner":"写后读","channel":"来信","summary":"写后读"}}' "$base/api/v1/cases"
    curl -fsS -o /dev/null -w '%{time_total}\n' -H "Cookie: eduledger_session=$xfb" "$base$rates"
  done | stats
}
printf "  %-44s %s\n" "rates, first after a casework write" "$(after_write)"

wrk_run() {  # label mode think duration
  SESSION=$xfb CSRF=$xfb_csrf CASE_MODE=$2 THINK_MS=$3 CASE_IDS="$work/ids" THREADS=2 \
    wrk -t2 -c50 -d"$4" --latency -s Benchmarks/scripts/casework.lua "$base" |
    awk -v label="$1" '/Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +90%/ { p90 = $2 } /^ +99%/ { p99 = $2 }
      /Non-2xx/ { bad = $NF } /^    »/ { extra = extra $0 "\n" }
      END { printf "  %-34s %8.0f req/s  p50 %-8s p90 %-8s p99 %-8s%s\n%s", label, rps, p50, p90, p99, (bad ? "  NON-2xx " bad : ""), extra }'
  echo "    (load $(load))"
  settle
}
rows() { sqlite3 -cmd ".timeout 10000" "$db" "SELECT (SELECT COUNT(*) FROM cases) || '/' || (SELECT COUNT(*) FROM case_steps)"; }
settle() {  # wrk stops with requests still queued in the server: wait until they are answered
  local before after; after=$(rows)
  while :; do sleep 1; before=$after; after=$(rows); [ "$before" = "$after" ] && break; done
}
echo "writes through the API, 50 connections:"
wrk_run "create case, saturated" create 0 10s
wrk_run "create case, 50 users ~1 s think" create 1000 20s
fresh_ids() {  # the cases created above that are still waiting for their first step
  sqlite3 -cmd ".timeout 10000" "$db" "SELECT id FROM cases WHERE kind = 'petition' AND state = 'received' AND title = '性能测试' ORDER BY id" >"$work/ids"
  echo "  ($(wc -l <"$work/ids") new cases to take steps on)"
}
fresh_ids
wrk_run "take a step (assign), saturated" step 0 5s
fresh_ids
wrk_run "take a step, 50 users ~1 s think" step 1000 15s
