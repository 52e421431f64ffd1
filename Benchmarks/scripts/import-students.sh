#!/usr/bin/env bash
# 150 000 student rows, fully validated and committed to SQLite, from .csv and from .xlsx, against
# `sqlite3 .import` of the same CSV into a plain table with no validation (issue: data in and out).
#   Benchmarks/scripts/import-students.sh [ROWS] [RUNS]
# Builds the release binary (or uses $EDULEDGER_BIN), loads the demo district into a base database
# (the schools, classes and 41 k students the rows are checked against), writes ROWS new pupils
# with import-sample.py, then runs A and B in turn, RUNS times each, under /usr/bin/time:
#   A = `eduledger import students FILE` on a fresh copy of the base database (validation + one
#       transaction; the copy itself, 0.02 s, is not timed)
#   B = `sqlite3 .import` of the CSV into an empty plain table
#   C = SQLite's own floor: the same rows A committed (students and enrolments, taken from A's
#       result into a staging file first) moved by sqlite3 into a fresh copy of the base database
#       with one `INSERT … SELECT` per table in one transaction — same schema, indexes and
#       foreign-key checks, same pragmas as EduLedger's writer, no parsing, no validation, no Swift
# and prints the medians of wall and CPU (user + system) seconds, the median of the A/B and C/B
# ratios taken run by run (pairing keeps the ratio meaningful when the machine's load drifts),
# and the peak memory of the import. Last, the checksums of the imported students, enrolments and audit lines
# (without their time column): equal checksums from two binaries mean the same committed result.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-150000}
runs=${2:-5}
. Benchmarks/scripts/bench-lib.sh
bin=$(release_binary)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# $EDULEDGER_BASE: a base database made earlier, so two binaries import into the same one (their
# checksums below are then comparable, audit lines included).
if [ -n "${EDULEDGER_BASE:-}" ]; then cp "$EDULEDGER_BASE" "$work/base.sqlite"; else "$bin" demo --database "$work/base.sqlite" >/dev/null; fi
python3 Benchmarks/scripts/import-sample.py "$work/base.sqlite" "$rows" "$work/students.csv" --xlsx "$work/students.xlsx"
ls -la "$work/students.csv" "$work/students.xlsx" | awk '{printf "%-40s %6.1f MB\n", $NF, $5/1048576}'

# One timed run: "wall cpu peak-KB" appended to $1; the command's own output is discarded.
timed() {
  local out=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>&1
  awk '{printf "%s %.3f %s\n", $1, $2 + $3, $4}' "$work/t" >>"$out"
}
plain() {
  rm -f "$work/plain.sqlite"
  timed "$1" sqlite3 "$work/plain.sqlite" -cmd ".mode csv" ".import '$work/students.csv' students"
}
floor() {
  cp "$work/base.sqlite" "$work/floor.sqlite"
  rm -f "$work/floor.sqlite-wal" "$work/floor.sqlite-shm"
  timed "$1" sqlite3 "$work/floor.sqlite" "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA foreign_keys = ON;
    ATTACH '$work/stage.sqlite' AS s; BEGIN; INSERT INTO students SELECT * FROM s.students;
    INSERT INTO enrolments SELECT * FROM s.enrolments; COMMIT;"
}
run_import() {
  cp "$work/base.sqlite" "$work/run.sqlite"
  rm -f "$work/run.sqlite-wal" "$work/run.sqlite-shm"
  timed "$2" "$bin" import students "$work/students.$1" --database "$work/run.sqlite"
}

# The staging file of C: the rows one import commits, in the base database's own schema.
base_students=$(sqlite3 "$work/base.sqlite" "SELECT COALESCE(MAX(id), 0) FROM students")
base_enrolments=$(sqlite3 "$work/base.sqlite" "SELECT COALESCE(MAX(id), 0) FROM enrolments")
run_import csv /dev/null
sqlite3 "$work/stage.sqlite" "ATTACH '$work/run.sqlite' AS r;
  CREATE TABLE students AS SELECT * FROM r.students WHERE id > $base_students ORDER BY id;
  CREATE TABLE enrolments AS SELECT * FROM r.enrolments WHERE id > $base_enrolments ORDER BY id;"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in csv xlsx; do
  : >"$work/a.txt"
  : >"$work/b.txt"
  : >"$work/c.txt"
  run_import "$kind" /dev/null  # warm-up (file cache)
  plain /dev/null
  for _ in $(seq "$runs"); do
    run_import "$kind" "$work/a.txt"
    plain "$work/b.txt"
    floor "$work/c.txt"
  done
  python3 - "$kind" "$work/a.txt" "$work/b.txt" "$work/c.txt" <<'EOF'
import statistics, sys
kind, a, b, c = sys.argv[1], *([l.split() for l in open(f)] for f in sys.argv[2:5])
med = lambda xs: statistics.median(xs)
wall = lambda r: float(r[0])
cpu = lambda r: float(r[1])
print(f"== .{kind}: {len(a)} runs of each in turn, medians (min–max)")
for name, f in (("wall", wall), ("cpu", cpu)):
    av, bv, cv = [f(r) for r in a], [f(r) for r in b], [f(r) for r in c]
    ratios = [x / y for x, y in zip(av, bv)]
    floors = [x / y for x, y in zip(cv, bv)]
    print(f"  {name:4} import {med(av):6.2f} s ({min(av):.2f}–{max(av):.2f})   sqlite3 .import {med(bv):5.2f} s"
          f"   ratio {med(ratios):5.1f}× ({min(ratios):.1f}–{max(ratios):.1f})")
    print(f"  {name:4}   SQLite alone filling the schema (INSERT … SELECT) {med(cv):5.2f} s"
          f"   ratio {med(floors):5.1f}× ({min(floors):.1f}–{max(floors):.1f})")
print(f"  peak memory of the import: {med([int(r[2]) for r in a]) / 1024:.0f} MB")
EOF
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "students in the database after the import: $(sqlite3 "$work/run.sqlite" 'SELECT count(*) FROM students')"
for query in "SELECT * FROM students ORDER BY id" "SELECT * FROM enrolments ORDER BY id" \
  "SELECT id, actor, action, entity, entity_id, before_json, after_json FROM audit_log ORDER BY id"; do
  printf 'checksum %s  %s\n' "$(sqlite3 "$work/run.sqlite" "$query" | md5sum | cut -c1-12)" "$query"
done
