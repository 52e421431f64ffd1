#!/usr/bin/env bash
# Benchmark of issue 5 at city scale on PostgreSQL: every indicator for five school years of the
# demo city (25 districts: 1 500 schools, ≈1.01 M pupils on 9月1日, 5.2 M enrolment periods).
#
#   Benchmarks/scripts/indicators-city.sh [RUNS]            (default 3)
#   EDULEDGER_BIN=path/to/eduledger          skip the release build
#   EDULEDGER_CITY_URL=postgres://…/db       a database already loaded with `eduledger demo --scale city`
#   EDULEDGER_BENCH_POSTGRES_URL=postgres://…/postgres   a server to create the database on
#                                            (default: a throwaway server, scripts/postgres-throwaway.sh)
#
# Without EDULEDGER_CITY_URL the city is generated and loaded first (minutes; not timed here — see
# Benchmarks/scripts/demo-load.sh). Then each run is one whole process under /usr/bin/time -v:
#   all levels:  eduledger indicators --year 2026 --from 2022 --level all --json   (≈ 1.2 M values, 340 MB)
#   district:    eduledger indicators --year 2026 --from 2022 --level district --json
# printing wall time, client CPU (user + system) and peak memory; the first run also prints the
# time of each step (EDULEDGER_TIMING=1). The server's own CPU is not in the client's figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
. Benchmarks/scripts/bench-lib.sh
bin=$(release_binary)
work=$(mktemp -d)
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

url=${EDULEDGER_CITY_URL:-}
if [ -z "$url" ]; then
  server=${EDULEDGER_BENCH_POSTGRES_URL:-}
  if [ -z "$server" ]; then
    eval "$(scripts/postgres-throwaway.sh start)"
    trap 'scripts/postgres-throwaway.sh stop "$EDULEDGER_TEST_PG_DIR"; cleanup' EXIT
    server=$EDULEDGER_TEST_POSTGRES_URL
  fi
  db="city_$RANDOM"
  psql "${server%%\?*}" -qc "CREATE DATABASE $db" >/dev/null
  url="${server%%/postgres*}/$db?sslmode=disable"
  echo "loading the demo city into $db (several minutes)…" >&2
  "$bin" demo --scale city --database "$url" >/dev/null
fi

measure() {
  local label=$1; shift
  /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || { cat "$work/time.txt" >&2; return 1; }
  grep -v -E '^\s' "$work/time.txt" | sed 's/^/    /' >&2 || true
  awk -v label="$label" '
    /Elapsed \(wall clock\)/ { n = split($NF, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
    /User time/ { user = $NF } /System time/ { sys = $NF } /Maximum resident set size/ { rss = $NF }
    END { printf "%-11s wall %7.2f s  client cpu %7.2f s  peak %5d MB\n", label, wall, user + sys, rss / 1024 }' "$work/time.txt"
}

echo "$runs runs, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F)"
for k in $(seq "$runs"); do
  if [ "$k" = 1 ]; then export EDULEDGER_TIMING=1; else unset EDULEDGER_TIMING; fi
  measure "all levels" "$bin" indicators --year 2026 --from 2022 --level all --json --database "$url"
  measure "district" "$bin" indicators --year 2026 --from 2022 --level district --json --database "$url"
done
