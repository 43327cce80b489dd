#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 server for meterbook's PostgreSQL tests, idempotently:
# on 127.0.0.1 only, port ${MB_PG_PORT:-55432}, data in ${MB_PG_DIR:-/tmp/meterbook-pg}, with a
# role and database `meterbook`. Prints the URL on stdout; when sourced, also exports it as
# MB_TEST_PG_URL. Run it again at any time: a running server is reused.
#
#   eval "export MB_TEST_PG_URL=$(.ci/postgres.sh)"     # or: source .ci/postgres.sh
#   deno test -A src/metering/postgres_test.ts
#
# Stop it with: .ci/postgres.sh stop
# As root the server runs as the `postgres` user (PostgreSQL refuses to run as root).

mb_pg_main() {
  local pgbin="${MB_PG_BIN:-/usr/lib/postgresql/15/bin}"
  local port="${MB_PG_PORT:-55432}"
  local base="${MB_PG_DIR:-/tmp/meterbook-pg}"
  local data="$base/data" sock="$base/run" log="$base/server.log"
  local url="postgres://meterbook:meterbook@127.0.0.1:${port}/meterbook"
  local as=()
  if [ "$(id -u)" = "0" ]; then as=(runuser -u postgres --); fi

  if [ ! -x "$pgbin/pg_ctl" ]; then
    echo "postgres.sh: $pgbin/pg_ctl not found; install PostgreSQL 15 (apt-get install postgresql) or set MB_PG_BIN" >&2
    return 1
  fi
  if [ "${1:-}" = "stop" ]; then
    "${as[@]}" "$pgbin/pg_ctl" -D "$data" -m fast stop >&2 || true
    return 0
  fi

  mkdir -p "$data" "$sock" || return 1
  if [ "$(id -u)" = "0" ]; then chown postgres: "$base" "$data" "$sock" && chmod 700 "$data"; fi

  if ! "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
    if [ ! -s "$data/PG_VERSION" ]; then
      echo "postgres.sh: initdb in $data" >&2
      "${as[@]}" "$pgbin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 --no-instructions >&2 || return 1
    fi
    echo "postgres.sh: starting PostgreSQL on 127.0.0.1:$port (log: $log)" >&2
    touch "$log" && { [ "$(id -u)" != "0" ] || chown postgres: "$log"; }
    "${as[@]}" "$pgbin/pg_ctl" -D "$data" -l "$log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $sock" start >&2 || {
      echo "postgres.sh: the server did not start; see $log" >&2
      tail -n 20 "$log" >&2
      return 1
    }
  fi

  # the role and database, created once (superuser over the local socket)
  local psql=("${as[@]}" "$pgbin/psql" -h "$sock" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
  if [ "$("${psql[@]}" -c "select 1 from pg_roles where rolname = 'meterbook'")" != "1" ]; then
    "${psql[@]}" -c "create role meterbook login password 'meterbook'" >&2 || return 1
  fi
  if [ "$("${psql[@]}" -c "select 1 from pg_database where datname = 'meterbook'")" != "1" ]; then
    "${psql[@]}" -c "create database meterbook owner meterbook" >&2 || return 1
  fi
  MB_TEST_PG_URL="$url"
  echo "$url"
}

if (return 0 2>/dev/null); then
  # sourced: export the URL for the tests
  if mb_pg_main "$@" >/dev/null; then export MB_TEST_PG_URL; else return 1; fi
else
  mb_pg_main "$@"
fi
