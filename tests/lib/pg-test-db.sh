#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: initdb under a temp dir, started on a free port of
# 127.0.0.1 (and a socket in the same dir), trust auth, fsync as configured by default.
# As root the cluster runs as the postgres user (PostgreSQL refuses to run as root).
#
#   tests/lib/pg-test-db.sh -- CMD [ARGS...]   start, run CMD with IMCHAT_TEST_PG set, stop
#   tests/lib/pg-test-db.sh start              start; prints `IMCHAT_TEST_PG=<conninfo>` and
#                                              `PG_TEST_DIR=<dir>` lines (eval-able)
#   tests/lib/pg-test-db.sh stop DIR           stop the cluster in DIR and delete DIR
# Extra server settings: PG_TEST_OPTS (e.g. "-c synchronous_commit=off").
# Exit status 77 (and a message) when PostgreSQL is not installed (`shell/setup --cluster`).
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PG_BIN/initdb" ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
fi
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "pg-test-db: PostgreSQL server binaries not found (install with shell/setup --cluster)" >&2
  exit 77
fi

as_db_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

db_user() { if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local dir port
  dir=$(mktemp -d /tmp/imchat-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  as_db_user "$PG_BIN/initdb" -D "$dir/data" -U "$(db_user)" --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
  for attempt in 1 2 3; do
    port=$(free_port)
    # shellcheck disable=SC2086
    if as_db_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
         -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=200 ${PG_TEST_OPTS:-}" \
         start >/dev/null; then
      echo "IMCHAT_TEST_PG='host=127.0.0.1 port=$port user=$(db_user) dbname=postgres'"
      echo "PG_TEST_DIR='$dir'"
      return 0
    fi
  done
  cat "$dir/server.log" >&2
  rm -rf "$dir"
  exit 1
}

stop() {
  local dir=$1
  [ -d "$dir/data" ] || { echo "pg-test-db: no cluster in $dir" >&2; exit 1; }
  as_db_user "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:?usage: pg-test-db.sh stop DIR}" ;;
  --)
    shift
    [ $# -gt 0 ] || { echo "usage: pg-test-db.sh -- CMD [ARGS...]" >&2; exit 2; }
    eval "$(start)"
    trap 'stop "$PG_TEST_DIR"' EXIT INT TERM
    echo "pg-test-db: $IMCHAT_TEST_PG" >&2
    IMCHAT_TEST_PG="$IMCHAT_TEST_PG" "$@"
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2 ;;
esac
