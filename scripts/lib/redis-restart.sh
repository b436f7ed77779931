#!/usr/bin/env bash
# A fault for scripts/bench-cluster.sh: restarts the Redis on PORT (nothing kept: the instances must resubscribe
# by themselves) and returns once every room channel has INSTANCES subscribers again, or after 60 s.
#
#   redis-restart.sh PORT ROOMS INSTANCES LOGFILE
set -euo pipefail
port=$1 rooms=$2 instances=$3 log=$4
redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 || break; sleep 0.1; done
down=$(date +%s.%N)
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --logfile "$log"
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
channels=$(for r in $(seq 0 $((rooms - 1))); do printf 'pushpin:room-%d ' "$r"; done)
for _ in $(seq 600); do
  # shellcheck disable=SC2086
  short=$(redis-cli -p "$port" pubsub numsub $channels | awk -v n="$instances" 'NR % 2 == 0 && $1 < n' | wc -l)
  [ "$short" = 0 ] && break
  sleep 0.1
done
printf 'redis restarted; %s room channels short of %s subscribers; all back %.1f s after it went down\n' \
  "$short" "$instances" "$(echo "$(date +%s.%N) - $down" | bc)" >&2
