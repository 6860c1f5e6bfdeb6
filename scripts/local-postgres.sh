#!/usr/bin/env bash
# A private PostgreSQL for a local multi-silo cluster, kept apart from any silo so that killing a silo never takes
# the database with it.   usage: local-postgres.sh start|stop DATA_DIR PORT
set -euo pipefail
action=${1:?start or stop}; data=${2:?data directory}; port=${3:?port}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_server_user() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$action" in
  start)
    mkdir -p "$data"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$data"; chmod 700 "$data"; fi
    [ -f "$data/PG_VERSION" ] || as_server_user "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null
    if ! as_server_user "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      as_server_user "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$data' -c max_connections=300" start >/dev/null
    fi
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='exchange'" | grep -q 1 \
      || "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE exchange" >/dev/null
    echo "PostgreSQL on 127.0.0.1:$port (data in $data)"
    ;;
  stop)
    [ -f "$data/PG_VERSION" ] && as_server_user "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop DATA_DIR PORT" >&2; exit 2 ;;
esac
