#!/usr/bin/env bash
# Whole-process figures for loading the demo into SQLite and PostgreSQL (issue: foundation benchmarks).
#   Benchmarks/scripts/demo-load.sh [district|city] [sqlite|postgres|both]
# Builds the release binary, then runs `eduledger demo` under /usr/bin/time -v into a fresh
# database and prints wall time and peak memory. PostgreSQL: a throwaway server (scripts/postgres-throwaway.sh)
# unless EDULEDGER_BENCH_POSTGRES_URL names one.
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=${1:-district}
which=${2:-sqlite}
swift build -c release --product eduledger >/dev/null
bin="$(swift build -c release --show-bin-path)/eduledger"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() {
  local label=$1; shift
  /usr/bin/time -v "$@" >"$work/out.txt" 2>"$work/time.txt" || { cat "$work/time.txt" >&2; return 1; }
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$work/time.txt" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$work/time.txt" | awk '{print $NF}')
  printf '%-28s wall %-10s peak RSS %6d MB\n' "$label" "$wall" $((rss / 1024))
}

if [ "$which" = sqlite ] || [ "$which" = both ]; then
  measure "demo $scale → SQLite" "$bin" demo --scale "$scale" --database "$work/bench.sqlite"
  ls -la "$work/bench.sqlite" | awk '{printf "  database file %d MB\n", $5/1048576}'
fi
if [ "$which" = postgres ] || [ "$which" = both ]; then
  url=${EDULEDGER_BENCH_POSTGRES_URL:-}
  if [ -z "$url" ]; then
    eval "$(scripts/postgres-throwaway.sh start)"
    trap 'scripts/postgres-throwaway.sh stop "$EDULEDGER_TEST_PG_DIR"; rm -rf "$work"' EXIT
    url=$EDULEDGER_TEST_POSTGRES_URL
  fi
  db="bench_$RANDOM"
  psql "${url%%\?*}" -qc "CREATE DATABASE $db" >/dev/null
  measure "demo $scale → PostgreSQL" "$bin" demo --scale "$scale" --database "${url%%/postgres*}/$db?sslmode=disable"
fi
