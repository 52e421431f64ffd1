#!/usr/bin/env bash
# 150 000 student rows, fully validated and committed to SQLite, from .csv and from .xlsx, against
# `sqlite3 .import` of the same CSV into a plain table with no validation (issue: data in and out).
#   Benchmarks/scripts/import-students.sh [ROWS] [RUNS]
# Builds the release binary, loads the demo district into a base database (the schools, classes
# and 41 k students the rows are checked against), writes ROWS new pupils with
# import-sample.py, then times with farm-bench, A/B paired:
#   A = copy of the base database + `eduledger import students FILE` (validation + one transaction)
#   B = `sqlite3 .import` of the CSV into an empty plain table
# and prints peak memory of one import of each kind under /usr/bin/time -v.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-150000}
runs=${2:-3}
swift build -c release --product eduledger >/dev/null
bin="$(swift build -c release --show-bin-path)/eduledger"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" demo --database "$work/base.sqlite" >/dev/null
python3 Benchmarks/scripts/import-sample.py "$work/base.sqlite" "$rows" "$work/students.csv" --xlsx "$work/students.xlsx"
ls -la "$work/students.csv" "$work/students.xlsx" | awk '{printf "%-40s %6.1f MB\n", $NF, $5/1048576}'

# The yardstick: the same CSV into a plain table, no types, no checks.
cat >"$work/plain.sh" <<EOF
rm -f "$work/plain.sqlite"
sqlite3 "$work/plain.sqlite" -cmd ".mode csv" ".import '$work/students.csv' students"
EOF
# The import: a fresh copy of the base database, then the whole validated import.
for kind in csv xlsx; do
  cat >"$work/import-$kind.sh" <<EOF
cp "$work/base.sqlite" "$work/run.sqlite"
rm -f "$work/run.sqlite-wal" "$work/run.sqlite-shm"
exec "$bin" import students "$work/students.$kind" --database "$work/run.sqlite" >/dev/null
EOF
done
cat >"$work/copy.sh" <<EOF
cp "$work/base.sqlite" "$work/run.sqlite"
EOF

echo "== copy of the base database alone (part of every A run)"
farm-bench -n "$runs" --timeout 600 -- sh "$work/copy.sh"
for kind in csv xlsx; do
  echo "== import of $rows rows from .$kind (A) vs sqlite3 .import of the CSV (B)"
  farm-bench -n "$runs" --timeout 3000 --vs "sh $work/plain.sh" -- sh "$work/import-$kind.sh"
done

for kind in csv xlsx; do
  cp "$work/base.sqlite" "$work/run.sqlite"; rm -f "$work/run.sqlite-wal" "$work/run.sqlite-shm"
  /usr/bin/time -v "$bin" import students "$work/students.$kind" --database "$work/run.sqlite" >"$work/out.txt" 2>"$work/time.txt"
  printf '%-22s %s; peak RSS %d MB\n' ".$kind import" "$(tail -1 "$work/out.txt")" \
    $(($(grep "Maximum resident set size" "$work/time.txt" | awk '{print $NF}') / 1024))
done
echo "students in the database after the import: $(sqlite3 "$work/run.sqlite" 'SELECT count(*) FROM students')"
