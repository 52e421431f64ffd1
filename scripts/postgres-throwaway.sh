#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on loopback for the test suite and prints the
# `export EDULEDGER_TEST_POSTGRES_URL=...` line; `stop` removes it again.
#   eval "$(scripts/postgres-throwaway.sh start)"   ...   scripts/postgres-throwaway.sh stop DIR
set -euo pipefail

find_bin() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
  return 1
}

as_owner() {
  # initdb and postgres refuse to run as root: use the postgres account then.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    bin=$(find_bin) || { echo "echo 'PostgreSQL server binaries not found (apt-get install -y postgresql)' >&2"; exit 1; }
    dir=$(mktemp -d /tmp/eduledger-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=${EDULEDGER_TEST_PG_PORT:-$(( 40000 + RANDOM % 20000 ))}
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U eduledger -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || as_owner "$bin/initdb" -D "$dir/data" -A trust -U eduledger -E UTF8 --locale=C >"$dir/initdb.log" 2>&1
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=1000 -c shared_buffers=64MB" start >/dev/null
    echo "export EDULEDGER_TEST_POSTGRES_URL='postgres://eduledger@127.0.0.1:$port/postgres?sslmode=disable'"
    echo "export EDULEDGER_TEST_PG_DIR='$dir'"
    ;;
  stop)
    dir=${2:?directory}
    bin=$(find_bin) || exit 0
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
esac
