#!/usr/bin/env bash
# Starts a throw-away PostgreSQL on 127.0.0.1:$PGPORT (installing it from Debian if needed) and
# prints its URL. Stop it with: .ci/postgres.sh stop
# max_connections 400: the server tests run side by side, each a platform with a pool of its own
# (four connections per event loop) and a listener.
set -euo pipefail
PGPORT=${PGPORT:-54329}
STATE=/tmp/drs-pg
if [ "${1:-}" = "stop" ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  [ -d "$STATE/data" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$STATE/data" -m fast stop >/dev/null || true
  exit 0
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if [ -d "$STATE/data" ]; then runuser -u postgres -- "$PGBIN/pg_ctl" -D "$STATE/data" -m fast stop >/dev/null 2>&1 || true; fi
rm -rf "$STATE"; mkdir -p "$STATE"; chown postgres: "$STATE"
runuser -u postgres -- "$PGBIN/initdb" -D "$STATE/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$STATE/data" -l "$STATE/server.log" -w \
  -o "-p $PGPORT -k $STATE -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400" start >/dev/null
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc 'create database drs_test' >/dev/null
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc 'create database drs_multi' >/dev/null
echo "postgres://postgres@127.0.0.1:$PGPORT/drs_test"
