#!/usr/bin/env bash
# Benchmark of issue 5 on SQLite: every indicator, every level and group, five school years of
# the demo district (A), against a raw GROUP BY scan of the same tables in sqlite3 (B).
#
#   Benchmarks/scripts/indicators.sh [RUNS]        (default 5 pairs)
#   EDULEDGER_BIN=path/to/eduledger Benchmarks/scripts/indicators.sh   (skip the release build)
#
# A: eduledger indicators --year 2026 --from 2022 --level all --json   (whole process: open the
#    database, load the records, compute, write the JSON to /dev/null)
# B: sqlite3 on the same file: for each of the five reference dates (9月1日 2022–2026), the
#    pupils enrolled that day counted by school, grade and gender (enrolments joined to students),
#    and the staff employed that day counted by school and post — the stock every indicator
#    starts from, without the flows, cohorts, population and resource figures A also computes.
# A and B run in turn (A B A B …, after one warm-up each) so the ratio is taken pair by pair
# on a machine whose speed drifts; wall and CPU (user + system) seconds come from /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed (apt-get install sqlite3)" >&2; exit 1; }
. Benchmarks/scripts/bench-lib.sh
bin=$(release_binary)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/demo.sqlite"
"$bin" demo --database "$db" >/dev/null

scan="$work/scan.sql"
for y in 2022 2023 2024 2025 2026; do
  d="$y-09-01"
  cat >>"$scan" <<SQL
SELECT e.school_id, e.grade, s.gender, COUNT(*) FROM enrolments e JOIN students s ON s.id = e.student_id
 WHERE e.from_date <= '$d' AND (e.until_date IS NULL OR e.until_date > '$d') GROUP BY e.school_id, e.grade, s.gender;
SELECT school_id, post, COUNT(*) FROM staff
 WHERE hired <= '$d' AND (left_date IS NULL OR left_date > '$d') GROUP BY school_id, post;
SQL
done

# One timed run: prints "wall cpu peak_kb".
timed() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  awk '{ printf "%s %.3f %s\n", $1, $2 + $3, $4 }' "$work/t"
}
run_a() { timed "$bin" indicators --year 2026 --from 2022 --level all --json --database "$db"; }
run_b() { timed sqlite3 "$db" ".read $scan"; }

run_a >/dev/null; run_b >/dev/null
: >"$work/pairs"
for _ in $(seq "$runs"); do
  a=$(run_a); b=$(run_b)
  echo "$a $b" >>"$work/pairs"
done
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$1" '{ print $c }' "$work/pairs" | median; }
ratio() { awk -v x="$1" -v y="$2" '{ if ($y > 0) print $x / $y }' "$work/pairs" | median; }
echo "$runs pairs, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F)"
printf 'A indicators (all, 5 years): wall %.3f s  cpu %.3f s  peak %d MB\n' "$(col 1)" "$(col 2)" $(( $(col 3 | cut -d. -f1) / 1024 ))
printf 'B raw GROUP BY scan (sqlite3): wall %.3f s  cpu %.3f s\n' "$(col 4)" "$(col 5)"
printf 'A/B median of pairs: wall %.2f×  cpu %.2f×\n' "$(ratio 1 4)" "$(ratio 2 5)"
