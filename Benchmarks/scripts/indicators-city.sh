#!/usr/bin/env bash
# Benchmark of issue 5 at city scale on PostgreSQL: every indicator for five school years of the
# demo city (25 districts: 1 500 schools, ≈1.01 M pupils on 9月1日, 5.2 M enrolment periods).
#
#   Benchmarks/scripts/indicators-city.sh [RUNS]            (default 3)
#   EDULEDGER_BIN=path/to/eduledger          skip the release build
#   EDULEDGER_CITY_URL=postgres://…/db       a database already loaded with `eduledger demo --scale city`
#   EDULEDGER_BENCH_POSTGRES_URL=postgres://…/postgres   a server to create the database on
#                                            (default: a throwaway server, scripts/postgres-throwaway.sh)
#   EDULEDGER_CITY_PGDATA=dir                that server's data directory, when it runs on this machine:
#                                            the server's CPU per run is printed too (set for a throwaway server)
#   EDULEDGER_BIN_B=path/to/other/eduledger  also time this binary, alternating with the first (A B A B …),
#                                            and print the medians of the A/B ratios taken pair by pair
#
# Without EDULEDGER_CITY_URL the city is generated and loaded first (minutes; not timed here — see
# Benchmarks/scripts/demo-load.sh). Then each run is one whole process under /usr/bin/time -v:
#   all levels:  eduledger indicators --year 2026 --from 2022 --level all --json   (≈ 1.2 M values, 340 MB)
#   district:    eduledger indicators --year 2026 --from 2022 --level district --json
# printing wall time, client CPU (user + system), the server's CPU (when its data directory is
# known) and peak memory; the first run also prints the time of each step (EDULEDGER_TIMING=1).
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
    EDULEDGER_CITY_PGDATA=${EDULEDGER_CITY_PGDATA:-$EDULEDGER_TEST_PG_DIR/data}
  fi
  db="city_$RANDOM"
  psql "${server%%\?*}" -qc "CREATE DATABASE $db" >/dev/null
  url="${server%%/postgres*}/$db?sslmode=disable"
  echo "loading the demo city into $db (several minutes)…" >&2
  "$bin" demo --scale city --database "$url" >/dev/null
fi

# The server's CPU seconds so far: its backends' time, added to the postmaster's children's
# time as each connection ends (0 when the server's data directory is not known here).
server_cpu() {
  local pidfile=${EDULEDGER_CITY_PGDATA:-}/postmaster.pid
  if [ -n "${EDULEDGER_CITY_PGDATA:-}" ] && [ -r "$pidfile" ]; then
    awk -v t="$(getconf CLK_TCK)" '{ print ($16 + $17) / t }' "/proc/$(head -1 "$pidfile")/stat"
  else
    echo 0
  fi
}

# One timed run: prints a line for the reader on stderr and "wall client_cpu server_cpu" on stdout.
measure() {
  local label=$1; shift
  local s0 s1
  s0=$(server_cpu)
  /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || { cat "$work/time.txt" >&2; return 1; }
  s1=$(server_cpu)
  grep -v -E '^\s' "$work/time.txt" | sed 's/^/    /' >&2 || true
  awk -v label="$label" -v server="$(echo "$s1 - $s0" | bc)" '
    /Elapsed \(wall clock\)/ { n = split($NF, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
    /User time/ { user = $NF } /System time/ { sys = $NF } /Maximum resident set size/ { rss = $NF }
    END {
      printf "%-13s wall %7.2f s  client cpu %7.2f s  server cpu %6.2f s  peak %5d MB\n", label, wall, user + sys, server, rss / 1024 > "/dev/stderr"
      printf "%.3f %.3f %.3f\n", wall, user + sys, server
    }' "$work/time.txt"
}

bin_b=${EDULEDGER_BIN_B:-}
echo "$runs runs, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F)"
: >"$work/pairs"
for k in $(seq "$runs"); do
  if [ "$k" = 1 ]; then export EDULEDGER_TIMING=1; else unset EDULEDGER_TIMING; fi
  a=$(measure "all levels" "$bin" indicators --year 2026 --from 2022 --level all --json --database "$url")
  if [ -n "$bin_b" ]; then
    b=$(measure "all levels B" "$bin_b" indicators --year 2026 --from 2022 --level all --json --database "$url")
    echo "$a $b" >>"$work/pairs"
  fi
  measure "district" "$bin" indicators --year 2026 --from 2022 --level district --json --database "$url" >/dev/null
done
if [ -n "$bin_b" ]; then
  median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
  ratio() { awk -v x="$1" -v y="$2" '{ if ($y > 0) print $x / $y }' "$work/pairs" | median; }
  printf 'A/B median of pairs (all levels): wall %.2f×  client cpu %.2f×  server cpu %.2f×\n' \
    "$(ratio 1 4)" "$(ratio 2 5)" "$(ratio 3 6)"
fi
