#!/usr/bin/env bash
# A local cluster: 3 silos (HTTP on 127.0.0.1:5081-5083) sharing one PostgreSQL for state, membership and reminders.
#   scripts/cluster.sh start [N]   start N silos (default 3)
#   scripts/cluster.sh stop        stop the silos and the database
#   scripts/cluster.sh status      list what runs
# Logs and pids are in .data/cluster/. The operator key is in .data/cluster/operator.key.
# SILO_ARGS adds settings to every silo, e.g. SILO_ARGS="--Exchange:Api:RateLimitPermits=1000000" for load tests.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD/.data/cluster; pg_port=25433; pg_data=$PWD/.data/cluster-postgres
mkdir -p "$root"

start() {
  local count=${1:-3}
  bash scripts/ensure-prerequisites.sh
  bash scripts/local-postgres.sh start "$pg_data" "$pg_port"
  dotnet build silo/Exchange.Silo -c Release --verbosity quiet >/dev/null
  local operator_key; operator_key=$(bash scripts/operator-key.sh "$root/operator.key")
  for i in $(seq 1 "$count"); do
    if [ -f "$root/silo-$i.pid" ] && kill -0 "$(cat "$root/silo-$i.pid")" 2>/dev/null; then continue; fi
    nohup dotnet silo/Exchange.Silo/bin/Release/net10.0/Exchange.Silo.dll \
      --urls "http://127.0.0.1:$((5080 + i))" \
      --ConnectionStrings:Exchange="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=exchange;Maximum Pool Size=50" \
      --Exchange:Clustering=postgres --Exchange:SiloPort=$((11110 + i)) --Exchange:GatewayPort=$((30000 + i)) \
      --Exchange:BootstrapOperatorKey="$operator_key" ${SILO_ARGS:-} \
      > "$root/silo-$i.log" 2>&1 &
    echo $! > "$root/silo-$i.pid"
  done
  for i in $(seq 1 "$count"); do
    for _ in $(seq 1 90); do curl -fs "http://127.0.0.1:$((5080 + i))/health" >/dev/null && break; sleep 1; done
    curl -fs "http://127.0.0.1:$((5080 + i))/health" >/dev/null || { echo "silo $i did not start; see $root/silo-$i.log" >&2; exit 1; }
    echo "silo $i: http://127.0.0.1:$((5080 + i))"
  done
  echo "operator key: $operator_key"
}

stop() {
  local pids=()
  for pid_file in "$root"/silo-*.pid; do
    [ -f "$pid_file" ] || continue
    pids+=("$(cat "$pid_file")")
    kill "${pids[-1]}" 2>/dev/null || true
    rm -f "$pid_file"
  done
  # A stopping silo marks itself dead in the membership table: the database must outlive it, or the silo retries
  # that update for ever. Wait for the silos to go (a stuck one is killed after 60 s), then stop the database.
  for _ in $(seq 1 60); do
    local running=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
    [ "$running" = 0 ] && break
    sleep 1
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null && echo "silo $pid did not stop within 60 s: killed" >&2; done
  bash scripts/local-postgres.sh stop "$pg_data" "$pg_port"
  echo "cluster stopped"
}

status() {
  for pid_file in "$root"/silo-*.pid; do
    [ -f "$pid_file" ] || { echo "no silos"; return; }
    local name; name=$(basename "$pid_file" .pid)
    kill -0 "$(cat "$pid_file")" 2>/dev/null && echo "$name running (pid $(cat "$pid_file"))" || echo "$name dead"
  done
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [N] | stop | status" >&2; exit 2 ;;
esac
